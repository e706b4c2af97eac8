"""The store as RDF, with the terms of shared/rdf-contract.md; shared by every RDF export.

Statements are produced as plain strings (IRIs) and ``Lit`` tuples rather than rdflib terms:
a 10k-article corpus says millions of them, and building an rdflib term for each cost more
than writing the file. ``to_rdflib`` turns them into rdflib terms where a Graph is wanted.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from kg.distinctions import AWARD, CREDENTIAL, distinction
from kg.evidence import EvidenceRecord, articles_of
from kg.exporters.tenure_rdf import membership_blocks
from kg.ids import BASE, iri
from kg.model import NodeType, Relation
from kg.relations import SPECS
from kg.store import EvidenceByArticle, FewArticlesEvidence, GraphStore, article_node, line_map_numbers
from kg.tenures import END, FORMER
from kg.vocab import (
    KG,
    KGORG,
    KGPOST,
    ORG,
    PROV,
    SCHEMA,
    SKOS,
    TIME,
    date_datatype,
    org_concept,
    post_concept,
)

CLASSES: dict[str, tuple[URIRef, ...]] = {
    NodeType.PERSON: (SCHEMA.Person,),
    NodeType.ORGANISATION: (ORG.Organization,),
    NodeType.POST: (ORG.Post,),
    NodeType.MEETING: (SCHEMA.Event, KG.Meeting),
    NodeType.TARGET: (KG.Target,),
    NodeType.DOCUMENT: (SCHEMA.CreativeWork,),
    NodeType.ARTICLE: (SCHEMA.NewsArticle,),
}
ORG_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "hospital": (SCHEMA.Hospital, KG.Hospital),
    "government": (SCHEMA.GovernmentOrganization,),
}
# relation → (predicate, whether the triple runs object → subject of the fact): kg/relations.py
PREDICATES: dict[str, tuple[URIRef, bool]] = {r: (spec.predicate, spec.inverse) for r, spec in SPECS.items()}
_VOID, _DCAT, _DCT = (  # the dataset description's vocabularies (dataset_blocks)
    "http://rdfs.org/ns/void#",
    "http://www.w3.org/ns/dcat#",
    "http://purl.org/dc/terms/",
)
PREFIXES = {
    "org": ORG,
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "time": TIME,
    "void": Namespace(_VOID),
    "dcat": Namespace(_DCAT),
    "dcterms": Namespace(_DCT),
    "kg": KG._NS,
    "kgpost": KGPOST,
    "kgorg": KGORG,
    "res": BASE,
}


def turtle_prefixes() -> dict[str, str]:
    return {
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
        **{prefix: str(ns) for prefix, ns in PREFIXES.items() if prefix != "res"},
    }


class Lit(NamedTuple):
    """An RDF literal: lexical form, language tag or datatype IRI ("" for neither)."""

    value: str
    lang: str = ""
    datatype: str = ""


Term = str | Lit  # a str is an IRI
Triple = tuple[str, str, Term]

_TYPE, _LABEL = str(RDF.type), str(RDFS.label)
_STATEMENT = [str(t) for t in (RDF.Statement, RDF.subject, RDF.predicate, RDF.object)]
_XSD_INTEGER, _XSD_BOOLEAN = str(XSD.integer), str(XSD.boolean)
_CLASSES = {kind: tuple(map(str, classes)) for kind, classes in CLASSES.items()}
_ORG_CLASSES = {kind: tuple(map(str, classes)) for kind, classes in ORG_CLASSES.items()}
_PREDICATES = {relation: (str(p), flipped) for relation, (p, flipped) in PREDICATES.items()}
_HOLDS = str(ORG.holds)


def new_graph(cls: type[Graph] = Graph, **kwargs: Any) -> Graph:
    g = cls(**kwargs)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def to_rdflib(term: Term) -> URIRef | Literal:
    if isinstance(term, Lit):
        if term.lang:
            return Literal(term.value, lang=term.lang)
        return Literal(term.value, datatype=URIRef(term.datatype) if term.datatype else None)
    return URIRef(term)


def node_iri(node: str) -> URIRef:
    return URIRef(iri(node))


def fact_triple(
    s: str, o: str, relation: str, store: GraphStore | None = None
) -> tuple[URIRef, URIRef, URIRef]:
    """The fact's triple as rdflib terms (for callers holding an rdflib Graph); with ``store``,
    an honour or a credential held has its own predicate (kg/distinctions.py)."""
    subject, predicate, obj = fact_iris(s, o, relation, store)
    return URIRef(subject), URIRef(predicate), URIRef(obj)


# A holding of an honour or a credential, and whom a credential is from, in their own terms.
_DISTINCTION_PREDICATES = {
    (Relation.HOLDS, AWARD): str(KG.hasHonour),
    (Relation.HOLDS, CREDENTIAL): str(SCHEMA.hasCredential),
    (Relation.POST_IN, AWARD): str(SCHEMA.recognizedBy),
    (Relation.POST_IN, CREDENTIAL): str(SCHEMA.recognizedBy),
}
_DISTINCTION_CLASSES = {AWARD: str(KG.Honour), CREDENTIAL: str(SCHEMA.EducationalOccupationalCredential)}


def fact_iris(s: str, o: str, relation: str, store: GraphStore | None = None) -> tuple[str, str, str]:
    """``fact_triple`` as strings: the ends flipped where the relation reads backwards."""
    predicate, flipped = _PREDICATES[relation]
    if store is not None and relation in (Relation.HOLDS, Relation.POST_IN):
        kind = distinction(store.node_data[o if relation == Relation.HOLDS else s]["label"])
        predicate = _DISTINCTION_PREDICATES.get((Relation(relation), kind), predicate)
    return (iri(o), predicate, iri(s)) if flipped else (iri(s), predicate, iri(o))


def date_literal(value: str) -> Lit:
    return Lit(value, datatype=str(date_datatype(value)))


_S = {
    name: str(getattr(SCHEMA, name))
    for name in ("identifier", "headline", "datePublished", "startDate", "location", "subjectOf", "award")
}


@cache
def _post_role(label: str) -> str:
    return str(post_concept(label))


def classes_of(data: dict[str, Any]) -> tuple[str, ...]:
    """A node's RDF classes by its type; a post that is an honour or a credential has its own."""
    kind = distinction(data["label"]) if data["type"] == NodeType.POST else ""
    return (_DISTINCTION_CLASSES[kind],) if kind else _CLASSES[data["type"]]


def node_triples(node: str, data: dict[str, Any]) -> Iterator[Triple]:
    subject = iri(node)
    node_type = data["type"]
    classes = classes_of(data)
    for cls in classes:
        yield subject, _TYPE, cls
    if node_type == NodeType.ORGANISATION:
        kind = data.get("kind", "")
        for cls in _ORG_CLASSES.get(kind, ()):
            yield subject, _TYPE, cls
        yield subject, str(ORG.classification), str(org_concept(kind))
    if str(ORG.Post) in classes:  # an honour or a credential has no post type
        yield subject, str(ORG.role), _post_role(data["label"])
    yield subject, _LABEL, Lit(data["label"], "zh")
    for alias in data.get("aliases", []):
        yield subject, str(SKOS.altLabel), Lit(alias, "zh")
    if node_type == NodeType.ARTICLE:
        yield subject, _S["identifier"], Lit(data["identifier"])
        yield subject, _S["headline"], Lit(data["label"], "zh")
        if data.get("published"):
            yield subject, _S["datePublished"], date_literal(data["published"])
        if data.get("source"):
            yield subject, str(KG.sourceName), Lit(data["source"], "zh")
    if node_type == NodeType.MEETING:
        if data.get("date"):
            yield subject, _S["startDate"], date_literal(data["date"])
        if data.get("place"):
            yield subject, _S["location"], Lit(data["place"], "zh")


@cache
def article_iri(article: str) -> str:
    return iri(f"article/{article}")


def subject_of(node: str, data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(article, its IRI) for ``schema:subjectOf``: each goes in its own article's graph only,
    so that an organisation named in 600 articles does not repeat 600 links in every one."""
    if data["type"] != NodeType.ARTICLE:
        for article in data.get("articles", []):
            yield article, article_iri(article)


_EVIDENCE = {
    name: str(getattr(KG, name))
    for name in (
        "Evidence",
        "sentence",
        "sentenceStart",
        "sentenceEnd",
        "rule",
        "former",
        "observedOn",
        "change",
    )
}
_DERIVED = str(PROV.wasDerivedFrom)


def statement_pairs(
    triple: Triple, ev: EvidenceRecord, former: bool, start: int
) -> Iterator[tuple[str, Term]]:
    """rdf:Statement reification of one fact as read in one sentence (its subject: statement_iri);
    ``start``: where the sentence starts in the source file (SourceOffsets)."""
    statement, subject, predicate, obj = _STATEMENT
    yield _TYPE, statement
    yield _TYPE, _EVIDENCE["Evidence"]
    yield subject, triple[0]
    yield predicate, triple[1]
    yield obj, triple[2]
    yield _DERIVED, article_iri(ev.article)
    yield _EVIDENCE["sentence"], Lit(ev.sentence, "zh")
    yield _EVIDENCE["sentenceStart"], Lit(str(start), datatype=_XSD_INTEGER)
    yield _EVIDENCE["sentenceEnd"], Lit(str(start + ev.end - ev.start), datatype=_XSD_INTEGER)
    yield _EVIDENCE["rule"], Lit(ev.rule)
    if former:
        yield _EVIDENCE["former"], Lit("true", datatype=_XSD_BOOLEAN)
    if ev.date:  # a holds fact's: when it was observed, and the change the text states
        yield _EVIDENCE["observedOn"], date_literal(ev.date)
    if ev.change:
        yield _EVIDENCE["change"], Lit(ev.change)


SCHEMES = ("posts.ttl", "org_types.ttl")


@cache
def scheme_triples() -> tuple[Triple, ...]:
    """The SKOS post and organisation type schemes, shipped inside every export."""
    g = Graph()
    for name in SCHEMES:
        g.parse(
            data=resources.files("kg").joinpath("ontology", name).read_text(encoding="utf-8"), format="turtle"
        )
    triples: list[Triple] = []
    for s, p, o in g:
        assert isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef | Literal)
        if isinstance(o, Literal):
            lit = Lit(str(o), o.language or "", str(o.datatype) if o.datatype else "")
            triples.append((str(s), str(p), lit))
        else:
            triples.append((str(s), str(p), str(o)))
    return tuple(sorted(triples, key=str))


# --- subject blocks ----------------------------------------------------------------
# Everything the export says, as one block per subject: a node with its facts, a statement,
# a scheme concept. Writers sort the blocks (cheap: one per subject, not per triple) and
# produce each block's triples only when they write it, so a million-triple export never
# holds a second copy of the graph. ``quads`` is derived from the same blocks.

Articles = tuple[str, ...]  # the named graphs a triple goes in; ("",) = the default graph
Pair = tuple[str, Term, Articles]  # (predicate, object, articles)


class Block(NamedTuple):
    subject: str
    kind: str  # "fixed" (a scheme concept, a tenure), "node" or "statement"
    ref: Any  # fixed: its (predicate, object) list; node: node id;
    # statement: (triple, evidence, former, the sentence's start in the source file)


# One store at a time, the one being exported (FactIndex holds it until release_shared).
_SHARED: list[tuple[GraphStore, tuple[int, int, int], list[Block], FactIndex]] = []


def shared_blocks(store: GraphStore) -> tuple[list[Block], FactIndex]:
    """The blocks and fact index of a finished store, built once for every RDF format: the
    graph's blocks, then the blocks that describe the dataset (VoID / DCAT), which count them."""
    shape = store.shape()
    if not (_SHARED and _SHARED[0][0] is store and _SHARED[0][1] == shape):
        index = FactIndex(store)
        found = list(blocks(store))
        found += dataset_blocks(store, sum(1 for b in found for _ in index.pairs(b)))
        _SHARED[:] = [(store, shape, found, index)]
    return _SHARED[0][2], _SHARED[0][3]


DATASET = f"{BASE}dataset"
ONTOLOGY = "https://w3id.org/hospital-kg/ontology"


def dataset_blocks(store: GraphStore, triples: int) -> list[Block]:
    """The export described for catalogues and tools (W3C VoID and DCAT): title, rights, the
    vocabularies, counts of triples (those before this description), entities and articles by
    class, and the newest article's date. Nothing about when or where it was built: a rebuild of
    the same corpus gives the same bytes."""
    counts = store.counts()["nodes"]
    published = sorted(d.get("published", "") for _, d in store.nodes(NodeType.ARTICLE))
    integer = str(XSD.integer)
    pairs: list[tuple[str, Term]] = [
        (_TYPE, _VOID + "Dataset"),
        (_TYPE, _DCAT + "Dataset"),
        (_DCT + "title", Lit("医疗卫生会议新闻知识图谱", "zh")),
        (
            _DCT + "title",
            Lit("Knowledge graph of Chinese hospital and health-administration meeting news", "en"),
        ),
        (
            _DCT + "rights",
            Lit(
                "Facts read by hospital-kg from the news articles it was given; the articles' text and "
                "rights stay with their publishers, each statement names its article (prov:wasDerivedFrom).",
                "en",
            ),
        ),
        (_DCT + "conformsTo", ONTOLOGY),
        (_VOID + "triples", Lit(str(triples), datatype=integer)),
        (
            _VOID + "entities",
            Lit(str(sum(v for k, v in counts.items() if k != NodeType.ARTICLE)), datatype=integer),
        ),
        (_VOID + "documents", Lit(str(counts.get(NodeType.ARTICLE, 0)), datatype=integer)),
        *((_VOID + "vocabulary", str(ns)) for ns in (ORG, SCHEMA, PROV, SKOS, TIME, KG._NS)),
    ]
    if published and published[-1]:
        pairs.append((_DCT + "modified", date_literal(published[-1])))
    by_class: dict[str, int] = {}
    for _, data in store.nodes():
        cls = classes_of(data)[0]
        by_class[cls] = by_class.get(cls, 0) + 1
    partitions: list[Block] = []
    for cls, n in sorted(by_class.items()):
        part = f"{DATASET}/class/{cls.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}"
        pairs.append((_VOID + "classPartition", part))
        partitions.append(
            Block(
                part,
                "fixed",
                [(_VOID + "class", cls), (_VOID + "entities", Lit(str(n), datatype=integer))],
            )
        )
    return [Block(DATASET, "fixed", pairs), *partitions]


def release_shared() -> None:
    """Forget the shared blocks once no RDF export is left to write (hundreds of MB at 10k)."""
    _SHARED.clear()


def blocks(store: GraphStore) -> Iterator[Block]:
    """Every block of the export: the schemes, then each node's own (``node_blocks``)."""
    yield from scheme_blocks()
    source = SourceOffsets(store)
    for node in sorted(store.node_data):
        yield from node_blocks(store, node, source)


def scheme_blocks() -> list[Block]:
    """The post and organisation type schemes, a block per concept."""
    by_subject: dict[str, list[tuple[str, Term]]] = {}
    for s, p, o in scheme_triples():
        by_subject.setdefault(s, []).append((p, o))
    return [Block(subject, "fixed", pairs) for subject, pairs in by_subject.items()]


def node_blocks(store: GraphStore, node: str, source: SourceOffsets) -> list[Block]:
    """Every block that is the node's own: its description, the statements of the facts it is
    the subject of in the store, and the tenures of the posts it holds."""
    found = [Block(iri(node), "node", node)]
    succ = store.succ[node]
    for o in sorted(succ):
        keyed = succ[o]
        for relation in sorted(keyed):
            found += statement_blocks(store, node, o, relation, keyed[relation], source)
    found += (Block(subject, "fixed", pairs) for subject, pairs in membership_blocks(store, Lit, node))
    return found


def statement_blocks(
    store: GraphStore,
    s: str,
    o: str,
    relation: str,
    data: dict[str, Any],
    source: SourceOffsets,
    evidence: Sequence[EvidenceRecord] | None = None,
) -> Iterator[Block]:
    """A statement block for each sentence a fact was read from (of ``evidence``, when given:
    one article's, of a fact read in hundreds)."""
    triple = fact_iris(s, o, relation, store)
    for ev in data["evidence"] if evidence is None else evidence:
        # a holding's evidence says itself whether it was former (原…, 免去): one edge has both
        former = ev.change in (END, FORMER) if relation == Relation.HOLDS else data.get("former") == "true"
        start = source.offset(ev.article, ev.start)
        yield Block(statement_iri(triple, ev), "statement", (triple, ev, former, start))


_LINE_MAPS_KEPT = 1024


class SourceOffsets:
    """Offsets into the cleaned text → offsets into the source file as a reader opens it (decoded;
    for an HTML page or a JSON record, the text the build took from it), by each article's line
    map: the contract's kg:sentenceStart / kg:sentenceEnd count there."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        # The line maps of the articles asked for lately, unpacked: all of them were 20 MB at
        # 10k articles, and a writer takes one article, or one node's few, at a time.
        self._maps: dict[str, tuple[array[int], array[int]]] = {}

    def offset(self, article: str, clean: int) -> int:
        found = self._maps.get(article)
        if found is None:
            if len(self._maps) >= _LINE_MAPS_KEPT:
                self._maps.clear()
            flat = line_map_numbers(self.store.node_data.get(article_node(article), {}).get("line_map", []))
            found = self._maps[article] = (flat[0::2], flat[1::2])
        starts, raws = found
        i = bisect_right(starts, clean) - 1
        return clean if i < 0 else raws[i] + clean - starts[i]


def statement_iri(triple: Triple, ev: EvidenceRecord) -> str:
    key = "\x1f".join([*map(str, triple), ev.article, str(ev.start), ev.rule])
    return f"{BASE}statement/{hashlib.sha1(key.encode()).hexdigest()[:16]}"


class FactIndex:
    """node → the fact triples it is the RDF subject of, with the articles that state them:
    worked out for each node when first asked, from the edges at it.

    ``keep``: every node's facts are kept once worked out (for formats that walk the blocks more
    than once). Without it, a writer that takes the nodes one at a time holds only the last
    node's facts. A named graph's facts (``in_article``) are worked out for the whole article at
    once, from its evidence, and held until the next article: held for each node from its first
    article to its last instead, busy nodes' facts by article were TriG's largest working set
    (45 MB at 10k articles, 430 MB at 100k)."""

    def __init__(
        self,
        store: GraphStore,
        keep: bool = True,
        stated: EvidenceByArticle | FewArticlesEvidence | None = None,
    ) -> None:
        self.store = store
        self._keep = keep
        self._facts: dict[str, list[Pair]] = {}
        self._stated = stated
        self._article: tuple[str, dict[str, list[tuple[str, Term]]]] = ("", {})

    def facts(self, node: str) -> list[Pair]:
        found = self._facts.get(node)
        if found is None:
            found = []
            for o, keyed in self.store.succ[node].items():
                for relation, data in keyed.items():
                    if not _PREDICATES[relation][1]:
                        found += self._said(node, o, relation, data)
            for s, keyed in self.store.pred[node].items():
                for relation, data in keyed.items():
                    if _PREDICATES[relation][1]:
                        found += self._said(s, node, relation, data)
            if not self._keep:
                self._facts.clear()
            self._facts[node] = found
        return found

    def in_article(self, node: str, article: str) -> list[tuple[str, Term]]:
        """The node's facts stated in one article (the edges with evidence from it)."""
        if article != self._article[0]:
            if self._stated is None:
                self._stated = EvidenceByArticle(self.store)
            by_subject: dict[str, list[tuple[str, Term]]] = {}
            for s, o, relation, data, _ in self._stated.of(article):
                subject = o if _PREDICATES[relation][1] else s
                by_subject.setdefault(subject, []).extend(self._pairs_said(s, o, relation, data))
            self._article = (article, by_subject)
        return self._article[1].get(node, [])

    def _said(self, s: str, o: str, relation: str, data: dict[str, Any]) -> list[Pair]:
        """What one fact edge says about its RDF subject, with the articles that state it."""
        said = self._pairs_said(s, o, relation, data)
        if not said:
            return []
        articles = tuple(sorted(set(articles_of(data["evidence"]))))
        return [(p, obj, articles) for p, obj in said]

    def _pairs_said(self, s: str, o: str, relation: str, data: dict[str, Any]) -> list[tuple[str, Term]]:
        _, predicate, obj = fact_iris(s, o, relation, self.store)
        if predicate == _HOLDS and data.get("current") is False:
            return []  # a holding that has ended: its tenure (org:Membership) says so
        said: list[tuple[str, Term]] = [(predicate, obj)]
        if predicate == _DISTINCTION_PREDICATES[Relation.HOLDS, AWARD]:
            # schema.org's plain form
            said.append((_S["award"], Lit(self.store.node_data[o]["label"], "zh")))
        return said

    def pairs(self, block: Block) -> Iterator[Pair]:
        """Every (predicate, object, articles) of the block."""
        if block.kind == "fixed":
            for p, o in block.ref:
                yield p, o, ("",)
        elif block.kind == "node":
            data = self.store.node_data[block.ref]
            articles = tuple(data.get("articles", [])) or ("",)
            for _, p, o in node_triples(block.ref, data):
                yield p, o, articles
            for article, link in subject_of(block.ref, data):
                yield _S["subjectOf"], link, (article,)
            yield from self.facts(block.ref)
        else:
            triple, ev, former, start = block.ref
            articles = (ev.article,)
            for p, o in statement_pairs(triple, ev, former, start):
                yield p, o, articles

    def pairs_in(self, block: Block, article: str) -> Iterator[tuple[str, Term]]:
        """The block's (predicate, object) pairs in one article's graph, without a scan of the rest."""
        if block.kind != "node":
            for p, o, articles in self.pairs(block):
                if article in articles:
                    yield p, o
            return
        data = self.store.node_data[block.ref]
        if article in (data.get("articles", []) or ("",)):
            for _, p, o in node_triples(block.ref, data):
                yield p, o
            if data["type"] != NodeType.ARTICLE and article:
                yield _S["subjectOf"], article_iri(article)
        yield from self.in_article(block.ref, article)


def quads(store: GraphStore) -> Iterator[tuple[str, Triple]]:
    """(article id, triple) for everything the export says; "" = about no one article."""
    found, index = shared_blocks(store)
    for block in found:
        for p, o, articles in index.pairs(block):
            for article in articles:
                yield article, (block.subject, p, o)
