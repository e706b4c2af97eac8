"""build(): corpus directory → graph store → exports, with a report of what was read."""

from __future__ import annotations

import gc
import json
import logging
import math
import shutil
import time
from collections.abc import Collection, Mapping, Sequence
from contextlib import ExitStack, closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import tenures
from kg.cache import FactCache, Resolved, resolved_key
from kg.engine import LocalEngine
from kg.errors import KgError
from kg.exporters import COMPANIONS, DEFAULT_FORMATS, EXPORTERS, SECTIONED
from kg.exporters.atomic import atomic_write, write_text
from kg.exporters.rdfwrite import described_keys
from kg.exporters.sections import Reuse, install_keys, store_keys
from kg.exporting import write_exports
from kg.freshness import CACHE_DIR, MEMO_DIR, build_key, stamps_of, unchanged
from kg.keyfile import KEYS_FILE, load_keys, save_keys
from kg.lock import output_lock
from kg.memory import trim_heap
from kg.merges import merge_report
from kg.model import Entity, Fact, Skipped
from kg.patch import patch_store, patchable
from kg.pipeline import Corpus, CorpusScan, corpus_files, read_corpus
from kg.rekey import KeptKeys, Remade, Sources, keep, patched, remade_since
from kg.resident import Resident
from kg.resolve import Effect, Resolution, replay, resolve_article
from kg.store import GraphStore, contribution
from kg.text.load import MAX_BYTES
from kg.textstore import ArticleTexts

if TYPE_CHECKING:
    import networkx as nx

    from kg.engine import Engine

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class BuildResult:
    """What a build made: the articles with their facts, the entities, the graph, the files written.

    Complete unless the build was asked to shed memory (`kg build`): then it holds the graph,
    the skipped files, counts and paths, and an unchanged build counts and paths only."""

    corpus: Corpus
    resolution: Resolution
    store: GraphStore
    written: list[Path]
    seconds: dict[str, float] = field(default_factory=dict)  # stage → wall-clock seconds
    peak_mb: dict[str, float] = field(default_factory=dict)  # stage → this process's peak memory by its end
    cache_hits: int = 0
    taken_over: int = 0  # files read before under another name or spacing (kg/moved.py)
    fact_counts: dict[str, int] = field(default_factory=dict)  # article id → facts read from it
    up_to_date: bool = False  # nothing changed since the build that wrote ``out``: nothing redone
    counts: dict[str, Any] = field(default_factory=dict)  # as report.json gives them
    # format → its sections copied from the last build's file, of how many (kg/exporters/sections.py)
    reused: dict[str, Reuse] = field(default_factory=dict)
    sources: Sources | None = None  # what each article gave the store, for a resident (kg/rekey.py)

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The networkx graph: typed nodes, edges keyed by relation with their evidence."""
        return self.store.graph

    @property
    def facts(self) -> list[Fact]:
        return [fact for item in self.corpus.articles for fact in item.facts]

    @property
    def entities(self) -> dict[str, Entity]:
        return self.resolution.entities


def build_store(
    corpus_dir: Path,
    *,
    only: Collection[str] = (),
    max_bytes: int = MAX_BYTES,
    engine: Engine | None = None,
    cache: FactCache | None = None,
    release: bool = False,
    exclude: Path | None = None,
    scan: CorpusScan | None = None,
    resident: Resident | None = None,
    sources: Sources | None = None,
) -> BuildResult:
    """Read, extract and resolve a corpus; raises KgError when no article could be read.

    ``release``: let go of each article's facts once the graph holds them (a build that only
    exports wants the memory; one that evaluates the facts does not). ``scan``: the corpus's
    files as the freshness check listed and read them. ``resident``: what this process kept
    from its last build (kg.resident), for a build that spills (``release``). ``sources``: told
    what each article gave, for keys kept on disk (kg/keyfile.py; a resident's are its own)."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    files = scan.files if scan is not None else corpus_files(corpus_dir, exclude)
    if not files:
        raise KgError(f"no .txt, .html, .jsonl or .json articles under {corpus_dir}")
    corpus = read_corpus(
        files,
        root=corpus_dir if corpus_dir.is_dir() else None,
        only=only,
        max_bytes=max_bytes,
        engine=engine or LocalEngine(),
        cache=cache,
        spill=release,
        scan=scan,
        resident=resident,
    )
    if not corpus.articles:
        reasons = "; ".join(f"{Path(s.path).name}: {s.reason}" for s in corpus.skipped[:5])
        raise KgError(f"none of the {len(files)} files under {corpus_dir} could be read ({reasons})")
    seconds.update(corpus.seconds)
    if release and resident is None and len(corpus.articles) >= _RELEASE_TAGGER_FROM:
        from kg.text.tagger import release_tagger

        release_tagger()  # before the graph is built, so that it reuses the memory (~125 MB)
    if resident is not None:
        sources = Sources()
    held = resident.resolved if resident is not None else None
    last = resident.last if resident is not None else None
    if resident is not None:
        resident.last = None  # a patch that fails half-way leaves no store to patch again
    resolution, store = resolve_into_graph(corpus, release, seconds, sources, held, last)
    if resident is not None and sources is not None:
        resident.resolved = sources.resolved
    clock = time.perf_counter()
    if last is None or store is not last[0]:  # a patched store's are worked out where it changed
        tenures.annotate(store)
    if resident is not None and sources is not None:
        resident.last = (store, sources)
    seconds["tenures"] = time.perf_counter() - clock
    result = BuildResult(
        corpus,
        resolution,
        store,
        [],
        seconds,
        cache_hits=cache.hits if cache else 0,
        taken_over=cache.taken_over if cache else 0,
        fact_counts=dict(corpus.fact_counts),
        sources=sources,
    )
    result.peak_mb["graph"] = peak_mb()
    return result


def resolve_into_graph(
    corpus: Corpus,
    release: bool,
    seconds: dict[str, float],
    sources: Sources | None = None,
    held: Mapping[str, Resolved] | None = None,
    last: tuple[GraphStore, Sources] | None = None,
) -> tuple[Resolution, GraphStore]:
    """Each article resolved and its facts put in the graph, one article after another in the
    order of their ids, so that a corpus whose facts wait in the cache is read back one file at a
    time and never held whole. With ``release``, what is article by article (its facts, the
    tables that say what its names meant) goes once the graph holds it. ``sources``: told what
    each article gave (kg/rekey.py); ``held``: what the last build's gave, by their cache keys,
    as a resident process holds them (read from the cache otherwise). ``last``: the store of the
    last build in this process, with what its articles gave it, patched where this build's change
    reached (kg/patch.py) rather than built again, when ``sources`` are told."""
    clock = time.perf_counter()
    if corpus.texts is not None:
        texts = corpus.texts
    else:
        texts = ArticleTexts()
        texts.update_many({item.article.id: item.article.text for item in corpus.articles})
    resolution = Resolution()
    # The last store, when this build patches it rather than building one.
    patched_from = last if last is not None and sources is not None and patchable(last[0]) else None
    # The articles as read, line maps included: a patch makes the nodes of those that changed.
    articles = {item.article.id: item.article for item in corpus.articles} if patched_from is not None else {}
    store = (
        GraphStore()
        if patched_from is not None
        else GraphStore.begin([item.article for item in corpus.articles], texts)
    )
    if release:
        # The article nodes hold the line maps now, packed: the corpus's pairs of Python ints
        # (170 MB at 100k articles) go before the graph grows into their place.
        for item in corpus.articles:
            item.article = replace(item.article, line_map=())
    resolving = 0.0
    kept = corpus.cache if release else None  # a build that keeps facts keeps their tables too
    for light, key, load in corpus.lazily_in_id_order():
        start = time.perf_counter()
        where = resolved_key(key, light.article.id, light.scope) if kept is not None and key else None
        found = None
        if kept is not None and where:
            found = held.get(where) if held is not None else None
            if found is None:
                found = kept.resolved(where)
            else:
                kept.keep_resolved(where)
        if found is not None:
            # Resolved in an earlier build from the same entry, in the same scope: done again
            # from what it did, its facts never read back.
            effects, given = found
            replay(resolution, light.article.id, effects)
            resolving += time.perf_counter() - start
            if patched_from is None:
                store.add_contribution(given, texts[light.article.id])
            if sources is not None:
                sources.add(light.article.id, where, effects, given)
            continue
        item = load()
        start = time.perf_counter()
        journal: list[Effect] = []
        resolution.journal = journal if where or sources is not None else None
        try:
            ends = resolve_article(resolution, item, keep=not release)
        finally:
            resolution.journal = None
        given = contribution(item, ends)
        if kept is not None and where:
            kept.put_resolved(where, (journal, given))
        resolving += time.perf_counter() - start
        if patched_from is None:
            store.add_contribution(given, item.article.text)
        if sources is not None:
            sources.add(item.article.id, where, journal, given)
        if release:
            item.facts = []
    if patched_from is not None and sources is not None:
        store = patched_from[0]
        patch_store(store, patched_from[1], sources, articles, resolution, texts)
    else:
        store.finish(resolution)
    seconds["resolve"] = resolving
    seconds["graph"] = time.perf_counter() - clock - resolving
    return resolution, store


def peak_mb() -> float:
    """This process's peak resident memory so far, in MiB (0 where the OS does not say)."""
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    except (ImportError, OSError):
        return 0.0


MERGES_FILE = "merges.json"  # why names became one node (kg/merges.py)


def build(
    corpus_dir: Path | str,
    out: Path | str | None = None,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    only: Collection[str] = (),
    max_bytes: int = MAX_BYTES,
    engine: Engine | None = None,
    cache: bool = True,
    export_jobs: int = 1,
    shed_memory: bool = False,
    resident: Resident | None = None,
) -> BuildResult:
    """The graph of ``corpus_dir``: a complete result (``.graph``, facts, entities, texts) and,
    with ``out``, every export format written there.

    With ``cache``, files read before with the same bytes are not extracted again; when nothing
    at all changed since the last build into ``out`` (corpus, options, code, the exports as it
    left them) the exports are not written again. ``shed_memory`` is for a command that only
    wants the exports (`kg build`): the articles, their facts and texts and the resolution are
    let go as soon as the graph holds them (``counts`` says how many were read), and an
    unchanged build stops after checking, with counts and paths only. ``resident``: a process
    that builds again and again (``kg watch``) keeps what it read in this object, and reads it
    from there next time (kg.resident); with ``shed_memory`` only, and jieba's dictionary is kept.
    """
    corpus_dir = Path(corpus_dir)
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise KgError(f"unknown format {', '.join(unknown)}; choose from {', '.join(EXPORTERS)}")
    from kg.extractors import EXTRACTORS

    strangers = sorted(set(only) - set(EXTRACTORS))
    if strangers:
        raise KgError(f"--only: no extractor {', '.join(strangers)}; choose from {', '.join(EXTRACTORS)}")
    if out is None:
        result = build_store(corpus_dir, only=only, max_bytes=max_bytes, engine=engine)
        result.counts = report_data(result)["counts"]  # type: ignore[assignment]  # a dict, built there
        return result
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        try:
            return _build_into(
                corpus_dir, out, formats, only, max_bytes, engine, cache, export_jobs, shed_memory, resident
            )
        except BaseException:
            # Interrupted (Ctrl-C, kill): each writer removes its own temporary file, but a signal
            # between creating one and guarding it would leave it; the lock is still ours.
            _remove_temporaries(out)
            raise


def _remove_temporaries(out: Path) -> None:
    """What a build writes before renaming it into place: a file, or the HTML site's folder."""
    for stale in out.glob(".*.tmp"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _build_into(
    corpus_dir: Path,
    out: Path,
    formats: Sequence[str],
    only: Collection[str],
    max_bytes: int,
    engine: Engine | None,
    cache: bool,
    export_jobs: int,
    shed_memory: bool,
    resident: Resident | None = None,
) -> BuildResult:
    """build() with ``out`` locked."""
    _remove_temporaries(out)  # left by a build that was killed (SIGKILL) while writing
    report = out / "report.json"
    stamp = out / CACHE_DIR / "last-build.json"
    key, scan = build_key(corpus_dir, formats, only, max_bytes, out) if cache else ("", None)

    def read_store(
        facts: FactCache | None, release: bool = False, sources: Sources | None = None
    ) -> BuildResult:
        return build_store(
            corpus_dir,
            only=only,
            max_bytes=max_bytes,
            engine=engine,
            cache=facts,
            release=release,
            exclude=out,
            scan=scan,
            resident=resident if release else None,
            sources=sources,
        )

    if key and (last := unchanged(stamp, report, key)) is not None:
        data, paths = last
        if shed_memory:
            skipped = [Skipped(s["file"], s["reason"]) for s in data.get("skipped", [])]
            previous = BuildResult(Corpus(skipped=skipped), Resolution(), GraphStore(), paths)
        else:  # the whole result again, every file from the cache: the exports stay as they are
            with closing(FactCache(out / CACHE_DIR / "facts.sqlite")) as cached:
                previous = read_store(cached)
            previous.written = paths
        previous.up_to_date, previous.counts = True, data.get("counts", {})
        return previous
    stamp.unlink(missing_ok=True)  # from here on, the exports no longer match it
    # Nor does the report: a build killed from here on leaves no report beside new exports, so
    # a folder with a report.json is always one consistent set.
    report.unlink(missing_ok=True)
    (out / MERGES_FILE).unlink(missing_ok=True)
    facts = FactCache(out / CACHE_DIR / "facts.sqlite") if cache else None
    # The store keys the last build left (kg/keyfile.py), for a build in a new process that keys
    # its store by the change since: its cached resolutions say what each article gave.
    keys_path = out / CACHE_DIR / KEYS_FILE
    keyed = resident is None and cache and shed_memory and bool(set(formats) & SECTIONED)
    last_keys = load_keys(keys_path) if keyed else None
    sources = Sources(light=True, unlike=last_keys.sources.keys if last_keys else None) if keyed else None
    # A build allocates millions of long-lived objects and frees few cycles: the collector's
    # default pace rescans them all again and again (measured: 5% of a 1k build, more at 10k).
    threshold = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        with ExitStack() as pending:
            result = read_store(facts, release=shed_memory, sources=sources)
            scan = None  # each file's digest (27 MB at 100k articles): not held through the exports
            # The report and merges.json are written now and put in place after the exports,
            # so that what they say of every article and name is not held through the exports
            # (80 MB at 100k). The report goes last (the stack closes it last): a folder with
            # a report.json is always one consistent set.
            merges = merge_report(result.resolution)
            data = report_data(result)
            data["counts"]["merges"] = merges["counts"]  # type: ignore[index]  # built just above as a dict
            with_report = pending.enter_context(atomic_write(report))
            with_merges = pending.enter_context(atomic_write(out / MERGES_FILE))
            json.dump(merges, with_merges, ensure_ascii=False, indent=1)
            with_merges.write("\n")
            json.dump(data, with_report, ensure_ascii=False, indent=1, sort_keys=True)
            with_report.write("\n")
            for handle in (with_merges, with_report):
                handle.flush()  # nothing left in a buffer that forked export workers would inherit
            result.counts = data["counts"]  # type: ignore[assignment]  # built just above as a dict
            del merges, data
            remade = None
            if facts is not None:
                if last_keys is not None and result.sources is not None:
                    # What the changed articles gave before, while the cache still holds it.
                    remade = remade_since(last_keys.sources, result.sources, facts.resolved_before)
                # Before the exports, so that the new entries (47 MB at 10k articles) are not held
                # through them; keyed by content, they are right whatever becomes of the exports.
                facts.commit()
            if shed_memory:
                _release_extraction(result)
            memo = out / CACHE_DIR / MEMO_DIR if cache else None
            if result.sources is not None and set(formats) & SECTIONED:
                clock = time.perf_counter()
                key_store(result.store, result.sources, keys_path, resident, last_keys, remade)
                if resident is None:
                    result.sources = None  # what each article named: on disk now
                result.seconds["keys"] = time.perf_counter() - clock
            # Not held through the exports (the last keys are 3 dicts of every node).
            sources = last_keys = remade = None
            # A resident process holds more than the store (what it read, what each article
            # gave), which its forked workers never touch: it forks whatever it holds.
            fork_limit = math.inf if resident is not None else None
            for fmt, seconds, reuse in write_exports(
                result.store, out, formats, export_jobs, memo, fork_limit
            ):
                result.written += [out / EXPORTERS[fmt][1], *(out / c for c in COMPANIONS.get(fmt, ()))]
                result.seconds[f"export {fmt}"] = seconds
                if reuse is not None:
                    result.reused[fmt] = reuse
            result.peak_mb["exports"] = peak_mb()
    finally:
        gc.set_threshold(*threshold)
        if facts is not None:
            facts.close()
    result.written += [report, out / MERGES_FILE]
    if key:
        # The HTML site's pages beside graph.html count too (written): a deleted views/ means a rebuild.
        outputs = stamps_of(result.written)
        write_text(stamp, json.dumps({"key": key, "outputs": outputs}, indent=1) + "\n")
    return result


def key_store(
    store: GraphStore,
    sources: Sources,
    path: Path,
    resident: Resident | None = None,
    last: KeptKeys | None = None,
    remade: Remade | None = None,
) -> None:
    """The store's keys, before the exports (and their forked workers) ask for them: worked out
    where the change since the last build reached (the resident's keys, else ``last``, read from
    ``path``; ``remade``: the pairs made again since, for a store built whole), else whole; kept
    for the next build, in the resident, else at ``path`` (a resident process writes its own
    there while it waits: ``kg.watch``)."""
    if resident is not None:
        last = resident.keys
    keys = patched(last, store, sources, remade) if last is not None else None
    if keys is None:
        keys = store_keys(store)
        if resident is not None:
            # Here, in the process that keeps them, rather than in TriG's (a forked worker's):
            # patched from then on. A build in a new process has no patch to patch them by.
            keys.described = described_keys(store, keys)
    else:
        install_keys(store, keys)
    # Kept before the exports: the RDF formats let the section keys go once written. Each
    # export's index names these keys' generation, so a file another build wrote is never
    # taken for one written with them.
    kept = keep(store, keys, sources)
    if resident is not None:
        resident.keys = kept
    elif kept is not None:
        save_keys(path, kept)


def _release_extraction(result: BuildResult) -> None:
    """Once the graph holds the facts and the report is written, the articles (their facts,
    texts, names) and the resolution tables are dead weight for the exports: let them go, and
    give the memory back, before the exports peak (forked export workers would otherwise share
    a heap full of holes). ``counts`` says how many articles were read.

    The texts and their line maps were 120 MB at 10k articles, the articles without them 100 MB
    at 100k; the graph keeps every sentence its facts were read from, and ``build_store`` keeps
    the texts for callers who want them."""
    result.corpus.articles = []
    result.corpus.fact_counts = {}
    result.fact_counts = {}
    result.resolution = Resolution()
    # Reference counting frees all of it (no cycles): a full collection would find nothing and
    # cost a second at 10k articles.
    trim_heap()


# jieba's dictionary is let go once extraction is over, from this many articles up: only then is
# the memory worth a reload (~1 s) in a later build in the same process.
_RELEASE_TAGGER_FROM = 1000


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
