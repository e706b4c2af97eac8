"""build(): the stage order, written once — load, segment, extract, resolve, graph."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.extractors import EXTRACTORS
from kg.extractors.people import home_org
from kg.extractors.resolve_local import mentioned_orgs
from kg.model import Article, ArticleFacts, Fact, Skipped
from kg.text.dedupe import near_duplicate_groups
from kg.text.load import ARTICLE_SUFFIXES, MAX_BYTES, METADATA_FILE, load_article, load_records, read_metadata
from kg.text.segment import segment

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
    paths: Iterable[Path], *, root: Path | None = None, only: Collection[str] = (), max_bytes: int = MAX_BYTES
) -> Corpus:
    """Load and extract every article; bad files are skipped with a reason, never fatal."""
    corpus = Corpus()
    metadata = read_metadata(root) if root is not None and root.is_dir() else {}
    by_text: dict[str, str] = {}
    articles: list[Article] = []
    for path in sorted(paths):
        for loaded in _load(path, metadata, max_bytes):
            if isinstance(loaded, Skipped):
                corpus.skipped.append(loaded)
                logger.warning("skipped %s: %s", loaded.path, loaded.reason)
                continue
            digest = hashlib.sha256("".join(loaded.text.split()).encode()).hexdigest()
            if digest in by_text:
                kept = by_text[digest]
                corpus.duplicates.setdefault(kept, []).append(loaded.id)
                corpus.skipped.append(Skipped(str(path), f"duplicate of {kept} (same text)"))
                continue
            by_text[digest] = loaded.id
            articles.append(loaded)
    groups = near_duplicate_groups(articles)
    for article in articles:
        item = extract_article(article, only=only)
        item.scope = groups[article.id]
        if item.scope != article.id:
            corpus.near_duplicates.setdefault(item.scope, []).append(article.id)
        corpus.articles.append(item)
    return corpus


def _load(path: Path, metadata: dict[str, dict[str, str]], max_bytes: int) -> Iterator[Article | Skipped]:
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
