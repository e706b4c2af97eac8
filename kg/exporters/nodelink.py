"""graph.json: networkx node-link JSON, evidence included, keys sorted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.exporters.atomic import write_text
from kg.store import GraphStore


def to_data(store: GraphStore) -> dict[str, Any]:
    data: dict[str, Any] = nx.node_link_data(store.graph, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def export(store: GraphStore, path: Path) -> None:
    write_text(path, json.dumps(to_data(store), ensure_ascii=False, indent=1, sort_keys=True) + "\n")
