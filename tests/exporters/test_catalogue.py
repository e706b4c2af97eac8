"""The index's rows (views/catalogue.js): a rebuild keys again only the rows that read what changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.build import BuildResult
from kg.exporters import catalogue
from kg.exporters.catalogue import write_catalogue
from kg.exporters.html import ROWS_MEMO
from kg.exporters.sections import record_memo, release_keys
from kg.exporters.site import Site
from kg.model import NodeType, Relation
from kg.store import GraphStore

Built = tuple[BuildResult, Path]


def _busiest_organiser(store: GraphStore) -> tuple[str, list[str]]:
    """The organisation that held the most meetings that set targets, and those meetings."""
    held = {
        org: [m for m, keyed in store.succ[org].items() if Relation.HELD in keyed]
        for org, _ in store.nodes(NodeType.ORGANISATION)
    }
    org = max(held, key=lambda o: (sum(1 for m in held[o] if _targets(store, m)), o))
    return org, held[org]


def _targets(store: GraphStore, meeting: str) -> list[str]:
    return [t for t, keyed in store.succ[meeting].items() if Relation.SET_TARGET in keyed]


def _write(store: GraphStore, folder: Path, memo: Path | None) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    with record_memo(memo, ROWS_MEMO) as rows:
        write_catalogue(Site(store), folder, rows)
    release_keys()
    return (folder / catalogue.CATALOGUE).read_bytes()


def _keyed_again(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The nodes whose rows are keyed afresh (``row_key``) from here on."""
    found: set[str] = set()
    real: Callable[..., tuple[bytes, set[str]]] = catalogue.row_key

    def counting(
        site: Site, inputs: catalogue.RowInputs, node: str, kind: NodeType
    ) -> tuple[bytes, set[str]]:
        found.add(node)
        return real(site, inputs, node, kind)

    monkeypatch.setattr(catalogue, "row_key", counting)
    return found


def test_an_organisations_new_meeting_keys_again_the_rows_that_count_it_not_those_that_name_it(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new meeting changes its organiser's digest: the organiser's row counts meetings and is
    keyed again; the rows of its other meetings, posts and targets only name it, and keep their
    keys. The index is the bytes a build from nothing writes."""
    store = GraphStore(built[0].store.graph.copy())
    memo = tmp_path / "memo"
    _write(store, tmp_path / "first", memo)

    org, meetings = _busiest_organiser(store)
    person = next(p for p, keyed in store.pred[meetings[0]].items() if Relation.ATTENDED in keyed)
    record = next(iter(store.succ[org][meetings[0]][Relation.HELD]["evidence"]))
    new = "meeting/" + "f" * 16
    store.graph.add_node(
        new, type=NodeType.MEETING.value, label="新的会议", date="2030-01-01", aliases=[], articles=[]
    )
    store.graph.add_edge(org, new, key=Relation.HELD.value, relation=Relation.HELD.value, evidence=[record])
    store.graph.add_edge(
        person, new, key=Relation.ATTENDED.value, relation=Relation.ATTENDED.value, evidence=[record]
    )
    keyed = _keyed_again(monkeypatch)
    again = _write(store, tmp_path / "again", memo)
    keyed = set(keyed)  # before a build from nothing keys every row

    assert again == _write(store, tmp_path / "cold", None)
    assert {org, person, new} <= keyed
    others = set(meetings) | {t for m in meetings for t in _targets(store, m)}
    assert len(others) > 3 and keyed.isdisjoint(others)


def test_a_renamed_organisation_keys_again_every_row_that_names_it(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name is read wherever it is shown: the rows of its meetings, their targets, its posts."""
    store = GraphStore(built[0].store.graph.copy())
    memo = tmp_path / "memo"
    _write(store, tmp_path / "first", memo)

    org, meetings = _busiest_organiser(store)
    store.graph.nodes[org]["label"] = "改名后的医院"
    keyed = _keyed_again(monkeypatch)
    again = _write(store, tmp_path / "again", memo)
    keyed = set(keyed)

    assert again == _write(store, tmp_path / "cold", None)
    assert {*meetings, *(t for m in meetings for t in _targets(store, m))} <= keyed
