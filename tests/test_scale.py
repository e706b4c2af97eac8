"""Scale machinery: candidate windows, worker processes, Dask, the fact cache, no-change rebuilds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from kg.build import build
from kg.engine import DaskEngine, LocalEngine, Result
from kg.exporters import DEFAULT_FORMATS
from kg.exporting import differing_exports, share_exports
from kg.extractors import EXTRACTORS
from kg.pipeline import FilesToRead, FileTask, corpus_files, dump_facts, read_corpus
from kg.text.load import load_article, read_metadata
from kg.text.segment import segment
from kg.text.tagger import tagger
from tests.conftest import CORPUS


class CountingEngine:
    """The real local engine, recording which files it was given to read."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def read(self, tasks: Sequence[FileTask], only: Collection[str], max_bytes: int) -> Iterator[Result]:
        self.seen += [Path(t.path).name for t in tasks]
        return LocalEngine(1).read(tasks, only, max_bytes)


def _copy_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus


def test_tagging_runs_gives_the_tokens_of_tagging_whole_sentences() -> None:
    # Candidate windows are only sound if jieba tags each run of text on its own.
    metadata = read_metadata(CORPUS)[0]
    compared = 0
    for path in corpus_files(CORPUS):
        doc = segment(load_article(path, metadata.get(path.name)))
        for sentence in doc.sentences:
            whole = tagger().reference(doc.sentence_text(sentence))  # the sentence tagged at once
            assert [(t.text, t.tag) for t in doc.tokens(sentence)] == whole
            compared += 1
    assert compared > 300


def test_only_runs_near_a_trigger_are_tagged() -> None:
    metadata = read_metadata(CORPUS)[0]
    tagged = total = 0
    for path in corpus_files(CORPUS):
        doc = segment(load_article(path, metadata.get(path.name)))
        for extractor in EXTRACTORS.values():
            list(extractor(doc))
        tagged += doc.tagged_chars
        total += len(doc.text)
    assert 0 < tagged < 0.5 * total


def test_worker_processes_give_byte_identical_exports(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    build(CORPUS, one, formats=("ttl", "json"), engine=LocalEngine(1), cache=False)
    build(CORPUS, two, formats=("ttl", "json"), engine=LocalEngine(2), cache=False)
    for name in ("graph.ttl", "graph.json", "report.json"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_with_workers_only_the_workers_load_the_tagger() -> None:
    """A parent that loaded jieba before forking kept its tables through the graph and the
    exports, where a build peaks; its workers load it themselves."""
    import kg.text.tagger as tagging

    tagging.release_tagger()
    files: list[tuple[Path, dict[str, str] | None, str]] = [
        (p, None, p.name) for p in sorted(CORPUS.glob("*.txt"))[:2]
    ]
    tasks = FilesToRead(files, 1 << 20, lambda i, t: None)
    found = list(LocalEngine(2).read(tasks, (), 1 << 20))
    assert len(found) == 2 and all(entry[0].facts.facts for entry, _ in found)  # type: ignore[union-attr]
    assert tagging._loaded is None  # what this process holds is what is measured
    list(LocalEngine(1).read(FilesToRead(files[:1], 1 << 20, lambda i, t: None), (), 1 << 20))
    assert tagging._loaded is not None  # one job: this process tags, loaded once


def test_workers_start_when_asked_and_go_when_closed() -> None:
    """A pool's workers start when ``read`` is called, before any result is taken (the build reads
    its cache meanwhile); closed before it is done, it leaves no worker behind."""
    import multiprocessing

    files: list[tuple[Path, dict[str, str] | None, str]] = [
        (p, None, p.name) for p in sorted(CORPUS.glob("*.txt"))[:3]
    ]
    before = set(multiprocessing.active_children())
    results = LocalEngine(2).read(FilesToRead(files, 1 << 20, lambda i, t: None), (), 1 << 20)
    assert len(set(multiprocessing.active_children()) - before) == 2  # started, nothing taken yet
    first, _ = next(results)
    assert first[0].facts.article.id == files[0][2]  # type: ignore[union-attr]
    results.close()  # type: ignore[attr-defined]  # the pool's iterator: a generator's close
    assert set(multiprocessing.active_children()) <= before


class _Spy:
    """An engine that notes when it is asked to read, for a cache that notes when it is read."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def read(self, tasks: Sequence[FileTask], only: Collection[str], max_bytes: int) -> Iterator[Result]:
        self.log.append(f"engine: {len(tasks)} files")
        return LocalEngine(1).read(tasks, only, max_bytes)


def test_the_files_to_extract_go_to_the_engine_before_the_cache_is_read(tmp_path: Path) -> None:
    """So that workers extract the changed files while the build reads the rest from its cache:
    the engine is asked first, for the files the cache lacks (and once more for an entry found
    damaged on reading, which is extracted again)."""
    from contextlib import closing

    from kg.cache import FactCache

    corpus = _copy_corpus(tmp_path)
    files = corpus_files(corpus)
    with closing(FactCache(tmp_path / "facts.sqlite")) as cache:
        read_corpus(files, root=corpus, engine=LocalEngine(1), cache=cache, spill=True)
        cache.commit()
        edited = files[1]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n院长主持会议。\n", encoding="utf-8")
        log: list[str] = []
        real_outline = cache.outline

        def outline(key: str) -> Any:
            log.append("cache")
            return None if len(log) == 3 else real_outline(key)  # the second entry read: damaged

        cache.outline = outline  # type: ignore[method-assign]
        again = read_corpus(files, root=corpus, engine=_Spy(log), cache=cache, spill=True)
    assert log[0] == "engine: 1 files"
    assert log[1:] == ["cache"] * (len(files) - 1) + ["engine: 1 files"]
    assert len(again.articles) == len(files)


@pytest.mark.parametrize("processes", [1, 2, 3, 8])
@pytest.mark.parametrize(
    "formats",
    [DEFAULT_FORMATS, ("ttl", "trig"), ("json",), ("ttl", "trig", "json", "html", "nquads", "neo4j")],
)
def test_exports_are_shared_once_each_with_turtle_and_trig_together(
    formats: tuple[str, ...], processes: int
) -> None:
    shares = share_exports(formats, processes)
    assert sorted(f for share in shares for f in share) == sorted(formats)
    assert len({i for i, share in enumerate(shares) for f in share if f in ("ttl", "trig")}) <= 1
    units = len([f for f in formats if f not in ("ttl", "trig")]) + any(f in ("ttl", "trig") for f in formats)
    assert len(shares) == min(processes, units) and all(shares)  # no process forked for nothing


def test_a_rebuild_shares_the_explorer_against_the_rest() -> None:
    """Cold, Turtle and TriG (together) cost the explorer's time, and JSON goes with the explorer;
    rebuilt, the explorer renders its changed pages while the others copy most of theirs."""
    assert share_exports(DEFAULT_FORMATS, 2) == [["ttl", "trig"], ["html", "json"]]
    assert share_exports(DEFAULT_FORMATS, 2, rebuilding=True) == [["html"], ["ttl", "trig", "json"]]


@pytest.mark.parametrize("limit_mb", [0, 1 << 20])
def test_exports_are_written_in_turn_when_the_heap_is_too_big_to_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit_mb: int
) -> None:
    import multiprocessing

    from kg import exporting
    from kg.build import build_store

    store = build_store(CORPUS).store
    forks: list[str] = []
    real = multiprocessing.get_context

    def get_context(method: str | None = None) -> Any:
        forks.append(str(method))
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    monkeypatch.setattr(exporting, "FORK_LIMIT_MB", limit_mb)
    runs = exporting.write_exports(store, tmp_path, ("ttl", "trig", "json"), jobs=2)
    assert [run.fmt for run in runs] == ["ttl", "trig", "json"] and all(
        (tmp_path / f).is_file() for f in ("graph.ttl", "graph.trig", "graph.json")
    )
    assert forks == ([] if limit_mb == 0 else ["fork"])  # this heap is some MB: over 0, under 1 TB


def test_exports_do_not_depend_on_the_process(tmp_path: Path) -> None:
    # Two processes with different string-hash salts, one on one core and one with two workers:
    # every file they write (pages of the HTML site included) must be the same bytes.
    outs = []
    for seed, jobs in (("1", "1"), ("2", "2")):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kg.cli",
                "build",
                str(CORPUS),
                "--out",
                str(out),
                "-j",
                jobs,
                "--no-cache",
                *(
                    arg
                    for fmt in ("ttl", "trig", "json", "html", "jsonld", "nquads", "graphml", "neo4j")
                    for arg in ("--format", fmt)
                ),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        outs.append(out)
    files = sorted(
        p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file() and p.name != ".kg-build.lock"
    )
    assert len(files) > 10
    for name in files:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_unchanged_files_are_not_extracted_again(tmp_path: Path) -> None:
    corpus = _copy_corpus(tmp_path)
    out = tmp_path / "out"
    first = CountingEngine()
    cold = build(corpus, out, formats=("ttl",), engine=first)
    assert len(first.seen) == len(cold.corpus.articles) == 5

    # One article edited: only it is extracted; the graph equals a build without the cache.
    edited = sorted(corpus.glob("00[1-4]_*.txt"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n会议由院长王小明主持。\n", encoding="utf-8")
    second = CountingEngine()
    warm = build(corpus, out, formats=("ttl",), engine=second)
    assert second.seen == [edited.name]
    assert warm.cache_hits == 4
    fresh = tmp_path / "fresh"
    build(corpus, fresh, formats=("ttl",), cache=False)
    assert (out / "graph.ttl").read_bytes() == (fresh / "graph.ttl").read_bytes()


def test_a_rebuild_with_nothing_changed_does_nothing(tmp_path: Path) -> None:
    corpus = _copy_corpus(tmp_path)
    out = tmp_path / "out"
    build(corpus, out, formats=("ttl", "json"))
    before = (out / "graph.ttl").stat().st_mtime_ns
    engine = CountingEngine()
    again = build(corpus, out, formats=("ttl", "json"), engine=engine)
    assert again.up_to_date and engine.seen == []
    assert (out / "graph.ttl").stat().st_mtime_ns == before
    assert again.counts["read"] == 5

    # An export deleted, or other formats asked for: built again (from the cache).
    (out / "graph.json").unlink()
    rebuilt = build(corpus, out, formats=("ttl", "json"), engine=engine)
    assert not rebuilt.up_to_date and (out / "graph.json").exists() and engine.seen == []
    assert not build(corpus, out, formats=("ttl",), engine=engine).up_to_date


def test_a_cache_from_other_code_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _copy_corpus(tmp_path)
    out = tmp_path / "out"
    build(corpus, out, formats=("ttl",))
    # What an edited rule or lexicon does to the fingerprints (kg.build the module, not the function).
    monkeypatch.setattr(sys.modules["kg.cache"], "extraction_fingerprint", lambda: "a rule changed")
    monkeypatch.setattr(sys.modules["kg.freshness"], "code_fingerprint", lambda: "a rule changed")
    engine = CountingEngine()
    result = build(corpus, out, formats=("ttl",), engine=engine)
    assert not result.up_to_date and len(engine.seen) == 5


def test_dask_cluster_gives_the_same_facts(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_dask = read_corpus(corpus_files(CORPUS), root=CORPUS, engine=DaskEngine(cluster.scheduler_address))
    here = read_corpus(corpus_files(CORPUS), root=CORPUS, engine=LocalEngine())
    assert [dump_facts(a) for a in on_dask.articles] == [dump_facts(a) for a in here.articles]
    assert sum(len(a.facts) for a in here.articles) > 100


def test_a_dask_cluster_of_worker_processes_writes_the_local_engines_exports_byte_for_byte(
    tmp_path: Path,
) -> None:
    """Every export format, the explorer included, from a LocalCluster of two worker processes
    (files shipped to them as bytes, as to workers on other hosts) and from the local engine."""
    distributed = pytest.importorskip("distributed")
    from kg.exporters import EXPORTERS

    formats = tuple(EXPORTERS)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        build(
            CORPUS,
            tmp_path / "dask",
            formats=formats,
            engine=DaskEngine(cluster.scheduler_address),
            cache=False,
        )
    build(CORPUS, tmp_path / "local", formats=formats, engine=LocalEngine(2), cache=False)
    assert differing_exports(tmp_path / "local", tmp_path / "dask") == []
    assert len(list((tmp_path / "dask").rglob("*"))) > 20


def _corrupt(db: Path, how: str) -> None:
    import random
    import sqlite3

    data = db.read_bytes()
    if how == "random bytes":
        db.write_bytes(random.Random(1).randbytes(len(data)))
    elif how == "truncated":
        db.write_bytes(data[: len(data) // 3])
    elif how == "bit flips":
        flipped = bytearray(data)
        for i in range(200, len(flipped), 997):
            flipped[i] ^= 0x55
        db.write_bytes(bytes(flipped))
    elif how == "another schema":
        db.unlink()
        with sqlite3.connect(db) as con:
            con.execute("CREATE TABLE entry (key INTEGER, value TEXT, extra BLOB)")
    else:  # "wrong values": every entry's bytes replaced by a pickle of something else
        import pickle
        import zlib

        with sqlite3.connect(db) as con:
            con.execute("UPDATE entry SET value = ?", (zlib.compress(pickle.dumps({"not": "an entry"})),))


@pytest.mark.parametrize("shed_memory", [False, True])  # entries read whole, or outline first (kg build)
@pytest.mark.parametrize("how", ["random bytes", "truncated", "bit flips", "another schema", "wrong values"])
def test_a_damaged_cache_is_rebuilt_to_the_same_bytes(tmp_path: Path, how: str, shed_memory: bool) -> None:
    corpus = _copy_corpus(tmp_path)
    out = tmp_path / "out"
    build(corpus, out, formats=("ttl",), shed_memory=shed_memory)
    clean = (out / "graph.ttl").read_bytes()
    (out / "graph.ttl").unlink()  # so that the build does not stop at "nothing changed"
    _corrupt(out / ".kg-cache" / "facts.sqlite", how)
    damaged = build(corpus, out, formats=("ttl",), shed_memory=shed_memory)
    assert (out / "graph.ttl").read_bytes() == clean
    if how == "wrong values":  # the outlines are whole: only the check of the entries finds it
        assert damaged.cache_hits == 0
    (out / "graph.ttl").unlink()
    again = build(corpus, out, formats=("ttl",), shed_memory=shed_memory)  # and the cache it wrote works
    assert again.cache_hits == 5 and (out / "graph.ttl").read_bytes() == clean


@pytest.mark.parametrize("column", ["value", "outline"])
def test_a_crafted_cache_entry_runs_nothing(tmp_path: Path, column: str) -> None:
    import hashlib
    import pickle
    import sqlite3
    import zlib

    corpus = _copy_corpus(tmp_path)
    out = tmp_path / "out"
    shed = column == "outline"  # kg build reads outlines first
    build(corpus, out, formats=("ttl",), shed_memory=shed)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    crafted = zlib.compress(pickle.dumps([Payload()]))
    with sqlite3.connect(out / ".kg-cache" / "facts.sqlite") as con:
        if column == "value":
            con.execute("UPDATE entry SET value = ?", (crafted,))
        else:  # with the digest of the entry it sits beside, as a careful forger would write it
            for key, value in con.execute("SELECT key, value FROM entry").fetchall():
                digest = hashlib.blake2b(value, digest_size=16).digest()
                con.execute("UPDATE entry SET outline = ? WHERE key = ?", (digest + crafted, key))
    (out / "graph.ttl").unlink()
    result = build(corpus, out, formats=("ttl",), shed_memory=shed)
    assert not marker.exists() and result.cache_hits == 0 and result.counts["read"] == 5
