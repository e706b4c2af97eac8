"""Run the extractors over an invented article."""

from __future__ import annotations

from kg.evaluate import Record, predictions
from kg.model import ArticleFacts
from kg.pipeline import extract_article
from kg.resolve import resolve
from kg.text.clean import clean

HEADLINE = "城南区人民医院召开2023年度工作会议"


def facts_of(body: str, *, title: str = HEADLINE, published: str = "2023-03-06") -> ArticleFacts:
    return extract_article(clean("t.txt", f"{title}\n{body}", published=published))


def records(body: str, kind: str, **kwargs: str) -> list[Record]:
    item = facts_of(body, **kwargs)
    return [r for r in predictions([item], resolve([item])) if r["type"] == kind]


def triples(body: str, kind: str, *fields: str, **kwargs: str) -> set[tuple[str, ...]]:
    return {tuple(str(r.get(f, "")) for f in fields) for r in records(body, kind, **kwargs)}
