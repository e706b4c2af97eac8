"""Where extraction runs: in this process, in worker processes, or on a Dask cluster.

Every engine returns the facts in the order the articles were given, so the same corpus
gives byte-identical exports whichever engine and however many workers read it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from kg.errors import KgError
from kg.model import Article, ArticleFacts


class Engine(Protocol):
    def extract(self, articles: Sequence[Article], only: Collection[str]) -> list[ArticleFacts]: ...


def extract_batch(articles: Sequence[Article], only: Collection[str] = ()) -> list[ArticleFacts]:
    """One worker's share: a module-level function so that processes and Dask can pickle it."""
    from kg.pipeline import extract_article

    return [extract_article(article, only=only) for article in articles]


def warm_up() -> None:
    """Load jieba's dictionary once, before workers fork, so that they share it."""
    from kg.text.segment import _tagger

    _tagger().tokenizer.initialize()


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


def _batches(articles: Sequence[Article], size: int) -> Iterator[Sequence[Article]]:
    for start in range(0, len(articles), size):
        yield articles[start : start + size]


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

    def extract(self, articles: Sequence[Article], only: Collection[str]) -> list[ArticleFacts]:
        warm_up()
        workers = max(1, min(self.jobs, len(articles)))
        if workers == 1:
            return extract_batch(articles, only)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        size = _batch_size(len(articles), workers)
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=die_with_parent
        ) as pool:
            parts = pool.map(partial(extract_batch, only=tuple(only)), _batches(articles, size))
            return [item for part in parts for item in part]


@dataclass(frozen=True, slots=True)
class DaskEngine:
    """Batches of articles sent to a ``dask.distributed`` scheduler (``tcp://host:8786``)."""

    scheduler: str

    def extract(self, articles: Sequence[Article], only: Collection[str]) -> list[ArticleFacts]:
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
            batches = list(_batches(articles, _batch_size(len(articles), workers)))
            futures = client.map(extract_batch, batches, only=tuple(only), pure=False)
            parts = client.gather(futures)  # type: ignore[no-untyped-call]
        return [item for part in parts for item in part]


def make_engine(name: str, *, jobs: int | None = None, scheduler: str | None = None) -> Engine:
    if name == "local":
        return LocalEngine(jobs or available_cores())
    if name == "dask":
        if not scheduler:
            raise KgError("--engine dask needs --scheduler ADDRESS (tcp://host:8786)")
        return DaskEngine(scheduler)
    raise KgError(f"unknown engine {name!r}; choose local or dask")
