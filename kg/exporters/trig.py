"""graph.trig: the same statements with one named graph per article (sorted, canonical)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import URIRef

from kg.exporters.atomic import atomic_write
from kg.exporters.rdf import Triple, quads, turtle_prefixes
from kg.exporters.rdfwrite import Formatter, write_blocks, write_prefixes
from kg.ids import BASE
from kg.store import GraphStore


def graph_iri(article_id: str) -> URIRef:
    return URIRef(f"{BASE}graph/{article_id}")


def export(store: GraphStore, path: Path) -> None:
    by_article: dict[str, set[Triple]] = defaultdict(set)
    for article, triple in quads(store):
        by_article[article].add(triple)
    prefixes = turtle_prefixes()
    fmt = Formatter(prefixes)
    with atomic_write(path) as out:
        write_prefixes(out, prefixes)
        for article in sorted(by_article):
            out.write("\n")
            out.write(f"<{graph_iri(article)}> {{\n" if article else "{\n")
            write_blocks(out, by_article[article], fmt, indent="    ")
            out.write("}\n")
