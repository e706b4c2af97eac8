"""One build at a time per output folder: a second one refuses at once, with the first one's pid."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import KgError

LOCK_FILE = ".kg-build.lock"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold ``out``'s lock for the block. A POSIX record lock: the OS lets go of it when the build
    dies, however it dies, and its forked workers do not inherit it (a flock() they would)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        yield
        return
    path = out / LOCK_FILE
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # EAGAIN or EACCES, as the platform says it
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise KgError(
                f"another build (pid {holder}) is writing into {out}; wait for it to finish or choose another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.lockf(handle, fcntl.LOCK_UN)
