"""A build that only exports (`kg build`) never holds the whole corpus: files are read as the
engine takes them, each article's text goes to a file and its facts back to the cache as soon
as they come, and the graph is built article by article from the cache. Its exports are the
bytes of a build that held everything in memory."""

from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

import pytest

from kg.build import build
from kg.cache import FactCache, Resolved, content_digest, file_key
from kg.engine import LocalEngine, Result
from kg.exporters import EXPORTERS
from kg.exporting import differing_exports
from kg.model import Skipped
from kg.pipeline import Entry, FilesToRead, FileTask, corpus_files, outline_of, read_corpus
from kg.text.load import MAX_BYTES
from tests.test_bad_input import _jsonl, _record, _variant
from tests.test_identity import _make_corpus

ALL_FORMATS = tuple(EXPORTERS)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated world with a copy of one of its files (a duplicate), and a JSON Lines feed: a
    near-copy of that article (a repost of the story), two records sharing an id, and a story
    of its own."""
    folder = tmp_path_factory.mktemp("spill")
    _make_corpus().write(folder, 60, 9)  # type: ignore[attr-defined]
    root = folder / "corpus"
    first = sorted(root.glob("*.txt"))[0].read_text(encoding="utf-8")
    (root / "zz_copy.txt").write_text(first, encoding="utf-8")
    records = [
        _record(first.split("\n", 1)[1].replace("。", "。\n据悉,", 1) + "(来源:医院宣传科)"),
        json.dumps({"id": "x", "title": "院务会", "text": _variant(1)}, ensure_ascii=False),
        json.dumps({"id": "x", "title": "院务会", "text": _variant(2)}, ensure_ascii=False),
        _record(_variant(3)),
    ]
    (root / "feed.jsonl").write_bytes(_jsonl(*records))
    return root


def test_a_spilled_build_gives_the_bytes_of_one_held_in_memory(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    spilled = build(work, tmp_path / "spilled", formats=ALL_FORMATS, shed_memory=True)
    assert spilled.corpus.texts is not None  # the articles' texts went to a file
    held = build(work, tmp_path / "held", formats=ALL_FORMATS, cache=False)
    assert held.corpus.texts is None
    assert differing_exports(tmp_path / "spilled", tmp_path / "held") == []
    assert spilled.counts == held.counts
    # Once the report is written, the spilled build lets its articles go: the exports never read them.
    assert not spilled.corpus.articles and len(held.corpus.articles) == held.counts["read"]
    assert spilled.corpus.near_duplicates and spilled.corpus.duplicates  # both kinds were met

    # Again after a change: the facts come back from the cache's file now, not from this build,
    # and the articles that did not change are not resolved again: what resolving them did and
    # gave the graph comes back from the cache too.
    changed = _make_corpus().change(work, 0.1, 5)  # type: ignore[attr-defined]
    assert sum(changed.values()) >= 6
    replayed: list[str] = []
    resolved = FactCache.resolved

    def counted(cache: FactCache, key: str) -> object:
        found = resolved(cache, key)
        if found is not None:
            replayed.append(key)
        return found

    monkeypatch.setattr(FactCache, "resolved", counted)
    again = build(work, tmp_path / "spilled", formats=ALL_FORMATS, shed_memory=True)
    assert again.cache_hits > 0
    assert again.counts["read"] - sum(changed.values()) <= len(replayed) < again.counts["read"]
    build(work, tmp_path / "held", formats=ALL_FORMATS, cache=False)
    assert differing_exports(tmp_path / "spilled", tmp_path / "held") == []


def test_a_second_record_with_an_articles_id_is_skipped_with_its_reason(corpus: Path, tmp_path: Path) -> None:
    result = build(corpus, tmp_path / "out", formats=("json",), shed_memory=True)
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [r["file"] for r in report["read"]].count("feed.jsonl#x") == 1
    assert any("a second article with the id feed.jsonl#x" in s["reason"] for s in report["skipped"])
    # the one read is the first: its text is the one the explorer shows
    assert _variant(1).split("\n")[1][:20] in result.store.texts["feed.jsonl#x"]


def test_files_are_read_only_as_the_engine_takes_them(tmp_path: Path) -> None:
    paths = []
    for n in range(3):
        paths.append(tmp_path / f"{n}.txt")
        paths[-1].write_text(_variant(n), encoding="utf-8")
    taken: list[tuple[int, bytes | None]] = []
    files = FilesToRead([(p, None, p.name) for p in paths], 1 << 20, lambda i, t: taken.append((i, t.data)))
    assert len(files) == 3 and taken == []
    paths[1].write_text(_variant(7), encoding="utf-8")  # changed after it was listed
    assert files[1].data == _variant(7).encode() and taken == [(1, _variant(7).encode())]
    assert [t.name for t in files[0:3:2]] == ["0.txt", "2.txt"] and [i for i, _ in taken] == [1, 0, 2]


class EditingEngine:
    """The local engine, but each file is edited just before the engine first takes it: the
    bytes a build extracts are not the ones it keyed when it listed the corpus."""

    def read(self, tasks: Sequence[FileTask], only: Collection[str], max_bytes: int) -> Iterator[Result]:
        for i in range(len(tasks)):
            listed = tasks._files[i][0]  # type: ignore[attr-defined]  # FilesToRead's own list
            listed.write_text(_variant(20 + i), encoding="utf-8")
        return LocalEngine(1).read(tasks, only, max_bytes)


def test_a_file_edited_during_a_build_is_cached_under_the_bytes_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_variant(0), encoding="utf-8")
    cache = FactCache(tmp_path / "facts.sqlite")
    read = read_corpus(corpus_files(corpus), root=corpus, engine=EditingEngine(), cache=cache, spill=True)
    assert read.texts is not None and _variant(20).split("\n")[1][:20] in read.texts["a.txt"]
    cache.commit()
    options: dict[str, object] = {"only": [], "max_bytes": MAX_BYTES}
    assert (
        cache.again(file_key("a.txt", content_digest((corpus / "a.txt").read_bytes()), None, options))
        is not None
    )
    cache.close()


def test_the_engine_takes_files_a_few_batches_ahead_of_what_it_gives(tmp_path: Path) -> None:
    paths = []
    for n in range(240):
        paths.append(tmp_path / f"{n:03}.txt")
        paths[-1].write_text(_variant(n), encoding="utf-8")
    taken: list[int] = []
    files = FilesToRead([(p, None, p.name) for p in paths], 1 << 20, lambda i, _: taken.append(i))
    results = LocalEngine(2).read(files, (), 1 << 20)
    first = next(results)
    assert len(taken) < len(paths)  # the rest are still on disk, not in this process
    rest = [first, *results]
    assert len(taken) == len(paths) and sorted(taken) == taken
    assert [r[0][0].facts.article.id for r in rest] == [p.name for p in paths]  # type: ignore[union-attr]


def test_new_cache_entries_wait_in_the_database_uncommitted(tmp_path: Path) -> None:
    """Entries go to the database as they come (a cold build holds a few hundred, not 100k), and
    only a commit keeps them: a build killed before it leaves the last cache as it was."""
    path = tmp_path / "facts.sqlite"
    entry: Entry = [Skipped("a.txt", "a reason")]
    cache = FactCache(path)
    for n in range(600):
        cache.put(f"k{n}", entry, outline_of(entry))
    assert len(cache._new) < 300
    assert all(cache.again(f"k{n}") == entry for n in (0, 299, 599))  # this build reads them back
    cache.close()  # killed: no commit
    cache = FactCache(path)
    assert cache.get("k0") is None
    for n in range(600):
        cache.put(f"k{n}", entry, outline_of(entry))
    cache.commit()
    cache.close()
    cache = FactCache(path)
    assert cache.get("k0") == entry and cache.get("k599") == entry
    cache.close()


class _Calls:
    """What a crafted pickle would call on loading."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("a cache entry ran code",))


def test_a_resolved_article_is_read_back_only_as_plain_values_of_its_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What resolving an article did comes back as plain values or not at all: a value naming any
    class (a crafted row) or of another shape is refused before it is used, and the article is
    then resolved from its facts again."""
    cache = FactCache(tmp_path / "facts.sqlite")
    fact = ("person/1", "", "holds", 0, 4, "chain", (("date", "2024"),), "")
    good: Resolved = (
        [("article", "person/1"), ("add", "person/1", "person", "王冰", ())],
        ("a", "2024-01-02", (fact,)),
    )
    cache.put_resolved("good", good)
    cache.commit()
    for key, value in {
        "calls": pickle.dumps(([_Calls()], good[1])),
        "shape": pickle.dumps((good[0], ("a", "", (("person/1", "", "holds", "0", 4, "chain", (), ""),)))),
        "effects": pickle.dumps(([("add",), ()], good[1])),
        "bytes": b"not a pickle",
    }.items():
        cache._db.execute("INSERT INTO resolved VALUES (?, ?)", (key, value))
    assert cache.resolved("good") == good
    assert [cache.resolved(k) for k in ("calls", "shape", "effects", "bytes", "missing")] == [None] * 5
    assert "ran code" not in capsys.readouterr().out  # refused before anything was called
    cache.close()
