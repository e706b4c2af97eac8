"""graph.ttl: every fact, node and evidence statement, as canonical Turtle."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.exporters.atomic import atomic_write
from kg.exporters.rdf import new_graph, quads, to_rdflib, turtle_prefixes
from kg.exporters.rdfwrite import Formatter, write_prefixes, write_turtle
from kg.store import GraphStore


def to_graph(store: GraphStore) -> Graph:
    """The export as an rdflib Graph (for JSON-LD and for callers who want one in memory)."""
    g = new_graph()
    for _, (s, p, o) in quads(store):
        g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return g


def export(store: GraphStore, path: Path) -> None:
    prefixes = turtle_prefixes()
    with atomic_write(path) as out:
        write_prefixes(out, prefixes)
        out.write("\n")
        write_turtle(out, store, Formatter(prefixes))
