"""The graph: a networkx MultiDiGraph of typed nodes and typed edges that carry their evidence."""

from __future__ import annotations

import hashlib
import json
import marshal
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any, cast

import networkx as nx

from kg.evidence import EvidenceRecord, EvidenceTable, PackedEvidence, articles_of, evidence_order, stretch
from kg.model import Article, ArticleFacts, NodeType, Relation
from kg.resolve import Resolution
from kg.tenures import observation_date
from kg.textstore import ArticleTexts, digest_of


def plain_edge(data: dict[str, Any]) -> dict[str, Any]:
    """Edge data as JSON can hold it: the evidence records as dicts (graph.json's form)."""
    return {**data, "evidence": [ev.as_dict() for ev in data["evidence"]]}


class EvidenceByArticle:
    """Each article's evidence on every edge, found without a copy of it: every edge in
    ``GraphStore.edges`` order, and for each article the (edge number, first, end) of each
    stretch of its records on an edge, flat. TriG's article graphs and the explorer's article
    records read a store article by article; lists of each article's evidence were 75 MB at 10k."""

    def __init__(self, store: GraphStore) -> None:
        # Four flat lists of the graph's own objects rather than a tuple an edge: 1.2 million
        # small tuples at 100k articles were 105 MB, and once freed they left the heap in holes
        # that the rest of the export could not give back.
        self._subjects: list[str] = []
        self._objects: list[str] = []
        self._relations: list[str] = []
        self._data: list[dict[str, Any]] = []
        self._stretches: dict[str, array[int]] = {}
        for number, (s, o, relation, data) in enumerate(store.edges()):
            self._subjects.append(s)
            self._objects.append(o)
            self._relations.append(relation)
            self._data.append(data)
            for article, first, end in article_stretches(data["evidence"]):
                self._stretches.setdefault(article, array("I")).extend((number, first, end))

    def of(self, article: str) -> Iterator[tuple[str, str, str, dict[str, Any], Sequence[EvidenceRecord]]]:
        """The article's facts in edge order: (subject, object, relation, edge data, its records
        from the article: made as they are read), an edge once for each stretch of them."""
        flat = self._stretches.get(article, ())
        for i in range(0, len(flat), 3):
            number, first, end = flat[i : i + 3]
            data = self._data[number]
            yield (
                self._subjects[number],
                self._objects[number],
                self._relations[number],
                data,
                stretch(data["evidence"], first, end),
            )


# Articles' facts found article by article (FewArticlesEvidence) while at most one in this many
# needs them (a rebuild's changed articles). At 10k articles a walk of every edge cost 0.7 s
# whatever the number; article by article 0.1 s for 100 of them, 0.4 s for 2,000, 0.65 s for
# 4,000 (a 10 % rebuild's TriG graphs and article records need 1,500 to 1,900 each).
FEW_ARTICLES = 3


class FewArticlesEvidence:
    """``EvidenceByArticle.of`` for a few articles named beforehand, found without a walk of
    every edge: an article's facts join nodes that each list it (``add_article`` touches both
    ends of a fact), so its edges are among those nodes. Only for a store whose facts
    ``add_article`` put in (``GraphStore.fact_digests`` non-empty: ``add_fact`` clears them and
    lists no article); the same facts in the same order (tested)."""

    def __init__(self, store: GraphStore, articles: Collection[str]) -> None:
        self._store = store
        wanted = set(articles)
        self._named: dict[str, list[str]] = {}  # article → the nodes listing it
        for node, data in store.node_data.items():
            for article in wanted.intersection(data.get("articles", ())):
                self._named.setdefault(article, []).append(node)
        # An edge's stretches by article, worked out once for all the articles asked of it: a
        # post held for years has hundreds of records, read again for each article naming it
        # (2,000 articles: 3.5 million records walked for 60,000 edges).
        self._stretches: dict[int, dict[str, list[tuple[int, int]]]] = {}

    def _of_edge(self, data: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
        found = self._stretches.get(id(data))
        if found is None:
            found = {}
            for article, first, end in article_stretches(data["evidence"]):
                found.setdefault(article, []).append((first, end))
            self._stretches[id(data)] = found
        return found

    def of(self, article: str) -> Iterator[tuple[str, str, str, dict[str, Any], Sequence[EvidenceRecord]]]:
        nodes = sorted(self._named.get(article, ()))
        among = set(nodes)
        for s in nodes:
            out = self._store.succ[s]
            for o in successors_among(out, nodes, among):
                for relation in sorted(out[o]):
                    data = out[o][relation]
                    for first, end in self._of_edge(data).get(article, ()):
                        yield s, o, relation, data, stretch(data["evidence"], first, end)


@dataclass(frozen=True, slots=True)
class Patch:
    """What a patch of a store (kg/patch.py) changed, from the store a build's ``base`` describes."""

    base: object  # what the store was patched from: the last build's rekey.Sources, by identity
    # The linked pairs whose edges were made again, each with the changed articles that gave
    # facts of it, before or now: what else its evidence holds is as it was.
    remade: Mapping[tuple[str, str], frozenset[str]]
    carried: frozenset[tuple[str, str]]  # the pairs whose edges' ``carried`` data changed


# What an edge's evidence and tenures are kept apart from: the rest (a meeting's date and place,
# whether a holding is current) is what it carries into any one article's account of it.
_NOT_CARRIED = frozenset(("evidence", "tenures", "relation"))


def carried(data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """What an edge carries beyond its evidence and tenures, in its order."""
    return [(k, v) for k, v in data.items() if k not in _NOT_CARRIED]


def successors_among(out: Mapping[str, Any], nodes: list[str], among: set[str]) -> list[str]:
    """The successors (``out``: a node's adjacency) that are among ``nodes`` (sorted; ``among``
    the same as a set), sorted: walked from whichever side is smaller, since an organisation has
    thousands of successors and an article names a few dozen nodes."""
    return [o for o in nodes if o in out] if len(out) > len(nodes) else sorted(among.intersection(out))


def article_stretches(evidence: Sequence[EvidenceRecord]) -> list[tuple[str, int, int]]:
    """(article, first, end) of each stretch of one article's evidence records: one an article
    where the store keeps evidence sorted; an article whose records are apart has a stretch for
    each, which together say what they would say as one."""
    found: list[tuple[str, int, int]] = []
    for i, article in enumerate(articles_of(evidence)):
        if found and found[-1][0] == article:
            found[-1] = (article, found[-1][1], i + 1)
        else:
            found.append((article, i, i + 1))
    return found


def article_node(article_id: str) -> str:
    return f"article/{article_id}"


def pack_line_map(pairs: Iterable[tuple[int, int]]) -> bytes:
    """An article's line map as its node holds it: the numbers flat, 8 bytes each (as a list of
    Python ints it was 2 KB an article, 200 MB at 100k articles). graph.json lists them."""
    return array("Q", [n for pair in pairs for n in pair]).tobytes()


def line_map_numbers(value: bytes | list[int]) -> array[int]:
    """The flat numbers of a node's line map: packed (``pack_line_map``), or a list (a store read
    back from graph.json, or made by hand)."""
    if isinstance(value, bytes | bytearray):
        numbers = array("Q")
        numbers.frombytes(value)
        return numbers
    return array("Q", value)


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """Node data as JSON can hold it: the line map as its list of numbers."""
    if "line_map" not in data:
        return data
    return {**data, "line_map": line_map_numbers(data["line_map"]).tolist()}


# What one article gives the graph, as plain values: its id, the date its holds facts were
# observed, and each fact as (subject, object, relation, sentence start, sentence end, rule,
# qualifiers, change), "" for an end that did not resolve. A rebuild keeps it in the cache.
ContributedFact = tuple[str, str, str, int, int, str, tuple[tuple[str, str], ...], str]
Contribution = tuple[str, str, tuple[ContributedFact, ...]]


def article_node_data(a: Article) -> dict[str, Any]:
    """An article's node, as the graph holds it."""
    return {
        "type": intern(str(NodeType.ARTICLE)),
        "label": a.title or a.id,
        "aliases": [],
        "identifier": a.id,
        "published": a.published,
        "source": a.source,
        "articles": [a.id],
        # (offset in the text, offset in the source file) where each kept line starts, flat:
        # what maps the evidence offsets to the file a reader opens (the RDF's)
        "line_map": pack_line_map(a.line_map),
    }


def contribution(item: ArticleFacts, ends: list[tuple[str, str]]) -> Contribution:
    """What ``GraphStore.add_article`` puts in the graph from the article, its facts' ``ends``
    being their resolved (subject, object)."""
    facts = tuple(
        (
            s,
            o,
            str(fact.relation),
            fact.evidence.sentence.start,
            fact.evidence.sentence.end,
            fact.evidence.rule,
            tuple(fact.qualifiers),
            fact.qualifier("change"),
        )
        for fact, (s, o) in zip(item.facts, ends, strict=True)
    )
    return item.article.id, observation_date(item), facts


class GraphStore:
    """Typed nodes (``type``, ``label``, ``aliases``) and edges keyed by relation."""

    def __init__(self, graph: nx.MultiDiGraph[str] | None = None) -> None:
        self.graph: nx.MultiDiGraph[str] = graph if graph is not None else nx.MultiDiGraph()
        # Article id → its cleaned text, which every evidence offset indexes: the explorer's
        # article pages show it. On disk and not in the graph: no other export carries it, and
        # the heap the exports run in does not hold it.
        self.texts: Mapping[str, str] = {}
        # The evidence of the edges add_article makes, packed (kg/evidence.py).
        self.evidence_table = EvidenceTable()
        # Article id → a digest of the facts add_article put in the graph from it, in its order,
        # each as it reads in its article (sentence bounds, ends, relation, rule, a holding's
        # observed date and change): with the article's text digest, everything its evidence
        # records say. What tells the explorer's record of an article, and TriG's graph of it,
        # that its facts are as they were without listing them.
        self.fact_digests: dict[str, bytes] = {}
        # While articles are added: each node's name as the graph holds it. Every article's
        # facts name their ends in strings of their own, and an edge keyed by an equal string
        # keeps that one too (at 3k articles, 1.6 of the graph's 52 MB of dicts and strings).
        self._names: dict[str, str] = {}
        self.patches = 0  # times kg/patch.py changed it in place
        self._counts: tuple[tuple[int, int, int], dict[str, dict[str, int]]] | None = None
        self.patch: Patch | None = None  # what the last patch (kg/patch.py) changed; None: none

    @classmethod
    def begin(cls, articles: Iterable[Article], texts: ArticleTexts) -> GraphStore:
        """A store holding the articles' nodes, ready for their facts (``add_article``, in the
        order of their ids, then ``finish``)."""
        store = cls()
        for a in sorted(articles, key=lambda a: a.id):
            store.graph.add_node(article_node(a.id), **article_node_data(a))
        store.texts = texts
        return store

    def add_article(self, item: ArticleFacts, ends: list[tuple[str, str]]) -> None:
        """One article's facts, ``ends`` being the (subject, object) entity of each: edges with
        their evidence, nodes as placeholders until ``finish`` gives them their entity's data."""
        self.add_contribution(contribution(item, ends), item.article.text)

    def add_contribution(
        self,
        found: Contribution,
        text: str,
        pairs: AbstractSet[tuple[str, str]] | None = None,
        digest: bool = True,
    ) -> None:
        """What one article gives the graph (``contribution``), ``text`` being its text; ``pairs``:
        its facts of those (subject, object) pairs alone, their nodes there already with the
        articles naming them (a store patched where a change reached: kg/patch.py); ``digest``:
        its facts' digest made (``fact_digests``).

        Evidence goes to the store's table, each sentence once, and is sorted and de-duplicated
        once at the end: an organisation's post seen in 600 articles must not be re-sorted 600
        times. Relations and qualifiers come from each article's cache entry as strings of their
        own: interned, a few hundred strings stand for a million (16 MB at 10k articles)."""
        succ, pred, table = self.succ, self.pred, self.evidence_table
        article_id, observed, facts = found
        if pairs is not None and not digest:  # most of a patch's articles give none of its pairs
            facts = tuple(fact for fact in facts if (fact[0], fact[1]) in pairs)
            if not facts:
                return
        sentences: dict[tuple[int, int], int] = {}  # bounds → the table's number for the sentence
        # In the order given: of two records an edge has for one sentence and rule, the
        # table keeps the first (seal), so the order is part of what the article says.
        stated: list[tuple[int, int, str, str, str, str, str]] = []
        touched: set[str] = set()  # an article names a person in a dozen facts: touched once
        names = self._names
        for s, o, relation, start, end, rule, qualifiers, change in facts:
            s, o = names.setdefault(s, s), names.setdefault(o, o)
            for node in (s, o):
                if node and node not in touched and pairs is None:
                    touched.add(node)
                    self._touch(node, article_id)
            if not (s and o):
                continue
            key = intern(relation)
            holds = relation == Relation.HOLDS
            stated.append((start, end, s, o, key, rule, change if holds else ""))
            if pairs is not None and (s, o) not in pairs:
                continue
            bounds = (start, end)
            number = sentences.get(bounds)
            if number is None:
                number = sentences[bounds] = table.add_sentence(article_id, start, end, text[start:end])
            interned = [(intern(k), intern(v)) for k, v in qualifiers]
            out = succ[s]
            keyed = out.get(o)
            if keyed is None:
                # What networkx's add_edge makes (both ends are nodes: touched above), made here:
                # add_edge was a third of the graph's build (130,000 edges at 10k articles).
                keyed = out[o] = pred[o][s] = {}
            data = keyed.get(key)
            if data is None:
                data = keyed[key] = {"relation": key, "evidence": table.new_edge(), **dict(interned)}
            else:
                for k, v in interned:
                    data.setdefault(k, v)
            table.add(data["evidence"], number, rule, observed if holds else "", change if holds else "")
        if digest:
            raw = marshal.dumps((observed, stated), 2)
            self.fact_digests[article_id] = hashlib.blake2b(raw, digest_size=16).digest()

    def article_digest(self, article: str) -> bytes | None:
        """What fixes every evidence record an article gave the graph, on every edge: its facts'
        digest (``fact_digests``) and its text's. None where add_article did not put its facts
        in (a store read back, or one ``add_fact`` changed)."""
        facts = self.fact_digests.get(article)
        return None if facts is None else facts + digest_of(self.texts, article)

    def finish(self, resolution: Resolution, nodes: Iterable[str] | None = None) -> None:
        """Every entity node given its entity's data as resolving left it (names and attributes
        seen in later articles included), and every edge's evidence sorted, duplicates dropped.
        ``nodes``: those only (the rest are as a finish before left them)."""
        node_data = self.node_data
        for node in node_data if nodes is None else nodes:
            data = node_data[node]
            if data.get("type") == NodeType.ARTICLE:
                continue
            entity = resolution.entities[node]
            node_data[node] = {
                "type": intern(str(entity.type)),
                "label": entity.label,
                "aliases": sorted(entity.aliases),
                "articles": data["articles"],
                **dict(entity.attrs),
            }
        self.evidence_table.seal()
        self._names = {}

    @classmethod
    def from_node_link(cls, path: Path) -> GraphStore:
        """A store read back from graph.json (the node-link export)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="links")
        for _, _, edge in graph.edges(data=True):
            edge["evidence"] = [EvidenceRecord.from_dict(e) for e in edge.get("evidence", [])]
        return cls(cast("nx.MultiDiGraph[str]", graph))

    def _touch(self, node: str, article_id: str) -> None:
        data = self.node_data.get(node)
        if data is None:
            self.graph.add_node(node, articles=[])
            data = self.node_data[node]
        articles = data["articles"]
        if article_id not in articles[-1:]:  # facts come article by article, in sorted order
            if articles and articles[-1] > article_id:
                articles[:] = sorted({*articles, article_id})
            else:
                articles.append(article_id)

    def add_fact(
        self, s: str, o: str, relation: Relation, ev: EvidenceRecord, qualifiers: dict[str, str] | None = None
    ) -> None:
        key = str(relation)
        g = self.graph
        data = g.edges[s, o, key] if g.has_edge(s, o, key) else None
        if data is not None and isinstance(data["evidence"], PackedEvidence) and not data["evidence"].sealed:
            # Its records wait in the table: a list made now would lose them.
            raise ValueError("add_fact on an edge add_article made: call finish() first")
        # The articles' fact digests describe what add_article put in, no longer the graph: the
        # explorer then reads the store by node digests (exporters/articles.py).
        self.fact_digests.clear()
        if data is None:
            g.add_edge(s, o, key=key, relation=key, evidence=[ev], **(qualifiers or {}))
            return
        if ev not in data["evidence"]:
            data["evidence"] = sorted([*data["evidence"], ev], key=evidence_order)
        for k, v in (qualifiers or {}).items():
            data.setdefault(k, v)

    # --- reading ---------------------------------------------------------------

    def nodes(self, node_type: NodeType | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        node_data = self.node_data  # networkx's node view costs more per call than the walk
        for node in sorted(node_data):
            data = node_data[node]
            if node_type is None or data["type"] == node_type:
                yield node, data

    def edges(self, relation: Relation | None = None) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Every edge as (subject, object, relation, data), sorted by those three: walked over the
        adjacency itself (1k articles: 0.025 s, against 0.040 s sorting networkx's edge view),
        so exporters that walk every edge need no walk of their own."""
        succ = self.succ
        if relation is not None:
            # One relation: only the nodes with an edge of it are sorted (a walk for holdings
            # sorted every node's successors, 0.3 s at 10k articles, asked three times a build).
            for s in sorted(s for s, out in succ.items() if any(relation in keyed for keyed in out.values())):
                out = succ[s]
                for o in sorted(o for o, keyed in out.items() if relation in keyed):
                    keyed = out[o]
                    key = next(k for k in keyed if k == relation)  # the graph's own string
                    yield s, o, key, keyed[key]
            return
        for s in sorted(succ):
            out = succ[s]
            for o in sorted(out):
                keyed = out[o]
                for key in sorted(keyed):
                    yield s, o, key, keyed[key]

    # networkx's raw dicts, for exporters that walk every node's neighbourhood: its views
    # (graph.nodes[n], out_edges(n, keys=True)) cost more per call than the work done with them.
    @property
    def node_data(self) -> dict[str, dict[str, Any]]:
        return self.graph._node  # type: ignore[attr-defined,no-any-return]

    @property
    def succ(self) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
        """node → successor → relation → edge data."""
        return self.graph._succ  # type: ignore[attr-defined,no-any-return]

    @property
    def pred(self) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
        return self.graph._pred  # type: ignore[attr-defined,no-any-return]

    def shape(self) -> tuple[int, int, int]:
        """Nodes, linked pairs and patches: what tells work kept for a store that it has changed
        since. networkx's number_of_edges walks every edge (0.24 s at 10k articles); a patch
        (kg/patch.py) may leave both counts as they were."""
        return len(self.node_data), sum(map(len, self.succ.values())), self.patches

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes by type and edges by relation (over networkx's raw dicts: its views took 0.18 s
        a call at 10k articles, and the report, the explorer and two RDF formats ask); worked
        out once for each ``shape``, as the store keys are (0.1 s a call over raw dicts)."""
        shape = self.shape()
        if self._counts is None or self._counts[0] != shape:
            nodes = Counter(data["type"] for data in self.node_data.values())
            edges: Counter[str] = Counter()
            for out in self.succ.values():
                for keyed in out.values():
                    edges.update(keyed.keys())
            found = {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}
            self._counts = (shape, found)
        return {kind: dict(counted) for kind, counted in self._counts[1].items()}

    def label(self, node: str) -> str:
        return str(self.node_data[node].get("label", node))
