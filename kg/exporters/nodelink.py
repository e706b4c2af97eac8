"""graph.json: networkx node-link JSON, evidence included, keys sorted."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path
from typing import Any

import networkx as nx

from kg.exporters.sections import (
    Reuse,
    SectionWriter,
    adopt_sections,
    digest,
    sectioned_write,
    spliced,
    store_keys,
)
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
    found = store_keys(store, sections=False)
    keys, change = found.digests, found.change
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

    lines: dict[str, Callable[[str], list[str]]] = {"links": link_lines, "nodes": node_line}

    lists: dict[str, tuple[bytes, list[str], Callable[[str], list[str]]]] = {
        name: (kind, nodes, lines[name]) for name, (kind, nodes) in _lists(store).items()
    }
    plain = {"directed": True, "graph": store.graph.graph, "multigraph": True}
    names = sorted([*plain, *lists])
    with sectioned_write(path, memo, "json", found.generation) as writer:
        # The file this process wrote for the keys these were patched from: each list's nodes
        # whose digests the change did not touch copied a run at a time.
        changed = None
        if change is not None and writer.follows(change):
            changed = change.touched | change.resectioned.keys()
        writer.raw("{\n")
        for i, name in enumerate(names):
            writer.raw(f" {_dumps(name)}: ")
            if name in lists:
                writer.raw("[\n")
                _write_list(writer, keys, *lists[name], changed)
                writer.raw(" ]")
            else:
                writer.raw(_dumps(plain[name]))
            writer.raw(",\n" if i < len(names) - 1 else "\n")
        writer.raw("}\n")
    return writer.reuse


def _lists(store: GraphStore) -> dict[str, tuple[bytes, list[str]]]:
    """Each list of the file: what its sections' keys start with, and its nodes in order."""
    succ = store.succ
    return {
        "links": (b"links", [n for n in sorted(succ) if succ[n]]),
        "nodes": (b"node", sorted(store.node_data)),
    }


def _key(keys: dict[str, bytes], kind: bytes, node: str) -> bytes:
    return digest(kind + b"\0" + keys[node])


def adopt(store: GraphStore, path: Path, memo: Path) -> bool:
    """Take graph.json as written for the store's keys when it holds each list's sections, in
    order, one after another (``adopt_sections``): a resident process that starts on a corpus
    built before then splices its first rebuild."""
    keys = store_keys(store, sections=False)
    runs = [[_key(keys.digests, kind, n) for n in nodes[:-1]] for kind, nodes in _lists(store).values()]
    return adopt_sections(path, memo, "json", runs, keys.generation)


def _write_list(
    writer: SectionWriter,
    keys: dict[str, bytes],
    kind: bytes,
    nodes: list[str],
    lines: Callable[[str], list[str]],
    changed: Collection[str] | None = None,
) -> None:
    """Each node's lines, a section each; the last node's written anew (its last line has no comma).
    ``changed``: the nodes whose lines may differ from those of the file replaced, which this
    process wrote; the rest are copied a run at a time (``spliced``)."""

    def text(node: str, last: bool) -> tuple[str, int]:
        found = lines(node)
        return "".join(
            f"  {line}{'' if last and i == len(found) - 1 else ','}\n" for i, line in enumerate(found)
        ), 0

    def key(node: str) -> bytes:
        return _key(keys, kind, node)

    *listed, last = nodes or [""]
    for unchanged, run in spliced(listed, changed, set(listed)):
        if unchanged and writer.copy_run(run, key):
            continue
        for node in run:
            writer.section(key(node), partial(text, node, False))
    if nodes:
        writer.raw(text(last, True)[0])


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # one for all: dumps() makes one a call


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)
