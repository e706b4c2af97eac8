"""build(): the stage order, written once — load, segment, extract, resolve, graph."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, overload

import numpy as np

from kg.budget import OverBudget, budget_for, time_budget
from kg.cache import FactCache, alike_key, content_digest, file_key
from kg.errors import InputError, KgError
from kg.extractors import EXTRACTORS
from kg.extractors.abbreviations import abbreviations
from kg.extractors.people import home_org
from kg.extractors.resolve_local import mentioned_orgs
from kg.model import Article, ArticleFacts, Fact, Skipped
from kg.moved import spacing_free_digest, taken_over
from kg.resident import Resident
from kg.text.dedupe import near_duplicate_groups, signature
from kg.text.load import (
    ARTICLE_SUFFIXES,
    MAX_BYTES,
    METADATA_FILE,
    check_size,
    load_article,
    load_records,
    read_metadata,
)
from kg.text.segment import segment
from kg.textstore import ArticleTexts
from kg.timing import LOADING, TAGGING, TARGET_MODEL

if TYPE_CHECKING:
    from kg.engine import Engine

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Corpus:
    """What a build read: the facts of each article, and what it skipped and why."""

    articles: list[ArticleFacts] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # kept file → same text under other names
    near_duplicates: dict[str, list[str]] = field(
        default_factory=dict
    )  # first article → reposts of its story
    seconds: dict[str, float] = field(
        default_factory=dict
    )  # stage → wall clock (read files, load+extract, …)
    fact_counts: dict[str, int] = field(default_factory=dict)  # article id → facts read from it
    # With ``spill``: every article's text, the articles holding none, nor facts (read back from
    # the cache by ``in_id_order``, one file at a time) — the corpus is not all in memory at once.
    texts: ArticleTexts | None = None
    _spilled: dict[str, str] = field(default_factory=dict)  # article id → its file's cache key
    _cache: FactCache | None = None

    @property
    def cache(self) -> FactCache | None:
        """The cache that let-go facts come back from (a build that spills)."""
        return self._cache

    def in_id_order(self) -> Iterator[ArticleFacts]:
        """Every article with its facts, in the order of their ids. Those whose facts were let
        go come back from the cache, each file's entry read once (a JSON file's other articles
        wait until their turn), as copies: nothing in them is kept here."""
        return (load() for _, _, load in self.lazily_in_id_order())

    def lazily_in_id_order(self) -> Iterator[tuple[ArticleFacts, str | None, Callable[[], ArticleFacts]]]:
        """``in_id_order``, each article as (the article without its facts where they were let go,
        its file's cache key then, what gives it with its facts): a caller that finds what it
        needs elsewhere never reads them back."""
        waiting: dict[str, ArticleFacts] = {}
        for item in sorted(self.articles, key=lambda a: a.article.id):
            key = self._spilled.get(item.article.id)
            if key is None:
                yield item, None, partial(_itself, item)  # held whole: nothing to read back
                continue
            yield item, key, partial(self._read_back, item, key, waiting.pop(item.article.id, None), waiting)

    def _read_back(
        self, item: ArticleFacts, key: str, full: ArticleFacts | None, waiting: dict[str, ArticleFacts]
    ) -> ArticleFacts:
        if full is None:
            entry = self._cache.again(key) if self._cache is not None else None
            if entry is None:
                raise KgError(f"the fact cache lost the entry of {item.article.id} during the build")
            for loaded in entry:
                if not isinstance(loaded, Read):
                    continue
                # The first of a JSON file's records sharing an id is the one read (read_corpus); one
                # whose turn has passed is not waited for.
                found = loaded.facts.article.id
                if found in self._spilled and found > item.article.id:
                    waiting.setdefault(found, loaded.facts)
                elif found == item.article.id and full is None:
                    full = loaded.facts
            if full is None:
                raise KgError(f"the fact cache lost the entry of {item.article.id} during the build")
        return ArticleFacts(
            full.article, full.facts, full.home_org, full.org_names, full.abbreviations, item.scope
        )


def _itself(item: ArticleFacts) -> ArticleFacts:
    return item


def corpus_files(corpus: Path, exclude: Path | None = None) -> list[Path]:
    """Article files under ``corpus``, recursively, in a stable order (their paths under it);
    never under ``exclude`` (the build's output folder: `kg build .` inside a corpus must not read
    its own pages back). Links to files are read, links to folders not followed, and a folder
    that is gone or may not be listed is passed over, as ``Path.rglob`` does. Walked with
    ``os.scandir``, whose entries know their kind without a ``stat``: pathlib's walk, a ``Path``
    and a ``stat`` a file, took 0.15 s of every build and every watch check at 10k articles."""
    if corpus.is_file():
        return [corpus]
    skip = str(exclude.resolve()) if exclude is not None else None
    found: list[tuple[str, str]] = []  # (its path under the corpus, its path)
    folders = [(str(corpus), "")]
    while folders:
        folder, under = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:  # gone, or not to be listed: nothing in it is read
            continue
        real = None  # the folder's real path, once a file in it is kept
        for entry in entries:
            name = under + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, name + "/"))
                    continue
                if not entry.is_file() or _suffix(entry.name) not in ARTICLE_SUFFIXES:
                    continue
            except OSError:
                continue
            if entry.name == METADATA_FILE:
                continue
            if skip is not None:
                if entry.is_symlink():
                    path = os.path.realpath(entry.path)
                else:
                    real = real if real is not None else os.path.realpath(folder)
                    path = os.path.join(real, entry.name)
                if path == skip or path.startswith(skip.rstrip(os.sep) + os.sep):
                    continue
            found.append((name, entry.path))
    return [Path(path) for _, path in sorted(found)]


def _suffix(name: str) -> str:
    """``PurePath.suffix``, lower-cased: ".txt" of "a.TXT", nothing of ".txt" or "a."."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


@dataclass(slots=True)
class CorpusScan:
    """The corpus files as the freshness check read them: listed once, and each file's content
    digest with the size and time it had when read, so that a build keys a file its cache holds
    without reading it a second time. A file whose size or time has changed since is read again."""

    files: list[Path]
    contents: dict[Path, tuple[int, int, bytes]] = field(default_factory=dict)  # size, mtime ns, digest

    def content(self, path: Path, max_bytes: int) -> bytes | None:
        """The file's content digest as scanned, if it is as scanned and one a build reads."""
        found = self.contents.get(path)
        if found is None or found[0] > max_bytes or shown_path(path) != str(path):
            return None  # refused when read (too big, a name no export can hold): read to say why
        try:
            stat = path.stat()
        except OSError:
            return None
        return found[2] if (stat.st_size, stat.st_mtime_ns) == found[:2] else None


def extract_article(article: Article, *, only: Collection[str] = ()) -> ArticleFacts:
    """Every fact the extractors read from one article."""
    doc = segment(article)
    facts: list[Fact] = []
    for name, extract in EXTRACTORS.items():
        if not only or name in only:
            facts.extend(extract(doc))
    return ArticleFacts(
        article,
        facts,
        home_org(doc),
        tuple(sorted({name for _, name in mentioned_orgs(doc)})),
        tuple(abbreviations(doc)),
    )


@dataclass(frozen=True, slots=True)
class FileTask:
    """One corpus file as a worker gets it: its name, its bytes and its metadata record.

    Bytes rather than a path to open, so that workers on other machines need no shared disk.
    ``data`` is None when the file is too big or unreadable, and ``reason`` says why.
    """

    path: str
    data: bytes | None
    record: dict[str, str] | None = None
    reason: str = ""
    # The article's id: its path under the corpus folder (news/a.txt), so that a/news.txt and
    # b/news.txt stay two articles; the file name where there is no folder.
    name: str = ""


class Read(NamedTuple):
    """An article read from a file: its facts, and its MinHash signature for near-duplicates."""

    facts: ArticleFacts
    signature: bytes


Entry = list[Skipped | Read]  # what one file gave: what the cache keeps for it


class Spilled(NamedTuple):
    """What a build that spills keeps of an article between reading it and building the graph:
    the article without its text (in ``Corpus.texts``) and without facts (in the cache)."""

    facts: ArticleFacts
    signature: bytes
    text_digest: str  # what finds another file's copy of the same text
    fact_count: int
    key: str  # its file's cache entry


def _same_text_digest(text: str) -> str:
    return hashlib.sha256("".join(text.split()).encode()).hexdigest()


Outline = list[Skipped | Spilled]  # a file's entry without its facts: what a build reads first


def outline_of(entry: Entry) -> Outline:
    """A file's entry without its facts, texts kept: all a build needs of a file until it builds
    the graph (the cache keeps it beside the entry, and it is five times quicker to read)."""
    return [loaded if isinstance(loaded, Skipped) else _without_facts(loaded) for loaded in entry]


def _without_facts(read: Read) -> Spilled:
    item = read.facts
    light = ArticleFacts(item.article, [], item.home_org, item.org_names, item.abbreviations)
    return Spilled(light, read.signature, _same_text_digest(item.article.text), len(item.facts), "")


TextWriter = Callable[[str, str, "str | None"], None]  # article id, its text, its file's entry key


def _held(
    found: Entry | Outline, key: str | None, write_text: TextWriter | None
) -> list[Skipped | Read | Spilled]:
    """What a build holds of a file's entry until the graph is built: all of it, or, when it
    spills (``write_text``), its articles' texts written out and, where the cache keeps the
    entry (``key``: then ``found`` is its outline), their facts let go."""
    if write_text is None:
        return list(found)
    out: list[Skipped | Read | Spilled] = []
    for loaded in found:
        if isinstance(loaded, Skipped):
            out.append(loaded)
            continue
        article = loaded.facts.article
        write_text(article.id, article.text, key)
        if key is None:  # an entry the cache does not keep: held whole
            out.append(loaded)
            continue
        # Whatever the cache keeps, the caller gives its outline (read back, or made to be put).
        assert isinstance(loaded, Spilled), "an entry the cache keeps is held by its outline"
        item = loaded.facts
        light = ArticleFacts(replace(article, text=""), [], item.home_org, item.org_names, item.abbreviations)
        out.append(loaded._replace(facts=light, key=key))
    return out


def read_file(
    task: FileTask, only: Collection[str] = (), max_bytes: int = MAX_BYTES, budget: float | None = None
) -> Entry:
    """Load, clean and extract one file: the unit of work an engine hands to a worker."""
    out: Entry = []
    for loaded in _loaded(task, max_bytes, budget):
        if isinstance(loaded, Skipped):
            out.append(loaded)
            continue
        try:
            with time_budget(budget_for(len(loaded.text)) if budget is None else budget):
                out.append(Read(extract_article(loaded, only=only), signature(loaded).tobytes()))
        except OverBudget as exc:
            out.append(Skipped(task.path, f"{loaded.id}: {exc}{STUCK}"))
        except Exception as exc:  # a bug the article trips is its skip, not the build's end
            out.append(Skipped(task.path, f"extraction failed ({type(exc).__name__}: {_short(exc)})"))
    return out


STUCK = " (a stuck article: skipped, and read again next build)"


def _loaded(task: FileTask, max_bytes: int, budget: float | None = None) -> list[Article | Skipped]:
    """The articles of one file, or why it was skipped: loaded and cleaned, not extracted."""
    if task.data is None:
        return [Skipped(task.path, task.reason)]
    clock = time.perf_counter()
    # A budget by size: what no article of that length takes unless it is stuck.
    try:
        with time_budget(
            budget_for(len(task.data) // 3) if budget is None else budget
        ):  # ~3 bytes a character
            return list(load_file(Path(task.path), task.record, max_bytes, data=task.data, name=task.name))
    except Exception as exc:  # whatever a file holds, it is skipped, never fatal
        return [Skipped(task.path, f"could not be read ({type(exc).__name__}: {_short(exc)})")]
    finally:
        LOADING.seconds += time.perf_counter() - clock


def _taken_over(task: FileTask, before: Entry, max_bytes: int) -> Entry | None:
    """What extracting the file would give, taken from the entry of a file read before with the
    same bytes but for spacing (kg/moved.py), or None where its articles read otherwise."""
    try:
        found = taken_over(before, _loaded(task, max_bytes))
    except (AttributeError, TypeError, ValueError):  # read back in another shape: not trusted
        return None
    if found is None:
        return None
    reads = [old for old in before if isinstance(old, Read)]
    return [Read(facts, old.signature) for facts, old in zip(found, reads, strict=True)]


def _short(exc: BaseException, limit: int = 200) -> str:
    text = str(exc)
    return text if len(text) <= limit else text[:limit] + "…"


class FilesToRead(Sequence[FileTask]):
    """The files an engine extracts, each read from disk only when the engine takes it: a cold
    build of 100k articles never holds all their bytes (1.4 GB) at once. ``taken`` hears of each
    file as read (its bytes decide its cache key)."""

    def __init__(
        self,
        files: list[tuple[Path, dict[str, str] | None, str]],
        max_bytes: int,
        taken: Callable[[int, FileTask], None] | None = None,
    ) -> None:
        self._files, self._max_bytes, self._taken = files, max_bytes, taken

    def __len__(self) -> int:
        return len(self._files)

    @overload
    def __getitem__(self, index: int) -> FileTask: ...
    @overload
    def __getitem__(self, index: slice) -> list[FileTask]: ...
    def __getitem__(self, index: int | slice) -> FileTask | list[FileTask]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        path, record, name = self._files[index]
        task = _task(path, record, self._max_bytes, name)
        if self._taken is not None:
            self._taken(index, task)
        return task


def read_corpus(
    paths: Iterable[Path],
    *,
    root: Path | None = None,
    only: Collection[str] = (),
    max_bytes: int = MAX_BYTES,
    engine: Engine,
    cache: FactCache | None = None,
    spill: bool = False,
    scan: CorpusScan | None = None,
    resident: Resident | None = None,
) -> Corpus:
    """Load and extract every article; bad files are skipped with a reason, never fatal.

    Files the ``cache`` has seen with the same bytes are not read again; the rest go to the
    ``engine`` (kg.engine: this process, worker processes, a cluster), which gives back what each
    file held, in order. The engine is given, never made here: engines run this module's
    read_file, so this module does not import them.

    With ``spill`` (and a ``cache``), the corpus is never all in memory: as each file's entry
    comes, its articles' texts go to a file (``Corpus.texts``) and their facts back to the cache,
    from which ``Corpus.in_id_order`` reads them again, one file at a time. ``scan``: the files'
    content digests as the freshness check read them (files the cache holds are not read again).
    ``resident`` (a build that spills, in a process that builds again and again: ``kg watch``):
    the entries this process held in an earlier build are taken as they were, their outlines
    not read again, and the texts go to its texts file, written only where they changed.
    """
    corpus = Corpus()
    write_text: TextWriter | None = None
    written: set[str] = set()  # a JSON file's second record of one id is skipped (below)
    holding = resident if spill and cache is not None else None  # only a build that spills keeps it
    if spill and cache is not None:
        corpus.texts = resident.texts if resident is not None else ArticleTexts()
        corpus._cache = cache

        def write_text(article: str, text: str, key: str | None) -> None:
            if article in written:
                return
            written.add(article)
            if resident is not None:
                resident.write_text(article, text, key)
            else:
                corpus.texts.update_many({article: text})  # type: ignore[union-attr]  # set just above

    clock = time.perf_counter()
    metadata, unused = read_metadata(root) if root is not None and root.is_dir() else ({}, [])
    corpus.skipped.extend(unused)
    options: dict[str, object] = {"only": sorted(only), "max_bytes": max_bytes}
    files = sorted(paths)
    named: list[tuple[Path, dict[str, str] | None, str]] = []  # each file, its metadata and id
    keys: list[str | None] = []
    folder = root if root is not None and root.is_dir() else None
    for path in files:
        name = article_name(path, folder)
        record = metadata.get(name, metadata.get(path.name))
        named.append((path, record, name))
        key = None
        if cache is not None:  # the bytes decide the key; without a cache, read when extracted
            content = scan.content(path, max_bytes) if scan is not None else None
            if content is None:
                task = _task(path, record, max_bytes, name)
                content = content_digest(task.data) if task.data is not None else None
            if content is not None:
                key = file_key(name, content, record, options)
        keys.append(key)
    alike: list[bytes | None] = [None] * len(files)  # each file's alike_key, once its bytes are read
    entries: list[list[Skipped | Read | Spilled] | None] = [None] * len(files)
    cached = [i for i, key in enumerate(keys) if key is not None and cache is not None and cache.holds(key)]
    loading_before, tagging_before, model_before = LOADING.seconds, TAGGING.seconds, TARGET_MODEL.seconds

    def extract(positions: list[int]) -> Iterator[tuple[Entry, bytes | None]]:
        """The engine's results for these files, in order; its workers (if any) start now."""

        def taken(j: int, task: FileTask) -> None:
            # The file as the engine took it: its key is of these bytes, should it have changed since.
            if cache is not None and task.data is not None:
                key_bytes(positions[j], task, task.data)

        tasks = FilesToRead([named[i] for i in positions], max_bytes, taken)
        return iter(engine.read(tasks, only, max_bytes)) if tasks else iter(())

    def key_bytes(i: int, task: FileTask, data: bytes) -> bytes:
        """The file's cache key and ``alike_key``, of the bytes read; returns the latter."""
        keys[i] = file_key(task.name, content_digest(data), task.record, options)
        alike[i] = found = alike_key(spacing_free_digest(data), options)
        return found

    def take(positions: list[int], results: Iterator[tuple[Entry, bytes | None]]) -> None:
        for i in positions:
            settle(i, *next(results))

    def settle(i: int, entry: Entry, blob: bytes | None) -> None:
        """A file's entry as read: kept in the cache, and held."""
        # A file that ran out of time may have met a busy machine: try it again next time.
        stuck = any(isinstance(x, Skipped) and x.reason.endswith(STUCK) for x in entry)
        key = keys[i] if cache is not None and not stuck else None
        if cache is not None and key is not None:
            outline = outline_of(entry)
            cache.put(key, entry, outline, blob, alike[i])
            hold(i, outline if write_text is not None else entry, key)
        else:
            entries[i] = _held(entry, key, write_text)

    def take_over(positions: list[int]) -> list[int]:
        """Settle the files read before under another name or spacing (kg/moved.py); returns
        the others, to extract."""
        if cache is None or not cache.knows_alike():
            return positions
        rest = []
        for i in positions:
            path, record, name = named[i]
            task = _task(path, record, max_bytes, name)
            if task.data is None:
                rest.append(i)
                continue
            # Keyed by the bytes read here; a file left to the engine is keyed again as it takes it.
            before = cache.alike(key_bytes(i, task, task.data))
            entry = _taken_over(task, before, max_bytes) if before is not None else None
            if entry is None:
                rest.append(i)
                continue
            cache.taken_over += 1
            settle(i, entry, None)
        return rest

    def hold(i: int, found: Entry | Outline, key: str) -> None:
        """The file's entry held, and kept for the next build where this process builds again."""
        entries[i] = _held(found, key, write_text)
        if holding is not None:
            holding.held[key] = entries[i]  # type: ignore[assignment]  # an outline's, held

    # The files the cache lacks go to the engine first: where it has workers, they extract while
    # this process reads what the cache holds of the others.
    listed = set(cached)
    missing = take_over([i for i in range(len(files)) if i not in listed])
    late: list[int] = []  # held, but found damaged when read: extracted after the rest
    fresh = extract(missing)
    try:
        for i in cached:
            key = keys[i]
            assert cache is not None and key is not None  # listed only where the cache holds it
            warm = holding.entry(key) if holding is not None else None
            if warm is not None:  # held by this process since an earlier build: nothing to read
                cache.keep(key)
                written.update(x.facts.article.id for x in warm if not isinstance(x, Skipped))
                entries[i] = list(warm)
                continue
            # A build that spills reads each entry's outline now, the entry itself later.
            entry = cache.outline(key) if write_text is not None else cache.get(key)
            if entry is None:
                late.append(i)
            else:
                hold(i, entry, key)
        corpus.seconds["read files"], clock = time.perf_counter() - clock, time.perf_counter()
        take(missing, fresh)
    finally:
        closing = getattr(fresh, "close", None)
        if closing is not None:
            closing()
    if late:
        take(late, extract(late))
    corpus.seconds["load+extract"], clock = time.perf_counter() - clock, time.perf_counter()
    # Loading and POS tagging are timed where they run: here when extraction ran in this process.
    if LOADING.seconds > loading_before:
        corpus.seconds["of which load+clean"] = LOADING.seconds - loading_before
    if TAGGING.seconds > tagging_before:
        corpus.seconds["of which POS tagging"] = TAGGING.seconds - tagging_before
    if TARGET_MODEL.seconds > model_before:
        corpus.seconds["of which target model"] = TARGET_MODEL.seconds - model_before

    by_text: dict[str, str] = {}
    kept: list[Read | Spilled] = []
    for path, held in zip(files, entries, strict=True):
        assert held is not None
        for loaded in held:
            if isinstance(loaded, Skipped):
                corpus.skipped.append(loaded)
                logger.warning("skipped %s: %s", loaded.path, loaded.reason)
                continue
            article = loaded.facts.article
            if article.id in corpus.fact_counts:  # two records of one JSON file with one id
                corpus.skipped.append(Skipped(str(path), f"a second article with the id {article.id}"))
                continue
            digest = loaded.text_digest if isinstance(loaded, Spilled) else _same_text_digest(article.text)
            if digest in by_text:
                first = by_text[digest]
                corpus.duplicates.setdefault(first, []).append(article.id)
                corpus.skipped.append(Skipped(str(path), f"duplicate of {first} (same text)"))
                if corpus.texts is not None and first != article.id:
                    corpus.texts.discard(article.id)
                continue
            by_text[digest] = article.id
            kept.append(loaded)
            corpus.fact_counts[article.id] = (
                loaded.fact_count if isinstance(loaded, Spilled) else len(loaded.facts.facts)
            )
            if isinstance(loaded, Spilled):
                corpus._spilled[article.id] = loaded.key

    groups = near_duplicate_groups(
        [r.facts.article for r in kept],
        [np.frombuffer(r.signature, dtype=np.uint64) for r in kept],
        texts=corpus.texts,
        verdicts=cache.verdicts() if cache is not None else None,
    )
    for read in kept:
        # A fresh copy: the cache's objects stay as they were read, whatever scope this build gives.
        item = ArticleFacts(
            read.facts.article,
            read.facts.facts,
            read.facts.home_org,
            read.facts.org_names,
            read.facts.abbreviations,
        )
        item.scope = groups[item.article.id]
        if item.scope != item.article.id:
            corpus.near_duplicates.setdefault(item.scope, []).append(item.article.id)
        corpus.articles.append(item)
    if holding is not None:
        holding.retain({key for key in keys if key is not None}, corpus.fact_counts)
    corpus.seconds["dedupe"] = time.perf_counter() - clock
    return corpus


def shown_path(path: Path) -> str:
    """The path as text any export can hold: a file name's undecodable bytes become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def article_name(path: Path, root: Path | None) -> str:
    """The id of the article(s) a file holds: its path under the corpus folder (``root``, a
    folder), else its name."""
    if root is not None:
        # Cut from the path's text, as corpus_files made it from the folder's: relative_to was
        # 0.1 s of every build at 10k articles.
        full, folder = str(path), str(root)
        if full.startswith(folder + os.sep):  # never of "/", whose paths hold no "//"
            return full[len(folder) + 1 :].replace(os.sep, "/")
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.name


def _task(path: Path, record: dict[str, str] | None, max_bytes: int, name: str = "") -> FileTask:
    shown = shown_path(path)
    name = name or path.name
    if shown != str(path):
        # Its name would reach every export (the article's id, its IRI): refused, not mangled.
        return FileTask(shown, None, record, "the file name is not valid UTF-8: rename the file", name)
    try:
        check_size(path.stat().st_size, max_bytes)
        return FileTask(str(path), path.read_bytes(), record, "", name)
    except (InputError, OSError) as exc:
        return FileTask(str(path), None, record, str(exc), name)


def load_file(
    path: Path,
    record: dict[str, str] | None = None,
    max_bytes: int = MAX_BYTES,
    *,
    data: bytes | None = None,
    name: str = "",
) -> Iterator[Article | Skipped]:
    """The articles of one file (several for JSON records), or why it was skipped; ``name`` is
    the id the article takes (its path under the corpus folder), the file name by default."""
    name = name or path.name
    try:
        if path.suffix.lower() in (".jsonl", ".json"):
            records = 0
            for loaded in load_records(path, max_bytes=max_bytes, data=data, name=name):
                records += 1
                yield Skipped(str(path), str(loaded)) if isinstance(loaded, InputError) else loaded
            if not records:
                yield Skipped(str(path), "no records in it (an empty list, or blank lines)")
        else:
            yield load_article(path, record, max_bytes=max_bytes, data=data, name=name)
    except (InputError, OSError) as exc:
        yield Skipped(str(path), str(exc))


def dump_facts(item: ArticleFacts) -> str:
    """One fact a line, sorted, offsets included: the form golden files are kept in."""
    lines = []
    for fact in item.facts:
        record = {
            "relation": str(fact.relation),
            "subject": [fact.subject.type, fact.subject.text, fact.subject.span.start, fact.subject.span.end],
            "object": [fact.object.type, fact.object.text, fact.object.span.start, fact.object.span.end],
            "attrs": dict(fact.object.attrs),
            "qualifiers": dict(fact.qualifiers),
            "sentence": [fact.evidence.sentence.start, fact.evidence.sentence.end],
            "rule": fact.evidence.rule,
        }
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return "".join(line + "\n" for line in sorted(set(lines)))
