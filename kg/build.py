"""build(): corpus directory → graph store → exports, with a report of what was read."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.cache import FactCache, code_fingerprint
from kg.errors import KgError
from kg.exporters import DEFAULT_FORMATS, EXPORTERS, get_exporter
from kg.exporters.atomic import write_text
from kg.merges import merge_report
from kg.model import Skipped
from kg.pipeline import Corpus, corpus_files, read_corpus
from kg.resolve import Resolution, resolve
from kg.store import GraphStore
from kg.text.load import MAX_BYTES, METADATA_FILE

if TYPE_CHECKING:
    from kg.engine import Engine

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class BuildResult:
    corpus: Corpus  # after build(), its articles without their text (the graph has the sentences)
    resolution: Resolution
    store: GraphStore
    written: list[Path]
    seconds: dict[str, float] = field(default_factory=dict)  # stage → wall-clock seconds
    peak_mb: dict[str, float] = field(default_factory=dict)  # stage → this process's peak memory by its end
    cache_hits: int = 0
    fact_counts: dict[str, int] = field(default_factory=dict)  # article id → facts read from it
    up_to_date: bool = False  # nothing changed since the build that wrote ``out``: nothing redone
    counts: dict[str, Any] = field(default_factory=dict)  # as report.json gives them


def build_store(
    corpus_dir: Path,
    *,
    only: Collection[str] = (),
    max_bytes: int = MAX_BYTES,
    engine: Engine | None = None,
    cache: FactCache | None = None,
    release: bool = False,
    exclude: Path | None = None,
) -> BuildResult:
    """Read, extract and resolve a corpus; raises KgError when no article could be read.

    ``release``: let go of each article's facts once the graph holds them (a build that only
    exports wants the memory; one that evaluates the facts does not)."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    files = corpus_files(corpus_dir, exclude)
    if not files:
        raise KgError(f"no .txt, .html, .jsonl or .json articles under {corpus_dir}")
    corpus = read_corpus(
        files,
        root=corpus_dir if corpus_dir.is_dir() else None,
        only=only,
        max_bytes=max_bytes,
        engine=engine,
        cache=cache,
    )
    if not corpus.articles:
        reasons = "; ".join(f"{Path(s.path).name}: {s.reason}" for s in corpus.skipped[:5])
        raise KgError(f"none of the {len(files)} files under {corpus_dir} could be read ({reasons})")
    seconds.update(corpus.seconds)
    if release and len(corpus.articles) >= _RELEASE_TAGGER_FROM:
        from kg.text.segment import release_tagger

        release_tagger()  # before the graph is built, so that it reuses the memory (~125 MB)
    clock = time.perf_counter()
    fact_counts = {item.article.id: len(item.facts) for item in corpus.articles}
    resolution = resolve(corpus.articles)
    seconds["resolve"], clock = time.perf_counter() - clock, time.perf_counter()
    store = GraphStore.from_facts(corpus.articles, resolution, release=release)
    seconds["graph"] = time.perf_counter() - clock
    result = BuildResult(
        corpus, resolution, store, [], seconds, cache_hits=cache.hits if cache else 0, fact_counts=fact_counts
    )
    result.peak_mb["graph"] = peak_mb()
    return result


def peak_mb() -> float:
    """This process's peak resident memory so far, in MiB (0 where the OS does not say)."""
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    except (ImportError, OSError):
        return 0.0


CACHE_DIR = ".kg-cache"
MERGES_FILE = "merges.json"  # why names became one node (kg/merges.py)


def build(
    corpus_dir: Path,
    out: Path,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    only: Collection[str] = (),
    max_bytes: int = MAX_BYTES,
    engine: Engine | None = None,
    cache: bool = True,
    export_jobs: int = 1,
) -> BuildResult:
    """Build the graph of ``corpus_dir`` and write every export format into ``out``.

    With ``cache``, files read before with the same bytes are not extracted again, and when
    nothing at all changed (corpus, options, code, and the exports as the last build left
    them) the build stops after checking that.
    """
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise KgError(f"unknown format {', '.join(unknown)}; choose from {', '.join(EXPORTERS)}")
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):
        # Left by a build that was killed while writing: a file, or the HTML site's folder.
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    report = out / "report.json"
    stamp = out / CACHE_DIR / "last-build.json"
    key = build_key(corpus_dir, formats, only, max_bytes, out) if cache else ""
    if key and (previous := _unchanged(stamp, report, key)) is not None:
        return previous
    stamp.unlink(missing_ok=True)  # from here on, the exports no longer match it
    facts = FactCache(out / CACHE_DIR / "facts.sqlite") if cache else None
    # A build allocates millions of long-lived objects and frees few cycles: the collector's
    # default pace rescans them all again and again (measured: 5% of a 1k build, more at 10k).
    threshold = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        result = build_store(
            corpus_dir, only=only, max_bytes=max_bytes, engine=engine, cache=facts, release=True, exclude=out
        )
        data = report_data(result)
        merges = merge_report(result.resolution)
        data["counts"]["merges"] = merges["counts"]  # type: ignore[index]  # built just above as a dict
        if facts is not None:
            # Before the exports, so that the new entries (47 MB at 10k articles) are not held
            # through them; keyed by content, they are right whatever becomes of the exports.
            facts.commit()
        _release_extraction(result)
        for fmt, seconds in write_exports(result.store, out, formats, export_jobs):
            result.written.append(out / EXPORTERS[fmt][1])
            result.seconds[f"export {fmt}"] = seconds
        result.peak_mb["exports"] = peak_mb()
    finally:
        gc.set_threshold(*threshold)
        if facts is not None:
            facts.close()
    result.counts = data["counts"]  # type: ignore[assignment]  # built just above as a dict
    write_text(report, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    result.written.append(report)
    write_text(out / MERGES_FILE, json.dumps(merges, ensure_ascii=False, indent=1) + "\n")
    result.written.append(out / MERGES_FILE)
    if key:
        # The HTML site's pages beside graph.html count too: a deleted views/ means a rebuild.
        site = [p for p in (out / "index.html", out / "views") if p.exists() and "html" in formats]
        outputs = _stamps([*result.written, *site])
        write_text(stamp, json.dumps({"key": key, "outputs": outputs}, indent=1) + "\n")
    return result


def _release_extraction(result: BuildResult) -> None:
    """Once the graph holds the facts, the per-article fact lists, the articles' texts and the
    resolution tables are dead weight for the exports: let them go, and give the memory back,
    before the exports peak (forked export workers would otherwise share a heap full of holes).

    The texts and their line maps were 120 MB at 10k articles; the graph keeps every sentence
    its facts were read from, and ``build_store`` keeps the texts for callers who want them."""
    for item in result.corpus.articles:
        item.facts = []
        item.article = replace(item.article, text="", line_map=())
    result.resolution = Resolution()
    # Reference counting frees all of it (no cycles): a full collection would find nothing and
    # cost a second at 10k articles.
    _trim_heap()


# jieba's dictionary is let go once extraction is over, from this many articles up: only then is
# the memory worth a reload (~1 s) in a later build in the same process.
_RELEASE_TAGGER_FROM = 1000


def _trim_heap() -> None:
    """Return freed memory to the system (glibc keeps it otherwise: 110 MB at 10k articles)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _export_one(store: GraphStore, out: Path, fmt: str) -> tuple[str, float]:
    clock = time.perf_counter()
    get_exporter(fmt)(store, out / EXPORTERS[fmt][1])
    return fmt, time.perf_counter() - clock


_FORKED_STORE: GraphStore | None = None  # what forked export workers inherit instead of a pickle


def _export_in_turn(store: GraphStore, out: Path, formats: Sequence[str]) -> list[tuple[str, float]]:
    from kg.exporters.rdf import release_shared

    written = []
    for i, fmt in enumerate(formats):
        written.append(_export_one(store, out, fmt))
        if fmt in _SHARING and not set(formats[i + 1 :]) & _SHARING:
            release_shared()  # nothing after them needs the blocks Turtle and TriG share
            _trim_heap()
    return written


_SHARING = {"ttl", "trig"}


def _export_forked(out: Path, formats: Sequence[str]) -> list[tuple[str, float]]:
    assert _FORKED_STORE is not None
    return _export_in_turn(_FORKED_STORE, out, formats)


def share_exports(formats: Sequence[str], processes: int) -> list[list[str]]:
    """Formats split between at most ``processes``, the first being this one: slowest first,
    each to the process with the least to do so far (ties: the earliest), so they finish together."""
    # Turtle and TriG stay together: apart, each process would build the blocks they share.
    together = [f for f in formats if f in _SHARING]
    units = [[f] for f in formats if f not in _SHARING] + ([together] if together else [])
    costed = [(sum(_EXPORT_COST.get(f, 1) for f in unit), unit) for unit in units]
    shares: list[list[str]] = [[] for _ in range(processes)]
    loads = [0.0] * processes
    for cost, unit in sorted(costed, key=lambda c: -c[0]):
        least = loads.index(min(loads))
        shares[least].extend(unit)
        loads[least] += cost
    return [share for share in shares if share]


def write_exports(
    store: GraphStore, out: Path, formats: Sequence[str], jobs: int = 1
) -> list[tuple[str, float]]:
    """Write each format (atomically), in ``jobs`` processes when there are several.

    Exports only read the store, so processes forked after it was built share it without a
    copy. This process takes a share of the formats too: one copy of the store fewer than a
    pool of ``jobs`` (each child's touches copy its pages); each child writes its share and
    exits, handing its memory back while this one finishes.
    """
    import multiprocessing

    if not formats:
        return []
    mine, *theirs = share_exports(formats, max(1, jobs))
    if not theirs or "fork" not in multiprocessing.get_all_start_methods():
        return _export_in_turn(store, out, formats)
    global _FORKED_STORE
    _FORKED_STORE = store
    gc.freeze()  # what exists now is never collected in the children: no pages dirtied by that
    try:
        from kg.engine import die_with_parent

        with multiprocessing.get_context("fork").Pool(len(theirs), initializer=die_with_parent) as pool:
            pending = pool.map_async(partial(_export_forked, out), theirs, chunksize=1)
            pool.close()  # a child that has written its share exits
            done = dict(_export_in_turn(store, out, mine))
            done.update(pair for share in pending.get() for pair in share)
            pool.join()
    finally:
        gc.unfreeze()
        _FORKED_STORE = None
    return [(fmt, done[fmt]) for fmt in formats]


# Seconds per format, the 10k synthetic corpus with --jobs 1 (bench/run.py): for sharing only.
_EXPORT_COST = {
    "html": 16.9,
    "jsonld": 36,
    "ttl": 10.9,  # with the blocks it shares with TriG
    "nquads": 12,
    "trig": 6.8,
    "graphml": 6,
    "json": 2.7,
    "neo4j": 4,
}


def build_key(
    corpus_dir: Path, formats: Sequence[str], only: Collection[str], max_bytes: int, out: Path | None = None
) -> str:
    """A digest of everything a build's output depends on: each file's bytes, options, code."""
    digest = hashlib.sha256(json.dumps([code_fingerprint(), list(formats), sorted(only), max_bytes]).encode())
    root = corpus_dir if corpus_dir.is_dir() else corpus_dir.parent
    for path in corpus_files(corpus_dir, out):
        digest.update(os.fsencode(path.relative_to(root)) + b"\0")  # any bytes a file name holds
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError as exc:
            digest.update(str(exc).encode())
    metadata = root / METADATA_FILE
    if metadata.is_file():
        digest.update(metadata.read_bytes())
    return digest.hexdigest()


def _stamps(paths: Sequence[Path]) -> dict[str, list[int]]:
    """name → [size, mtime in ns]: enough to notice an export deleted or edited since."""
    stamps = {}
    for path in paths:
        st = path.stat()
        stamps[path.name] = [st.st_size, st.st_mtime_ns]
    return stamps


def _unchanged(stamp: Path, report: Path, key: str) -> BuildResult | None:
    """The last build's result, when it was built from the same key and its exports are intact."""
    try:
        last = json.loads(stamp.read_text(encoding="utf-8"))
        stamps = last["outputs"]
        if last["key"] != key:
            return None
        paths = [report.parent / name for name in stamps]
        if _stamps(paths) != stamps:
            return None
        paths = [p for p in paths if p.is_file()]
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    corpus = Corpus(
        skipped=[Skipped(s["file"], s["reason"]) for s in data.get("skipped", [])],
    )
    return BuildResult(
        corpus, Resolution(), GraphStore(), paths, up_to_date=True, counts=data.get("counts", {})
    )


def report_data(result: BuildResult) -> dict[str, object]:
    corpus = result.corpus
    return {
        "read": [
            {
                "file": a.article.id,
                "title": a.article.title,
                "published": a.article.published,
                "encoding": a.article.encoding,
                "facts": result.fact_counts.get(a.article.id, len(a.facts)),
                "same_text_as": corpus.duplicates.get(a.article.id, []),
                "same_story_as": a.scope if a.scope != a.article.id else "",
            }
            for a in corpus.articles
        ],
        "skipped": [{"file": s.path, "reason": s.reason} for s in corpus.skipped],
        "counts": {
            "read": len(corpus.articles),
            "skipped": len(corpus.skipped),
            "near_duplicates": sum(len(v) for v in corpus.near_duplicates.values()),
            **result.store.counts(),
        },
    }
