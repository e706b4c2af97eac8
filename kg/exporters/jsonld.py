"""graph.jsonld: JSON-LD for web users, compacted with the context in context.jsonld."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import URIRef

from kg.exporters.atomic import write_text
from kg.exporters.rdf import PREFIXES
from kg.exporters.turtle import to_graph
from kg.relations import SPECS
from kg.store import GraphStore


def _curie(term: URIRef) -> str:
    for prefix, ns in PREFIXES.items():
        if str(term).startswith(str(ns)):
            return f"{prefix}:{str(term)[len(str(ns)) :]}"
    return str(term)


CONTEXT: dict[str, Any] = {
    **{prefix: str(ns) for prefix, ns in PREFIXES.items()},
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "label": {"@id": "rdfs:label", "@language": "zh"},
    "altLabel": {"@id": "skos:altLabel", "@language": "zh"},
    # each relation's predicate by its own name (org:holds → holds): kg/relations.py
    **{spec.local_name: {"@id": _curie(spec.predicate), "@type": "@id"} for spec in SPECS.values()},
    "startDate": {"@id": "schema:startDate"},
}


def _canonical(value: Any, in_list: bool = False) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v, in_list=k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return (
            items
            if in_list
            else sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        )
    return value


def export(store: GraphStore, path: Path) -> None:
    graph = to_graph(store)
    text = graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True, sort_keys=True, indent=1)
    # rdflib lists nodes and values in its sets' order, which changes from process to process;
    # JSON-LD arrays are unordered (but @list), so sorting them changes no statement.
    data = _canonical(json.loads(text))
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    write_text(
        path.with_name("context.jsonld"), json.dumps({"@context": CONTEXT}, indent=1, sort_keys=True) + "\n"
    )
