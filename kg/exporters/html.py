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

import shutil
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from kg.exporters.atomic import replace_folder, write_text
from kg.exporters.jsontext import assemble, json_text
from kg.exporters.members import ROLES, anchor, org_members, person_members, successors
from kg.exporters.site import (
    ENTITY_PAGE,
    MAX_WHOLE_NODES,
    STYLE,
    STYLES,
    TITLE,
    PageData,
    Site,
    shard_chars,
    shard_of,
)
from kg.model import NodeType, Relation
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
        "page_json": json_text(page),
        "data_json": data.json if data is not None else "null",
    }
    parts = _skeleton(inline, tuple((link["href"], link["text"]) for link in links)).split("\x00")
    # Every odd part is a slot name: the skeleton's text never holds a NUL of its own.
    return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))


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
    return site.page_data(drawn, drawn, extra={"index": index, "more": more}), notice


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
        posts = sorted(store.label(p) for p in successors(store, node, [Relation.HOLDS]))
        meetings = successors(store, node, ROLES)
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
        records: dict[str, Any] = {}
        for node in sorted(nodes):
            kind = store.node_data[node]["type"]
            members = (
                org_members(store, node) if kind == NodeType.ORGANISATION else person_members(store, node)
            )
            data = site.page_data(members, members, focus=node, extra={"tenures": site.tenures.get(node, [])})
            title = f"{store.label(node)} · {STYLE[kind][2]}"
            records[node] = {"title": title, "data": data.json}
        # A script rather than JSON: a page opened from file:// may load scripts, not fetch files.
        text = f"kgShard({assemble(records)});\n"
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
