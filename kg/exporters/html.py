"""graph.html, index.html and views/: an explorer that opens from files with no network.

- graph.html: the whole graph, self-contained (vis-network inlined). Past
  ``MAX_WHOLE_NODES`` it draws the best-connected nodes and says so; search finds every
  node, and one not drawn links to the page that shows it.
- views/entity.html#<node id>: one page per organisation (its posts and people, meetings,
  targets, documents) and per person (posts, organisations, meetings). One page reads the
  entity's data from views/data/<shard>.js (a script, so it loads from file://), so a
  province's 80,000 people are a few thousand data files rather than 80,000 pages.
- index.html: every organisation and person with counts, linked to their pages.

vis-network comes from the copy the pyvis package ships, so nothing is fetched. Node and
edge records are built here rather than through pyvis' ``add_node``/``add_edge``, which
check for duplicates by scanning a list (quadratic: 20k nodes take seconds). Positions
are computed in Python (networkx, seeded) and physics is off, so a page is still at once
and the same every build.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from kg.exporters.atomic import replace_folder, write_text
from kg.model import NodeType, Relation
from kg.relations import SPECS
from kg.store import GraphStore

MAX_WHOLE_NODES = 1500
# A post seen in 600 articles has 600 sentences behind it; a page shows the first few and the
# count (the exports keep them all). Otherwise every holder's page would carry all 600.
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


def _templates() -> Path:
    return Path(str(resources.files("kg.exporters").joinpath("templates")))


@cache
def _vis_assets() -> dict[str, str]:
    import pyvis  # only for the vis-network files it ships

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return {
        "vis-network.min.js": (lib / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis-network.css": (lib / "vis-network.css").read_text(encoding="utf-8"),
    }


@cache  # one environment, so each template compiles once however many pages
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(_templates())), autoescape=select_autoescape(["html", "j2"])
    )


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


def _layout(store: GraphStore, nodes: set[str]) -> dict[str, tuple[float, float]]:
    """Spring layout per connected component, components packed in rows, largest first."""
    # Nodes and edges inserted in sorted order: spring_layout's start depends on the order, and
    # a set's order changes from run to run (string hashing is salted per process).
    g: nx.Graph[str] = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_edges_from(sorted((s, o) for s in nodes for o in store.succ[s] if o in nodes))
    components = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    positions: dict[str, tuple[float, float]] = {}
    row_width = 2600.0
    x = y = row_height = 0.0
    for component in components:
        radius = 45.0 * len(component) ** 0.5 + 30.0
        local: dict[str, Any] = {component[0]: (0.0, 0.0)}
        if len(component) > 1:
            iterations = 50 if len(component) < 500 else 25
            sub: nx.Graph[str] = nx.Graph()
            sub.add_nodes_from(component)  # sorted
            sub.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in g.subgraph(component).edges()))
            local = nx.spring_layout(sub, seed=7, iterations=iterations)
        if x + 2 * radius > row_width and x > 0:
            x, y, row_height = 0.0, y + row_height + 60.0, 0.0
        for node, (px, py) in local.items():
            positions[node] = (x + radius + float(px) * radius, y + radius + float(py) * radius)
        x += 2 * radius + 60.0
        row_height = max(row_height, 2 * radius)
    return positions


def _radial_layout(store: GraphStore, nodes: set[str], focus: str) -> dict[str, tuple[float, float]]:
    """An ego view: the focus in the middle, each further step out on a wider ring."""
    # Breadth-first over the store's own adjacency: a networkx subgraph copy per page cost
    # more than the rest of the page.
    succ, pred = store.succ, store.pred
    depth = {focus: 0}
    frontier = [focus]
    while frontier:
        following = []
        for node in frontier:
            near = (succ[node], pred[node])
            if len(near[0]) + len(near[1]) > len(nodes):  # a busy node: look from the page's side
                around = [n for n in nodes if n in near[0] or n in near[1]]
            else:
                around = [n for n in (*near[0], *near[1]) if n in nodes]
            for other in around:
                if other not in depth:
                    depth[other] = depth[node] + 1
                    following.append(other)
        frontier = following
    rings: dict[int, list[str]] = {}
    for node in sorted(nodes, key=lambda n: (depth.get(n, 99), store.node_data[n]["type"], n)):
        rings.setdefault(depth.get(node, 99), []).append(node)
    positions: dict[str, tuple[float, float]] = {}
    for level, ring in rings.items():
        radius = 0.0 if level == 0 else 170.0 * min(level, 6) + 6.0 * len(ring)
        for i, node in enumerate(ring):
            angle = 2 * math.pi * i / len(ring) + 0.35 * level
            positions[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions


def _draw(store: GraphStore, node: str, degree: int) -> dict[str, Any]:
    """How a node is drawn, less what view.js adds from its type (colour, shape: ``STYLES``) and
    its meta (the tooltip): a 10k corpus draws nodes 460,000 times over its pages."""
    data = store.node_data[node]
    label = data["label"]
    return {
        "label": label if len(label) <= 18 else label[:17] + "…",
        "size": 10 + 3 * min(degree, 10),
        "ntype": data["type"],
    }


STYLES = {kind: {"color": colour, "shape": shape} for kind, (colour, shape, _) in STYLE.items()}


@dataclass(frozen=True, slots=True)
class PageData:
    """One page's data, already JSON: assembled from fragments each node and fact encodes once."""

    json: str

    def data(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.json)
        return parsed


class Site:
    """What every page of one export shares, computed once: degrees, article titles, page names,
    and the JSON of every node, fact and sentence, which a busy node's pages repeat thousands of
    times (encoding them per page was most of the export)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.degree: dict[str, int] = dict(store.graph.degree())
        # "id":{"title":…,"published":…}, as the articles object of a page lists them
        self.articles = {
            data["identifier"]: _json(data["identifier"])
            + ":"
            + _json({"title": data["label"], "published": data.get("published", "")})
            for _, data in store.nodes(NodeType.ARTICLE)
        }
        self.pages = entity_pages(store)
        self.sentence_ids: dict[str, int] = {}  # sentence → its number, in the order edges are sorted
        for _, _, _, data in store.edges():
            for e in data["evidence"]:
                self.sentence_ids.setdefault(e["sentence"], len(self.sentence_ids))
        self.sentences = [_json(text) for text in self.sentence_ids]  # numbered in insertion order
        self._meta: dict[str, str] = {}
        self._draw_tail: dict[str, str] = {}  # a drawn node's JSON after its id and position
        # Every fact of a 10k corpus ends up here: tuples, not lists and sets.
        self._facts: dict[tuple[str, str, str], tuple[str, tuple[int, ...], tuple[str, ...]]] = {}

    def node_json(self, node: str, x: float, y: float) -> str:
        """{"id":…,"x":…,"y":…, and how it is drawn}: the drawing part encoded once per node."""
        tail = self._draw_tail.get(node)
        if tail is None:
            tail = self._draw_tail[node] = _json(_draw(self.store, node, self.degree.get(node, 0)))[1:]
        return f'{{"id":{_quote(node)},"x":{round(x, 1)!r},"y":{round(y, 1)!r},{tail}'

    def meta_json(self, node: str) -> str:
        if node not in self._meta:
            data = self.store.node_data[node]
            self._meta[node] = _json(
                {
                    "label": data["label"],
                    "aliases": data.get("aliases", []),
                    "type": data["type"],
                    "typeLabel": STYLE[data["type"]][2],
                    "date": data.get("date", ""),
                }
            )
        return self._meta[node]

    def fact_json(
        self, s: str, o: str, relation: str, data: dict[str, Any]
    ) -> tuple[str, tuple[int, ...], tuple[str, ...]]:
        """[subject, object, relation, date, place, [[sentence, article, start, end, rule] …]],
        with the sentences and articles it cites."""
        key = (s, o, relation)
        if key not in self._facts:
            shown = data["evidence"][:EVIDENCE_SHOWN]
            evidence = [
                [self.sentence_ids[e["sentence"]], e["article"], e["start"], e["end"], e["rule"]]
                for e in shown
            ]
            total = len(data["evidence"])
            self._facts[key] = (
                _json([s, o, relation, data.get("date", ""), data.get("place", ""), evidence, total]),
                tuple(ev[0] for ev in evidence),
                tuple({e["article"]: None for e in shown}),
            )
        return self._facts[key]

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

    def page_data(
        self, members: Iterable[str], drawn: set[str], focus: str = "", extra: Iterable[str] = ()
    ) -> PageData:
        """What one page's script reads: drawn nodes with positions, and every member's facts.

        ``extra``: more JSON members of the top-level object, already encoded (``"index":[…]``).
        """
        store = self.store
        members = set(members)
        positions = _radial_layout(store, drawn, focus) if focus else _layout(store, drawn)
        nodes = [self.node_json(n, *positions[n]) for n in sorted(drawn)]
        # Each fact once, each sentence once: an attendance list of thirty names is one sentence
        # backing thirty facts, and every fact is shown from both of its ends.
        facts: list[str] = []
        details: dict[str, list[int]] = {}
        sentences: set[int] = set()
        cited: set[str] = set()
        relations: set[str] = set()
        for s, o, relation, data in self.edges_among(members):
            text, sentence_ids, articles = self.fact_json(s, o, relation, data)
            facts.append(text)
            sentences.update(sentence_ids)
            cited.update(articles)
            relations.add(relation)
            details.setdefault(s, []).append(len(facts) - 1)
            details.setdefault(o, []).append(len(facts) - 1)
        labels = {r: RELATION_LABELS.get(r, r) for r in sorted(relations)}
        parts = [
            '{"nodes":[',
            ",".join(nodes),
            '],"meta":{',
            ",".join(f"{_quote(n)}:{self.meta_json(n)}" for n in sorted(members)),
            '},"facts":[',
            ",".join(facts),
            '],"sentences":{',
            ",".join(f'"{i}":{self.sentences[i]}' for i in sorted(sentences)),
            '},"details":',
            _json(details),
            ',"relations":',
            _json(labels),
            ',"articles":{',
            ",".join(self.articles[a] for a in sorted(cited) if a in self.articles),
            '},"pages":',
            _json({n: self.pages[n] for n in sorted(members) if n in self.pages}),
            *("," + part for part in extra),
            "}",
        ]
        return PageData("".join(parts))


@lru_cache(maxsize=1 << 18)
def _quote(node: str) -> str:
    """A node id as a JSON string: ids are type/hex, so mostly no encoder is needed."""
    return (
        f'"{node}"'
        if node.isascii() and node.isprintable() and not _NEEDS_ESCAPE & set(node)
        else _json(node)
    )


_NEEDS_ESCAPE = frozenset('"\\<')


# One encoder for every call: json.dumps with options builds a new one each time, which cost
# more than encoding a page's small objects.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json(value: Any) -> str:
    # Key order is the order the records were built in, which is sorted and the same every build.
    # Inside <script>, "</script", "<!--" and "<script" all change how the HTML parser reads on:
    # no "<" at all (\u003c is the same character to JSON and JavaScript).
    return _ENCODER.encode(value).replace("<", "\\u003c")


_SLOTS = ("title", "notice", "page_json", "data_json")


@cache
def _skeleton(inline: bool, links: tuple[tuple[str, str], ...]) -> str:
    """The page rendered once with a marker in each per-page slot: pages differ only there."""
    assets = _vis_assets() if inline else {}
    static = _templates()
    return (
        _env()
        .get_template("page.html.j2")
        .render(
            inline=inline,
            assets="assets/",
            links=[{"href": href, "text": text} for href, text in links],
            vis_js=assets.get("vis-network.min.js", ""),
            vis_css=assets.get("vis-network.css", ""),
            view_js=(static / "view.js").read_text(encoding="utf-8") if inline else "",
            view_css=(static / "view.css").read_text(encoding="utf-8") if inline else "",
            legend=[
                {"type": t, "colour": c, "label": label}
                for t, (c, _, label) in STYLE.items()
                if t != NodeType.ARTICLE
            ],
            **{slot: Markup(f"\x00{slot}\x00") for slot in _SLOTS},
        )
    )


def render_page(
    data: PageData | None,
    *,
    title: str,
    inline: bool,
    links: list[dict[str, str]],
    page: dict[str, Any],
    notice: str = "",
) -> str:
    """A page; with no ``data``, views/entity.html, which loads its data from the shard the
    URL's hash names."""
    values = {
        "title": str(escape(title)),
        "notice": str(escape(notice)),
        "page_json": _json(page),
        "data_json": data.json if data is not None else "null",
    }
    parts = _skeleton(inline, tuple((link["href"], link["text"]) for link in links)).split("\x00")
    # Every odd part is a slot name: the skeleton's text never holds a NUL of its own.
    return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))


def entity_pages(store: GraphStore) -> dict[str, str]:
    """Node → its page (relative to views/), for every organisation and person."""
    return {
        node: page_link(node)
        for node, data in store.nodes()
        if data["type"] in (NodeType.ORGANISATION, NodeType.PERSON)
    }


def anchor(store: GraphStore, node: str) -> str:
    """The organisation or person whose page shows a node: itself, or the organisation of a
    post, the organiser of a meeting (or of a target's meeting), the publisher of a document."""
    kind = store.node_data[node]["type"]
    if kind in (NodeType.ORGANISATION, NodeType.PERSON):
        return node
    if kind == NodeType.POST:
        found = sorted(_out(store, node, [Relation.POST_IN]))
    elif kind == NodeType.MEETING:
        found = sorted(_in(store, node, [Relation.HELD]))
    elif kind == NodeType.TARGET:
        found = sorted(
            o for m in sorted(_in(store, node, [Relation.SET_TARGET])) for o in _in(store, m, [Relation.HELD])
        )
    elif kind == NodeType.DOCUMENT:
        found = sorted(_out(store, node, [Relation.DOCUMENT]) | _in(store, node, [Relation.DOCUMENT]))
    else:
        found = []
    return found[0] if found else ""


def whole_graph(site: Site, limit: int | None = None) -> tuple[PageData, str]:
    """The whole graph's page data: past ``limit`` nodes, the best-connected drawn with their facts
    among themselves, and every other node in a search index that links to the page showing it.

    Carrying every node's facts made graph.html 80 MB at 10k articles; their pages hold them.
    """
    store = site.store
    limit = MAX_WHOLE_NODES if limit is None else limit
    members = {n for n, d in store.nodes() if d["type"] != NodeType.ARTICLE}
    if len(members) <= limit:
        return site.page_data(members, members), ""
    drawn = set(sorted(members, key=lambda n: (-site.degree.get(n, 0), n))[:limit])
    notice = (
        f"显示连接最多的 {limit:,} 个节点,共 {len(members):,} 个;搜索可找到任一节点及其页面,或从索引打开机构、人物页面。"
        f" Showing the {limit:,} best-connected of {len(members):,} nodes: search finds any other and"
        " the page that shows it, or open an organisation's or person's page from the index."
    )
    # [id, label, type label, page] for every node not drawn; aliases search too.
    index = []
    for node in sorted(members - drawn):
        attrs = store.node_data[node]
        page = site.pages.get(anchor(store, node), "")
        index.append([node, attrs["label"], attrs.get("aliases", []), STYLE[attrs["type"]][2], page])
    # How many of a drawn node's facts reach nodes not drawn: its panel says so and links its page.
    more: dict[str, int] = {}
    for node in sorted(drawn):
        hidden = sum(len(keyed) for o, keyed in store.succ[node].items() if o not in drawn) + sum(
            len(keyed) for o, keyed in store.pred[node].items() if o not in drawn
        )
        if hidden:
            more[node] = hidden
    return site.page_data(drawn, drawn, extra=['"index":' + _json(index), '"more":' + _json(more)]), notice


# An organisation that held hundreds of meetings: its page draws everyone at the latest ones
# only (the rest stay listed as meetings, one click from their people). Pages stay readable,
# and the export stays linear in the corpus rather than growing with each organisation's history.
MEETINGS_IN_FULL = 30


def _out(store: GraphStore, node: str, relations: Iterable[str]) -> set[str]:
    """Successors by these relations (a post's organisation: one, not its hundred holders)."""
    wanted = set(relations)
    return {o for o, keyed in store.succ[node].items() if not wanted.isdisjoint(keyed)}


def _in(store: GraphStore, node: str, relations: Iterable[str]) -> set[str]:
    wanted = set(relations)
    return {s for s, keyed in store.pred[node].items() if not wanted.isdisjoint(keyed)}


_ROLES = (Relation.PRESIDED, Relation.SPOKE, Relation.ATTENDED)


def org_members(store: GraphStore, org: str, in_full: int = MEETINGS_IN_FULL) -> set[str]:
    """An organisation's page: its posts and their holders, meetings (the latest ``in_full``
    with their targets and participants), and the documents it issued."""
    posts = _in(store, org, [Relation.POST_IN])
    meetings = _out(store, org, [Relation.HELD])
    members = {org, *posts, *meetings, *_out(store, org, [Relation.DOCUMENT])}
    for post in posts:
        members |= _in(store, post, [Relation.HOLDS])
    latest = sorted(meetings, key=lambda m: (store.node_data[m].get("date", ""), m), reverse=True)
    for meeting in latest[:in_full]:
        members |= _out(store, meeting, [Relation.SET_TARGET]) | _in(store, meeting, _ROLES)
    return members


def person_members(store: GraphStore, person: str) -> set[str]:
    """A person's page: their posts and those posts' organisations, their meetings and organisers."""
    posts = _out(store, person, [Relation.HOLDS])
    meetings = _out(store, person, _ROLES)
    members = {person, *posts, *meetings}
    for post in posts:
        members |= _out(store, post, [Relation.POST_IN])
    for meeting in meetings:
        members |= _in(store, meeting, [Relation.HELD])
    return members


def _index(store: GraphStore, pages: dict[str, str]) -> str:
    orgs = []
    for node, data in store.nodes(NodeType.ORGANISATION):
        members = org_members(store, node, in_full=len(store.node_data))  # counts: every meeting
        kinds = [store.node_data[m]["type"] for m in members]
        orgs.append(
            {
                "label": data["label"],
                "href": "views/" + pages[node],
                "people": kinds.count(NodeType.PERSON),
                "meetings": kinds.count(NodeType.MEETING),
                "posts": kinds.count(NodeType.POST),
                "targets": kinds.count(NodeType.TARGET),
                "documents": kinds.count(NodeType.DOCUMENT),
            }
        )
    people = []
    for node, data in store.nodes(NodeType.PERSON):
        posts = sorted(store.label(p) for p in _out(store, node, [Relation.HOLDS]))
        meetings = _out(store, node, _ROLES)
        people.append(
            {
                "label": data["label"],
                "href": "views/" + pages[node],
                "posts": "、".join(posts),
                "meetings": len(meetings),
            }
        )
    orgs.sort(key=lambda o: (-o["people"] - o["meetings"], o["label"]))
    people.sort(key=lambda p: (-p["meetings"], p["label"]))
    counts = store.counts()["nodes"]
    summary = " · ".join(f"{STYLE[k][2]} {v}" for k, v in counts.items() if k in STYLE)
    return _env().get_template("index.html.j2").render(title=TITLE, summary=summary, orgs=orgs, people=people)


def write_views(site: Site, folder: Path) -> None:
    """views/: the assets, the entity page, and every entity's page data in shard files."""
    store = site.store
    assets = folder / "assets"
    assets.mkdir(parents=True)
    for name, text in _vis_assets().items():
        (assets / name).write_text(text, encoding="utf-8")
    for name in ("view.js", "view.css"):
        shutil.copyfile(_templates() / name, assets / name)
    chars = shard_chars(len(site.pages))
    links = [
        {"href": "../index.html", "text": "索引 index"},
        {"href": "../graph.html", "text": "整体图谱 whole graph"},
    ]
    page = {"base": "", "shardChars": chars, "styles": STYLES}
    shell = render_page(None, title=TITLE, inline=False, links=links, page=page)
    (folder / ENTITY_PAGE).write_text(shell, encoding="utf-8")
    shards = folder / "data"
    shards.mkdir()
    by_shard: dict[str, list[str]] = {}
    for node in site.pages:
        by_shard.setdefault(shard_of(node, chars), []).append(node)
    for shard, nodes in sorted(by_shard.items()):
        records = []
        for node in sorted(nodes):
            kind = store.node_data[node]["type"]
            members = (
                org_members(store, node) if kind == NodeType.ORGANISATION else person_members(store, node)
            )
            data = site.page_data(members, members, focus=node)
            title = f"{store.label(node)} · {STYLE[kind][2]}"
            records.append(f'{_quote(node)}:{{"title":{_json(title)},"data":{data.json}}}')
        # A script rather than JSON: a page opened from file:// may load scripts, not fetch files.
        text = "kgShard({" + ",".join(records) + "});\n"
        (shards / f"{shard}.js").write_text(text, encoding="utf-8")


def export(store: GraphStore, path: Path) -> None:
    """graph.html at ``path``; index.html and views/ beside it."""
    site = Site(store)
    data, notice = whole_graph(site)
    links = [{"href": "index.html", "text": "索引 index"}]
    page = {"base": "views/", "styles": STYLES}
    html = render_page(data, title=TITLE, inline=True, links=links, page=page, notice=notice)
    replace_folder(path.parent / "views", lambda folder: write_views(site, folder))
    write_text(path.parent / "index.html", _index(store, site.pages))
    write_text(path, html)
