"""graph.html: an interactive view that opens from a file with no network.

pyvis assembles the nodes and edges; a template of our own inlines vis-network
(shipped inside the pyvis package) and adds a legend, type filters, a search box and
a side panel with each fact's evidence. Positions are computed here (networkx,
seeded) and physics is off, so the page is still at once and the same every build.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kg.exporters.atomic import write_text
from kg.model import NodeType
from kg.store import GraphStore

STYLE: dict[str, tuple[str, str, str]] = {  # type → (colour, shape, legend label)
    NodeType.PERSON: ("#e4572e", "dot", "人物 person"),
    NodeType.ORGANISATION: ("#2e86ab", "square", "机构 organisation"),
    NodeType.POST: ("#f3a712", "diamond", "职务 post"),
    NodeType.MEETING: ("#6a4c93", "star", "会议 meeting"),
    NodeType.TARGET: ("#29bf12", "triangle", "目标 target"),
    NodeType.DOCUMENT: ("#8d6a9f", "box", "文件 document"),
    NodeType.ARTICLE: ("#9e9e9e", "ellipse", "文章 article"),
}
RELATION_LABELS = {
    "holds": "任 holds",
    "post_in": "属 post in",
    "held": "召开 held",
    "presided": "主持 presided",
    "spoke": "讲话 spoke",
    "attended": "出席 attended",
    "set_target": "目标 set target",
    "document": "发布 issued",
}


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(
        encoding="utf-8"
    )


def _layout(store: GraphStore) -> dict[str, tuple[float, float]]:
    """Spring layout per connected component, components packed in rows, largest first."""
    g: nx.Graph[str] = nx.Graph(store.graph)
    components = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    positions: dict[str, tuple[float, float]] = {}
    row_width = 2600.0
    x = y = row_height = 0.0
    for component in components:
        sub = g.subgraph(component)
        radius = 45.0 * len(component) ** 0.5 + 30.0
        local = (
            nx.spring_layout(sub, seed=7, iterations=60) if len(component) > 1 else {component[0]: (0.0, 0.0)}
        )
        if x + 2 * radius > row_width and x > 0:
            x, y, row_height = 0.0, y + row_height + 60.0, 0.0
        for node, (px, py) in local.items():
            positions[node] = (x + radius + float(px) * radius, y + radius + float(py) * radius)
        x += 2 * radius + 60.0
        row_height = max(row_height, 2 * radius)
    return positions


def view_data(store: GraphStore, *, include_articles: bool = False) -> dict[str, Any]:
    """Nodes, edges and per-node details as the page's script reads them."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    positions = _layout(store)
    articles = {
        data["identifier"]: {"title": data["label"], "published": data.get("published", "")}
        for _, data in store.nodes(NodeType.ARTICLE)
    }
    degree = dict(store.graph.degree())
    for node, data in store.nodes():
        if data["type"] == NodeType.ARTICLE and not include_articles:
            continue
        colour, shape, _ = STYLE[data["type"]]
        x, y = positions.get(node, (0.0, 0.0))
        tooltip = f"{data['label']}\n{STYLE[data['type']][2]}"
        if data.get("aliases"):
            tooltip += "\n又名: " + "、".join(data["aliases"])
        net.add_node(
            node,
            label=_short(data["label"]),
            title=tooltip,
            color=colour,
            shape=shape,
            x=x,
            y=y,
            size=10 + 3 * min(degree.get(node, 0), 10),
            ntype=data["type"],
        )
    shown = {n["id"] for n in net.nodes}
    details: dict[str, Any] = {}
    for s, o, relation, data in store.edges():
        if s not in shown or o not in shown:
            continue
        sentence = data["evidence"][0]["sentence"]
        net.add_edge(s, o, label=RELATION_LABELS.get(relation, relation), title=sentence, relation=relation)
        for end, other, direction in ((s, o, "out"), (o, s, "in")):
            details.setdefault(end, []).append(
                {
                    "relation": RELATION_LABELS.get(relation, relation),
                    "direction": direction,
                    "other": other,
                    "otherLabel": store.label(other),
                    "evidence": data["evidence"],
                    **{k: v for k, v in data.items() if k in ("date", "place")},
                }
            )
    nodes, edges, _, _, _, _ = net.get_network_data()
    meta = {
        node: {
            "label": data["label"],
            "type": data["type"],
            "aliases": data.get("aliases", []),
            "date": data.get("date", ""),
        }
        for node, data in store.nodes()
        if node in shown
    }
    return {"nodes": nodes, "edges": edges, "details": details, "meta": meta, "articles": articles}


def _short(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _json(value: Any) -> str:
    # "</" would end the <script> element early.
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def render(store: GraphStore, *, title: str = "医疗会议知识图谱 Hospital meeting knowledge graph") -> str:
    js, css = _vis_assets()
    data = view_data(store)
    templates = resources.files("kg.exporters").joinpath("templates")
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=select_autoescape(["html"]))
    legend = [
        {"type": t, "colour": c, "label": label}
        for t, (c, _, label) in STYLE.items()
        if t != NodeType.ARTICLE
    ]
    counts = store.counts()
    return env.get_template("graph.html.j2").render(
        title=title,
        vis_js=js,
        vis_css=css,
        data_json=_json(data),
        legend=legend,
        relations=sorted({e["relation"] for e in data["edges"]}),
        relation_labels=RELATION_LABELS,
        node_count=len(data["nodes"]),
        edge_count=len(data["edges"]),
        counts=counts,
    )


def export(store: GraphStore, path: Path) -> None:
    write_text(path, render(store))
