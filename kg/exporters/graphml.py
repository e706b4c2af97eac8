"""graph.graphml: for Gephi and yEd; list and dict attributes become JSON strings."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx

from kg.exporters.atomic import write_text
from kg.store import GraphStore, jsonable, plain_edge


def export(store: GraphStore, path: Path) -> None:
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, data in store.nodes():
        g.add_node(node, **{k: _scalar(v) for k, v in jsonable(data).items()})
    for s, o, key, data in store.edges():
        # GraphML writes the key as the edge's id, which must be unique in the document; the
        # relation stays in the "relation" attribute.
        g.add_edge(s, o, key=f"{s}|{o}|{key}", **{k: _scalar(v) for k, v in plain_edge(data).items()})
    buffer = io.BytesIO()
    nx.write_graphml(g, buffer, encoding="utf-8")
    write_text(path, buffer.getvalue().decode("utf-8"))


def _scalar(value: object) -> str | int | float | bool:
    if isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
