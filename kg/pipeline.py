"""build(): the stage order, written once — load, segment, extract, resolve, graph."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.cache import Entry, FactCache, file_key
from kg.errors import InputError
from kg.extractors import EXTRACTORS
from kg.extractors.people import home_org
from kg.extractors.resolve_local import mentioned_orgs
from kg.model import Article, ArticleFacts, Fact, Skipped
from kg.text import segment as segment_module
from kg.text.dedupe import near_duplicate_groups
from kg.text.load import ARTICLE_SUFFIXES, MAX_BYTES, METADATA_FILE, load_article, load_records, read_metadata
from kg.text.segment import segment

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
    seconds: dict[str, float] = field(default_factory=dict)  # load, extract, dedupe: wall clock


def corpus_files(corpus: Path) -> list[Path]:
    """Article files under ``corpus``, recursively, in a stable order."""
    if corpus.is_file():
        return [corpus]
    return sorted(
        (
            p
            for p in corpus.rglob("*")
            if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and p.name != METADATA_FILE
        ),
        key=lambda p: p.relative_to(corpus).as_posix(),
    )


def extract_article(article: Article, *, only: Collection[str] = ()) -> ArticleFacts:
    """Every fact the extractors read from one article."""
    doc = segment(article)
    facts: list[Fact] = []
    for name, extract in EXTRACTORS.items():
        if not only or name in only:
            facts.extend(extract(doc))
    return ArticleFacts(
        article, facts, home_org(doc), tuple(sorted({name for _, name in mentioned_orgs(doc)}))
    )


def read_corpus(
    paths: Iterable[Path],
    *,
    root: Path | None = None,
    only: Collection[str] = (),
    max_bytes: int = MAX_BYTES,
    engine: Engine | None = None,
    cache: FactCache | None = None,
) -> Corpus:
    """Load and extract every article; bad files are skipped with a reason, never fatal.

    Files the ``cache`` has seen with the same bytes are not read again; what is left to
    extract goes to the ``engine`` (this process by default) in one batch.
    """
    corpus = Corpus()
    clock = time.perf_counter()
    metadata = read_metadata(root) if root is not None and root.is_dir() else {}
    options: dict[str, object] = {"only": sorted(only), "max_bytes": max_bytes}
    entries: list[tuple[Path, str | None, Entry]] = []
    for path in sorted(paths):
        key = None
        if cache is not None:
            raw = _raw_bytes(path, max_bytes)
            key = file_key(path, raw, metadata.get(path.name), options) if raw is not None else None
        entry = cache.get(key) if cache is not None and key is not None else None
        entries.append(
            (path, key, entry if entry is not None else list(load_file(path, metadata, max_bytes)))
        )

    by_text: dict[str, str] = {}
    kept: list[Article] = []
    done: dict[str, ArticleFacts] = {}
    for path, _, entry in entries:
        for loaded in entry:
            if isinstance(loaded, Skipped):
                corpus.skipped.append(loaded)
                logger.warning("skipped %s: %s", loaded.path, loaded.reason)
                continue
            article = loaded.article if isinstance(loaded, ArticleFacts) else loaded
            digest = hashlib.sha256("".join(article.text.split()).encode()).hexdigest()
            if digest in by_text:
                first = by_text[digest]
                corpus.duplicates.setdefault(first, []).append(article.id)
                corpus.skipped.append(Skipped(str(path), f"duplicate of {first} (same text)"))
                continue
            by_text[digest] = article.id
            kept.append(article)
            if isinstance(loaded, ArticleFacts):
                done[article.id] = loaded

    corpus.seconds["load"], clock = time.perf_counter() - clock, time.perf_counter()
    todo = [article for article in kept if article.id not in done]
    tagging_before = segment_module.TAGGING.seconds
    if todo:
        from kg.engine import LocalEngine

        for item in (engine or LocalEngine()).extract(todo, only):
            done[item.article.id] = item
    corpus.seconds["extract"], clock = time.perf_counter() - clock, time.perf_counter()
    # POS tagging is timed where it runs: here when extraction ran in this process.
    if segment_module.TAGGING.seconds > tagging_before:
        corpus.seconds["of which POS tagging"] = segment_module.TAGGING.seconds - tagging_before
    if cache is not None:  # (timed with dedupe below)
        for _, key, entry in entries:
            if key is not None:
                cache.put(key, [_with_facts(loaded, done) for loaded in entry])

    groups = near_duplicate_groups(kept)
    for article in kept:
        item = done[article.id]
        item.scope = groups[article.id]
        if item.scope != article.id:
            corpus.near_duplicates.setdefault(item.scope, []).append(article.id)
        corpus.articles.append(item)
    corpus.seconds["dedupe+cache"] = time.perf_counter() - clock
    return corpus


def _with_facts(
    loaded: Article | ArticleFacts | Skipped, done: dict[str, ArticleFacts]
) -> Article | ArticleFacts | Skipped:
    """What the cache keeps for one loaded item: its facts once extracted, its scope left out."""
    if isinstance(loaded, Article) and loaded.id in done:
        loaded = done[loaded.id]
    if isinstance(loaded, ArticleFacts):
        return ArticleFacts(loaded.article, loaded.facts, loaded.home_org, loaded.org_names)
    return loaded


def _raw_bytes(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes for its cache key; None when it is too big or unreadable (load says why)."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        return path.read_bytes()
    except OSError:
        return None


def load_file(
    path: Path, metadata: dict[str, dict[str, str]], max_bytes: int = MAX_BYTES
) -> Iterator[Article | Skipped]:
    try:
        if path.suffix.lower() in (".jsonl", ".json"):
            for loaded in load_records(path, max_bytes=max_bytes):
                yield Skipped(str(path), str(loaded)) if isinstance(loaded, InputError) else loaded
        else:
            yield load_article(path, metadata.get(path.name), max_bytes=max_bytes)
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
