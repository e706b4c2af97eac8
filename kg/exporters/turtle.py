"""graph.ttl: every fact, node and evidence statement, as canonical Turtle."""

from __future__ import annotations

import io
from pathlib import Path

from rdflib import Graph

from kg.exporters.rdf import new_graph, quads, to_rdflib, turtle_prefixes
from kg.exporters.rdfwrite import Formatter, write_prefixes, write_turtle
from kg.exporters.sections import Reuse, adopt_sections, sectioned_write, store_keys
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
    keys = store_keys(store)
    with sectioned_write(path, memo, "ttl", keys.generation) as writer:
        head = io.StringIO()
        write_prefixes(head, prefixes)
        head.write("\n")
        writer.raw(head.getvalue())
        write_turtle(writer, store, Formatter(prefixes), keys)
    return writer.reuse


def adopt(store: GraphStore, path: Path, memo: Path) -> bool:
    """Take graph.ttl as written for the store's keys when it holds every node's section, in
    order, one after another (``adopt_sections``): a resident process that starts on a corpus
    built before then splices its first rebuild."""
    keys = store_keys(store)
    order = (keys.sections[node] for node in sorted(store.node_data))
    return adopt_sections(path, memo, "ttl", [order], keys.generation)
