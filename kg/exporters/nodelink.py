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
    ends_by_subject,
    sectioned_write,
    sorts_between,
    spliced,
    store_keys,
)
from kg.model import Relation
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
    from it, are sections keyed by its digest (kg/exporters/sections.py), the links' made of a
    section a linked pair: with ``memo``, those unchanged since the last build are copied from
    the file this one replaces."""
    found = store_keys(store, sections=False)
    keys, change = found.digests, found.change
    succ = store.succ

    def node_line(node: str) -> list[str]:
        return [_dumps({**jsonable(store.node_data[node]), "id": node})]

    def pair_lines(source: str, target: str) -> list[str]:
        keyed = succ[source][target]
        return [
            _dumps({**plain_edge(keyed[key]), "source": source, "target": target, "key": key})
            for key in sorted(keyed)
        ]

    def link_lines(source: str) -> list[str]:
        return [line for target in sorted(succ[source]) for line in pair_lines(source, target)]

    def pairs(source: str) -> list[tuple[str, Callable[[], list[str]]]]:
        """The links from a node, a section a linked pair: a busy organisation's hundreds of
        meetings keep their lines when it holds one more."""
        return [(t, partial(pair_lines, source, t)) for t in sorted(succ[source])]

    def settled(source: str, target: str) -> bool:
        """Whether the pair's lines change only where the store's patch makes it again: not a
        holding, whose tenures are worked out again for every post a change touched
        (``tenures.annotate``), made again or not."""
        return Relation.HOLDS not in succ[source][target]

    listed = _lists(store)
    lists: dict[str, tuple[bytes, list[str], Callable[[str], list[str]], Parts | None]] = {
        "links": (*listed["links"], link_lines, pairs),
        "nodes": (*listed["nodes"], node_line, None),
    }
    plain = {"directed": True, "graph": store.graph.graph, "multigraph": True}
    names = sorted([*plain, *lists])
    with sectioned_write(path, memo, "json", found.generation) as writer:
        # The file this process wrote for the keys these were patched from: each list's nodes
        # whose digests the change did not touch copied a run at a time.
        changed = remade = None
        if change is not None and writer.follows(change):
            changed = change.touched | change.resectioned.keys()
            remade = change.remade
        writer.raw("{\n")
        for i, name in enumerate(names):
            writer.raw(f" {_dumps(name)}: ")
            if name in lists:
                writer.raw("[\n")
                _write_list(writer, keys, *lists[name], changed, remade, settled)
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


# A node's sections inside its own: what each is of (a linked node), and what makes its lines.
Parts = Callable[[str], list[tuple[str, Callable[[], list[str]]]]]


def _pair_key(source: str, target: str) -> bytes:
    """Where the lines of the links from ``source`` to ``target`` are, in the file this process
    wrote last: a place, not what is there, so only copied where the store's patch says the pair
    is as it was (``Change.remade``)."""
    return digest(f"links\0{source}\0{target}".encode())


def _write_list(
    writer: SectionWriter,
    keys: dict[str, bytes],
    kind: bytes,
    nodes: list[str],
    lines: Callable[[str], list[str]],
    parts: Parts | None,
    changed: Collection[str] | None = None,
    remade: Collection[tuple[str, str]] | None = None,
    settled: Callable[[str, str], bool] | None = None,
) -> None:
    """Each node's lines, a section each (with ``parts``, made of a section each part); the last
    node's written anew (its last line has no comma). ``changed``: the nodes whose lines may
    differ from those of the file replaced, which this process wrote; the rest are copied a run
    at a time (``spliced``). ``remade``: the linked pairs whose edges differ from that file's,
    some gone since; within a changed node, the others that are ``settled`` are copied a run at a
    time."""

    def text(found: list[str], last: bool = False) -> tuple[str, int]:
        return "".join(
            f"  {line}{'' if last and i == len(found) - 1 else ','}\n" for i, line in enumerate(found)
        ), 0

    def node_text(node: str) -> tuple[str, int]:
        return text(lines(node))

    def part_text(made: Callable[[], list[str]]) -> tuple[str, int]:
        return text(made())

    def key(node: str) -> bytes:
        return _key(keys, kind, node)

    ends = ends_by_subject(remade or ()) if parts is not None else {}

    def write_parts(node: str, found: list[tuple[str, Callable[[], list[str]]]]) -> None:
        gone = ends.get(node, [])
        made_of = dict(found)
        kept: list[str] = []  # linked nodes of pairs as they were, one after another

        def copy_kept() -> None:
            # Else each made again: the node was the last of its list then, written without any.
            if kept and not writer.copy_span(_pair_key(node, kept[0]), _pair_key(node, kept[-1]), len(kept)):
                for target in kept:
                    writer.section_anew(_pair_key(node, target), partial(part_text, made_of[target]))
            kept.clear()

        for target, made in found:
            if (
                remade is not None
                and settled is not None
                and (node, target) not in remade
                and settled(node, target)
            ):
                if kept and gone and sorts_between(gone, kept[-1], target):
                    copy_kept()  # a pair made again, gone since, lay between them
                kept.append(target)
                continue
            copy_kept()
            writer.section_anew(_pair_key(node, target), partial(part_text, made))
        copy_kept()

    *listed, last = nodes or [""]
    for unchanged, run in spliced(listed, changed, set(listed)):
        if unchanged and writer.copy_run(run, key):
            continue
        for node in run:
            if parts is None:
                writer.section(key(node), partial(node_text, node))
            elif writer.copy(key(node)) is None:
                with writer.compound(key(node)):
                    write_parts(node, parts(node))
    if nodes:
        writer.raw(text(lines(last), True)[0])


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # one for all: dumps() makes one a call


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)
