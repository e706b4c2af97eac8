"""The store as RDF, with the terms of shared/rdf-contract.md; shared by every RDF export.

Statements are produced as plain strings (IRIs) and ``Lit`` tuples rather than rdflib terms:
a 10k-article corpus says millions of them, and building an rdflib term for each cost more
than writing the file. ``to_rdflib`` turns them into rdflib terms where a Graph is wanted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.extractors.genre import org_type
from kg.ids import BASE, iri
from kg.model import NodeType, Relation
from kg.store import GraphStore
from kg.vocab import KG, KGORG, KGPOST, ORG, PROV, SCHEMA, SKOS, org_concept, post_concept

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
# relation → (predicate, whether the triple runs object → subject of the fact)
PREDICATES: dict[str, tuple[URIRef, bool]] = {
    Relation.HOLDS: (ORG.holds, False),  # person org:holds post
    Relation.POST_IN: (ORG.postIn, False),  # post org:postIn org
    Relation.HELD: (SCHEMA.organizer, True),  # meeting schema:organizer org
    Relation.PRESIDED: (KG.chairedBy, True),  # meeting kg:chairedBy person
    Relation.SPOKE: (KG.hasSpeaker, True),
    Relation.ATTENDED: (SCHEMA.attendee, True),
    Relation.SET_TARGET: (KG.setTarget, False),  # meeting kg:setTarget target
    Relation.DOCUMENT: (SCHEMA.publisher, True),  # document schema:publisher org
}
PREFIXES = {
    "org": ORG,
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
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


def fact_triple(s: str, o: str, relation: str) -> tuple[URIRef, URIRef, URIRef]:
    """The fact's triple as rdflib terms (for callers holding an rdflib Graph)."""
    subject, predicate, obj = _fact_triple(s, o, relation)
    return URIRef(subject), URIRef(predicate), URIRef(obj)


def _fact_triple(s: str, o: str, relation: str) -> tuple[str, str, str]:
    predicate, flipped = _PREDICATES[relation]
    return (iri(o), predicate, iri(s)) if flipped else (iri(s), predicate, iri(o))


def date_literal(value: str) -> Lit:
    if len(value) == 10:
        return Lit(value, datatype=str(XSD.date))
    if len(value) == 7:
        return Lit(value, datatype=str(XSD.gYearMonth))
    return Lit(value, datatype=str(XSD.gYear))


_S = {
    name: str(getattr(SCHEMA, name))
    for name in ("identifier", "headline", "datePublished", "startDate", "location", "subjectOf")
}


@cache
def _post_role(label: str) -> str:
    return str(post_concept(label))


@cache
def _org_kind(label: str) -> str:
    return org_type(label)


def node_triples(node: str, data: dict[str, Any]) -> Iterator[Triple]:
    subject = iri(node)
    node_type = data["type"]
    for cls in _CLASSES[node_type]:
        yield subject, _TYPE, cls
    if node_type == NodeType.ORGANISATION:
        kind = _org_kind(data["label"])
        for cls in _ORG_CLASSES.get(kind, ()):
            yield subject, _TYPE, cls
        yield subject, str(ORG.classification), str(org_concept(kind))
    if node_type == NodeType.POST:
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
    if node_type != NodeType.ARTICLE:
        for article in data.get("articles", []):
            yield subject, _S["subjectOf"], iri(f"article/{article}")


_EVIDENCE = {
    name: str(getattr(KG, name))
    for name in ("Evidence", "sentence", "sentenceStart", "sentenceEnd", "rule", "former")
}
_DERIVED = str(PROV.wasDerivedFrom)


def statement_triples(triple: Triple, ev: dict[str, Any], former: bool) -> Iterator[Triple]:
    """rdf:Statement reification of one fact as read in one sentence."""
    key = "\x1f".join([*map(str, triple), ev["article"], str(ev["start"]), ev["rule"]])
    st = f"{BASE}statement/{hashlib.sha1(key.encode()).hexdigest()[:16]}"
    statement, subject, predicate, obj = _STATEMENT
    yield st, _TYPE, statement
    yield st, _TYPE, _EVIDENCE["Evidence"]
    yield st, subject, triple[0]
    yield st, predicate, triple[1]
    yield st, obj, triple[2]
    yield st, _DERIVED, iri(f"article/{ev['article']}")
    yield st, _EVIDENCE["sentence"], Lit(ev["sentence"], "zh")
    yield st, _EVIDENCE["sentenceStart"], Lit(str(ev["start"]), datatype=_XSD_INTEGER)
    yield st, _EVIDENCE["sentenceEnd"], Lit(str(ev["end"]), datatype=_XSD_INTEGER)
    yield st, _EVIDENCE["rule"], Lit(ev["rule"])
    if former:
        yield st, _EVIDENCE["former"], Lit("true", datatype=_XSD_BOOLEAN)


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


def quads(store: GraphStore) -> Iterator[tuple[str, Triple]]:
    """(article id, triple) for everything the export says; "" = about no one article."""
    for triple in scheme_triples():
        yield "", triple
    for node, data in store.nodes():
        articles = data.get("articles", []) or [""]
        for triple in node_triples(node, data):
            for article in articles:
                yield article, triple
    for s, o, relation, data in store.edges():
        triple = _fact_triple(s, o, relation)
        former = data.get("former") == "true"
        for ev in data["evidence"]:
            yield ev["article"], triple
            for st in statement_triples(triple, ev, former):
                yield ev["article"], st
