"""graph.trig: the same statements with one named graph per article (sorted, canonical)."""

from __future__ import annotations

import io
from pathlib import Path

from rdflib import URIRef

from kg.exporters.rdf import turtle_prefixes
from kg.exporters.rdfwrite import Formatter, write_prefixes, write_trig
from kg.exporters.sections import Reuse, sectioned_write, store_keys
from kg.ids import iri
from kg.store import GraphStore


def graph_iri(article_id: str) -> URIRef:
    return URIRef(iri(f"graph/{article_id}"))  # iri(): a file name may hold what an IRI may not


def export(store: GraphStore, path: Path, memo: Path | None = None) -> Reuse:
    """graph.trig at ``path``; with ``memo`` (the build's cache folder), every article's graph
    whose nodes are unchanged since the last build is copied from the file it replaces."""
    prefixes = turtle_prefixes()
    with sectioned_write(path, memo, "trig") as writer:
        head = io.StringIO()
        write_prefixes(head, prefixes)
        writer.raw(head.getvalue())
        write_trig(writer, store, Formatter(prefixes), graph_iri, store_keys(store))
    return writer.reuse
