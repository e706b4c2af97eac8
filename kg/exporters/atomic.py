"""Write a whole file or nothing: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file for writing (UTF-8 text, or bytes with mode "wb"); on success it
    replaces ``path`` in one step."""
    fd, tmp = _temporary(path)
    try:
        opened = os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8", newline="\n")
        with opened as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _readable(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _temporary(path: Path) -> tuple[int, Path]:
    """A new file beside ``path``, open for writing, to be renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    return fd, Path(name)


def _readable(path: Path) -> None:
    """As the user's umask makes a file: mkstemp makes 0600, and an export is for others to read."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


@contextmanager
def atomic_rewrite(path: Path, spare: Path) -> Iterator[IO[bytes]]:
    """``atomic_write(path, "wb")`` for a large file written again and again (graph.ttl):
    written into ``spare``, the file the last write replaced, where nobody else has it open, and
    the file it replaces kept there as the next one's spare. Writing over pages and blocks that
    are there already is memory copying; a new file's 275 MB took 0.16 to 1.6 s on this host to
    be given pages and blocks, and the file it replaced as long to be let go of. A spare that
    is busy (a reader of the export it was), linked elsewhere, or not a plain file is left alone,
    and the file written anew; nothing else names a spare, and one half-written stays a spare."""
    spare.parent.mkdir(parents=True, exist_ok=True)
    following = spare.with_name(spare.name + ".next")  # the replaced file's second name, briefly
    _settle(spare, following, path)
    fd = _free_spare(spare)
    reused = fd is not None
    fd, target = (fd, spare) if fd is not None else _temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.truncate()  # where the writing ended: a spare may be longer
            os.fsync(handle.fileno())
        _readable(target)
        try:
            os.link(path, following)  # so that the file replaced is never without a name
        except OSError:  # none yet, or on another volume: no spare
            kept = False
        else:
            kept = True
        os.replace(target, path)
        if kept:
            os.replace(following, spare)
    except BaseException:
        if not reused:
            target.unlink(missing_ok=True)
        raise


def _free_spare(spare: Path) -> int | None:
    """``spare`` opened for writing over, when it is a plain file of one name that no other
    process has open: a write lease is granted only then (fcntl(2)). The lease is let go at once
    (breaking it would signal this process); its grant is the check."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no leases, no spares
        return None
    try:
        fd = os.open(spare, os.O_WRONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or found.st_nlink != 1:
            raise OSError("not a spare")
        # A break notified by SIGURG, which is ignored unless asked for, rather than SIGIO,
        # which would end the process.
        fcntl.fcntl(fd, fcntl.F_SETSIG, signal.SIGURG)
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
    except (OSError, AttributeError):  # busy, refused, or no leases here (AttributeError: not Linux)
        os.close(fd)
        return None
    return fd


def _settle(spare: Path, following: Path, path: Path) -> None:
    """A write stopped between naming the replaced file twice and renaming it leaves that name:
    the spare it was to become, unless the spare or the export still has it."""
    if not os.path.lexists(following):
        return
    try:
        still = os.path.samefile(following, path)
    except OSError:
        still = False
    if still or os.path.lexists(spare):
        following.unlink()
    else:
        os.replace(following, spare)


def write_text(path: Path, text: str) -> None:
    with atomic_write(path) as handle:
        handle.write(text)


def replace_folder(target: Path, fill: Callable[[Path], None]) -> None:
    """Fill a folder beside ``target``, then swap it in: a reader never sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        fill(tmp)
        os.chmod(tmp, 0o755)
        old = target.with_name(f".{target.name}.old.tmp")
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
