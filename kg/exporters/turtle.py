"""graph.ttl: every fact, node and evidence statement, as canonical Turtle."""

from __future__ import annotations

import io
from pathlib import Path

from rdflib import Graph

from kg.exporters.rdf import new_graph, quads, to_rdflib, turtle_prefixes
from kg.exporters.rdfwrite import Formatter, write_prefixes, write_turtle
from kg.exporters.sections import Reuse, sectioned_write, store_keys
from kg.store import GraphStore


def to_graph(store: GraphStore) -> Graph:
    """The export as an rdflib Graph (for JSON-LD and for callers who want one in memory)."""
    g = new_graph()
    for _, (s, p, o) in quads(store):
        g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return g


def export(store: GraphStore, path: Path, memo: Path | None = None) -> Reuse:
    """graph.ttl at ``path``; with ``memo`` (the build's cache folder), every node's section
    whose inputs are unchanged since the last build is copied from the file it replaces."""
    prefixes = turtle_prefixes()
    with sectioned_write(path, memo, "ttl") as writer:
        head = io.StringIO()
        write_prefixes(head, prefixes)
        head.write("\n")
        writer.raw(head.getvalue())
        write_turtle(writer, store, Formatter(prefixes), store_keys(store))
    return writer.reuse
