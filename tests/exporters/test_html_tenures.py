"""The explorer shows leadership over time: an organisation's tenure table in date order with a
timeline chart, a person's career, and graph.html's date-range filter, in a real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.exporters.site import ENTITY_PAGE, tenures_of
from kg.model import NodeType, Relation
from kg.tenures import post_rank
from tests.exporters.test_html import _open, browser, needs_chromium  # noqa: F401  (a fixture)
from tests.test_identity import _make_corpus

World = tuple[kg.BuildResult, Path]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("html-world")
    _make_corpus().write(folder, 150, 5)  # type: ignore[attr-defined]
    yield kg.build(folder / "corpus", folder / "out", formats=("html",)), folder / "out"


def tenure_table(store: Any) -> dict[str, list[list[Any]]]:
    """Each organisation's and person's tenures, as its page lists them."""
    return {n: rows for n, _ in store.nodes() for rows in (tenures_of(store, n),) if rows}


def _changed_hospital(store: Any) -> str:
    """The organisation whose table has the most ended tenures."""
    table = tenure_table(store)
    orgs = [n for n, _ in store.nodes(NodeType.ORGANISATION) if n in table]
    return str(max(sorted(orgs), key=lambda n: sum(1 for row in table[n] if row[5])))


def test_tenure_rows_are_ordered_by_rank_then_start(world: World) -> None:
    table = tenure_table(world[0].store)
    for rows in table.values():
        keys = [(r[3], post_rank(r[0]), r[0], r[4] or "9999") for r in rows]
        assert keys == sorted(keys)


@needs_chromium
def test_organisation_page_reads_its_tenure_table_in_date_order(browser: Any, world: World) -> None:  # noqa: F811
    store = world[0].store
    org = _changed_hospital(store)
    page, requests, errors = _open(browser, world[1] / "views" / ENTITY_PAGE, org)
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    page.wait_for_selector("#tenures tr[data-person]")
    rows = page.evaluate(
        "[...document.querySelectorAll('#tenures tr[data-person]')]"
        ".map(tr => [...tr.children].map(td => td.textContent))"
    )
    assert len(rows) == len(tenure_table(store)[org])
    by_post: dict[str, list[str]] = {}
    for post, _, start, _, _ in rows:
        by_post.setdefault(post, []).append(start)
    for starts in by_post.values():
        dated = [s for s in starts if s != "?"]
        assert dated == sorted(dated)  # within a post: in date order
    heads = [r for r in rows if r[0] == "院长"]
    assert len(heads) >= 2 and all(r[3] for r in heads[:-1])  # every head but the last has an end
    ranks = [post_rank(r[0]) for r in rows]
    assert ranks == sorted(ranks)  # secretary, head, … as an analyst reads a leadership table
    bars = page.evaluate("document.querySelectorAll('#tenure-chart rect').length")
    assert bars == sum(1 for r in rows if r[2] != "?" or r[3])
    assert requests == [] and errors == []


@needs_chromium
def test_person_page_shows_the_career(browser: Any, world: World) -> None:  # noqa: F811
    store = world[0].store
    table = tenure_table(store)
    person = max(
        sorted(n for n, _ in store.nodes(NodeType.PERSON) if n in table), key=lambda n: len(table[n])
    )
    page, requests, errors = _open(browser, world[1] / "views" / ENTITY_PAGE, person)
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    page.wait_for_selector("#tenures tr[data-person]")
    cells = page.evaluate(
        "[...document.querySelectorAll('#tenures tr[data-person] td:first-child')].map(td => td.textContent)"
    )
    assert sorted(cells) == sorted(row[0] for row in table[person])
    assert requests == [] and errors == []


@needs_chromium
def test_the_date_filter_hides_what_falls_outside_the_years(browser: Any, world: World) -> None:  # noqa: F811
    store = world[0].store
    page, requests, errors = _open(browser, world[1] / "graph.html")
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    shown = "window.kgNetwork.body.nodeIndices.length"
    before = page.evaluate(shown)
    page.fill("#date-from", "2023")
    page.fill("#date-to", "2023")
    visible = set(page.evaluate("window.kgNetwork.body.nodeIndices"))
    meetings = {n: d.get("date", "") for n, d in store.nodes(NodeType.MEETING)}
    assert any(n in visible for n, d in meetings.items() if d.startswith("2023"))
    assert not any(n in visible for n, d in meetings.items() if d and not d.startswith("2023"))
    holds = page.evaluate("window.kgNetwork.body.edgeIndices.filter(e => e.endsWith('|holds'))")
    for edge in holds:
        s, o, _ = edge.split("|")
        spans = store.graph.edges[s, o, Relation.HOLDS]["tenures"]
        assert any(
            (t["start"] or "0")[:4] <= "2023" and (not t["end"] or t["end"][:4] >= "2023") for t in spans
        )
    assert len(visible) < before
    page.fill("#date-from", "")
    page.fill("#date-to", "")
    assert page.evaluate(shown) == before
    assert requests == [] and errors == []
