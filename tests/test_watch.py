"""kg watch: a resident process that builds again as the corpus changes gives the bytes `kg build`
gives, reading back only what changed."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import kg.exporters.html
import kg.exporting
import kg.watch
from kg.build import BuildResult, build
from kg.cache import FactCache
from kg.errors import KgError
from kg.exporters.html import adopt_memos
from kg.exporters.sections import SectionWriter
from kg.exporting import differing_exports
from kg.resident import Resident
from kg.store import GraphStore
from kg.textstore import ArticleTexts
from kg.watch import watch
from tests.test_identity import _make_corpus


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated world of 120 articles: people and hospitals recur from story to story."""
    folder = tmp_path_factory.mktemp("watched")
    _make_corpus().write(folder, 120, 7)  # type: ignore[attr-defined]
    return folder / "corpus"


@pytest.fixture
def outlines_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The keys under which a build finds an outline, or an article's resolution, in the cache."""
    read: list[str] = []
    for name in ("outline", "resolved"):
        original = getattr(FactCache, name)

        def counted(
            self: FactCache, key: str, original: Callable[[FactCache, str], object] = original
        ) -> object:
            found = original(self, key)
            if found is not None:
                read.append(key)
            return found

        monkeypatch.setattr(FactCache, name, counted)
    yield read


def _cold_matches(corpus: Path, out: Path, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    build(corpus, cold, cache=False)
    assert differing_exports(out, cold) == []
    assert (out / "report.json").read_bytes() != b""  # the report is the watched build's own


def test_a_resident_rebuild_reads_back_no_unchanged_file_and_gives_the_cold_bytes(
    world: Path, tmp_path: Path, outlines_read: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    work, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(world, work)
    spans: list[str] = []  # the files a stretch of which was copied whole
    copy_span = SectionWriter.copy_span

    def counted(self: SectionWriter, *args: Any, **kwargs: Any) -> bool:
        copied = copy_span(self, *args, **kwargs)
        if copied and self.path is not None:
            spans.append(self.path.name)
        return copied

    monkeypatch.setattr(SectionWriter, "copy_span", counted)
    resident = Resident()
    build(work, out, shed_memory=True, resident=resident)
    assert outlines_read == []  # a cold build extracts every file and resolves every article
    for seed in (1, 2):
        changed = _make_corpus().change(work, 0.08, seed)  # type: ignore[attr-defined]
        assert sum(changed.values()) >= 6
        spans.clear()
        again = build(work, out, shed_memory=True, resident=resident)
        assert not again.up_to_date and outlines_read == []  # held since the last build
        # The RDF files and graph.json spliced from those this process wrote: the same bytes.
        assert {"graph.ttl", "graph.trig", "graph.json"} <= set(spans)
        _cold_matches(work, out, tmp_path)
        # It holds the texts of this corpus's articles, and nothing of the files gone.
        read = {r["file"] for r in json.loads((out / "report.json").read_text(encoding="utf-8"))["read"]}
        assert set(resident.texts) == read
        assert len(resident.held) <= len(list(work.rglob("*.txt")))


def test_a_change_in_the_middle_of_the_corpus_is_spliced_into_the_cold_bytes(
    world: Path, tmp_path: Path
) -> None:
    """One article in the middle rewritten: the runs before and after it are copied from the
    files this process wrote, and it is written again in between."""
    work, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(world, work)
    resident = Resident()
    build(work, out, shed_memory=True, resident=resident)
    files = sorted(work.glob("*.txt"))
    middle = files[len(files) // 2]
    title, _, body = middle.read_text(encoding="utf-8").partition("\n")
    # A sentence before the others: every statement's offsets in it move.
    middle.write_text(f"{title}\n会前,与会人员集体学习了有关文件精神。\n{body}", encoding="utf-8")
    again = build(work, out, shed_memory=True, resident=resident)
    assert not again.up_to_date
    _cold_matches(work, out, tmp_path)


def test_memos_another_build_left_are_checked_record_by_record(world: Path, tmp_path: Path) -> None:
    """A resident rebuild takes the explorer's records as they were where its change did not
    reach, measured from its own last build: only while the memos are the ones that build left.
    Here another build (not resident) writes them in between, from a corpus whose changes the
    next one undoes; the resident rebuild must not take that build's records for its own."""
    work, out, first = tmp_path / "corpus", tmp_path / "out", tmp_path / "first"
    shutil.copytree(world, work)
    shutil.copytree(world, first)
    resident = Resident()
    build(work, out, shed_memory=True, resident=resident)
    _make_corpus().change(work, 0.08, 5)  # type: ignore[attr-defined]
    build(work, out)  # in between, without the resident: its own memos
    shutil.rmtree(work)
    shutil.copytree(first, work)  # those changes undone, and others made
    _make_corpus().change(work, 0.08, 6)  # type: ignore[attr-defined]
    build(work, out, shed_memory=True, resident=resident)
    _cold_matches(work, out, tmp_path)


def test_a_copy_whose_original_goes_takes_its_own_text(world: Path, tmp_path: Path) -> None:
    """A file with the text of another is skipped as its duplicate and its text let go; once the
    other goes, it is read, and its text, held by no build, is read back with its outline."""
    work, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(world, work)
    original = sorted(work.glob("*.txt"))[3]
    copy = work / ("zz-" + original.name)
    shutil.copy(original, copy)
    resident = Resident()
    first = build(work, out, shed_memory=True, resident=resident)
    assert any(s.path == str(copy) and "duplicate" in s.reason for s in first.corpus.skipped)
    assert copy.name not in resident.texts
    original.unlink()
    build(work, out, shed_memory=True, resident=resident)
    assert copy.name in resident.texts  # else its article page has no text to show
    _cold_matches(work, out, tmp_path)


def test_watching_builds_each_change_and_goes_on_after_a_failed_build(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(world, work)
    build(work, out)  # up to date when watching begins: the watch reads what it will need first
    adopted: list[int] = []

    def counted(store: GraphStore, memo: Path) -> int:
        adopted.append(adopt_memos(store, memo))
        return adopted[-1]

    monkeypatch.setattr(kg.exporters.html, "adopt_memos", counted)
    taken: list[list[str]] = []
    adopt_exports = kg.exporting.adopt_exports

    def adopting(*args: Any) -> list[str]:
        taken.append(adopt_exports(*args))
        return taken[-1]

    monkeypatch.setattr(kg.watch, "adopt_exports", adopting)
    kept = tmp_path / "kept"
    steps: list[Callable[[], object]] = [
        lambda: _make_corpus().change(work, 0.05, 3),  # type: ignore[attr-defined]
        lambda: None,  # nothing changed: a check, no build
        lambda: shutil.move(work, kept),  # the corpus gone: the build fails, watching goes on
        lambda: shutil.move(kept, work),
    ]
    built: list[tuple[bool, float]] = []
    errors: list[KgError] = []

    def step(seconds: float) -> None:
        assert seconds >= 0.01
        steps.pop(0)()

    def heard(result: BuildResult, seconds: float) -> None:
        built.append((result.up_to_date, seconds))
        _cold_matches(work, out, tmp_path)

    watch(work, out, interval=0.01, builds=5, sleep=step, on_build=heard, on_error=errors.append)
    assert [up for up, _ in built] == [True, False, False]  # the first check, the change, its return
    assert adopted == [3]  # the explorer's three memos, as kg build left them
    assert taken == [["ttl", "trig", "json", "html"]]  # and the files the first rebuild splices
    assert len(errors) == 1 and "no .txt" in str(errors[0])


def test_texts_written_again_are_compacted_away() -> None:
    texts = ArticleTexts()
    texts.update_many({"a": "甲" * 100, "b": "乙" * 50})
    texts.update_many({"a": "丙" * 100})
    texts.discard("b")
    assert texts.used() == 300 and texts.wasted() == 450
    fresh = texts.compacted()
    assert dict(fresh) == {"a": "丙" * 100} and fresh.wasted() == 0
    assert fresh.digest("a") == texts.digest("a")


def test_kg_watch_rebuilds_when_a_file_arrives_and_stops_on_ctrl_c(world: Path, tmp_path: Path) -> None:
    work, out = tmp_path / "corpus", tmp_path / "out"
    work.mkdir()
    for path in sorted(world.glob("*.txt"))[:20]:
        shutil.copy(path, work)
    command = [
        sys.executable,
        "-m",
        "kg.cli",
        "watch",
        str(work),
        "--out",
        str(out),
        "--interval",
        "0.2",
        "-j",
        "1",
    ]
    # As from a terminal: a test run in the background would pass on an ignored SIGINT.
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stdout is not None
        lines = _lines_until(proc.stdout, "watching", 120)
        assert any(line.startswith("articles read: 20") for line in lines)
        news = sorted(world.glob("*.txt"))[20]
        shutil.copy(news, work)
        lines = _lines_until(proc.stdout, "rebuilt in", 120)
        assert "21 articles read" in lines[-1]
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "stopped" in rest
    _cold_matches(work, out, tmp_path)


def _lines_until(stream: object, marker: str, timeout: float) -> list[str]:
    """Lines read from ``stream`` up to the first holding ``marker``."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()  # type: ignore[attr-defined]
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"no {marker!r} in {lines}")
