"""Extractors: pure functions from a segmented article to facts, in one explicit table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol

from kg.extractors import documents, held, holds, roles, targets
from kg.model import Fact
from kg.text.segment import SegmentedArticle


class Extractor(Protocol):
    def __call__(self, doc: SegmentedArticle, /) -> Iterator[Fact]: ...


EXTRACTORS: Mapping[str, Extractor] = {
    "holds": holds.extract,  # person–holds–post, post–in–organisation
    "held": held.extract,  # organisation–held–meeting (+ date, place)
    "roles": roles.extract,  # presided / spoke / attended
    "set_target": targets.extract,
    "document": documents.extract,
}

# Bumped whenever a rule or a lexicon changes what comes out: keys the incremental cache.
EXTRACTOR_VERSION = "1"

__all__ = ["EXTRACTORS", "EXTRACTOR_VERSION", "Extractor"]
