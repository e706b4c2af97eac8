"""Stable, content-derived identifiers: the same corpus always gives the same IRIs."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from kg.model import NodeType

BASE = "https://w3id.org/hospital-kg/id/"


@lru_cache(maxsize=1 << 17)  # names recur article after article
def normalise(text: str) -> str:
    """NFKC, no white space: the form names are compared in."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def stable_id(node_type: NodeType | str, *key: str) -> str:
    """``person/3f2a…``: a short hash of the node type and its canonical key."""
    digest = hashlib.sha1("\x1f".join([str(node_type), *map(normalise, key)]).encode()).hexdigest()
    return f"{node_type}/{digest[:16]}"


# What an IRI may not hold (RFC 3987): spaces, <>"{}|\^` and control characters; and what would
# change its meaning: % (it starts an escape) and # (a fragment; a second one is no IRI at all).
# An article's id is its file's path, which may hold any of them: percent-encoded, every other
# character kept.
_NOT_IN_IRI = frozenset(' <>"{}|\\^`%#') | frozenset(map(chr, range(0x21))) | {"\x7f"}


def iri(node_id: str) -> str:
    if _NOT_IN_IRI.isdisjoint(node_id):
        return BASE + node_id
    return BASE + "".join(
        "".join(f"%{b:02X}" for b in ch.encode("utf-8")) if ch in _NOT_IN_IRI else ch for ch in node_id
    )
