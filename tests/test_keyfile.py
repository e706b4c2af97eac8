"""The store keys a build leaves on disk (kg/keyfile.py): read back as written, refused when not
whole, and what lets a build in a new process splice its exports as a resident process does,
only into the files written for those very keys."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kg.build import build
from kg.exporters import SECTIONED
from kg.exporters.sections import SectionWriter, release_keys, store_keys
from kg.exporting import differing_exports
from kg.freshness import CACHE_DIR
from kg.keyfile import KEYS_FILE, load_keys, save_keys
from kg.rekey import remade_since as original_remade_since
from tests.test_identity import _make_corpus

FORMATS = tuple(sorted(SECTIONED))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    _make_corpus().write(folder, 80, 9)  # type: ignore[attr-defined]
    return folder / "corpus"


def _copy(world: Path, tmp_path: Path) -> Path:
    work = tmp_path / "corpus"
    shutil.copytree(world, work)
    return work


def test_the_keys_a_build_leaves_are_its_stores(world: Path, tmp_path: Path) -> None:
    work = _copy(world, tmp_path)
    result = build(work, tmp_path / "out", formats=FORMATS, shed_memory=True)
    kept = load_keys(tmp_path / "out" / CACHE_DIR / KEYS_FILE)
    assert kept is not None
    release_keys()
    whole = store_keys(result.store)
    assert kept.digests == whole.digests
    assert kept.descriptions == whole.descriptions
    assert kept.sections == whole.sections
    assert set(kept.sources.keys) == {p.name for p in work.glob("*.txt")}
    assert all(kept.sources.keys.values())  # each article's resolution, as the cache keys it
    named = {n for names in kept.sources.named.values() for n in names}
    assert set(whole.digests) <= named | set(kept.digests)
    # Written again from what was read, the same bytes.
    again = tmp_path / "again.bin"
    save_keys(again, kept)
    assert again.read_bytes() == (tmp_path / "out" / CACHE_DIR / KEYS_FILE).read_bytes()


def test_a_keys_file_not_whole_is_no_file(world: Path, tmp_path: Path) -> None:
    build(_copy(world, tmp_path), tmp_path / "out", formats=("ttl",), shed_memory=True)
    path = tmp_path / "out" / CACHE_DIR / KEYS_FILE
    raw = path.read_bytes()
    assert load_keys(path) is not None
    broken = tmp_path / "broken.bin"
    for bad in (
        raw[: len(raw) // 2],  # cut short
        raw[:-1] + bytes([raw[-1] ^ 1]),  # a bit flipped
        b"kg-keys 9\n" + raw[10:],  # another format
        b"",
    ):
        broken.write_bytes(bad)
        assert load_keys(broken) is None
    assert load_keys(tmp_path / "none.bin") is None
    # Keys another version of the code worked out (its fingerprint in the head) are none either.
    other = bytearray(raw)
    other[len(b"kg-keys 1\n")] ^= 1
    broken.write_bytes(bytes(other))
    assert load_keys(broken) is None


def _followed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Each sectioned file written, with whether it followed the keys its change is measured from."""
    seen: list[tuple[str, bool]] = []
    original = SectionWriter.follows

    def follows(self: SectionWriter, change: Any) -> bool:
        found = original(self, change)
        seen.append((Path(str(self.path)).name, found))
        return found

    monkeypatch.setattr(SectionWriter, "follows", follows)
    return seen


def test_a_new_build_splices_from_the_keys_the_last_one_left(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _copy(world, tmp_path)
    build(work, tmp_path / "out", formats=FORMATS, shed_memory=True)
    _make_corpus().change(work, 0.08, 2)  # type: ignore[attr-defined]
    release_keys()  # nothing of the last build's keys in memory: they are read from the file
    seen = _followed(monkeypatch)
    remade: list[Any] = []

    def remade_since(*args: Any) -> Any:
        remade.append(original_remade_since(*args))
        return remade[-1]

    monkeypatch.setattr(sys.modules["kg.build"], "remade_since", remade_since)
    again = build(work, tmp_path / "out", formats=FORMATS, shed_memory=True)
    assert "keys" in again.seconds
    assert ("graph.ttl", True) in seen and ("graph.json", True) in seen
    # The pairs made again, from what the changed articles gave before (the cache) and now.
    assert remade and remade[0]
    build(work, tmp_path / "cold", formats=FORMATS, cache=False)
    assert differing_exports(tmp_path / "out", tmp_path / "cold") == []


def test_a_file_written_for_other_keys_is_not_spliced(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build of JSON alone leaves keys that graph.ttl, from the build before, was not written
    for: the next build of both splices graph.json only, and gives a cold build's bytes."""
    work = _copy(world, tmp_path)
    out = tmp_path / "out"
    build(work, out, formats=("json", "ttl"), shed_memory=True)
    _make_corpus().change(work, 0.05, 3)  # type: ignore[attr-defined]
    build(work, out, formats=("json",), shed_memory=True)
    _make_corpus().change(work, 0.05, 4)  # type: ignore[attr-defined]
    seen = _followed(monkeypatch)
    build(work, out, formats=("json", "ttl"), shed_memory=True)
    assert ("graph.json", True) in seen and ("graph.ttl", False) in seen
    build(work, tmp_path / "cold", formats=("json", "ttl"), cache=False)
    assert differing_exports(out, tmp_path / "cold") == []


def test_kg_build_in_a_new_process_gives_a_cold_builds_bytes(world: Path, tmp_path: Path) -> None:
    work = _copy(world, tmp_path)
    run = [sys.executable, "-m", "kg", "build", str(work), "--timings"]
    subprocess.run([*run, "--out", str(tmp_path / "out")], check=True, capture_output=True)
    before = load_keys(tmp_path / "out" / CACHE_DIR / KEYS_FILE)
    _make_corpus().change(work, 0.1, 5)  # type: ignore[attr-defined]
    said = subprocess.run([*run, "--out", str(tmp_path / "out")], check=True, capture_output=True, text=True)
    assert "keys" in said.stdout
    after = load_keys(tmp_path / "out" / CACHE_DIR / KEYS_FILE)
    assert before is not None and after is not None and after.process != before.process
    subprocess.run([*run, "--out", str(tmp_path / "cold"), "--no-cache"], check=True, capture_output=True)
    assert differing_exports(tmp_path / "out", tmp_path / "cold") == []


def test_the_keys_kg_watch_leaves_are_those_a_build_after_it_splices_from(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.watch import watch

    work, out = _copy(world, tmp_path), tmp_path / "out"

    def change(seconds: float) -> None:
        _make_corpus().change(work, 0.05, 6)  # type: ignore[attr-defined]

    watch(work, out, formats=FORMATS, interval=0.01, builds=2, sleep=change)  # built, changed, rebuilt
    kept = load_keys(out / CACHE_DIR / KEYS_FILE)
    assert kept is not None and kept.sources.keys.keys() == {p.name for p in work.glob("*.txt")}
    _make_corpus().change(work, 0.05, 7)  # type: ignore[attr-defined]
    release_keys()
    seen = _followed(monkeypatch)
    build(work, out, formats=FORMATS, shed_memory=True)
    assert ("graph.ttl", True) in seen
    build(work, tmp_path / "cold", formats=FORMATS, cache=False)
    assert differing_exports(out, tmp_path / "cold") == []
