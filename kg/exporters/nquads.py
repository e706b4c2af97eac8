"""graph.nq: N-Quads, one statement a line, for bulk loaders (tdb2.tdbloader, oxigraph load)."""

from __future__ import annotations

from pathlib import Path

from kg.exporters.atomic import atomic_write
from kg.exporters.rdf import quads
from kg.exporters.rdfwrite import nquad_lines
from kg.exporters.trig import graph_iri
from kg.store import GraphStore


def export(store: GraphStore, path: Path) -> None:
    with atomic_write(path) as out:
        out.writelines(sorted(set(nquad_lines(quads(store), graph_iri))))
