"""A large export written again and again (kg/exporters/atomic.py, ``atomic_rewrite``): over the
file the last write replaced, where nobody holds it, else anew; whole or not at all either way,
and never over bytes a reader of an older export still has open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.exporters.atomic import atomic_rewrite


def _write(path: Path, spare: Path, text: bytes) -> None:
    with atomic_rewrite(path, spare) as out:
        out.write(text)


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "out" / "graph.ttl", tmp_path / "out" / ".cache" / "graph.ttl.spare"


def test_each_write_goes_over_the_file_the_last_one_replaced(tmp_path: Path) -> None:
    path, spare = _setup(tmp_path)
    _write(path, spare, b"first, the longest of the three\n")
    assert not spare.exists()  # nothing was replaced
    first = path.stat().st_ino
    _write(path, spare, b"second\n")
    assert spare.stat().st_ino == first and path.stat().st_ino != first
    second = path.stat().st_ino
    _write(path, spare, b"third\n")
    # Written over the first file, cut to its new length; the second is the spare now.
    assert path.stat().st_ino == first and path.read_bytes() == b"third\n"
    assert spare.stat().st_ino == second and spare.read_bytes() == b"second\n"
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert sorted(p.name for p in path.parent.iterdir()) == [".cache", "graph.ttl"]  # no temporary left


def test_a_spare_a_reader_still_holds_is_left_alone(tmp_path: Path) -> None:
    """A reader that opened the export two writes ago reads it as it was, to the end."""
    path, spare = _setup(tmp_path)
    _write(path, spare, b"what the reader opened\n")
    with path.open("rb") as reader:
        _write(path, spare, b"second\n")
        _write(path, spare, b"third\n")  # the reader's file is the spare: written anew instead
        assert reader.read() == b"what the reader opened\n"
        assert os.fstat(reader.fileno()).st_ino != path.stat().st_ino
    assert path.read_bytes() == b"third\n" and spare.read_bytes() == b"second\n"
    _write(path, spare, b"fourth\n")  # nobody holds the spare now
    assert path.read_bytes() == b"fourth\n" and spare.read_bytes() == b"third\n"


def test_a_spare_linked_elsewhere_is_left_alone(tmp_path: Path) -> None:
    """An export the user kept under another name (a hard link) is never written over."""
    path, spare = _setup(tmp_path)
    _write(path, spare, b"kept by the user\n")
    os.link(path, tmp_path / "snapshot.ttl")
    _write(path, spare, b"second\n")
    _write(path, spare, b"third\n")
    assert (tmp_path / "snapshot.ttl").read_bytes() == b"kept by the user\n"
    assert path.read_bytes() == b"third\n"


def test_a_failed_write_leaves_the_export_as_it_was(tmp_path: Path) -> None:
    path, spare = _setup(tmp_path)
    for text in (b"one\n", b"two\n"):
        _write(path, spare, text)
    with pytest.raises(RuntimeError), atomic_rewrite(path, spare) as out:
        out.write(b"half of three")
        raise RuntimeError("stopped")
    assert path.read_bytes() == b"two\n"
    _write(path, spare, b"three\n")  # the half-written spare is a spare still
    assert path.read_bytes() == b"three\n" and spare.read_bytes() == b"two\n"


def test_a_write_stopped_between_its_renames_settles_next_time(tmp_path: Path) -> None:
    """Stopped after the replaced file got its second name: before the export was replaced (the
    name is the export's still), or after (the name is the only one of the replaced file)."""
    path, spare = _setup(tmp_path)
    following = spare.with_name(spare.name + ".next")
    for text in (b"one\n", b"two\n"):
        _write(path, spare, text)
    os.link(path, following)  # stopped before the rename: the export holds it
    _write(path, spare, b"three\n")
    assert not following.exists() and path.read_bytes() == b"three\n"
    assert spare.read_bytes() == b"two\n"
    os.replace(spare, following)  # stopped after: the spare's only name
    _write(path, spare, b"four\n")
    assert not following.exists() and path.read_bytes() == b"four\n"
    assert spare.read_bytes() == b"three\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
