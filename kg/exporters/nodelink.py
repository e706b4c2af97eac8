"""graph.json: networkx node-link JSON, evidence included, keys sorted."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import networkx as nx

from kg.exporters.sections import Reuse, SectionWriter, digest, sectioned_write, store_keys
from kg.store import GraphStore, jsonable, plain_edge


def to_data(store: GraphStore) -> dict[str, Any]:
    data: dict[str, Any] = nx.node_link_data(store.graph, edges="links")
    data["nodes"] = sorted((jsonable(n) for n in data["nodes"]), key=lambda n: n["id"])
    data["links"] = sorted(
        (plain_edge(e) for e in data["links"]), key=lambda e: (e["source"], e["target"], e["key"])
    )
    return data


def export(store: GraphStore, path: Path, memo: Path | None = None) -> Reuse:
    """One node or link a line, keys sorted: diffable, and written record by record with
    json's C encoder (``indent`` would send the whole graph through its pure-Python one and
    build the file as one string in memory first). A node's line, and the lines of the links
    from it, are sections keyed by its digest (kg/exporters/sections.py): with ``memo``, those
    unchanged since the last build are copied from the file this one replaces."""
    keys = store_keys(store, sections=False).digests
    succ = store.succ

    def node_line(node: str) -> list[str]:
        return [_dumps({**jsonable(store.node_data[node]), "id": node})]

    def link_lines(source: str) -> list[str]:
        out = succ[source]
        return [
            _dumps({**plain_edge(out[target][key]), "source": source, "target": target, "key": key})
            for target in sorted(out)
            for key in sorted(out[target])
        ]

    lists: dict[str, tuple[bytes, list[str], Callable[[str], list[str]]]] = {
        "links": (b"links", [n for n in sorted(succ) if succ[n]], link_lines),
        "nodes": (b"node", sorted(store.node_data), node_line),
    }
    plain = {"directed": True, "graph": store.graph.graph, "multigraph": True}
    names = sorted([*plain, *lists])
    with sectioned_write(path, memo, "json") as writer:
        writer.raw("{\n")
        for i, name in enumerate(names):
            writer.raw(f" {_dumps(name)}: ")
            if name in lists:
                writer.raw("[\n")
                _write_list(writer, keys, *lists[name])
                writer.raw(" ]")
            else:
                writer.raw(_dumps(plain[name]))
            writer.raw(",\n" if i < len(names) - 1 else "\n")
        writer.raw("}\n")
    return writer.reuse


def _write_list(
    writer: SectionWriter,
    keys: dict[str, bytes],
    kind: bytes,
    nodes: list[str],
    lines: Callable[[str], list[str]],
) -> None:
    """Each node's lines, a section each; the last node's written anew (its last line has no comma)."""

    def text(node: str, last: bool) -> tuple[str, int]:
        found = lines(node)
        return "".join(
            f"  {line}{'' if last and i == len(found) - 1 else ','}\n" for i, line in enumerate(found)
        ), 0

    for i, node in enumerate(nodes):
        if i == len(nodes) - 1:
            writer.raw(text(node, True)[0])
        else:
            writer.section(digest(kind + b"\0" + keys[node]), partial(text, node, False))


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # one for all: dumps() makes one a call


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)
