"""Writing the exports: each format atomically, in forked processes sharing the store when there
are several, the slowest formats first."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple

from kg.exporters import EXPORTERS, SECTIONED, get_exporter, get_sectioned
from kg.exporters.sections import Reuse
from kg.memory import resident_mb, trim_heap
from kg.store import GraphStore

logger = logging.getLogger(__name__)


class ExportRun(NamedTuple):
    """One format written: how long it took, and how much of it the last build's file gave."""

    fmt: str
    seconds: float
    reuse: Reuse | None = None  # None: not a sectioned format


def _export_one(store: GraphStore, out: Path, fmt: str, memo: Path | None) -> ExportRun:
    clock = time.perf_counter()
    reuse = None
    if fmt in SECTIONED:
        reuse = get_sectioned(fmt)(store, out / EXPORTERS[fmt][1], memo=memo)
    else:
        get_exporter(fmt)(store, out / EXPORTERS[fmt][1])
    return ExportRun(fmt, time.perf_counter() - clock, reuse)


_FORKED_STORE: GraphStore | None = None  # what forked export workers inherit instead of a pickle


def _export_in_turn(
    store: GraphStore, out: Path, formats: Sequence[str], memo: Path | None
) -> list[ExportRun]:
    from kg.exporters.rdf import release_shared
    from kg.exporters.sections import release_keys, shed_section_keys

    written = []
    for i, fmt in enumerate(formats):
        written.append(_export_one(store, out, fmt, memo))
        later = set(formats[i + 1 :])
        released = False
        if fmt in _SHARED_BLOCKS and not later & _SHARED_BLOCKS:
            release_shared()  # nothing after them needs the blocks N-Quads and JSON-LD share
            released = True
        if fmt in SECTIONED and not later & SECTIONED:
            release_keys()  # every sectioned format keys its sections by the same store keys
            released = True
        elif fmt in _TOGETHER and not later & _TOGETHER:
            shed_section_keys()  # only the RDF formats read the section keys
            released = True
        if released:
            trim_heap()
    return written


_SHARED_BLOCKS = {"nquads", "jsonld"}  # both walk rdf.shared_blocks
# Kept in one process: apart, each would work out the store keys (kg/exporters/sections.py)
# its own; the explorer, the slowest format, pays for its own anyway in another process.
_TOGETHER = {"ttl", "trig"}


def _export_forked(out: Path, memo: Path | None, formats: Sequence[str]) -> list[ExportRun]:
    assert _FORKED_STORE is not None
    return _export_in_turn(_FORKED_STORE, out, formats, memo)


def share_exports(formats: Sequence[str], processes: int, rebuilding: bool = False) -> list[list[str]]:
    """Formats split between at most ``processes``, the first being this one: slowest first,
    each to the process with the least to do so far (ties: the earliest), so they finish together.
    ``rebuilding``: the last build's files are there to copy from, which costs the formats
    otherwise (the explorer renders its changed pages, the RDF formats copy most of theirs)."""
    together = [f for f in formats if f in _TOGETHER]
    units = [[f] for f in formats if f not in _TOGETHER] + ([together] if together else [])
    costs = _REBUILD_COST if rebuilding else _EXPORT_COST
    costed = [(sum(costs.get(f, _EXPORT_COST.get(f, 1)) for f in unit), unit) for unit in units]
    shares: list[list[str]] = [[] for _ in range(processes)]
    loads = [0.0] * processes
    for cost, unit in sorted(costed, key=lambda c: -c[0]):
        least = loads.index(min(loads))
        shares[least].extend(unit)
        loads[least] += cost
    return [share for share in shares if share]


def write_exports(
    store: GraphStore,
    out: Path,
    formats: Sequence[str],
    jobs: int = 1,
    memo: Path | None = None,
    fork_limit_mb: float | None = None,
) -> list[ExportRun]:
    """Write each format (atomically), in ``jobs`` processes when there are several; with
    ``memo`` (a cache folder), the sectioned formats copy what did not change from their last file.
    ``fork_limit_mb``: past this resident memory the formats are written in turn (default
    ``FORK_LIMIT_MB``; ``math.inf`` for a process whose memory is mostly what no export reads).

    Exports only read the store, so processes forked after it was built share it without a
    copy. This process takes a share of the formats too: one copy of the store fewer than a
    pool of ``jobs`` (each child's touches copy its pages); each child writes its share and
    exits, handing its memory back while this one finishes.
    """
    import multiprocessing

    if not formats:
        return []
    rebuilding = memo is not None and any(memo.glob("*.sections"))
    mine, *theirs = share_exports(formats, max(1, jobs), rebuilding)
    limit = FORK_LIMIT_MB if fork_limit_mb is None else fork_limit_mb
    if not theirs or "fork" not in multiprocessing.get_all_start_methods() or not _fork_fits(limit):
        return _export_in_turn(store, out, formats, memo)
    global _FORKED_STORE
    _FORKED_STORE = store
    frozen = gc.get_freeze_count() > 0  # a resident process keeps its heap frozen (kg.watch)
    gc.freeze()  # what exists now is never collected in the children: no pages dirtied by that
    try:
        from kg.engine import die_with_parent

        with multiprocessing.get_context("fork").Pool(len(theirs), initializer=die_with_parent) as pool:
            pending = pool.map_async(partial(_export_forked, out, memo), theirs, chunksize=1)
            pool.close()  # a child that has written its share exits
            done = {run.fmt: run for run in _export_in_turn(store, out, mine, memo)}
            done.update((run.fmt, run) for share in pending.get() for run in share)
            pool.join()
    finally:
        if not frozen:
            gc.unfreeze()
        _FORKED_STORE = None
    return [done[fmt] for fmt in formats]


# A forked export worker ends up with its own copy of every page of the heap it reads (a
# reference count is a write) and the exports read the whole store: measured, a build that forks
# peaks at about three times its heap, one that does not at about 1.6 times. Past this heap the
# formats are written one after another: the build stays near 1.5 GB where it can (`kg build
# -j 2`, 30k articles: a 0.9 GB heap forked peaked at 2.9 GB).
FORK_LIMIT_MB = 512


def _fork_fits(limit: float) -> bool:
    resident = resident_mb()
    if resident is not None and resident > limit:
        logger.info("exports written in turn: forking %.0f MB would copy it", resident)
        return False
    return True


# Seconds per format, the 10k synthetic corpus with --jobs 1 (bench/run.py): for sharing only.
_EXPORT_COST = {
    "html": 16.9,
    "jsonld": 36,
    "ttl": 10.9,  # with the section keys it shares with TriG
    "nquads": 12,
    "trig": 6.8,
    "graphml": 6,
    "json": 2.7,
    "neo4j": 4,
}


# The same after 1 % of its files changed (bench/run.py --change 0.01), where each format copies
# what did not change from its last file (the formats not sectioned cost what they cost cold).
_REBUILD_COST = {
    "html": 9.6,
    "ttl": 4.3,
    "trig": 2.7,
    "json": 1.0,
}


def adopt_exports(store: GraphStore, out: Path, formats: Sequence[str], memo: Path) -> list[str]:
    """Take each sectioned format's file in ``out`` (and its memos in the cache folder ``memo``)
    as written for the store's keys, where it holds what they name: so a resident process that
    starts on a corpus built before rebuilds its first change as it does later ones. Returns
    the formats taken."""
    import importlib

    taken = []
    for fmt in formats:
        if fmt in SECTIONED:
            adopt = getattr(importlib.import_module(EXPORTERS[fmt][0]), "adopt", None)
            if adopt is not None and adopt(store, out / EXPORTERS[fmt][1], memo):
                taken.append(fmt)
    return taken


def differing_exports(a: Path, b: Path) -> list[str]:
    """The files that differ between two export folders (hidden files such as the cache and the
    freshness stamp, and the build report, which records its own run, aside)."""

    def files(root: Path) -> dict[str, Path]:
        return {
            str(p.relative_to(root)): p
            for p in root.rglob("*")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(root).parts)
            and p.name != "report.json"
        }

    left, right = files(a), files(b)
    return sorted(
        name
        for name in left.keys() | right.keys()
        if name not in left or name not in right or left[name].read_bytes() != right[name].read_bytes()
    )
