"""graph.trig: the same statements with one named graph per article (sorted, canonical)."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from kg.exporters.atomic import atomic_write
from kg.exporters.rdf import turtle_prefixes
from kg.exporters.rdfwrite import Formatter, write_prefixes, write_trig
from kg.ids import iri
from kg.store import GraphStore


def graph_iri(article_id: str) -> URIRef:
    return URIRef(iri(f"graph/{article_id}"))  # iri(): a file name may hold what an IRI may not


def export(store: GraphStore, path: Path) -> None:
    prefixes = turtle_prefixes()
    with atomic_write(path) as out:
        write_prefixes(out, prefixes)
        write_trig(out, store, Formatter(prefixes), graph_iri)
