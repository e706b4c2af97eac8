"""graph.json: networkx node-link JSON, evidence included, keys sorted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.exporters.atomic import atomic_write
from kg.store import GraphStore


def to_data(store: GraphStore) -> dict[str, Any]:
    data: dict[str, Any] = nx.node_link_data(store.graph, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def export(store: GraphStore, path: Path) -> None:
    """One node or link a line, keys sorted: diffable, and written record by record with
    json's C encoder (``indent`` would send the whole graph through its pure-Python one and
    build the file as one string in memory first)."""
    data = to_data(store)
    keys = sorted(data)
    with atomic_write(path) as out:
        out.write("{\n")
        for i, key in enumerate(keys):
            value = data[key]
            out.write(f" {_dumps(key)}: ")
            if isinstance(value, list):
                out.write("[\n")
                last = len(value) - 1
                for j, record in enumerate(value):
                    out.write(f"  {_dumps(record)}{',' if j < last else ''}\n")
                out.write(" ]")
            else:
                out.write(_dumps(value))
            out.write(",\n" if i < len(keys) - 1 else "\n")
        out.write("}\n")


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # one for all: dumps() makes one a call


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)
