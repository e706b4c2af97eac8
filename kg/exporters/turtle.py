"""graph.ttl: every fact, node and evidence statement, as canonical long-form Turtle."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.exporters.atomic import write_text
from kg.exporters.rdf import new_graph, quads
from kg.store import GraphStore


def to_graph(store: GraphStore) -> Graph:
    g = new_graph()
    for _, triple in quads(store):
        g.add(triple)
    return g


def export(store: GraphStore, path: Path) -> None:
    # canon=True: the same graph gives the same bytes, so rebuilds are byte-identical.
    write_text(path, to_graph(store).serialize(format="longturtle", canon=True))
