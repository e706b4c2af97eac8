"""graph.html, index.html and views/: an explorer that opens from files with no network.

- graph.html: the whole graph, self-contained (vis-network inlined). Past
  ``MAX_WHOLE_NODES`` it draws an overview (the largest organisations with their leaders,
  latest meetings and documents) and says so; search finds every node, and a node's
  neighbours load on demand from the page data that shows them.
- views/entity.html#<node id>: one page per organisation (its posts and people, meetings,
  targets, documents) and per person (posts, organisations, meetings). One page reads the
  entity's data from views/data/<shard>.js (a script, so it loads from file://), so a
  province's 80,000 people are a few thousand data files rather than 80,000 pages.
- views/article.html#<article id>: an article's cleaned text with every fact read from it
  marked, from views/articles/<shard>.js.
- index.html: every node of every kind in sortable, filtered, paged tables (views/catalogue.js),
  each linked to the page that shows it.

vis-network comes from the copy the pyvis package ships, so nothing is fetched. Node and
edge records are built here rather than through pyvis' ``add_node``/``add_edge``, which
check for duplicates by scanning a list (quadratic: 20k nodes take seconds). Positions
are computed in Python (networkx, seeded) and physics is off, so a page is still at once
and the same every build.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from kg.exporters.articles import ARTICLE_PAGE, RecordInputs, write_articles
from kg.exporters.atomic import atomic_write, replace_folder, write_text
from kg.exporters.catalogue import RowInputs, write_catalogue
from kg.exporters.jsontext import Encoded, assemble, json_text
from kg.exporters.members import anchor, org_members, person_members
from kg.exporters.overview import overview
from kg.exporters.sections import Reuse, Unchanged, adopt_state, digest, record_memo, store_keys
from kg.exporters.shards import write_shard
from kg.exporters.site import (
    ENTITY_PAGE,
    MAX_WHOLE_NODES,
    STYLE,
    TITLE,
    PageData,
    PageInputs,
    Site,
    carries,
    shard_of,
    tenures_of,
)
from kg.memory import trim_heap
from kg.model import NodeType
from kg.store import GraphStore


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


# The legend draws each type's shape as vis-network does, in a 14×14 box.
_GLYPHS = {
    "dot": '<circle cx="7" cy="7" r="6"/>',
    "square": '<rect x="1" y="1" width="12" height="12"/>',
    "diamond": '<polygon points="7,0 14,7 7,14 0,7"/>',
    "star": '<polygon points="7,0 8.8,5 14,5 9.8,8.2 11.4,13.5 7,10.3 2.6,13.5 4.2,8.2 0,5 5.2,5"/>',
    "triangle": '<polygon points="7,1 13.5,13 0.5,13"/>',
    "box": '<rect x="0.5" y="3" width="13" height="8" rx="2"/>',
    "ellipse": '<ellipse cx="7" cy="7" rx="6.5" ry="4.5"/>',
}


def glyph(shape: str, colour: str) -> str:
    return _GLYPHS[shape].replace("/>", f' fill="{colour}"/>')


_SLOTS = ("title", "notice", "page_json", "data_json")

# The record memos in the cache folder: article records, index rows, entity pages.
ARTICLES_MEMO, ROWS_MEMO, PAGES_MEMO = "views-articles", "views-catalogue", "views-pages"


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
                {"type": t, "glyph": glyph(shape, c), "label": label}
                for t, (c, shape, label) in STYLE.items()
                if t != NodeType.ARTICLE
            ],
            **{slot: Markup(f"\x00{slot}\x00") for slot in _SLOTS},
        )
    )


def page_pieces(
    data: PageData | None,
    *,
    title: str,
    inline: bool,
    links: list[dict[str, str]],
    page: dict[str, Any],
    notice: str = "",
) -> Iterator[str]:
    """A page, in pieces (graph.html's data is 60 MB at 100k articles: joined, then encoded
    whole, it was held three times over); with no ``data``, views/entity.html, which loads its
    data from the shard the URL's hash names. The data sits in a JSON script element that the
    page JSON.parses: at 10k articles compiling it as a JavaScript literal took half a second,
    parsing it 60 ms."""
    values = {
        "title": str(escape(title)),
        "notice": str(escape(notice)),
        "page_json": json_text(page),
        "data_json": data.json if data is not None else "null",
    }
    parts = _skeleton(inline, tuple((link["href"], link["text"]) for link in links)).split("\x00")
    # Every odd part is a slot name: the skeleton's text never holds a NUL of its own.
    for i, part in enumerate(parts):
        text = values[part] if i % 2 else part
        for start in range(0, len(text), _PIECE):
            yield text[start : start + _PIECE]


_PIECE = 1 << 20  # characters written at a time


def whole_graph(site: Site, limit: int | None = None) -> tuple[PageData, str]:
    """The whole graph's page data: past ``limit`` nodes, an overview (``overview.overview``:
    organisations with their leaders, latest meetings and documents) drawn with their facts
    among themselves, and every other node in a search index that links to the page showing it.

    Carrying every node's facts made graph.html 80 MB at 10k articles; their pages hold them.
    """
    store = site.store
    limit = MAX_WHOLE_NODES if limit is None else limit
    members = {n for n, d in store.nodes() if d["type"] != NodeType.ARTICLE}
    if len(members) <= limit:
        return site.page_data(members, members), ""
    drawn = overview(store, members, site.degree, limit)
    notice = (
        f"显示 {len(drawn):,} 个节点(最大的机构及其领导、最近的会议),共 {len(members):,} 个;"
        "搜索可找到任一节点及其页面,双击节点可展开其邻居。"
        f" Showing {len(drawn):,} of {len(members):,} nodes (the largest organisations with their"
        " leaders and latest meetings): search finds any other and the page that shows it;"
        " double-click a node to expand its neighbours."
    )
    # [id, label, owner, aliases] for every node not drawn (48,000 rows at 10k articles), owner
    # numbering in ``owners`` the entity whose page shows it (-1: its own page, or none), empty
    # trailing fields left off: the search lists them, and the owner's page shows them.
    index = []
    owners: dict[str, int] = {}
    for node in sorted(members - drawn):
        owner, head, aliases = site.listing(node)
        number = owners.setdefault(owner, len(owners)) if owner else -1
        if aliases != "[]":
            index.append(Encoded(f"{head},{number},{aliases}]"))
        elif number != -1:
            index.append(Encoded(f"{head},{number}]"))
        else:
            index.append(Encoded(f"{head}]"))
    # How many of a drawn node's facts reach nodes not drawn: its panel says so and offers to expand.
    more: dict[str, int] = {}
    for node in sorted(drawn):
        hidden = sum(len(keyed) for o, keyed in store.succ[node].items() if o not in drawn) + sum(
            len(keyed) for o, keyed in store.pred[node].items() if o not in drawn
        )
        if hidden:
            more[node] = hidden
    # The page that shows each drawn node that has none of its own: expanding it loads that page's data.
    anchors = {n: a for n in sorted(drawn) if n not in site.pages for a in (anchor(store, n),) if a}
    extra = {"index": index, "owners": list(owners), "more": more, "anchors": anchors}
    return site.page_data(drawn, drawn, extra=extra, briefly=True), notice


def _index(site: Site) -> str:
    """index.html: a shell whose script pages through views/catalogue.js."""
    counts = site.store.counts()["nodes"]
    summary = " · ".join(f"{STYLE[k][2]} {v:,}" for k, v in counts.items() if k in STYLE)
    page = site.settings("views/")
    return (
        _env()
        .get_template("index.html.j2")
        .render(title=TITLE, summary=summary, page_json=Markup(json_text(page)))
    )


def write_views(site: Site, folder: Path, memo: Path | None = None, previous: Path | None = None) -> Reuse:
    """views/: the assets, the entity and article pages, every entity's page data in shard files,
    every article in article shards, and the index's catalogue. With ``memo`` (a cache folder),
    a page's or an article's data unchanged since the last build is taken from there, and a shard
    file unchanged from ``previous`` (the views/ it replaces)."""
    store = site.store
    assets = folder / "assets"
    assets.mkdir(parents=True)
    for name, text in _vis_assets().items():
        (assets / name).write_text(text, encoding="utf-8")
    for name in ("view.js", "view.css"):
        shutil.copyfile(_templates() / name, assets / name)
    keys = store_keys(store, sections=False)
    with record_memo(memo, ARTICLES_MEMO) as articles:
        write_articles(site, folder, keys, articles, previous)
    trim_heap()  # what the articles' facts were found with (a walk of every edge): gone before the pages
    links = [
        {"href": "../index.html", "text": "索引 index"},
        {"href": "../graph.html", "text": "整体图谱 whole graph"},
    ]
    page = site.settings("")
    shell = "".join(page_pieces(None, title=TITLE, inline=False, links=links, page=page))
    (folder / ENTITY_PAGE).write_text(shell, encoding="utf-8")
    article_shell = (
        _env().get_template("article.html.j2").render(title=TITLE, page_json=Markup(json_text(page)))
    )
    (folder / ARTICLE_PAGE).write_text(article_shell, encoding="utf-8")
    with record_memo(memo, ROWS_MEMO) as rows:
        write_catalogue(site, folder, rows)
    trim_heap()
    shards = folder / "data"
    shards.mkdir()
    by_shard: dict[str, list[str]] = {}
    for node in site.pages:
        by_shard.setdefault(shard_of(node, site.shard_chars), []).append(node)

    def render(node: str) -> tuple[str, set[str]]:
        """The page's text, with the nodes it read."""
        data, members = entity_page_data(site, node)
        kind = store.node_data[node]["type"]
        text = assemble({"title": f"{store.label(node)} · {STYLE[kind][2]}", "data": data.json})
        return text, site.page_reads(members, data, node)

    rendered: dict[str, str] = {}  # the pages of a shard rendered to be keyed, until it is written

    def page_key(node: str) -> tuple[bytes, set[str]]:
        """A page that read a changed node is keyed by its text, rendered for that. (Keyed by
        what it read instead, as good as every such page was rendered all the same, and working
        that out cost more than a third of rendering them: 10k articles, 1 % changed, 1,798
        pages keyed, 1,347 of them changed.)"""
        text, reads = render(node)
        rendered[node] = text
        # With its name: the memo keeps the page deflated with it (write_shard's ``deflated``).
        return digest(b"page\0" + node.encode("utf-8") + b"\0" + text.encode("utf-8")), reads

    def record(node: str) -> str:
        found = rendered.get(node)
        return found if found is not None else render(node)[0]

    with record_memo(memo, PAGES_MEMO) as pages:
        # A page that read no changed node keeps its key: it is not even rendered.
        unchanged = Unchanged(pages, PageInputs(site, keys), keys)
        for shard, nodes in sorted(by_shard.items()):
            listed = [
                (node, unchanged.keyed(node, partial(page_key, node)), partial(record, node))
                for node in sorted(nodes)
            ]
            # A script rather than JSON: a page opened from file:// may load scripts, not fetch files.
            name = f"{shard}.js"
            write_shard(
                shards / name,
                "kgShard",
                listed,
                pages,
                previous / "data" / name if previous else None,
                deflated=True,
            )
            rendered.clear()
        unchanged.save()
    memos = (articles.reuse, rows.reuse, pages.reuse)
    return Reuse(sum(m.reused for m in memos), sum(m.sections for m in memos))


def entity_page_data(site: Site, node: str) -> tuple[PageData, set[str]]:
    """An organisation's or a person's page data (its members drawn around it, every fact among
    them, its tenures), with its members."""
    store = site.store
    if store.node_data[node]["type"] == NodeType.ORGANISATION:
        members = org_members(store, node)
    else:
        members = person_members(store, node)
    data = site.page_data(members, members, focus=node, extra={"tenures": tenures_of(store, node)})
    return data, members


def adopt_memos(store: GraphStore, memo: Path) -> int:
    """Take the explorer's record memos in ``memo`` (a cache folder) as saved with the store's
    keys where each holds exactly the inputs this store gives its records (``adopt_state``): a
    resident process that starts on a corpus built before (kg watch) then keys its first rebuild
    by the change, as it does later ones. Returns how many were taken."""
    keys = store_keys(store, sections=False)
    site = Site(store)
    inputs: dict[str, Mapping[str, bytes]] = {
        ARTICLES_MEMO: RecordInputs(store, keys),
        ROWS_MEMO: RowInputs(site, keys),
        PAGES_MEMO: PageInputs(site, keys),
    }
    return sum(adopt_state(memo, name, found, keys) for name, found in inputs.items())


def adopt(store: GraphStore, path: Path, memo: Path) -> bool:
    """Take the explorer's record memos as saved with the store's keys (``adopt_memos``), and,
    in a process that carries its Site from build to build, make every node's and fact's JSON:
    what a resident process that starts on a corpus built before does."""
    taken = adopt_memos(store, memo)
    if carries():
        fill_site(store)
    return taken == 3  # the articles', the rows' and the pages' memos


def fill_site(store: GraphStore) -> None:
    """Every node's and fact's JSON, made for the next explorer export of a store patched from
    this one (``Site.carry_over``): what a resident process does before its first rebuild."""
    keys = store_keys(store, sections=False)
    site = Site(store)
    site.carry_over(keys)
    site.fill()
    site.hand_over(keys)


def export(store: GraphStore, path: Path, memo: Path | None = None) -> Reuse:
    """graph.html at ``path``; index.html and views/ beside it. With ``memo`` (the build's cache
    folder), the data of each page and article unchanged since the last build is taken from there."""
    site = Site(store)
    if carries():
        site.carry_over(store_keys(store, sections=False))
    reuse: list[Reuse] = []
    views = path.parent / "views"
    replace_folder(views, lambda folder: reuse.append(write_views(site, folder, memo, views)))
    # After the views, so that its data (the search index of every node not drawn: 60 MB at
    # 100k articles) is not held while they are written, nor theirs while it is.
    site.forget()
    trim_heap()
    data, notice = whole_graph(site)
    links = [{"href": "index.html", "text": "索引 index"}]
    pieces = page_pieces(
        data, title=TITLE, inline=True, links=links, page=site.settings("views/"), notice=notice
    )
    write_text(path.parent / "index.html", _index(site))
    with atomic_write(path) as handle:
        handle.writelines(pieces)
    if carries():
        site.hand_over(store_keys(store, sections=False))
    return reuse[0]
