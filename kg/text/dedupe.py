"""Near-duplicates: the same story reposted with another header, caption or footer.

Articles are compared by the 5-character shingles of their body (white space and
punctuation removed). MinHash signatures with banded locality-sensitive hashing find
candidate pairs without comparing every pair; candidates are confirmed by the exact
Jaccard similarity of their shingle sets.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from kg.model import Article

SHINGLE = 5
THRESHOLD = 0.7  # Jaccard similarity above which two articles tell one story
_PERMUTATIONS = 64
_BANDS = 16  # 16 bands of 4 rows: pairs at 0.7 similarity meet in some band with p > 0.99
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20240101)  # fixed: the same corpus clusters the same way every time
_A = _rng.integers(1, _PRIME, _PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, _PERMUTATIONS, dtype=np.uint64)
_NOT_TEXT = re.compile(r"[\W_]+")


def shingles(article: Article) -> set[int]:
    body = article.text.split("\n", 1)[1] if article.title and "\n" in article.text else article.text
    flat = _NOT_TEXT.sub("", body)
    return {zlib.crc32(flat[i : i + SHINGLE].encode()) for i in range(max(1, len(flat) - SHINGLE + 1))}


def _signature(hashes: set[int]) -> np.ndarray[tuple[int], np.dtype[np.uint64]]:
    values = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    # (a·h + b) mod p, in uint64 arithmetic (wraps, which keeps it a hash family)
    signature: np.ndarray[tuple[int], np.dtype[np.uint64]] = (
        (np.outer(_A, values) + _B[:, None]) % _PRIME
    ).min(axis=1)
    return signature


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def near_duplicate_groups(articles: Sequence[Article], threshold: float = THRESHOLD) -> dict[str, str]:
    """Article id → the id of the first article (by id) telling the same story."""
    sets = [shingles(a) for a in articles]
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    rows = _PERMUTATIONS // _BANDS
    for i, hashes in enumerate(sets):
        signature = _signature(hashes)
        for band in range(_BANDS):
            buckets[(band, signature[band * rows : (band + 1) * rows].tobytes())].append(i)
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for members in buckets.values():
        for i in members[1:]:
            j = members[0]
            if root(i) != root(j) and jaccard(sets[i], sets[j]) >= threshold:
                a, b = sorted((root(i), root(j)), key=lambda k: articles[k].id)
                parent[b] = a
    return {a.id: articles[root(i)].id for i, a in enumerate(articles)}
