"""Exporters plug in by format name and are imported on first use (pyvis only for html)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the table is read by the CLI at import: it must not pull in networkx
    from kg.exporters.sections import Reuse
    from kg.store import GraphStore


class Exporter(Protocol):
    def __call__(self, store: GraphStore, path: Path, /) -> None: ...


class SectionedExporter(Protocol):
    """An exporter that, given a cache folder, copies what did not change from its last file."""

    def __call__(self, store: GraphStore, path: Path, /, memo: Path | None = None) -> Reuse: ...


EXPORTERS: Mapping[str, tuple[str, str]] = {  # format → (module, default file name)
    "ttl": ("kg.exporters.turtle", "graph.ttl"),
    "trig": ("kg.exporters.trig", "graph.trig"),
    "nquads": ("kg.exporters.nquads", "graph.nq"),
    "json": ("kg.exporters.nodelink", "graph.json"),
    "html": ("kg.exporters.html", "graph.html"),
    "neo4j": ("kg.exporters.neo4j", "neo4j"),  # a folder: import CSVs, import.sh, load.cypher
    "graphml": ("kg.exporters.graphml", "graph.graphml"),
    "jsonld": ("kg.exporters.jsonld", "graph.jsonld"),
}
DEFAULT_FORMATS = ("ttl", "trig", "json", "html")
# Formats written in sections keyed by their inputs (kg/exporters/sections.py).
SECTIONED = frozenset({"ttl", "trig", "json", "html"})
# What a format writes beside its file: the explorer's index and entity pages.
COMPANIONS: Mapping[str, tuple[str, ...]] = {"html": ("index.html", "views")}


def get_exporter(fmt: str) -> Exporter:
    exporter: Exporter = importlib.import_module(EXPORTERS[fmt][0]).export
    return exporter


def get_sectioned(fmt: str) -> SectionedExporter:
    exporter: SectionedExporter = importlib.import_module(EXPORTERS[fmt][0]).export
    return exporter
