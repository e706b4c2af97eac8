"""The packed evidence table: each edge reads back the records it was given, sorted and unique."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from kg.build import BuildResult, build
from kg.evidence import EvidenceRecord, EvidenceTable, PackedEvidence, contents_of, evidence_order, stretch
from kg.model import Relation
from kg.store import EvidenceByArticle, FewArticlesEvidence, GraphStore, article_stretches
from kg.textstore import ArticleTexts
from tests.conftest import CORPUS


def _filled() -> tuple[EvidenceTable, list[list[EvidenceRecord]], list[PackedEvidence]]:
    """Three edges whose records arrive interleaved, out of order, one of them twice."""
    table = EvidenceTable()
    edges = [table.new_edge() for _ in range(3)]
    given: list[list[EvidenceRecord]] = [[], [], []]
    sentences = {
        ("b.txt", 5, 12): "第二句，院长讲话。",
        ("a.txt", 0, 4): "第一句。",
        ("a.txt", 9, 20): "会议由书记主持。",
    }
    numbers = {bounds: table.add_sentence(*bounds, text) for bounds, text in sentences.items()}
    plan = [
        (1, ("b.txt", 5, 12), "speaker", "2024-01-02", ""),
        (0, ("a.txt", 9, 20), "chain", "", ""),
        (1, ("a.txt", 0, 4), "speaker", "", "start"),
        (0, ("a.txt", 0, 4), "chain", "", ""),
        (1, ("b.txt", 5, 12), "speaker", "2024-01-02", ""),  # the same record again
        (0, ("a.txt", 0, 4), "apposition", "", ""),
    ]
    for edge, bounds, rule, date, change in plan:
        table.add(edges[edge], numbers[bounds], rule, date, change)
        record = EvidenceRecord(*bounds, sentences[bounds], rule, date, change)
        if record not in given[edge]:
            given[edge].append(record)
    table.seal()
    return table, given, edges


def test_each_edge_reads_back_its_records_sorted_without_repeats() -> None:
    _, given, edges = _filled()
    for records, evidence in zip(given, edges, strict=True):
        assert list(evidence) == sorted(records, key=evidence_order)
        assert len(evidence) == len(records)
    assert len(edges[2]) == 0 and list(edges[2]) == []


def test_packed_evidence_indexes_and_slices_as_a_list() -> None:
    _, _, edges = _filled()
    evidence = edges[0]
    as_list = list(evidence)
    assert evidence == as_list and as_list == evidence
    assert evidence[0] == as_list[0] and evidence[-1] == as_list[-1]
    assert evidence[1:] == as_list[1:] and evidence[:-1] == as_list[:-1] and evidence[::2] == as_list[::2]
    assert list(evidence.articles()) == [r.article for r in as_list]
    with pytest.raises(IndexError):
        evidence[len(as_list)]


def test_records_are_added_only_before_sealing() -> None:
    table, _, edges = _filled()
    with pytest.raises(ValueError):
        table.add(edges[0], 0, "chain")


def test_an_edge_carried_without_an_articles_records_reads_as_the_rest_with_what_is_added() -> None:
    """What a patch keeps of an edge (``carry``): the records of the articles that did not
    change, as they were; records added beside them are sorted in on sealing."""
    table, given, edges = _filled()
    carried = table.new_edge()
    assert table.carry(carried, edges[1], but={"a.txt"}) == 1
    new = table.add_sentence("c.txt", 3, 8, "第三句。")
    table.add(carried, new, "speaker", "2024-03-04", "")
    with pytest.raises(ValueError):  # from an edge not yet sealed
        table.carry(table.new_edge(), carried, but=set())
    table.seal()
    kept = [r for r in given[1] if r.article != "a.txt"]
    added = EvidenceRecord("c.txt", 3, 8, "第三句。", "speaker", "2024-03-04", "")
    assert list(carried) == sorted([*kept, added], key=evidence_order)
    assert list(edges[1]) == sorted(given[1], key=evidence_order)  # the edge carried from is as it was
    with pytest.raises(ValueError):  # into an edge sealed
        table.carry(carried, edges[0], but=set())


def test_contents_and_stretches_read_what_the_records_say() -> None:
    """What digests read of a packed edge (contents_of) is what its records say, as a list of the
    same records gives it; a stretch of it reads as the same slice of its records."""
    _, given, edges = _filled()
    for records, evidence in zip(given, edges, strict=True):
        ordered = sorted(records, key=evidence_order)
        assert contents_of(evidence) == contents_of(ordered)
        assert [c[0].decode("utf-16-le") for c in contents_of(evidence)] == [r.sentence for r in ordered]
        for first in range(len(ordered) + 1):
            assert list(stretch(evidence, first, len(ordered))) == ordered[first:]


def test_a_fact_added_by_hand_to_an_unsealed_edge_is_refused() -> None:
    """add_fact on an edge add_article made, before finish: its records are still in the table,
    and replacing its evidence with a list would lose them."""
    built = build(CORPUS)
    texts = ArticleTexts()
    texts.update_many({item.article.id: item.article.text for item in built.corpus.articles})
    store = GraphStore.begin([item.article for item in built.corpus.articles], texts)
    item = next(i for i in built.corpus.articles if i.facts)
    ends = built.resolution.fact_ends(item)
    store.add_article(item, ends)
    (s, o), fact = next((e, f) for e, f in zip(ends, item.facts, strict=True) if all(e))
    record = EvidenceRecord(item.article.id, 0, 1, "句", "hand")
    with pytest.raises(ValueError, match="finish"):
        store.add_fact(s, o, Relation(str(fact.relation)), record)
    store.finish(built.resolution)
    read = list(store.graph.edges[s, o, str(fact.relation)]["evidence"])
    assert read
    store.add_fact(s, o, Relation(str(fact.relation)), record)  # sealed: made a list, kept whole
    assert sorted(store.graph.edges[s, o, str(fact.relation)]["evidence"]) == sorted([*read, record])


def _listed(found: Iterable[tuple[str, str, str, Any, Sequence[EvidenceRecord]]]) -> list[Any]:
    return [(s, o, relation, list(records)) for s, o, relation, _, records in found]


def test_an_articles_facts_found_among_its_nodes_are_those_a_walk_of_every_edge_finds(
    built: tuple[BuildResult, Path],
) -> None:
    """FewArticlesEvidence (a rebuild's few article records) lists each article's facts as
    EvidenceByArticle does: the same edges, records and order, an article of no facts none."""
    store = built[0].store
    articles = sorted(a for a in (d.get("identifier") for d in store.node_data.values()) if a)
    everything, few = EvidenceByArticle(store), FewArticlesEvidence(store, [*articles, "no-such-article"])
    assert sum(1 for a in articles for _ in everything.of(a)) > len(articles)
    for article in articles:
        assert _listed(few.of(article)) == _listed(everything.of(article)), article
    assert _listed(few.of("no-such-article")) == []
    # Only the articles named are listed.
    assert _listed(FewArticlesEvidence(store, articles[:1]).of(articles[1])) == []


def test_facts_read_in_several_articles_are_listed_for_each_as_a_walk_of_every_edge_finds(
    tmp_path: Path,
) -> None:
    """FewArticlesEvidence works out an edge's stretches once for all the articles it is asked
    of: a post held across three stories lists each story's own records."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    meetings = ["2023年工作会议", "安全生产专题会议", "学科建设推进会"]
    for i, meeting in enumerate(meetings):
        (corpus / f"{i}.txt").write_text(
            f"3月{i + 2}日，清河县人民医院召开{meeting}。院党委书记钱立新主持会议，院长孙志远出席会议并讲话。\n",
            encoding="utf-8",
        )
    store = build(corpus, tmp_path / "out").store
    articles = sorted(a for a in (d.get("identifier") for d in store.node_data.values()) if a)
    assert len(articles) == len(meetings)
    shared = [d for *_, d in store.edges() if len({a for a, _, _ in article_stretches(d["evidence"])}) > 1]
    assert shared  # the holds facts, read in every story
    everything, few = EvidenceByArticle(store), FewArticlesEvidence(store, articles[1:])
    for article in articles[1:]:
        assert _listed(few.of(article)) == _listed(everything.of(article)), article
    assert _listed(few.of(articles[0])) == []


def test_the_graph_holds_one_string_for_each_node_name_and_type(built: tuple[BuildResult, Path]) -> None:
    """Every article names its facts' ends in strings of its own; the graph keeps one of each
    (an edge keyed by an equal string kept that one too: a million copies at 100k articles)."""
    store = built[0].store
    own = {node: node for node in store.graph}
    neighbours = [n for around in (store.succ, store.pred) for ends in around.values() for n in ends]
    assert len(neighbours) > len(own)
    assert all(n is own[n] for n in neighbours)
    kinds: dict[str, str] = {}
    assert all(kinds.setdefault(d["type"], d["type"]) is d["type"] for d in store.node_data.values())


@pytest.mark.parametrize("relation", list(Relation))
def test_the_edges_of_one_relation_are_every_edges_of_it_in_order(relation: Relation) -> None:
    """``GraphStore.edges(relation)`` sorts only the nodes with an edge of it: the same edges, in
    the same order, with the graph's own keys, as a walk of every edge kept to that relation."""
    store = build(CORPUS).store
    found = [(s, o, key, id(data)) for s, o, key, data in store.edges(relation)]
    assert found == [(s, o, key, id(data)) for s, o, key, data in store.edges() if key == relation]
    assert found and all(type(key) is str for _, _, key, _ in found)


def test_the_edges_articles_give_are_what_networkx_would_make_of_them(
    built: tuple[BuildResult, Path],
) -> None:
    """The store puts an article's edges into networkx's own dicts: each edge is there from both
    ends, one key dict shared as add_edge shares it, and a graph made by add_edge from the same
    edges has the same adjacency both ways."""
    store = built[0].store
    made = type(store.graph)()
    made.add_nodes_from(store.graph.nodes(data=True))
    for s, o, relation, data in store.edges():
        made.add_edge(s, o, key=relation, **data)
    assert made.number_of_edges() == store.graph.number_of_edges() > 100
    for node in store.node_data:
        assert {o: set(keyed) for o, keyed in store.succ[node].items()} == {
            o: set(keyed) for o, keyed in made.succ[node].items()
        }
        assert {s: set(keyed) for s, keyed in store.pred[node].items()} == {
            s: set(keyed) for s, keyed in made.pred[node].items()
        }
        assert all(store.pred[o][node] is keyed for o, keyed in store.succ[node].items())
