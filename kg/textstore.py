"""Article texts on disk: the explorer's article pages need every article's cleaned text, which
at 100k articles would be half a gigabyte of the build's heap, read once at the very end.

``ArticleTexts`` is a mapping from article id to text kept in a SQLite file in the temporary
folder, made on the first write and removed when the mapping is collected or the process ends.
Export workers forked after the texts were written open their own connection (a SQLite
connection must not cross a fork).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path


class ArticleTexts(Mapping[str, str]):
    def __init__(self) -> None:
        self._path: Path | None = None
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._count = 0
        self._digests: dict[str, bytes] = {}  # article → digest of its text, worked out on writing

    def _db(self) -> sqlite3.Connection:
        if self._path is None:
            folder = Path(tempfile.mkdtemp(prefix="kg-texts-"))
            self._path = folder / "texts.sqlite"
            weakref.finalize(self, _remove, folder, os.getpid())
        if self._connection is None or self._pid != os.getpid():
            self._connection = sqlite3.connect(self._path, isolation_level=None)
            self._connection.execute("PRAGMA journal_mode=OFF")
            self._connection.execute("PRAGMA synchronous=OFF")
            self._connection.execute(
                "CREATE TABLE IF NOT EXISTS texts (id TEXT PRIMARY KEY, text TEXT NOT NULL)"
            )
            self._pid = os.getpid()
        return self._connection

    def update_many(self, items: Mapping[str, str]) -> None:
        """Write many texts in one transaction (one at a time, 10k articles take seconds)."""
        db = self._db()
        db.execute("BEGIN")
        db.executemany("INSERT OR REPLACE INTO texts VALUES (?, ?)", items.items())
        db.execute("COMMIT")
        self._digests.update((article, text_digest(text)) for article, text in items.items())
        self._count = db.execute("SELECT COUNT(*) FROM texts").fetchone()[0]

    def digest(self, article: str) -> bytes:
        """The digest of an article's text (``text_digest``), without reading it back."""
        return self._digests.get(article, b"")

    def __getitem__(self, article: str) -> str:
        if self._path is None:
            raise KeyError(article)
        row = self._db().execute("SELECT text FROM texts WHERE id = ?", (article,)).fetchone()
        if row is None:
            raise KeyError(article)
        return str(row[0])

    def __iter__(self) -> Iterator[str]:
        if self._path is None:
            return iter(())
        return iter([row[0] for row in self._db().execute("SELECT id FROM texts ORDER BY id")])

    def __len__(self) -> int:
        return self._count


def text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def digest_of(texts: Mapping[str, str], article: str) -> bytes:
    """An article's text digest: kept by ArticleTexts, worked out from any other mapping."""
    if isinstance(texts, ArticleTexts):
        return texts.digest(article)
    return text_digest(texts.get(article, ""))


def _remove(folder: Path, owner: int) -> None:
    """Only the process that made the file removes it: a forked worker that lets go of its copy
    of the mapping must not take the file from the parent."""
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)
