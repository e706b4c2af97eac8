"""The data model: articles, where things are written, and the facts read from them.

Offsets are half-open character offsets into ``Article.text`` (as spaCy's
``Span.start_char``/``end_char``); nothing here is random, so rebuilds are identical.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from operator import attrgetter
from typing import TypeVar

T = TypeVar("T")


def _pickled_by_fields(cls: type[T]) -> type[T]:
    """Pickle as ``cls(*fields)``: a slots dataclass otherwise pickles through a generic
    ``__setstate__`` that looks its fields up on every object, and a 10k-article build sends
    millions of them from its workers (this makes both ends 30% faster)."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    values = attrgetter(*names)

    def __reduce__(self: T) -> tuple[type[T], tuple[object, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


class NodeType(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    POST = "post"
    MEETING = "meeting"
    TARGET = "target"
    DOCUMENT = "document"
    ARTICLE = "article"


class Relation(StrEnum):
    """Edge types; the values are the gold file's ``type`` and the ``kg eval`` rows."""

    HOLDS = "holds"  # person → post
    POST_IN = "post_in"  # post → organisation; with HOLDS it makes a gold `holds`
    HELD = "held"  # organisation → meeting
    PRESIDED = "presided"  # person → meeting
    SPOKE = "spoke"
    ATTENDED = "attended"
    SET_TARGET = "set_target"  # meeting → target
    DOCUMENT = "document"  # organisation → document (issued)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Article:
    id: str  # corpus file name, "000_0bb0e5087617b500.txt"
    title: str
    text: str  # cleaned body; every offset indexes this string
    published: str = ""  # ISO date, "YYYY-MM-DD", "YYYY-MM" or "YYYY"; "" when unknown
    source: str = ""  # where it was published, when known
    # (offset in text, offset in the raw file) at the start of each kept line, so any
    # offset into the cleaned text maps back to the file as scraped.
    line_map: tuple[tuple[int, int], ...] = ()
    encoding: str = "utf-8"

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published[:4].isdigit() else None

    def published_date(self) -> date | None:
        try:
            return date.fromisoformat(self.published)
        except ValueError:
            return None

    def raw_offset(self, offset: int) -> int:
        """Map an offset into ``text`` back to the raw file's text."""
        best = (0, 0)
        for clean, raw in self.line_map:
            if clean > offset:
                break
            best = (clean, raw)
        return best[1] + (offset - best[0])


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Mention:
    """A name as written, where it was written."""

    article_id: str
    type: NodeType
    text: str  # as written: "市二医院"
    span: Span
    # Extra identity facts an extractor knows: the organisation a post belongs to,
    # the organiser of a meeting, "former" for 原…院长.
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str, default: str = "") -> str:
        for k, v in reversed(self.attrs):  # two or three pairs: a scan beats building a dict (last wins)
            if k == key:
                return v
        return default


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Evidence:
    article_id: str
    sentence: Span
    rule: str  # which pattern fired: "holds.chain"


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Fact:
    """A binary fact; ``holds`` and ``post_in`` together make a gold ``holds``."""

    relation: Relation
    subject: Mention
    object: Mention
    evidence: Evidence
    qualifiers: tuple[tuple[str, str], ...] = ()  # (("date", "2022-08-30"),)

    def qualifier(self, key: str, default: str = "") -> str:
        return dict(self.qualifiers).get(key, default)


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved node."""

    id: str  # stable_id(type, canonical key)
    type: NodeType
    label: str  # canonical name → rdfs:label "…"@zh
    aliases: frozenset[str] = frozenset()  # other names → skos:altLabel
    attrs: tuple[tuple[str, str], ...] = ()  # e.g. (("date", "2022-08-30"),) for a meeting

    def attr(self, key: str, default: str = "") -> str:
        for k, v in reversed(self.attrs):
            if k == key:
                return v
        return default


@dataclass(slots=True)
class Skipped:
    """A file the build did not read, and why."""

    path: str
    reason: str


@_pickled_by_fields
@dataclass(slots=True)
class ArticleFacts:
    """Everything extracted from one article, before cross-article resolution."""

    article: Article
    facts: list[Fact] = field(default_factory=list)
    home_org: str = ""  # the organisation the article is about (我院 / 院 resolve to it)
    org_names: tuple[str, ...] = ()  # every organisation name the article writes, for aliases
    # (full name, short name) pairs the article introduces: 温州市第一人民医院(以下简称“温州一院”)
    abbreviations: tuple[tuple[str, str], ...] = ()
    # Where relative names (市卫健委, 院) are resolved: the article, or the first of the
    # near-duplicates that tell the same story, so that their entities merge.
    scope: str = ""

    def __post_init__(self) -> None:
        self.scope = self.scope or self.article.id
