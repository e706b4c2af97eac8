"""The runs a rebuild copies whole from the file it replaces (kg/exporters/sections.py ``spliced``,
kg/exporters/rdfwrite.py ``_stretch_runs``): every unchanged item in one run with the items it
followed in the last file, and a run never spans a place where something changed or went."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.exporters.rdfwrite import _stretch_runs
from kg.exporters.sections import Change, adopt_sections, digest, sectioned_write, spliced


def _runs(order: list[str], changed: set[str]) -> list[tuple[bool, list[str]]]:
    return list(spliced(order, changed, set(order)))


def test_runs_break_where_a_node_changed_or_went() -> None:
    order = ["a", "b", "c", "e", "f", "h"]
    # c changed; d was in the last file between c and e and went; g went after f.
    assert _runs(order, {"c", "d", "g"}) == [
        (True, ["a", "b"]),
        (False, ["c"]),
        (True, ["e", "f"]),
        (True, ["h"]),
    ]
    assert _runs(order, set()) == [(True, order)]
    assert _runs(order, {"z"}) == [(True, order)]  # gone after the last: nothing follows it
    assert _runs(order, set(order)) == [(False, [n]) for n in order]
    assert _runs([], {"a"}) == []


def test_every_item_is_in_one_run_in_order() -> None:
    order = [f"n{i:03}" for i in range(200)]
    changed = {f"n{i:03}" for i in range(0, 200, 7)} | {"n0505", "n1234"}
    runs = _runs(order, changed)
    assert [n for _, run in runs for n in run] == order
    for unchanged, run in runs:
        assert unchanged == (not changed & set(run))
        if not unchanged:
            assert len(run) == 1


def test_an_edges_statements_break_at_the_articles_that_gave_it_facts() -> None:
    # One stretch an article, in article order; a2 changed (it is still there), a4 no longer
    # gives a fact of the edge, a9 is new.
    stretches = [("a1", 0, 2), ("a2", 2, 3), ("a3", 3, 5), ("a5", 5, 6), ("a6", 6, 8), ("a9", 8, 9)]
    runs = list(_stretch_runs(stretches, {"a2", "a4", "a9"}))
    assert runs == [
        (True, [("a1", 0, 2)]),
        (False, [("a2", 2, 3)]),
        (True, [("a3", 3, 5)]),
        (True, [("a5", 5, 6), ("a6", 6, 8)]),
        (False, [("a9", 8, 9)]),
    ]


def _two_sections(tmp_path: Path) -> tuple[Path, Path, bytes, bytes]:
    path, memo = tmp_path / "graph.ttl", tmp_path / "memo"
    first, second = digest(b"first"), digest(b"second")
    with sectioned_write(path, memo, "ttl") as writer:
        writer.raw("head\n")
        writer.section(first, lambda: ("one\n", 1))
        writer.section(second, lambda: ("two\n", 1))
    return path, memo, first, second


def _since(generation: int) -> Change:
    """A change from the keys of ``generation``, numbered in this process."""
    return Change(generation, frozenset())


def test_a_file_another_build_left_is_taken_only_with_its_sections_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, memo, first, second = _two_sections(tmp_path)
    assert not adopt_sections(path, memo, "ttl", [[second, first]], 7)  # not in that order
    assert not adopt_sections(path, memo, "ttl", [[first, digest(b"other")]], 7)
    with sectioned_write(path, memo, "ttl", 8) as writer:
        assert not writer.follows(_since(7))  # nothing taken: not this process's for those keys
        writer.raw("head\n")
        writer.section(first, lambda: ("one\n", 1))
        writer.section(second, lambda: ("two\n", 1))
    assert adopt_sections(path, memo, "ttl", [[first, second]], 7)
    with sectioned_write(path, memo, "ttl", 9) as writer:
        assert writer.follows(_since(7)) and not writer.follows(_since(8))
        # Nor the same generation numbered in another process (keys read from kg/keyfile.py).
        assert not writer.follows(Change(7, frozenset(), process=b"another process..."))
        writer.raw("head\n")
        assert writer.copy_span(first, second, 2)
    assert path.read_text() == "head\none\ntwo\n"

    def unwritable(*args: Any, **kwargs: Any) -> Any:
        raise OSError("read-only")

    monkeypatch.setattr("kg.exporters.sections.atomic_write", unwritable)
    assert not adopt_sections(path, memo, "ttl", [[first, second]], 9)  # not taken, no error
