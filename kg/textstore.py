"""Article texts on disk: the explorer's article pages need every article's cleaned text, which
at 100k articles would be half a gigabyte of the build's heap, read once at the very end.

``ArticleTexts`` is a mapping from article id to text kept in an unnamed temporary file (one
with no directory entry from the moment it is made): the kernel frees it when the last process
holding it ends, however it ends. A file in a named folder outlived every ``kg`` command (they
end with ``os._exit``) and every killed build: 88 MB left in /tmp by each 10k build. Export
workers forked after the texts were written read the same file with ``pread``, which moves no
shared file position.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from typing import IO


class ArticleTexts(Mapping[str, str]):
    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._end = 0
        self._where: dict[str, tuple[int, int]] = {}  # article → (offset, length) of its UTF-8 text
        self._digests: dict[str, bytes] = {}  # article → digest of its text, worked out on writing

    def update_many(self, items: Mapping[str, str]) -> None:
        """Append many texts (a text written again replaces the old one; its bytes stay unused)."""
        if self._file is None:
            # Held for the mapping's life and closed with it: no context manager fits.
            self._file = tempfile.TemporaryFile(prefix="kg-texts-")  # noqa: SIM115
        chunk: list[bytes] = []
        for article, text in items.items():
            data = text.encode("utf-8")
            self._where[article] = (self._end, len(data))
            self._end += len(data)
            chunk.append(data)
            self._digests[article] = text_digest(text)
        self._file.seek(0, os.SEEK_END)
        self._file.write(b"".join(chunk))
        self._file.flush()

    def used(self) -> int:
        """Bytes of the file that hold a text this mapping has."""
        return sum(length for _, length in self._where.values())

    def wasted(self) -> int:
        """Bytes of the file that hold texts written again or discarded since."""
        return self._end - self.used()

    def compacted(self) -> ArticleTexts:
        """The same texts in a file of their own, none of the wasted bytes: a new mapping."""
        fresh = ArticleTexts()
        articles = sorted(self._where)
        for start in range(0, len(articles), _COMPACT_BATCH):
            fresh.update_many({a: self[a] for a in articles[start : start + _COMPACT_BATCH]})
        return fresh

    def discard(self, article: str) -> None:
        """Forget an article's text (its bytes stay in the file, unused)."""
        self._where.pop(article, None)
        self._digests.pop(article, None)

    def digest(self, article: str) -> bytes:
        """The digest of an article's text (``text_digest``), without reading it back."""
        return self._digests.get(article, b"")

    def __getitem__(self, article: str) -> str:
        offset, length = self._where[article]
        assert self._file is not None  # an article is known only once a text was written
        data = os.pread(self._file.fileno(), length, offset)
        if len(data) != length:
            raise OSError(f"the texts file ended early reading {article}")
        return data.decode("utf-8")

    def __contains__(self, article: object) -> bool:
        return article in self._where  # without reading the text, as Mapping's would

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._where))

    def __len__(self) -> int:
        return len(self._where)

    def __reduce__(self) -> tuple[object, tuple[dict[str, str]]]:
        # A descriptor means nothing in another process: a pickled copy carries the texts.
        return _from_items, (dict(self),)


_COMPACT_BATCH = 1024  # texts read and written at a time when compacting


def _from_items(items: dict[str, str]) -> ArticleTexts:
    texts = ArticleTexts()
    if items:
        texts.update_many(items)
    return texts


def text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def digest_of(texts: Mapping[str, str], article: str) -> bytes:
    """An article's text digest: kept by ArticleTexts, worked out from any other mapping."""
    if isinstance(texts, ArticleTexts):
        return texts.digest(article)
    return text_digest(texts.get(article, ""))
