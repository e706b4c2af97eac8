"""Where files are read and extracted: in this process, in worker processes, or on a Dask cluster.

A worker gets a file's name, bytes and metadata, and gives back what the file held (articles
with their facts and near-duplicate signatures, or why it was skipped), pickled once: the
same bytes go into the cache. Every engine returns results in the order the files were given,
so the same corpus gives byte-identical exports whichever engine and however many workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Protocol

from kg.cache import dumps, loads
from kg.errors import KgError
from kg.pipeline import Entry, FileTask, read_file

Result = tuple[Entry, bytes | None]  # what a file held, and its pickle when a worker made one


class Engine(Protocol):
    """Reads files; gives back what each held, in the order given, as each is done (a caller
    that takes results one by one never holds them all). ``tasks`` may read a file only when
    it is indexed: an engine takes them as it hands them out, not all at once."""

    def read(self, tasks: Sequence[FileTask], only: Collection[str], max_bytes: int) -> Iterator[Result]: ...


def read_batch(tasks: Sequence[FileTask], only: Collection[str], max_bytes: int) -> list[bytes]:
    """One worker's share, pickled: a module-level function so that processes and Dask can send it."""
    return [dumps(read_file(task, only, max_bytes)) for task in tasks]


def warm_up() -> None:
    """Load jieba's dictionary before the first file, so that no article's time includes it."""
    from kg.text.tagger import tagger

    tagger()


def die_with_parent() -> None:
    """Worker initializer: a build killed mid-way takes its workers with it (Linux), rather
    than leaving them to finish and rename exports nobody asked for any more."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: workers end when their queue closes
        pass


def start_worker() -> None:
    """Extraction worker initializer. Each worker loads jieba itself, rather than the parent
    before the fork: a parent that loaded it keeps ~60 MB of its tables through the graph and
    the exports, long after the last file is extracted, and that is where a build peaks."""
    die_with_parent()
    warm_up()


def _batches(tasks: Sequence[FileTask], size: int) -> Iterator[Sequence[FileTask]]:
    for start in range(0, len(tasks), size):
        yield tasks[start : start + size]


def _batch_size(count: int, workers: int) -> int:
    # Several batches per worker even out long and short articles; each stays large enough
    # that pickling, not extracting, never dominates.
    return max(1, min(64, -(-count // (workers * 8))))


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class LocalEngine:
    """``jobs`` worker processes on this machine (1: in this process, no pool)."""

    jobs: int = 1

    def read(self, tasks: Sequence[FileTask], only: Collection[str], max_bytes: int) -> Iterator[Result]:
        """With workers, they start at once: the caller may do other work (read what its cache
        holds) while they extract, before it takes the first result."""
        workers = max(1, min(self.jobs, len(tasks)))
        if workers == 1:
            return self._here(tasks, only, max_bytes)
        return _Pooled(tasks, workers, only, max_bytes)

    @staticmethod
    def _here(tasks: Sequence[FileTask], only: Collection[str], max_bytes: int) -> Iterator[Result]:
        warm_up()
        for i in range(len(tasks)):
            yield read_file(tasks[i], only, max_bytes), None


class _Pooled(Iterator[Result]):
    """Files extracted by a pool of worker processes, started when made; the results in order,
    the pool shut down once they are all taken (or ``close``)."""

    def __init__(
        self, tasks: Sequence[FileTask], workers: int, only: Collection[str], max_bytes: int
    ) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._work = partial(read_batch, only=tuple(only), max_bytes=max_bytes)
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker)
        # A few batches a worker in flight, not the whole corpus: Executor.map would submit
        # every batch at once, holding every file's bytes and every result until taken.
        self._batches = _batches(tasks, _batch_size(len(tasks), workers))
        self._flight: deque[Future[list[bytes]]] = deque()
        self._ready: deque[bytes] = deque()
        try:
            for batch in islice(self._batches, workers * _IN_FLIGHT):
                self._flight.append(self._pool.submit(self._work, batch))
        except BaseException:
            self.close()
            raise

    def __next__(self) -> Result:
        try:
            while not self._ready:
                if not self._flight:
                    raise StopIteration
                part = self._flight.popleft().result()
                for batch in islice(self._batches, 1):
                    self._flight.append(self._pool.submit(self._work, batch))
                self._ready.extend(part)
        except BaseException:  # StopIteration too: all taken, or a worker failed
            self.close()
            raise
        blob = self._ready.popleft()
        return loads(blob), blob

    def close(self) -> None:
        self._flight.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)


_IN_FLIGHT = 4  # batches a worker, queued: enough that no worker waits for the next


@dataclass(frozen=True, slots=True)
class DaskEngine:
    """Batches of articles sent to a ``dask.distributed`` scheduler (``tcp://host:8786``)."""

    scheduler: str

    def read(self, tasks: Sequence[FileTask], only: Collection[str], max_bytes: int) -> Iterator[Result]:
        try:
            from distributed import Client
        except ImportError as exc:
            raise KgError("--engine dask needs dask.distributed: pip install 'hospital-kg[dask]'") from exc
        try:
            client = Client(self.scheduler, timeout="30s")  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise KgError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from exc
        with client:
            workers = max(1, sum(client.nthreads().values()))  # type: ignore[no-untyped-call]
            batches = list(_batches(tasks, _batch_size(len(tasks), workers)))
            futures = client.map(read_batch, batches, only=tuple(only), max_bytes=max_bytes, pure=False)
            parts = client.gather(futures)  # type: ignore[no-untyped-call]
        for part in parts:
            for blob in part:
                yield loads(blob), blob


def make_engine(name: str, *, jobs: int | None = None, scheduler: str | None = None) -> Engine:
    if name == "local":
        return LocalEngine(jobs or available_cores())
    if name == "dask":
        if not scheduler:
            raise KgError("--engine dask needs --scheduler ADDRESS (tcp://host:8786)")
        return DaskEngine(scheduler)
    raise KgError(f"unknown engine {name!r}; choose local or dask")
