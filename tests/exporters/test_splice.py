"""The runs a rebuild copies whole from the file it replaces (kg/exporters/sections.py ``spliced``,
kg/exporters/rdfwrite.py ``_stretch_runs``): every unchanged item in one run with the items it
followed in the last file, and a run never spans a place where something changed or went."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from kg.exporters.nodelink import _write_list
from kg.exporters.rdfwrite import _stretch_runs
from kg.exporters.sections import (
    Change,
    _index_path,
    _memo_salt,
    _read_index,
    adopt_sections,
    digest,
    sectioned_write,
    spliced,
)


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


def test_graph_json_copies_the_pairs_the_patch_kept_and_makes_the_rest(tmp_path: Path) -> None:
    """graph.json's links from a changed node: the pairs the patch kept copied in runs that break
    where a pair made again (or gone) lay; a node that was the last of the list, written without
    sections, has its pairs made again. Each written file equals one written from scratch."""
    path, memo = tmp_path / "graph.json", tmp_path / "memo"
    rendered: list[str] = []

    def write(
        links: dict[str, dict[str, str]], changed: set[str] | None, remade: set[tuple[str, str]]
    ) -> str:
        rendered.clear()
        digests = {node: digest(repr(sorted(out.items())).encode()) for node, out in links.items()}

        def made(source: str, target: str) -> list[str]:
            rendered.append(f"{source}>{target}")
            return [f'"{source}>{target}:{links[source][target]}"']

        def lines(node: str) -> list[str]:
            return [line for t in sorted(links[node]) for line in made(node, t)]

        def parts(node: str) -> list[tuple[str, Callable[[], list[str]]]]:
            return [(t, partial(made, node, t)) for t in sorted(links[node])]

        with sectioned_write(path, memo, "json") as writer:
            writer.raw("[\n")
            _write_list(
                writer,
                digests,
                b"links",
                sorted(links),
                lines,
                parts,
                changed,
                remade,
                lambda s, t: t != "xh",
            )
            writer.raw("]\n")
        written = path.read_text(encoding="utf-8")
        # Every section the index names is whole lines of one node's links: a node's section
        # whose first pairs were copied once kept its old length, past where it now ends.
        index = _read_index(_index_path(memo, path), path, _memo_salt("json"))
        assert index is not None
        data = path.read_bytes()
        for row in index.rows():
            text = data[int(row["offset"]) : int(row["offset"] + row["length"])].decode("utf-8")
            if text:
                assert text.endswith(",\n") and text.startswith('  "'), text
                assert len({line.split(">")[0] for line in text.splitlines()}) == 1, text
        return written

    def cold(links: dict[str, dict[str, str]]) -> str:
        shutil.rmtree(memo, ignore_errors=True)
        return write(links, None, set())

    day1 = {"a": {"w": "1", "x": "1", "y": "1", "z": "1", "xh": "1"}, "b": {"x": "1"}}
    expected = cold(day1)
    assert write(day1, set(), set()) == expected and rendered == ["b>x"]  # the last node: raw
    # y changed; the holding is made whatever the patch says (its tenures are worked out again).
    day2 = {**day1, "a": {**day1["a"], "y": "2", "xh": "2"}}
    assert write(day2, {"a"}, {("a", "y")}) == cold(day2)
    write(day1, None, set())
    write(day2, {"a"}, {("a", "y")})
    assert rendered == ["a>xh", "a>y", "b>x"]
    # z changed: the first pairs copied, from where the node's own section began.
    write(day2, None, set())
    day2z = {**day2, "a": {**day2["a"], "z": "2"}}
    assert write(day2z, {"a"}, {("a", "z"), ("a", "xh")}) == cold(day2z)
    write(day2, None, set())
    write(day2z, {"a"}, {("a", "z"), ("a", "xh")})
    assert write(day2, {"a"}, {("a", "z"), ("a", "xh")}) == cold(day2)  # and back, a node copied whole
    # x went: the run of kept pairs breaks where it lay (w, then y and z).
    day3 = {**day2, "a": {k: v for k, v in day2["a"].items() if k != "x"}}
    assert write(day3, {"a"}, {("a", "x")}) == cold(day3)
    write(day2, None, set())
    assert write(day3, {"a"}, {("a", "x")}) == cold(day3)
    # b was the last node, written without sections: followed by c, its pairs are made again.
    day4 = {**day3, "c": {"a": "1"}}
    write(day3, None, set())
    assert write(day4, {"b", "c"}, set()) == cold(day4)
    write(day3, None, set())
    write(day4, {"b", "c"}, set())
    assert rendered == ["b>x", "c>a"]
