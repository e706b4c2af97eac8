"""Near-duplicates: the same story reposted with another header, caption or footer.

Articles are compared by the 5-character shingles of their body (white space and
punctuation removed). MinHash signatures with banded locality-sensitive hashing find
candidate pairs without comparing every pair; candidates are confirmed by the exact
Jaccard similarity of their shingle sets.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np

from kg.model import Article
from kg.textstore import digest_of, text_digest

SHINGLE = 5
THRESHOLD = 0.7  # Jaccard similarity above which two articles tell one story
_PERMUTATIONS = 64
_BANDS = 16  # 16 bands of 4 rows: pairs at 0.7 similarity meet in some band with p > 0.99
_PRIME = (1 << 61) - 1
_BASE = np.uint64(1_000_003)
# Pairs whose 64-value estimate falls this far below the threshold are not compared exactly:
# 2.6 standard deviations at 0.7 (a pair exactly at the threshold is missed 0.5% of the time, one
# at 0.75 0.02%). Articles of one genre share much prose (0.4 similar): at 0.25, 43% of the
# synthetic corpus's candidate pairs were compared exactly, and none was a duplicate.
_MARGIN = 0.15
_rng = np.random.default_rng(20240101)  # fixed: the same corpus clusters the same way every time
_A = _rng.integers(1, _PRIME, _PERMUTATIONS, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _rng.integers(0, _PRIME, _PERMUTATIONS, dtype=np.uint64)
_NOT_TEXT = re.compile(r"[\W_]+")


Shingles = np.ndarray[tuple[int], np.dtype[np.uint64]]


def shingles(article: Article) -> Shingles:
    """The distinct hashes of the body's 5-character windows (a polynomial hash, vectorised)."""
    unique: Shingles = np.unique(_window_hashes(article))
    return unique


def _window_hashes(article: Article) -> Shingles:
    body = article.text.split("\n", 1)[1] if article.title and "\n" in article.text else article.text
    codes = np.frombuffer(_NOT_TEXT.sub("", body).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < SHINGLE:
        codes = np.concatenate([codes, np.zeros(SHINGLE - len(codes), dtype=np.uint64)])
    windows = len(codes) - SHINGLE + 1
    hashes = np.zeros(windows, dtype=np.uint64)
    for k in range(SHINGLE):  # uint64 arithmetic wraps: h = Σ c[i+k]·B^(4-k) mod 2^64
        hashes = hashes * _BASE + codes[k : k + windows]
    return hashes


def _signature(values: Shingles) -> np.ndarray[tuple[int], np.dtype[np.uint64]]:
    # (a·h + b) mod 2^64 with odd a, high half kept (multiply-shift hashing): a modulo by a
    # prime cost most of the time and buys nothing measurable for candidate finding.
    hashed = np.outer(_A, values)
    hashed += _B[:, None]
    hashed >>= np.uint64(32)
    signature: np.ndarray[tuple[int], np.dtype[np.uint64]] = hashed.min(axis=1)
    return signature


def jaccard(a: Shingles, b: Shingles) -> float:
    if not len(a) and not len(b):
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def signature(article: Article) -> np.ndarray[tuple[int], np.dtype[np.uint64]]:
    """An article's MinHash signature: computed where the article is read (a worker), kept in the cache."""
    return _signature(_window_hashes(article))  # a minimum needs no de-duplication (no sort)


class PairVerdicts(Protocol):
    """Whether pairs compared before were similar, by ``pair_key`` (a dict will do)."""

    def get(self, pair: bytes, /) -> bool | None: ...

    def __setitem__(self, pair: bytes, same: bool, /) -> None: ...


def near_duplicate_groups(
    articles: Sequence[Article],
    signatures: Sequence[np.ndarray[tuple[int], np.dtype[np.uint64]]] | None = None,
    threshold: float = THRESHOLD,
    texts: Mapping[str, str] | None = None,
    verdicts: PairVerdicts | None = None,
) -> dict[str, str]:
    """Article id → the id of the first article (by id) telling the same story.

    Shingle sets are built only for the pairs whose signatures make them plausible; ``texts``
    gives the text of an article that holds none (a build that keeps texts on disk).
    ``verdicts``: whether each pair compared exactly was similar, by ``pair_key``, read and kept
    (the cache's: a rebuild compares again only the pairs a changed article is in; at 10k
    synthetic articles the 2,500 plausible pairs cost 0.7 s).
    """
    computed = signatures if signatures is not None else [signature(a) for a in articles]
    sets: dict[int, Shingles] = {}
    identities: dict[int, bytes] = {}

    def identity(i: int) -> bytes:
        """What the article's shingles are made of: its title (which the body starts after) and
        its text, by digest (a text kept on disk is not read back for it)."""
        if i not in identities:
            article = articles[i]
            if texts is not None and not article.text:
                text = digest_of(texts, article.id)
            else:
                text = text_digest(article.text)
            identities[i] = _digest(article.title.encode() + b"\0" + text)
        return identities[i]

    def similar(i: int, j: int) -> bool:
        key = pair_key(identity(i), identity(j), threshold) if verdicts is not None else b""
        found = verdicts.get(key) if verdicts is not None else None
        if found is None:
            found = jaccard(shingle_set(i), shingle_set(j)) >= threshold
            if verdicts is not None:
                verdicts[key] = found
        return found

    def shingle_set(i: int) -> Shingles:
        if i not in sets:
            article = articles[i]
            if texts is not None and not article.text:
                article = replace(article, text=texts.get(article.id, ""))
            sets[i] = shingles(article)
        return sets[i]

    matrix = np.stack(computed) if len(computed) else np.zeros((0, _PERMUTATIONS), dtype=np.uint64)
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    checked: set[tuple[int, int]] = set()
    for members in shared_buckets(matrix):
        j = members[0]
        # Articles that share boilerplate meet in some band without telling one story: the share of
        # equal MinHash values estimates their similarity, and only plausible pairs are compared exactly.
        estimates = (matrix[members[1:]] == matrix[j]).mean(axis=1)
        for i, estimate in zip(members[1:], estimates, strict=True):
            if estimate < threshold - _MARGIN or (i, j) in checked:
                continue
            checked.add((i, j))
            if root(i) != root(j) and similar(i, j):
                a, b = sorted((root(i), root(j)), key=lambda k: articles[k].id)
                parent[b] = a
    return {a.id: articles[root(i)].id for i, a in enumerate(articles)}


def shared_buckets(matrix: np.ndarray[tuple[int, int], np.dtype[np.uint64]]) -> Iterator[list[int]]:
    """The rows (article numbers, ascending) that agree on every value of some band, band by
    band, in the order of their values: each band's rows sorted by its values, where runs of
    equal ones are its buckets (a dict of each row's band bytes was 0.2 s a rebuild at 10k)."""
    rows = _PERMUTATIONS // _BANDS
    for band in range(_BANDS):
        values = matrix[:, band * rows : (band + 1) * rows]
        # lexsort sorts by its last key first, and keeps equal rows in their order (ascending).
        order = np.lexsort(values.T[::-1])
        ordered = values[order]
        starts = np.flatnonzero(np.any(ordered[1:] != ordered[:-1], axis=1)) + 1
        bounds = np.concatenate(([0], starts, [len(order)]))
        for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            if end - start > 1:
                yield order[start:end].tolist()


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def pair_key(a: bytes, b: bytes, threshold: float) -> bytes:
    """A pair of articles (their ``identity`` digests, in either order) compared at ``threshold``
    the way this module compares them (a cache keeping verdicts keys them by its code too)."""
    first, second = sorted((a, b))
    return _digest(b"near-duplicates 1\0" + f"{SHINGLE}\0{threshold!r}".encode() + first + second)
