"""kg/patch.py: a resident process's store, patched where each change reached, holds what a store
built whole from the same corpus holds: every node's data, every edge with its evidence and
tenures, every article's fact digest."""

from __future__ import annotations

import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import kg.patch
from kg.build import build_store
from kg.cache import FactCache
from kg.model import Relation
from kg.patch import patch_store
from kg.resident import Resident
from kg.store import GraphStore
from tests.test_identity import _make_corpus
from tests.test_rekey import HEADS, _article


def _held(store: GraphStore) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any], dict[str, bytes]]:
    """What a store holds, in no order of its own."""
    edges = {
        (s, o, relation): {k: list(v) if k == "evidence" else v for k, v in data.items()}
        for s, o, relation, data in store.edges()
    }
    return {n: dict(d) for n, d in store.node_data.items()}, edges, dict(store.fact_digests)


def _assert_same(patched: GraphStore, whole: GraphStore) -> None:
    nodes, edges, digests = _held(patched)
    expected_nodes, expected_edges, expected_digests = _held(whole)
    assert nodes.keys() == expected_nodes.keys()
    assert [n for n in nodes if nodes[n] != expected_nodes[n]] == []
    assert edges.keys() == expected_edges.keys()
    assert [e for e in edges if edges[e] != expected_edges[e]] == []
    assert digests == expected_digests


def test_a_patched_store_holds_what_a_whole_one_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _make_corpus().write(tmp_path, 150, 13)  # type: ignore[attr-defined]
    corpus = tmp_path / "corpus"
    patches: list[int] = []
    original = patch_store

    def counted(*args: Any) -> set[str]:
        touched = original(*args)
        patches.append(len(touched))
        return touched

    monkeypatch.setattr(sys.modules["kg.build"], "patch_store", counted)  # kg.build is also a function
    # Pairs edited, the records of their unchanged articles kept (the rest made again from all).
    edited: list[tuple[str, str]] = []
    edit = kg.patch._edit

    def editing(store: GraphStore, s: str, o: str, articles: Any) -> None:
        edited.append((s, o))
        edit(store, s, o, articles)

    monkeypatch.setattr(kg.patch, "_edit", editing)
    resident = Resident()
    with closing(FactCache(tmp_path / "facts.sqlite")) as cache:
        build_store(corpus, cache=cache, release=True, resident=resident)
        for seed in (1, 2, 3, 4):
            # New, rewritten, corrected, deleted, renamed and reflowed files.
            _make_corpus().change(corpus, 0.06, seed)  # type: ignore[attr-defined]
            assert resident.last is not None
            shape = resident.last[0].shape()
            patched = build_store(corpus, cache=cache, release=True, resident=resident).store
            assert resident.last is not None and resident.last[0] is patched
            # What was worked out for the store before (keys, RDF blocks) is known to be stale.
            assert patched.shape() != shape
            _assert_same(patched, build_store(corpus, cache=cache, release=True).store)
            # The rows its edges hold, counted as edges go, are those a walk of them finds.
            walked = sum(
                len(d["evidence"]) for out in patched.succ.values() for k in out.values() for d in k.values()
            )
            assert patched.evidence_table.live_rows() == walked < patched.evidence_table.rows()
    assert len(patches) == 4
    assert len(edited) > 100
    assert all(0 < n < len(patched.node_data) / 2 for n in patches)  # what it is for


def test_a_new_head_ends_the_tenure_of_the_last_one_in_a_patched_store(tmp_path: Path) -> None:
    """The article that appoints a new 院长 never names the last one, whose tenure it ends."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, title, text in HEADS[:2]:
        _article(corpus / name, title, text)
    resident = Resident()
    with closing(FactCache(tmp_path / "facts.sqlite")) as cache:
        build_store(corpus, cache=cache, release=True, resident=resident)
        _article(corpus / HEADS[2][0], *HEADS[2][1:])
        patched = build_store(corpus, cache=cache, release=True, resident=resident).store
        whole = build_store(corpus, cache=cache, release=True).store
    ends = [d["tenures"][-1]["end_by"] for _, _, _, d in patched.edges(Relation.HOLDS)]
    assert sorted(ends) == ["", "inferred"]
    _assert_same(patched, whole)
