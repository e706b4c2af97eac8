"""Incremental builds: a rebuild after a change gives the bytes a cold build of the changed corpus
gives, in every format, while copying the sections of its exports that the change left alone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from kg.build import build
from kg.exporters import EXPORTERS, SECTIONED
from kg.exporting import differing_exports
from tests.conftest import CORPUS
from tests.test_identity import _make_corpus

ALL_FORMATS = tuple(EXPORTERS)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated world of 150 articles: people and hospitals recur from story to story."""
    folder = tmp_path_factory.mktemp("world")
    _make_corpus().write(folder, 150, 5)  # type: ignore[attr-defined]
    return folder / "corpus"


def _rebuild_after_change(
    corpus: Path, tmp_path: Path, fraction: float, seed: int, most: bool = True
) -> None:
    """Build, change the corpus, rebuild into the same folder; then build the changed corpus
    cold into another, and compare every file."""
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    first = build(work, tmp_path / "incremental", formats=ALL_FORMATS)
    assert all(reuse.reused == 0 for reuse in first.reused.values())
    changed = _make_corpus().change(work, fraction, seed)  # type: ignore[attr-defined]
    assert sum(changed.values()) >= 6
    again = build(work, tmp_path / "incremental", formats=ALL_FORMATS)
    cold = build(work, tmp_path / "cold", formats=ALL_FORMATS, cache=False)
    assert again.counts == cold.counts
    assert differing_exports(tmp_path / "incremental", tmp_path / "cold") == []
    assert set(again.reused) == SECTIONED & set(ALL_FORMATS)
    for fmt, reuse in again.reused.items():
        # Some of each export came from the last build's file (most, after a small change), and
        # some of it was written anew.
        assert (reuse.sections // 2 if most else 0) < reuse.reused < reuse.sections, (fmt, reuse)


def test_a_rebuild_after_a_change_gives_the_cold_builds_bytes(world: Path, tmp_path: Path) -> None:
    _rebuild_after_change(world, tmp_path, 0.06, 3)


def test_the_bundled_corpus_rebuilt_after_a_change_too(tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "source")
    for extra in _make_corpus().Generator(11).article(0), _make_corpus().Generator(12).article(1):  # type: ignore[attr-defined]
        (tmp_path / "source" / extra.name).write_text("\n".join(extra.lines) + "\n", encoding="utf-8")
    _rebuild_after_change(tmp_path / "source", tmp_path, 0.5, 4, most=False)


def test_a_section_index_that_does_not_match_its_file_is_ignored(world: Path, tmp_path: Path) -> None:
    """An export edited by hand after the build (same size, same time) is not trusted: the index
    names the file as it was, and a changed file is rebuilt from the store whole."""
    out = tmp_path / "out"
    build(world, out, formats=("ttl",))
    ttl = out / "graph.ttl"
    stat = ttl.stat()
    data = bytearray(ttl.read_bytes())
    middle = len(data) // 2  # inside a node's section, which the index would copy
    data[middle] = ord("#") if data[middle] != ord("#") else ord("%")  # size kept
    ttl.write_bytes(bytes(data))
    os.utime(ttl, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    again = build(world, out, formats=("ttl",))
    assert again.reused["ttl"].reused == 0
    build(world, tmp_path / "cold", formats=("ttl",), cache=False)
    assert ttl.read_bytes() == (tmp_path / "cold" / "graph.ttl").read_bytes()


def test_an_edit_outside_every_fact_sentence_reaches_the_article_page(tmp_path: Path) -> None:
    """A character changed where no fact was read leaves every node as it was (same facts, same
    line map) but not the article's text, which the explorer's article page shows: the rebuild
    renders that record again rather than keep it because nothing it read changed."""
    work = tmp_path / "corpus"
    shutil.copytree(CORPUS, work)
    first = build(work, tmp_path / "incremental", formats=("html",))
    store = first.store
    article = sorted(first.fact_counts)[0]
    text = store.texts[article]
    read = [
        (e.start, e.end) for _, _, _, data in store.edges() for e in data["evidence"] if e.article == article
    ]
    # A CJK character in no sentence a fact was read from, and where it is in the file.
    position = next(
        i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff" and not any(s <= i < e for s, e in read)
    )
    line_map = first.corpus.articles[0].article.line_map  # the first article in id order
    assert first.corpus.articles[0].article.id == article
    start, raw = max((s, r) for s, r in line_map if s <= position)
    path = work / article
    source = path.read_text(encoding="utf-8")
    at = raw + position - start
    assert source[at] == text[position]
    path.write_text(source[:at] + ("之" if source[at] != "之" else "乎") + source[at + 1 :], encoding="utf-8")
    again = build(work, tmp_path / "incremental", formats=("html",))
    assert again.counts == first.counts  # the same facts: nothing but the text changed
    build(work, tmp_path / "cold", formats=("html",), cache=False)
    assert differing_exports(tmp_path / "incremental", tmp_path / "cold") == []


def test_what_a_record_reads_of_a_post_changes_with_the_organisation_its_label_names() -> None:
    """Article records are keyed by their neighbours' descriptions, not digests; a post's label
    names its organisation, found by its edges, so what a record reads of a post changes when its
    organisation does, though the post's own data does not; its article reads its facts' digest."""
    from kg.exporters.articles import RecordInputs
    from kg.exporters.sections import release_keys, store_keys
    from kg.model import Relation
    from kg.store import article_node

    built = build(CORPUS)
    store = built.store
    post = next(n for n, d in store.nodes() if d["type"] == "post" and store.succ[n])
    other = next(n for n, d in store.nodes() if d["type"] == "organisation" and n not in store.succ[post])
    article = sorted(built.fact_counts)[0]
    before = dict(RecordInputs(store, store_keys(store)))
    assert before[post] != store_keys(store).digests[post]  # read by description, not digest
    release_keys()
    first = sorted(store.succ[post])[0]
    record = store.succ[post][first][Relation.POST_IN]["evidence"][0]
    # A post_in edge as add_article makes one (add_fact would leave the store to node digests),
    # to an organisation whose id sorts first: the one its label names.
    organisation = "organisation/" + "0" * 4
    relation = str(Relation.POST_IN)  # a plain string, as add_article keys its edges
    store.graph.add_edge(post, organisation, key=relation, relation=relation, evidence=[record])
    store.graph.nodes[organisation].update(type="organisation", label="甲医院", aliases=[])
    after = dict(RecordInputs(store, store_keys(store)))
    release_keys()
    assert after[post] != before[post]
    assert after[other] == before[other] and after[article_node(article)] == before[article_node(article)]
    store.fact_digests[article] = b"changed"
    assert (
        dict(RecordInputs(store, store_keys(store)))[article_node(article)] != before[article_node(article)]
    )
    release_keys()
    # A fact added by hand is in no article's fact digest: the store is read by node digests.
    store.add_fact(post, organisation, Relation.POST_IN, record._replace(rule="hand"))
    assert not store.fact_digests
    assert dict(RecordInputs(store, store_keys(store)))[other] == store_keys(store).digests[other]
    release_keys()


def test_an_article_graph_is_keyed_by_what_it_carries_from_other_articles() -> None:
    """TriG keys an article's graph by its nodes' descriptions, its text and facts' digests, and
    what the edges among its nodes carry beyond evidence: a holding another article ends (its
    ``current``), or a date another article gave a meeting first, changes the key; an edge to a
    node the article does not name, or another article's facts, do not."""
    from kg.exporters.rdfwrite import described_key
    from kg.exporters.sections import release_keys, store_keys
    from kg.model import Relation

    store = build(CORPUS).store
    keys = store_keys(store)
    named: dict[str, list[str]] = {}
    for node in sorted(store.node_data):
        for article in store.node_data[node].get("articles", []):
            named.setdefault(article, []).append(node)
    article, nodes = next((a, n) for a, n in sorted(named.items()) if any(store.succ[s] for s in n))
    before = {a: described_key(store, a, n, keys) for a, n in named.items()}
    assert None not in before.values() and len(set(before.values())) == len(before)
    among = set(nodes)
    s, o, relation = next(
        (s, o, r) for s in nodes for o, keyed in sorted(store.succ[s].items()) if o in among for r in keyed
    )
    data = store.succ[s][o][relation]
    data["current"] = not data.get("current", True)
    assert described_key(store, article, nodes, keys) != before[article]
    del data["current"]
    data["tenures"] = [{"start": "1999"}]  # the default graph's, not the article's
    outside = "organisation/" + "f" * 16
    store.graph.add_edge(s, outside, key=str(Relation.POST_IN), relation=str(Relation.POST_IN), evidence=[])
    assert described_key(store, article, nodes, keys) == before[article]
    other = next(a for a in named if a != article)
    store.fact_digests[other] = b"changed"
    assert described_key(store, article, nodes, keys) == before[article]
    store.fact_digests[article] = b"changed"
    assert described_key(store, article, nodes, keys) != before[article]
    release_keys()


def test_the_fact_digest_follows_order_and_what_a_holding_records(tmp_path: Path) -> None:
    """Of two records one edge has for a sentence and rule, the first given is kept: the digest of
    an article's facts follows their order, and a holding's observed date and change."""
    from kg.store import GraphStore
    from kg.textstore import ArticleTexts

    text = "甲任乙医院院长。"
    fact: tuple[Any, ...] = ("person/1", "post/1", "holds", 0, 8, "holds.chain", [], "")
    later: tuple[Any, ...] = ("person/1", "post/1", "holds", 0, 7, "holds.chain", [], "start")

    def digest_of(observed: str, *facts: tuple[Any, ...]) -> bytes:
        store = GraphStore()
        store.texts = ArticleTexts()
        store.add_contribution(("a.txt", observed, list(facts)), text)  # type: ignore[arg-type]
        return store.fact_digests["a.txt"]

    first = digest_of("2020-01-01", fact, later)
    assert first == digest_of("2020-01-01", fact, later)
    assert first != digest_of("2020-01-01", later, fact)
    assert first != digest_of("2021-01-01", fact, later)
    assert digest_of("", fact) != digest_of("", (*fact[:-1], "end"))


def test_a_rebuild_lists_the_facts_of_changed_article_graphs_only(world: Path, tmp_path: Path) -> None:
    """After one article changes, TriG lists the facts of the graphs it must write again, article
    by article, without a walk of every edge's evidence (EvidenceByArticle); the bytes are a
    cold build's."""
    import kg.exporters.rdfwrite as rdfwrite
    from kg.store import EvidenceByArticle

    work = tmp_path / "corpus"
    shutil.copytree(world, work)
    build(work, tmp_path / "incremental", formats=("trig",))
    changed = sorted(work.glob("*.txt"))[len(list(work.glob("*.txt"))) // 2]
    changed.write_text(changed.read_text(encoding="utf-8").replace("。", "。\n", 1), encoding="utf-8")

    class Walked(EvidenceByArticle):
        def __init__(self, *args: Any) -> None:
            raise AssertionError("every edge walked for one changed article")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rdfwrite, "EvidenceByArticle", Walked)
        again = build(work, tmp_path / "incremental", formats=("trig",))
    assert 0 < again.reused["trig"].reused < again.reused["trig"].sections
    build(work, tmp_path / "cold", formats=("trig",), cache=False)
    assert differing_exports(tmp_path / "incremental", tmp_path / "cold") == []


def test_a_rebuild_makes_the_statements_of_changed_articles_only(world: Path, tmp_path: Path) -> None:
    """graph.ttl keeps the statements each article gives a fact as a section keyed by what the
    article says: after one article is reflowed (its line map, hence its source offsets, change),
    the rebuild makes statements from that article's records alone, though the facts it shares
    with other articles are written again; the bytes are a cold build's."""
    import kg.exporters.rdfwrite as rdfwrite

    work = tmp_path / "corpus"
    shutil.copytree(world, work)
    build(work, tmp_path / "incremental", formats=("ttl",))
    changed = sorted(work.glob("*.txt"))[len(list(work.glob("*.txt"))) // 3]
    changed.write_text(changed.read_text(encoding="utf-8").replace("。", "。\n", 1), encoding="utf-8")
    made: list[str] = []
    from kg.exporters.rdf import statement_blocks as original

    def counted(*args: Any) -> Any:
        for block in original(*args):
            made.append(block.ref[1].article)
            yield block

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rdfwrite, "statement_blocks", counted)
        again = build(work, tmp_path / "incremental", formats=("ttl",))
    assert made and set(made) == {changed.name}
    assert 0 < again.reused["ttl"].reused < again.reused["ttl"].sections
    build(work, tmp_path / "cold", formats=("ttl",), cache=False)
    assert differing_exports(tmp_path / "incremental", tmp_path / "cold") == []


def test_a_file_the_freshness_check_read_is_not_read_again_unless_it_changed(tmp_path: Path) -> None:
    """The freshness check reads every file to digest it: the build keys a file its cache holds
    by that digest, reading none again, and reads again one whose size or time changed since."""
    from contextlib import closing

    from kg.cache import FactCache
    from kg.engine import LocalEngine
    from kg.freshness import build_key
    from kg.pipeline import corpus_files, read_corpus
    from kg.text.load import MAX_BYTES

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    build(corpus, out, formats=["json"])
    _, scan = build_key(corpus, ["json"], (), MAX_BYTES, out)
    assert sorted(scan.contents) == corpus_files(corpus, out)
    edited = scan.files[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n卫生院召开会议。\n", encoding="utf-8")
    read: list[Path] = []
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        read.append(self)
        return real_read_bytes(self)

    with (
        pytest.MonkeyPatch.context() as patch,
        closing(FactCache(out / ".kg-cache" / "facts.sqlite")) as cache,
    ):
        patch.setattr(Path, "read_bytes", read_bytes)
        corpus_read = read_corpus(scan.files, root=corpus, engine=LocalEngine(), cache=cache, scan=scan)
    assert {p for p in read if p in scan.files} == {edited}  # read to be keyed afresh, and extracted
    assert cache.hits == len(scan.files) - 1
    assert len(corpus_read.articles) == len(scan.files)


def test_the_freshness_check_reads_again_only_files_written_since_it_last_read_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose device, inode, size and times are as the last scan found them, all older than
    that scan by a margin, keeps its digest unread; an edit that keeps the size and puts the
    modification time back still changes the change time. Files written just before a scan, and
    a scan kept for another corpus or damaged, are read afresh."""
    import kg.freshness as freshness
    from kg.pipeline import corpus_files
    from kg.text.load import MAX_BYTES

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    files = corpus_files(corpus)
    out = tmp_path / "out"
    read: list[Path] = []
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self in files:
            read.append(self)
        return real_read_bytes(self)

    def scanned() -> tuple[str, set[Path]]:
        read.clear()
        key, _ = freshness.build_key(corpus, ["json"], (), MAX_BYTES, out)
        return key, set(read)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    first, read_first = scanned()
    assert read_first == set(files)
    assert scanned() == (first, set(files))  # written a moment ago: not settled, read again
    monkeypatch.setattr(freshness, "SETTLED_NS", 0)
    scanned()  # this scan is after every write
    assert scanned() == (first, set())
    edited = files[1]
    stat = edited.stat()
    text = edited.read_bytes()
    edited.write_bytes(text.replace("召开".encode(), "举行".encode(), 1))
    assert edited.stat().st_size == stat.st_size
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    changed, read_now = scanned()
    assert changed != first and read_now == {edited}
    assert freshness.build_key(corpus, ["json"], (), MAX_BYTES)[0] == changed  # as read without a scan
    kept = out / freshness.CACHE_DIR / freshness.SCAN_FILE
    for damaged in ("{", '{"root": 1}', kept.read_text(encoding="utf-8").replace(str(corpus), str(tmp_path))):
        kept.write_text(damaged, encoding="utf-8")
        assert scanned() == (changed, set(files))
