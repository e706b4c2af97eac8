"""build(): corpus directory → graph store → exports, with a report of what was read."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.exporters import DEFAULT_FORMATS, EXPORTERS, get_exporter
from kg.exporters.atomic import write_text
from kg.pipeline import Corpus, corpus_files, read_corpus
from kg.resolve import Resolution, resolve
from kg.store import GraphStore
from kg.text.load import MAX_BYTES

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class BuildResult:
    corpus: Corpus
    resolution: Resolution
    store: GraphStore
    written: list[Path]


def build_store(corpus_dir: Path, *, only: Collection[str] = (), max_bytes: int = MAX_BYTES) -> BuildResult:
    """Read, extract and resolve a corpus; raises KgError when no article could be read."""
    files = corpus_files(corpus_dir)
    if not files:
        raise KgError(f"no .txt, .html, .jsonl or .json articles under {corpus_dir}")
    corpus = read_corpus(
        files, root=corpus_dir if corpus_dir.is_dir() else None, only=only, max_bytes=max_bytes
    )
    if not corpus.articles:
        reasons = "; ".join(f"{Path(s.path).name}: {s.reason}" for s in corpus.skipped[:5])
        raise KgError(f"none of the {len(files)} files under {corpus_dir} could be read ({reasons})")
    resolution = resolve(corpus.articles)
    return BuildResult(corpus, resolution, GraphStore.from_facts(corpus.articles, resolution), [])


def build(
    corpus_dir: Path,
    out: Path,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    only: Collection[str] = (),
    max_bytes: int = MAX_BYTES,
) -> BuildResult:
    """Build the graph of ``corpus_dir`` and write every export format into ``out``."""
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise KgError(f"unknown format {', '.join(unknown)}; choose from {', '.join(EXPORTERS)}")
    result = build_store(corpus_dir, only=only, max_bytes=max_bytes)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):
        stale.unlink()  # left by a build that was killed while writing
    for fmt in formats:
        path = out / EXPORTERS[fmt][1]
        get_exporter(fmt)(result.store, path)
        result.written.append(path)
    report = out / "report.json"
    write_text(report, json.dumps(report_data(result), ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    result.written.append(report)
    return result


def report_data(result: BuildResult) -> dict[str, object]:
    corpus = result.corpus
    return {
        "read": [
            {
                "file": a.article.id,
                "title": a.article.title,
                "published": a.article.published,
                "encoding": a.article.encoding,
                "facts": len(a.facts),
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
