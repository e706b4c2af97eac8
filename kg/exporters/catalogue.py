"""index.html's data: every node of every kind as a row of a sortable, filterable, paged table,
linked to the page that shows it (its own, or its organisation's with it selected)."""

from __future__ import annotations

import marshal
from collections.abc import Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from kg.exporters.jsontext import Encoded, assemble, json_text, read_data_script, write_data_script
from kg.exporters.members import ROLES, anchor, org_members, predecessors, successors
from kg.exporters.sections import SectionWriter, StoreKeys, Unchanged, digest, store_keys
from kg.exporters.site import STYLE, Site, page_link
from kg.model import NodeType, Relation

CATALOGUE = "catalogue.js"  # in views/

# kind → column headings; a row is [node id, page (relative to views/), cell …].
COLUMNS: dict[NodeType, list[str]] = {
    NodeType.ORGANISATION: [
        "机构 organisation",
        "人物 people",
        "会议 meetings",
        "职务 posts",
        "目标 targets",
        "文件 documents",
    ],
    NodeType.PERSON: ["人物 person", "职务 posts", "会议 meetings", "最近 latest"],
    NodeType.MEETING: ["会议 meeting", "主办 organiser", "日期 date", "参会 people", "目标 targets"],
    NodeType.POST: ["职务 post", "机构 organisation", "任职者 holders"],
    NodeType.TARGET: ["目标 target", "会议 meeting", "机构 organisation", "日期 date"],
    NodeType.DOCUMENT: ["文件 document", "机构 organisation"],
}


def page_of(site: Site, node: str) -> str:
    """The page that shows a node, relative to views/: an entity's own, else its anchor's with
    the node selected ("&sel=", which view.js restores); "" when nothing shows it."""
    if node in site.pages:
        return site.pages[node]
    owner = anchor(site.store, node)
    return f"{page_link(owner)}&sel={node}" if owner else ""


def _names(site: Site, nodes: set[str]) -> str:
    return "、".join(sorted(site.label(n) for n in nodes))


def _row(site: Site, node: str, kind: NodeType) -> list[Any]:
    store = site.store
    label = site.label(node)
    date = store.node_data[node].get("date", "")
    if kind == NodeType.ORGANISATION:
        kinds = [store.node_data[m]["type"] for m in org_members(store, node, in_full=len(store.node_data))]
        counts = [
            kinds.count(k)
            for k in (NodeType.PERSON, NodeType.MEETING, NodeType.POST, NodeType.TARGET, NodeType.DOCUMENT)
        ]
        return [label, *counts]
    if kind == NodeType.PERSON:
        meetings = successors(store, node, ROLES)
        latest = max((store.node_data[m].get("date", "") for m in meetings), default="")
        return [label, _names(site, successors(store, node, [Relation.HOLDS])), len(meetings), latest]
    if kind == NodeType.MEETING:
        organisers = predecessors(store, node, [Relation.HELD])
        people = predecessors(store, node, ROLES)
        targets = successors(store, node, [Relation.SET_TARGET])
        return [store.label(node), _names(site, organisers), date, len(people), len(targets)]
    if kind == NodeType.POST:
        orgs = successors(store, node, [Relation.POST_IN])
        return [
            store.label(node),
            _names(site, orgs),
            _names(site, predecessors(store, node, [Relation.HOLDS])),
        ]
    if kind == NodeType.TARGET:
        meetings = predecessors(store, node, [Relation.SET_TARGET])
        organisers = {o for m in meetings for o in predecessors(store, m, [Relation.HELD])}
        dates = sorted(store.node_data[m].get("date", "") for m in meetings)
        return [
            label,
            "、".join(sorted(store.label(m) for m in meetings)),
            _names(site, organisers),
            dates[-1] if dates else "",
        ]
    issuers = successors(store, node, [Relation.DOCUMENT]) | predecessors(store, node, [Relation.DOCUMENT])
    return [label, _names(site, issuers)]


NAME = "#name"  # RowInputs: a node a row only names (ids never hold a "#")


class RowInputs(Mapping[str, bytes]):
    """What index rows read of each node, for ``Unchanged``: a node whole by its digest (its own
    row; an organisation's posts and meetings, whose edges its counts walk; a target's meetings,
    whose organisers it names); a node a row only names or dates, ``node + NAME``, by its
    description and, for a meeting or post, the nodes its label is composed from
    (``display_label``). A target's row then keeps its key when its meeting's organiser holds
    another meeting, which changes the organiser's digest but not its name: with every neighbour
    read whole, 1 % of 10k articles changed had half of the index's 50,000 rows keyed again."""

    def __init__(self, site: Site, keys: StoreKeys) -> None:
        self._site, self._keys = site, keys

    def __getitem__(self, name: str) -> bytes:
        if not name.endswith(NAME):
            return self._keys.digests[name]
        node = name[: -len(NAME)]
        description = self._keys.descriptions[node]
        sources = self._site.label_sources(node)
        return digest(description + "\0".join(sources).encode("utf-8")) if sources else description

    def __iter__(self) -> Iterator[str]:
        yield from self._keys.digests
        yield from (node + NAME for node in self._keys.digests)

    def __len__(self) -> int:
        return 2 * len(self._keys.digests)


def row_reads(site: Site, node: str, kind: NodeType) -> set[str]:
    """What ``_row`` and ``page_of`` read for a node, as ``RowInputs`` names it: the node whole
    (its edges: whom it links, its counts, its anchor); each neighbour's name and date, and those
    of the nodes a meeting's or post's label names; an organisation's posts and meetings whole
    (their holders, participants and targets are among its counts), a target's meetings whole
    (their organisers are its anchor and named in its row)."""
    store = site.store
    neighbours = {*store.succ[node], *store.pred[node]}
    named = {*neighbours, *(o for m in neighbours for o in site.label_sources(m))}
    whole = {node}
    if kind == NodeType.ORGANISATION:
        whole |= {m for m in neighbours if store.node_data[m]["type"] in (NodeType.POST, NodeType.MEETING)}
    elif kind == NodeType.TARGET:
        meetings = predecessors(store, node, [Relation.SET_TARGET])
        whole |= meetings
        named |= {o for m in meetings for o in predecessors(store, m, [Relation.HELD])}
    return whole | {n + NAME for n in named}


def row_key(site: Site, inputs: RowInputs, node: str, kind: NodeType) -> tuple[bytes, set[str]]:
    """A row's key, from all it reads (``row_reads``), with what it read."""
    reads = row_reads(site, node, kind)
    read = [(name, inputs[name]) for name in sorted(reads)]
    return digest(marshal.dumps([str(kind), node, read], 2)), reads


def _row_json(site: Site, node: str, kind: NodeType) -> str:
    return json_text([node, page_of(site, node), *_row(site, node, kind)])


def catalogue(site: Site, memo: SectionWriter) -> Iterator[str]:
    """{"kinds": [{type, label, columns, rows}, …]} in COLUMNS' order, rows sorted by name, as
    pieces of JSON text, a row at a time; each row unchanged since the last build (``row_key``)
    is taken from ``memo``."""
    store = site.store
    keys = store_keys(store, sections=False)
    inputs = RowInputs(site, keys)
    unchanged = Unchanged(memo, inputs, keys)  # rows that read nothing changed keep their keys
    by_kind: dict[str, list[str]] = {}
    for node, data in store.node_data.items():
        by_kind.setdefault(data["type"], []).append(node)
    # The whole as assemble writes it, with a mark (JSON text never holds a NUL) where each
    # kind's rows go: the rows are written between the parts, never held together.
    kinds = [
        {"type": str(kind), "label": STYLE[kind][2], "columns": columns, "rows": [Encoded('"\x00"')]}
        for kind, columns in COLUMNS.items()
    ]
    parts = assemble({"kinds": kinds}).split('["\x00"]')
    for kind, before in zip(COLUMNS, parts, strict=False):
        yield before + "["
        for i, node in enumerate(sorted(by_kind.get(kind, []), key=lambda n: (store.label(n), n))):
            key = unchanged.keyed(node, partial(row_key, site, inputs, node, kind))
            yield ("," if i else "") + memo.text(key, partial(_row_json, site, node, kind))
        yield "]"
    yield parts[-1]
    unchanged.save()


def write_catalogue(site: Site, views: Path, memo: SectionWriter) -> None:
    write_data_script(views / CATALOGUE, "kgCatalogue", catalogue(site, memo))


def read_rows(views: Path) -> dict[str, list[list[Any]]]:
    """Kind → rows, as a written views/catalogue.js holds them."""
    _, written = read_data_script((views / CATALOGUE).read_text(encoding="ascii"))
    return {kind["type"]: kind["rows"] for kind in written["kinds"]}


def busiest_organisation(views: Path) -> str:
    """The organisation with the most people and meetings (ties: the first id) in a written
    export: the page the benchmark times and the README shows."""
    # [id, page, name, people, meetings, posts, targets, documents]
    rows = read_rows(views)[NodeType.ORGANISATION]
    return str(max(rows, key=lambda r: (r[3] + r[4], r[0]))[0])
