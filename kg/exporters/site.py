"""The explorer's data: how each node is drawn and where, the facts and sentences a page
carries, and which shard file holds it. html.py renders the pages from these."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, TypeVar

from kg.evidence import EvidenceRecord
from kg.exporters.jsontext import Encoded, assemble, encoded, json_text, quoted_id
from kg.exporters.layout import radial, spring_rows
from kg.exporters.members import PAGE_TYPES, anchor
from kg.exporters.sections import StoreKeys, digest
from kg.model import NodeType, Relation
from kg.relations import SPECS
from kg.store import GraphStore, article_node
from kg.tenures import Tenure, TenureRow, labelled, table_order

ARTICLE_PREFIX = article_node("")  # an article's node is this and its id

MAX_WHOLE_NODES = 1500
# A post seen in 600 articles has 600 sentences behind it: a page carries the first few, and
# where the rest are (article, offsets), which open the article page with the sentence marked.
# Otherwise every holder's page would carry all 600 sentences.
EVIDENCE_SHOWN = 5
STYLE: dict[str, tuple[str, str, str]] = {  # type → (colour, shape, legend label)
    NodeType.PERSON: ("#e4572e", "dot", "人物 person"),
    NodeType.ORGANISATION: ("#2e86ab", "square", "机构 organisation"),
    NodeType.POST: ("#f3a712", "diamond", "职务 post"),
    NodeType.MEETING: ("#6a4c93", "star", "会议 meeting"),
    NodeType.TARGET: ("#29bf12", "triangle", "目标 target"),
    NodeType.DOCUMENT: ("#8d6a9f", "box", "文件 document"),
    NodeType.ARTICLE: ("#9e9e9e", "ellipse", "文章 article"),
}
RELATION_LABELS = {str(r): spec.label for r, spec in SPECS.items()}  # kg/relations.py
TITLE = "医疗会议知识图谱 Hospital meeting knowledge graph"


ENTITY_PAGE = "entity.html"
SHARD_PAGES = 64  # about this many pages' data to a shard file, at most


def page_link(node: str) -> str:
    """An entity's page, relative to views/."""
    return f"{ENTITY_PAGE}#{node}"


def shard_chars(pages: int) -> int:
    """How many leading hex digits of the id name a shard: the fewest that keep shards small."""
    chars = 1
    while pages > SHARD_PAGES * 16**chars:
        chars += 1
    return chars


_NOT_HEX = re.compile(r"[^0-9a-f]")


def shard_of(node: str, chars: int) -> str:
    """The shard holding a page's data: the first hex digits of its id (view.js does the same)."""
    return _NOT_HEX.sub("_", node.rsplit("/", 1)[-1][:chars])


# Below this, float.__repr__ writes a number of one decimal as "%.1f" does (no exponent).
_PLAIN = 1e15


def node_size(degree: int) -> int:
    """Drawn size grows with the log of the degree: an organisation with 2,000 facts stands out
    from one with 20 without filling the screen."""
    return 8 + round(6 * math.log2(1 + degree))


def display_label(store: GraphStore, node: str) -> str:
    """The label that tells a node apart wherever it is listed: a thousand meetings are called
    工作会议 and two thousand posts 院长, so a meeting is "name · organiser · date" and a post
    "title · organisation"."""
    data = store.node_data[node]
    label: str = data["label"]
    kind = data["type"]
    if kind == NodeType.MEETING:
        parts = [label, *(store.label(o) for o in label_sources(store, node)), data.get("date", "")]
        return " · ".join(p for p in parts if p)
    if kind == NodeType.POST:
        return " · ".join([label, *(store.label(o) for o in label_sources(store, node))])
    return label


COMPOSED = frozenset((NodeType.MEETING, NodeType.POST))  # display_label adds to their labels


def label_sources(store: GraphStore, node: str) -> list[str]:
    """The other node whose label ``display_label`` shows: a meeting's organiser, a post's
    organisation (the first by id); none for the rest."""
    kind = store.node_data[node]["type"]
    if kind == NodeType.MEETING:
        return sorted(s for s, keyed in store.pred[node].items() if Relation.HELD in keyed)[:1]
    if kind == NodeType.POST:
        return sorted(o for o, keyed in store.succ[node].items() if Relation.POST_IN in keyed)[:1]
    return []


STYLES = {kind: {"color": colour, "shape": shape} for kind, (colour, shape, _) in STYLE.items()}


@dataclass(frozen=True, slots=True)
class PageData:
    """One page's data, already JSON: assembled from fragments each node and fact encodes once."""

    json: Encoded
    cited: frozenset[str] = frozenset()  # the articles whose title, date and source it lists

    def data(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.json)
        return parsed


class Site:
    """What every page of one export shares, computed once: degrees, article titles, page names,
    and the JSON of every node, fact and sentence, which a busy node's pages repeat thousands of
    times (encoding them per page was most of the export)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        # The latest nodes' JSON and facts read more than once (fact_json, as tuples), RECENT of
        # each: a busy node's are asked for page after page, most nodes' on a page or two, and
        # every one kept was 300 MB at 100k articles.
        self._meta: OrderedDict[str, Encoded] = OrderedDict()
        self._labels: dict[str, str] = {}
        self._facts: OrderedDict[tuple[str, str, str], FactJson] = OrderedDict()
        self._brief: dict[tuple[str, str, str], Encoded] = {}  # whole-graph facts past EVIDENCE_SHOWN
        self._label_sources: dict[str, list[str]] = {}
        self._listings: dict[str, tuple[str, Encoded, Encoded]] = {}  # kept only when carried
        self._bounded = True  # RECENT of each, let go by ``forget``; else every one (``carry_over``)

    # What every page reads of the whole store, worked out when first asked, unless taken from
    # the last Site (``carry_over``) with the change's nodes worked out again.
    @cached_property
    def degree(self) -> dict[str, int]:
        return {node: _degree(self.store, node) for node in self.store.node_data}

    @cached_property
    def articles(self) -> dict[str, Encoded]:
        """[title, published, source URL] of each article, as a page's articles object lists them."""
        return {data["identifier"]: _article_entry(data) for _, data in self.store.nodes(NodeType.ARTICLE)}

    @cached_property
    def article_nodes(self) -> dict[str, str]:
        """Article id → its node's name, the store's own string: what each page's key says it
        read is kept for every page until the next build (one new string a cited article a page
        was 10 MB at 10k articles)."""
        return {data["identifier"]: node for node, data in self.store.nodes(NodeType.ARTICLE)}

    @cached_property
    def pages(self) -> dict[str, str]:
        return entity_pages(self.store)

    @property
    def shard_chars(self) -> int:
        """How many leading hex digits name an entity's shard (``shard_chars``)."""
        return shard_chars(len(self.pages))

    @property
    def article_chars(self) -> int:
        return shard_chars(len(self.articles))

    def carry_over(self, keys: StoreKeys) -> None:
        """Keep every node's and fact's JSON this Site makes, for the next Site of a store patched
        from this one (a resident process: ``carrying``), and take the last one's where the change
        since then did not reach: a fact with an end it did not touch has the data it had (the
        store's keys say so: kg/rekey.py), and a node's JSON is its data and its label sources'
        labels. A 1 % rebuild of 10k articles then encodes the facts of the touched nodes, not
        the 135,000 of every page it renders again."""
        self._bounded = False
        last = _CARRIED[0] if _CARRIED else None
        change = keys.change
        if last is None or change is None or not change.in_this_process or change.since != last.generation:
            return
        # Its dicts are this Site's from here on, what the change reached taken out of them, found
        # from the change's nodes and their neighbours rather than by a walk of every entry (of
        # a 1 % rebuild of 10k articles: 0.16 s to 0.11 s alone, 1.0 s to 0.4 s while the RDF
        # formats' forked worker runs beside it).
        _CARRIED.clear()
        touched = change.touched  # the nodes it reached that the store holds
        store, node_data, succ, pred = self.store, self.store.node_data, self.store.succ, self.store.pred
        gone = [n for n in change.resectioned if n not in node_data]
        # A node the change did not reach has its edges as they were (an edge made or let go has
        # both ends among the touched): it reads something changed only through a touched
        # neighbour, the same one in the last store as in this.
        reached = (*touched, *gone)
        around = set(reached)
        for node in touched:
            around.update(succ[node])
            around.update(pred[node])
        self.degree = last.degree
        self.articles, self.article_nodes, self.pages = last.articles, last.article_nodes, last.pages
        for node in gone:
            self.degree.pop(node, None)
            self.pages.pop(node, None)
        for node in reached:
            identifier = node.removeprefix(ARTICLE_PREFIX)
            if identifier != node and self.article_nodes.get(identifier) == node:
                del self.articles[identifier], self.article_nodes[identifier]
        for node in touched:
            data = node_data[node]
            self.degree[node] = _degree(store, node)
            if data["type"] == NodeType.ARTICLE:
                self.articles[data["identifier"]] = _article_entry(data)
                self.article_nodes[data["identifier"]] = node
            elif data["type"] in PAGE_TYPES:
                self.pages[node] = page_link(node)
            else:
                self.pages.pop(node, None)

        self._label_sources = last.label_sources
        for node in reached:
            self._label_sources.pop(node, None)

        def kept(node: str) -> bool:
            if node in touched or node not in node_data:
                return False
            return not any(source in touched for source in self.label_sources(node))

        self._labels, self._meta, self._listings = last.labels, last.meta, last.listings
        for node in around:
            if not kept(node):
                self._labels.pop(node, None)
                self._meta.pop(node, None)
            # A listing reads its node's neighbours (an owner's id, a post's organisation's
            # name) and a target's meetings' organisers, whose edges are theirs.
            if (
                node not in node_data
                or node in touched
                or not (touched.isdisjoint(succ[node]) and touched.isdisjoint(pred[node]))
            ):
                self._listings.pop(node, None)
        # An edge is in both its ends' digests: one end the change did not touch vouches for it.
        # Those between two touched nodes are in this store, or were let go (made again: the
        # patch's pairs).
        self._facts, self._brief = last.facts, last.brief
        stale: list[tuple[str, str, str]] = []
        for node in touched:
            for other, keyed in succ[node].items():
                if other in touched:
                    stale.extend((node, other, relation) for relation in keyed)
        if change.remade is None:
            stale.extend(
                k for k in self._facts.keys() | self._brief.keys() if k[0] in touched and k[1] in touched
            )
        else:
            stale.extend((s, o, str(relation)) for s, o in change.remade for relation in Relation)
        for key in stale:
            self._facts.pop(key, None)
            self._brief.pop(key, None)

    def fill(self) -> None:
        """Every node's and fact's JSON, and its listing, made now (a resident process, before its
        first rebuild)."""
        for node, data in self.store.nodes():
            if data["type"] != NodeType.ARTICLE:
                self.meta_json(node)
                self.listing(node)
        for s, out in self.store.succ.items():
            for o, keyed in out.items():
                for relation, data in keyed.items():
                    self.fact_json(s, o, relation, data)

    def listing(self, node: str) -> tuple[str, Encoded, Encoded]:
        """How the whole graph's search index lists a node it does not draw: the entity whose
        page shows it ("" for its own page, or none), ``[id, label`` as JSON, its aliases' JSON."""
        found = self._listings.get(node)
        if found is None:
            store = self.store
            owner = "" if node in self.pages else anchor(store, node)
            head = Encoded(json_text([node, self.label(node)])[:-1])
            found = (owner, head, encoded(store.node_data[node].get("aliases", [])))
            if not self._bounded:
                self._listings[node] = found
        return found

    def hand_over(self, keys: StoreKeys) -> None:
        """What this Site made, kept for the next (``carry_over``) as made from ``keys``' store."""
        _CARRIED[:] = [
            _Carried(
                keys.generation,
                self._meta,
                self._labels,
                self._label_sources,
                self._facts,
                self._brief,
                self._listings,
                self.degree,
                self.articles,
                self.article_nodes,
                self.pages,
            )
        ]

    def settings(self, base: str) -> dict[str, Any]:
        """What every page's script knows beside its data (KG_PAGE): where views/ is from the
        page, how shard files are named, how each type is drawn and called, each relation's label."""
        return {
            "base": base,
            "shardChars": self.shard_chars,
            "articleChars": self.article_chars,
            "styles": STYLES,
            "typeLabels": {kind: label for kind, (_, _, label) in STYLE.items()},
            "relations": RELATION_LABELS,
        }

    def node_json(self, node: str, x: float, y: float) -> Encoded:
        """[id, x, y, size]: the label, colour, shape and tooltip come from the node's meta and
        type (a 10k corpus draws nodes 460,000 times over its pages)."""
        size = node_size(self.degree.get(node, 0))
        if type(x) is float and type(y) is float and abs(x) < _PLAIN and abs(y) < _PLAIN:
            # As the encoder writes round(x, 1) (float.__repr__), without either call: 30 nodes
            # a page. Both round the exact binary value half to even (tested).
            return Encoded(f"[{quoted_id(node)},{x:.1f},{y:.1f},{size}]")
        return encoded([node, round(x, 1), round(y, 1), size])

    def label(self, node: str) -> str:
        """``display_label``, kept for the nodes whose label it composes (meetings and posts):
        the rest are their store label, and an entry for each was 50 MB at 100k articles."""
        found = self._labels.get(node)
        if found is None:
            data = self.store.node_data[node]
            if data["type"] not in COMPOSED:
                return str(data["label"])
            found = self._labels[node] = display_label(self.store, node)
        return found

    def meta_json(self, node: str) -> Encoded:
        """[type, label, date, aliases, name]: ``label`` tells it apart (``display_label``),
        ``name`` is what the text writes where that differs; empty trailing fields left off."""
        found = self._meta.get(node)
        if found is None:
            data = self.store.node_data[node]
            label = self.label(node)
            fields = [
                data["type"],
                label,
                data.get("date", ""),
                data.get("aliases", []),
                data["label"] if data["label"] != label else "",
            ]
            while not fields[-1]:
                fields.pop()
            found = encoded(fields)
            _remember(self._meta, node, found, self._bounded)
        return found

    def fact_json(
        self, s: str, o: str, relation: str, data: dict[str, Any], *, briefly: bool = False
    ) -> FactJson:
        """[subject, object, relation, date, place, evidence], evidence being every sentence the
        fact was read from as [sentence, article, start, end, rule]; past the first
        ``EVIDENCE_SHOWN`` the sentence is -1 and the page links the article page at those
        offsets instead. ``briefly`` (the whole graph, whose nodes' pages list them all): only
        the first ``EVIDENCE_SHOWN``, and the count of them all as a seventh field where there
        are more. Returned with the sentences it cites (id and JSON) and the articles."""
        key = (s, o, relation)
        count = len(data["evidence"])
        found = self._facts.get(key)
        if found is None:
            records = list(data["evidence"])  # a packed edge's records are made as read: once
            quoted = tuple(sentence_entry(e.sentence) for e in records[:EVIDENCE_SHOWN])
            evidence = _evidence(records, quoted)
            found = (
                encoded([s, o, relation, fact_date(data), data.get("place", ""), evidence]),
                quoted,
                tuple({e.article: None for e in records[:EVIDENCE_SHOWN]}),
            )
            # Kept when read more than once: a fact of one sentence is cheap to encode again, and
            # keeping them all was 60 MB at 10k articles (600 MB at 100k) for 10% of the export.
            if count > 1 or not self._bounded:
                _remember(self._facts, key, found, self._bounded)
        text, sentences, articles = found
        if briefly and count > EVIDENCE_SHOWN:
            if key not in self._brief:
                shown = _evidence(data["evidence"][:EVIDENCE_SHOWN], sentences)
                self._brief[key] = encoded(
                    [s, o, relation, fact_date(data), data.get("place", ""), shown, count]
                )
            text = self._brief[key]
        return text, sentences, articles

    def edges_among(self, members: set[str]) -> list[tuple[str, str, str, dict[str, Any]]]:
        succ = self.store.succ
        found: list[tuple[str, str, str, dict[str, Any]]] = []
        for s in members:
            out = succ[s]
            # An organisation has thousands of successors and a person's page a dozen members:
            # walk whichever is smaller, or every page pays for the busiest node on it.
            ends = (
                (o for o in members if o in out)
                if len(out) > len(members)
                else (o for o in out if o in members)
            )
            found.extend((s, o, k, d) for o in ends for k, d in out[o].items())
        return sorted(found, key=lambda e: (e[0], e[1], e[2]))

    def page_reads(self, members: set[str], data: PageData, focus: str) -> set[str]:
        """What an entity page's data (``page_data(members, members, focus)``, with the focus's
        tenures, which its members' edges make) read, as ``PageInputs`` names it: the focus whole
        (its edges say who the members are), the members, whose edges make its facts and
        layout, the nodes their labels name, and the nodes of the articles whose titles it lists."""
        named = {n for m in members for n in self.label_sources(m)}
        return {focus + FOCUS, *members, *named, *(self.article_node(a) for a in data.cited)}

    def article_node(self, article: str) -> str:
        return self.article_nodes.get(article) or article_node(article)

    def forget(self) -> None:
        """Let go of what the pages kept (nodes' JSON, facts, labels, sentences): worked out
        again if asked, the same. For the whole-graph page, made after the views, which reads
        few of them; held through it, they were 100 MB at 100k articles."""
        if not self._bounded:
            return  # kept for the next build (``carry_over``)
        self._meta.clear()
        self._facts.clear()
        self._labels.clear()
        self._label_sources.clear()
        sentence_entry.cache_clear()

    def label_sources(self, node: str) -> list[str]:
        """``label_sources``, worked out once a meeting or post: pages, article records and rows
        ask (the other nodes have none)."""
        if self.store.node_data[node]["type"] not in COMPOSED:
            return []
        found = self._label_sources.get(node)
        if found is None:
            found = self._label_sources[node] = label_sources(self.store, node)
        return found

    def page_data(
        self,
        members: Iterable[str],
        drawn: set[str],
        focus: str = "",
        extra: dict[str, Any] | None = None,
        *,
        briefly: bool = False,
    ) -> PageData:
        """What one page's script reads: drawn nodes with positions, and every member's facts;
        ``extra``: more members of the top-level object (the whole graph's search index).
        ``briefly``: each fact with its first few evidence records and their count (the
        whole graph, whose nodes' pages list them all)."""
        store = self.store
        members = set(members)
        positions = radial(store, drawn, focus) if focus else spring_rows(store, drawn)
        nodes = [self.node_json(n, *positions[n]) for n in sorted(drawn)]
        # Each fact once, each sentence once: an attendance list of thirty names is one sentence
        # backing thirty facts, and every fact is shown from both of its ends (view.js indexes
        # each node's facts; relation labels and entity page names it knows already).
        facts: list[Encoded] = []
        sentences: dict[str, Encoded] = {}
        cited: set[str] = set()
        for s, o, relation, data in self.edges_among(members):
            text, quoted, articles = self.fact_json(s, o, relation, data, briefly=briefly)
            facts.append(text)
            sentences.update(quoted)
            cited.update(articles)
        page = {
            "nodes": nodes,
            "meta": {n: self.meta_json(n) for n in sorted(members)},
            "facts": facts,
            "sentences": {i: sentences[i] for i in sorted(sentences)},
            "articles": {a: self.articles[a] for a in sorted(cited) if a in self.articles},
            **(extra or {}),
        }
        return PageData(assemble(page), frozenset(cited))


FOCUS = "#page"  # PageInputs: a page's focus, read whole (ids never hold a "#")
# Read whole wherever they are on a page: every fact among a page's members has one of them, or
# the page's focus, at an end (tested). A change elsewhere at another member (a holder's meeting
# at another hospital) shows on the page only in that member's description or drawn size.
READ_WHOLE = frozenset((NodeType.POST, NodeType.MEETING))


class PageInputs(Mapping[str, bytes]):
    """What entity pages read of each node, for ``Unchanged``: a post or meeting (or a page's
    focus, named ``node + FOCUS``) whole, by its digest; any other node by its description and
    the size it is drawn at. An organisation's page then keeps its key when its holders attend
    other meetings, which changes their digests but nothing the page shows."""

    def __init__(self, site: Site, keys: StoreKeys) -> None:
        self._site, self._keys = site, keys

    def __getitem__(self, name: str) -> bytes:
        keys = self._keys
        if name.endswith(FOCUS):
            return keys.digests[name[: -len(FOCUS)]]
        if self._site.store.node_data[name]["type"] in READ_WHOLE:
            return keys.digests[name]
        size = node_size(self._site.degree.get(name, 0))
        return digest(keys.descriptions[name] + size.to_bytes(4, "little"))

    def __iter__(self) -> Iterator[str]:
        yield from self._keys.digests
        yield from (node + FOCUS for node in self._site.pages)

    def __len__(self) -> int:
        return len(self._keys.digests) + len(self._site.pages)


def _evidence(records: Sequence[EvidenceRecord], quoted: Sequence[tuple[str, Encoded]]) -> list[list[Any]]:
    """[sentence, article, start, end, rule] of each record: the number of its sentence (of
    ``quoted``, the first ``EVIDENCE_SHOWN`` records' sentences) for the first, -1 past them."""
    return [
        [quoted[i][0] if i < EVIDENCE_SHOWN else -1, e.article, e.start, e.end, e.rule]
        for i, e in enumerate(records)
    ]


RECENT = 1 << 14
K = TypeVar("K")
V = TypeVar("V")


def _remember(cache: OrderedDict[K, V], key: K, value: V, bounded: bool = True) -> None:
    cache[key] = value
    if bounded and len(cache) > RECENT:
        cache.popitem(last=False)


FactJson = tuple[Encoded, tuple[tuple[str, Encoded], ...], tuple[str, ...]]  # Site.fact_json


@dataclass(slots=True)
class _Carried:
    """What one export's Site made, for the next export of a store patched from its store."""

    generation: int  # of the store keys it was made with (StoreKeys.generation)
    meta: OrderedDict[str, Encoded]
    labels: dict[str, str]
    label_sources: dict[str, list[str]]
    facts: OrderedDict[tuple[str, str, str], FactJson]
    brief: dict[tuple[str, str, str], Encoded]
    listings: dict[str, tuple[str, Encoded, Encoded]]
    degree: dict[str, int]
    articles: dict[str, Encoded]
    article_nodes: dict[str, str]
    pages: dict[str, str]


def _degree(store: GraphStore, node: str) -> int:
    """Its edges in and out, as networkx's MultiDiGraph.degree counts them (a loop twice)."""
    return sum(len(keyed) for keyed in store.succ[node].values()) + sum(
        len(keyed) for keyed in store.pred[node].values()
    )


def _article_entry(data: Mapping[str, Any]) -> Encoded:
    return encoded([data["label"], data.get("published", ""), data.get("source", "")])


# The last export's, in a process that carries them (``carrying``): nothing otherwise, since a
# build's Site keeps RECENT of each (every one was 300 MB at 100k articles).
_CARRIED: list[_Carried] = []
_CARRYING = [False]


@contextmanager
def carrying() -> Iterator[None]:
    """Within: each explorer export hands what its Site made to the next (``Site.carry_over``)."""
    _CARRYING[0] = True
    try:
        yield
    finally:
        _CARRYING[0] = False
        _CARRIED.clear()


def carries() -> bool:
    return _CARRYING[0]


@lru_cache(maxsize=1 << 14)
def sentence_entry(sentence: str) -> tuple[str, Encoded]:
    """A sentence's id on every page, and its JSON. The id is from its text alone (64 bits of
    its digest), so that a page's data does not change when other articles come or go. The
    recently asked are kept (a roll call is one sentence behind thirty facts); every sentence
    of every page, kept, was most of the explorer's working set at 100k articles."""
    raw = hashlib.blake2b(sentence.encode("utf-8"), digest_size=8).digest()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="), encoded(sentence)


def fact_date(data: dict[str, Any]) -> str:
    """A meeting's date; for a holding, its tenures' span as an ISO 8601 interval ("start/end",
    either side empty where unknown or still open), which the page's date filter reads too."""
    tenures = data.get("tenures")
    if tenures:
        return f"{tenures[0]['start']}/{tenures[-1]['end']}"
    return str(data.get("date", ""))


def tenures_of(store: GraphStore, node: str) -> list[list[Any]]:
    """An organisation's or a person's tenures as its page lists them, in kg timeline's order:
    [post, person id, person, organisation, from, to, ended by, last seen, evidence count]. A
    post's organisation is the last of its organisations by id, as ``tenure_rows`` has it; an
    organisation lists the holders of its posts. Worked out for the pages rendered only (every
    node's, 0.35 s of a rebuild of 10k articles, for the few pages a change reaches)."""
    succ, pred = store.succ, store.pred
    kind = store.node_data[node]["type"]
    if kind == NodeType.PERSON:
        holdings = [(node, post) for post in sorted(succ[node]) if Relation.HOLDS in succ[node][post]]
    elif kind == NodeType.ORGANISATION:
        posts = [
            p for p, keyed in pred[node].items() if Relation.POST_IN in keyed and _post_org(store, p) == node
        ]
        holdings = sorted((h, p) for p in posts for h, keyed in pred[p].items() if Relation.HOLDS in keyed)
    else:
        return []
    found = [
        (labelled(store, TenureRow(holder, post, _post_org(store, post), Tenure(**t))), holder)
        for holder, post in holdings
        for t in succ[holder][post][Relation.HOLDS].get("tenures", [])
    ]
    return [
        [
            row.post,
            person,
            row.person,
            row.organisation,
            t.start,
            t.end,
            t.end_by,
            t.last_seen,
            t.observations,
        ]
        for row, person in sorted(found, key=lambda pair: table_order(pair[0]))
        for t in (row.tenure,)
    ]


def _post_org(store: GraphStore, post: str) -> str:
    out = store.succ[post]
    return max((o for o, keyed in out.items() if Relation.POST_IN in keyed), default="")


def entity_pages(store: GraphStore) -> dict[str, str]:
    """Node → its page (relative to views/), for every organisation and person."""
    return {node: page_link(node) for node, data in store.nodes() if data["type"] in PAGE_TYPES}
