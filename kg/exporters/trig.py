"""graph.trig: the same statements with one named graph per article (sorted, canonical)."""

from __future__ import annotations

import io
from pathlib import Path

from rdflib import URIRef

from kg.exporters.rdf import turtle_prefixes
from kg.exporters.rdfwrite import Formatter, article_nodes, holders, tenures_key, write_prefixes, write_trig
from kg.exporters.sections import Reuse, adopt_sections, sectioned_write, store_keys
from kg.ids import iri
from kg.store import GraphStore


def graph_iri(article_id: str) -> URIRef:
    return URIRef(iri(f"graph/{article_id}"))  # iri(): a file name may hold what an IRI may not


def export(store: GraphStore, path: Path, memo: Path | None = None) -> Reuse:
    """graph.trig at ``path``; with ``memo`` (the build's cache folder), every article's graph
    whose nodes are unchanged since the last build is copied from the file it replaces."""
    prefixes = turtle_prefixes()
    keys = store_keys(store)
    with sectioned_write(path, memo, "trig", keys.generation) as writer:
        head = io.StringIO()
        write_prefixes(head, prefixes)
        writer.raw(head.getvalue())
        write_trig(writer, store, Formatter(prefixes), graph_iri, keys)
    return writer.reuse


def adopt(store: GraphStore, path: Path, memo: Path) -> bool:
    """Take graph.trig as written for the store's keys when it holds every article's graph,
    in order, and every holder's tenures, one after another (``adopt_sections``): a resident
    process that starts on a corpus built before then splices its first rebuild."""
    keys = store_keys(store)
    articles = sorted(article_nodes(store, keys))
    if not keys.described.keys() >= set(articles):
        return False  # worked out by the writer only: nothing to check them by
    described = [keys.described[a] for a in articles]
    tenures = [tenures_key(keys, n) for n in holders(store)]
    return adopt_sections(path, memo, "trig", [described, tenures], keys.generation)
