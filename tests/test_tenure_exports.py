"""Tenures over a generated multi-year world: the queries, `kg timeline`, `kg eval --tenures`,
and the SHACL shapes of org:Membership / OWL-Time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF

import kg
from kg.cli import cli
from kg.exporters.site import tenures_of
from kg.query import run_query
from kg.tenure_eval import load_tenures, predicted_tenures, score_tenures
from kg.tenures import TimelineRow, labelled, post_rank, table_order, tenure_rows
from kg.vocab import ORG, TIME
from tests.conftest import QUERIES
from tests.test_identity import _make_corpus

World = tuple[kg.BuildResult, Path, Path]  # the build, its exports, the generator's folder


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("world")
    _make_corpus().write(folder, 200, 3)  # type: ignore[attr-defined]
    out = folder / "out"
    yield kg.build(folder / "corpus", out, formats=("ttl", "json")), out, folder


def test_the_generated_world_spans_years_of_changes(world: World) -> None:
    gold = load_tenures(world[2] / "tenures.jsonl")
    years = {t.start[:4] for t in gold if t.start} | {t.end[:4] for t in gold if t.end}
    assert len(years) >= 5
    assert sum(1 for t in gold if t.end) > 20  # leaders replaced, announced or not


def test_tenures_match_the_gold(world: World) -> None:
    s = score_tenures(load_tenures(world[2] / "tenures.jsonl"), predicted_tenures(world[0].store))
    assert s.f1 >= 0.95 and s.start_accuracy >= 0.95 and s.end_accuracy >= 0.95, s


@pytest.mark.parametrize("query", ["leaders_in_year.rq", "leadership_changes.rq"])
def test_tenure_queries_answer_alike_on_both_engines(world: World, query: str) -> None:
    text = (QUERIES / query).read_text(encoding="utf-8")
    a = run_query(world[1] / "graph.ttl", text, engine="rdflib")
    b = run_query(world[1] / "graph.ttl", text, engine="oxigraph")
    assert a.columns == b.columns and sorted(a.rows) == sorted(b.rows) and len(a.rows) > 20


def test_leaders_in_year_are_the_tenures_that_cover_it(world: World) -> None:
    rows = run_query(
        world[1] / "graph.ttl", (QUERIES / "leaders_in_year.rq").read_text(encoding="utf-8")
    ).rows
    store = world[0].store
    expected = {
        (t.person, t.post, t.start)
        for t in predicted_tenures(store)
        if t.start and t.start[:4] <= "2022" and (not t.end or t.end[:4] >= "2022")
    }
    assert {(r[2], r[1], r[3]) for r in rows} == expected


def test_leadership_changes_list_stated_starts_and_every_end(world: World) -> None:
    rows = run_query(
        world[1] / "graph.ttl", (QUERIES / "leadership_changes.rq").read_text(encoding="utf-8")
    ).rows
    hows = {(r[4], r[5]) for r in rows}
    assert {("start", "stated"), ("end", "stated"), ("end", "inferred")} <= hows
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)  # newest first


def test_kg_timeline_prints_an_organisations_leadership_in_order(world: World) -> None:
    store = world[0].store
    # the hospital with the most replaced leaders
    ended: dict[str, int] = {}
    for t in predicted_tenures(store):
        if t.end and t.org:
            ended[t.org] = ended.get(t.org, 0) + 1
    hospital = max(sorted(ended), key=ended.__getitem__)
    result = CliRunner().invoke(
        cli, ["timeline", hospital, "--graph", str(world[1] / "graph.json"), "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["organisation"] for r in rows} == {hospital}
    keys = [(post_rank(r["post"]), r["post"], r["start"] or "9999") for r in rows]
    assert keys == sorted(keys)
    heads = [r for r in rows if r["post"] == "院长"]
    assert len(heads) >= 2 and all(a["end"] and a["end"] <= b["start"] for a, b in pairwise(heads))
    missing = CliRunner().invoke(cli, ["timeline", "没有这家医院", "--graph", str(world[1] / "graph.json")])
    assert missing.exit_code == 1 and "no organisation or person" in missing.output


def test_kg_eval_prints_the_tenure_scores(world: World) -> None:
    folder = world[2]
    args = ["eval", "--gold", str(folder / "gold.jsonl"), str(folder / "corpus"), "--tenures"]
    result = CliRunner().invoke(cli, [*args, str(folder / "tenures.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["tenures"]
    assert scores["gold"] > 100 and scores["f1"] >= 0.95


@pytest.mark.shacl
def test_memberships_conform_and_a_broken_one_does_not(tmp_path: Path) -> None:
    from kg.validate import load_graph, validate

    _make_corpus().write(tmp_path, 30, 3)  # type: ignore[attr-defined]
    kg.build(tmp_path / "corpus", tmp_path / "out", formats=("ttl",))
    g = load_graph(tmp_path / "out" / "graph.ttl")
    assert validate(g) == []
    membership = next(g.subjects(RDF.type, ORG.Membership))
    g.remove((membership, ORG.member, None))  # a tenure of nobody
    instant = next(g.subjects(RDF.type, TIME.Instant))
    g.remove((instant, None, None))
    g.add((instant, RDF.type, TIME.Instant))  # an instant placed nowhere
    text = "\n".join(map(str, validate(g)))
    assert "org:member" in text and "time:" in text


def test_ended_holdings_are_not_asserted_but_kept_as_tenures(world: World) -> None:
    g = Graph().parse(world[1] / "graph.ttl")
    store = world[0].store
    from kg.exporters.rdf import fact_triple
    from kg.model import Relation

    ended = [(s, o) for s, o, _, d in store.edges(Relation.HOLDS) if not d["current"]]
    assert ended
    for s, o in ended:
        assert fact_triple(s, o, Relation.HOLDS) not in g


def test_each_page_lists_the_tenures_of_its_node_as_kg_timeline_orders_them(world: World) -> None:
    """A page's tenures, worked out for its node alone, are the rows of every tenure that name the
    node as person or organisation, in timeline order (ties: holder, then post, by id)."""
    store = world[0].store
    expected: dict[str, list[tuple[TimelineRow, str]]] = {}
    for row in tenure_rows(store):
        for node in (row.person, row.organisation):
            if node:
                expected.setdefault(node, []).append((labelled(store, row), row.person))
    listed = 0
    for node, data in store.nodes():
        found = tenures_of(store, node)
        rows = sorted(expected.get(node, []), key=lambda pair: table_order(pair[0]))
        assert [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in found] == [
            (t.post, person, t.person, t.organisation, t.tenure.start, t.tenure.end) for t, person in rows
        ]
        listed += bool(found) and data["type"] == "organisation"
    assert listed >= 5  # organisations with leaders, not only people
