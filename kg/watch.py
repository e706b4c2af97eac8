"""``kg watch``: build a corpus, then build it again whenever its files change, in one process.

A researcher who adds a day's news to a corpus gets the exports brought up to date without
running a command. Every few seconds the process runs the check `kg build` starts with (the
corpus's files against the last build's: 0.3 s at 10k articles). When a file came, went or
changed, it builds again; when nothing changed, it does nothing more.

Between builds it keeps:
- what it read (``kg.resident``): each file's outline and every article's text;
- jieba's dictionary.

So a rebuild reads back and extracts only the files that changed. Its exports are the bytes a
`kg build` would write (tested).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from kg.build import BuildResult, build, build_store, key_store
from kg.cache import FactCache
from kg.engine import Engine, LocalEngine, warm_up
from kg.errors import KgError
from kg.exporters import DEFAULT_FORMATS, SECTIONED
from kg.exporters.sections import release_keys
from kg.exporters.site import carrying
from kg.exporting import adopt_exports
from kg.freshness import CACHE_DIR, MEMO_DIR, build_key
from kg.keyfile import KEYS_FILE, save_keys
from kg.memory import trim_heap
from kg.resident import Resident
from kg.text.load import MAX_BYTES

# A check of an unchanged corpus costs a fraction of a second at 10k articles and seconds at
# 100k: the process waits at least this many times as long between checks, so that watching
# never takes more than a fifth of a core.
_IDLE_PER_CHECK = 4


def watch(
    corpus: Path,
    out: Path,
    *,
    interval: float = 2.0,
    formats: Sequence[str] = DEFAULT_FORMATS,
    only: Collection[str] = (),
    max_bytes: int = MAX_BYTES,
    engine: Engine | None = None,
    export_jobs: int = 1,
    builds: int | None = None,
    on_build: Callable[[BuildResult, float], None] = lambda result, seconds: None,
    on_error: Callable[[KgError], None] = lambda error: None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Build ``corpus`` into ``out``, then check it every ``interval`` seconds and build again
    when it changed, until interrupted (or after ``builds`` checks, for tests).

    ``on_build`` hears of each build that wrote exports, with its seconds, and of the first
    build whatever it did. ``on_error`` hears why a build failed (every file gone, an
    unwritable folder); watching goes on, and the next change is built.
    """
    resident = Resident()
    engine = engine or LocalEngine()
    checks = 0
    # The explorer's node and fact JSON carried from one build to the next (kg/exporters/site.py).
    with carrying(), _settled():
        while True:
            clock = time.perf_counter()
            idle = interval
            try:
                result = build(
                    corpus,
                    out,
                    formats=formats,
                    only=only,
                    max_bytes=max_bytes,
                    engine=engine,
                    export_jobs=export_jobs,
                    shed_memory=True,
                    resident=resident,
                )
            except KgError as exc:
                on_error(exc)
            else:
                spent = time.perf_counter() - clock
                if result.up_to_date:
                    idle = max(interval, _IDLE_PER_CHECK * spent)  # what checking costs, bounded
                    if not resident.held:
                        # Nothing to build at the start: what the next build would read is read
                        # now, so that the first change costs what later ones do.
                        prime(resident, corpus, out, formats, only, max_bytes, engine)
                built = not result.up_to_date or checks == 0
                if built:
                    on_build(result, spent)
                del result
                if built:
                    _settle()
                    _keep_keys(resident, out)
            checks += 1
            if builds is not None and checks >= builds:
                return
            sleep(idle)


def _keep_keys(resident: Resident, out: Path) -> None:
    """The resident's store keys written where a `kg build` in another process finds them
    (kg/keyfile.py), after a build rather than in it: 0.08 s at 10k articles. The exports name
    the keys they were written for, so keys written late, or not at all, are never taken for
    others'."""
    if resident.keys is not None and (out / CACHE_DIR).is_dir():
        save_keys(out / CACHE_DIR / KEYS_FILE, resident.keys)


def _settle() -> None:
    """After a build, while the process waits: collect what it let go, then freeze what is left
    (the store, its keys, what was carried), so that the collector's full passes during the next
    build scan only what that build makes. Unfrozen, one such pass over a 10k store was 0.7 s of
    a 1 % rebuild. What the build let go goes back to the system too."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    trim_heap()


@contextmanager
def _settled() -> Iterator[None]:
    """Within: ``_settle`` may freeze the heap; it is thawed on the way out."""
    try:
        yield
    finally:
        gc.unfreeze()


def prime(
    resident: Resident,
    corpus: Path,
    out: Path,
    formats: Sequence[str],
    only: Collection[str],
    max_bytes: int,
    engine: Engine,
) -> None:
    """Read what the cache holds of every file of the corpus into ``resident``, work out its
    store's keys and check the exports and the explorer's memos against them (writing nothing
    but the indexes of the files it takes as its own: ``adopt_exports``); load jieba's
    dictionary: a corpus that was up to date when watching began."""
    _, scan = build_key(corpus, formats, only, max_bytes, out)
    if not scan.files:
        return
    with closing(FactCache(out / CACHE_DIR / "facts.sqlite")) as cache:
        result = build_store(
            corpus,
            only=only,
            max_bytes=max_bytes,
            engine=engine,
            cache=cache,
            release=True,
            exclude=out,
            scan=scan,
            resident=resident,
        )
    if result.sources is not None and set(formats) & SECTIONED:
        key_store(result.store, result.sources, out / CACHE_DIR / KEYS_FILE, resident)
        _keep_keys(resident, out)
        # The exports and the explorer's memos, as the build that wrote them left them, checked
        # against this store: the first change is then rebuilt as later ones are.
        adopt_exports(result.store, out, formats, out / CACHE_DIR / MEMO_DIR)
        release_keys()
    warm_up()
