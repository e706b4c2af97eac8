"""What an earlier build read from each file, kept so that a rebuild re-extracts only what changed.

A file's entry is keyed by its bytes, its name, its metadata record, the build options that
change what is read, and a fingerprint of the code and lexicons that read it: edit a rule or
a dictionary and every entry is stale at once, with nobody having to remember a version bump.
Entries live in one SQLite file, written in a single transaction, so a killed build leaves
the previous cache intact; entries the latest build did not use are dropped.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
import zlib
from collections.abc import Iterable
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.pipeline import Entry

# What decides the facts of an article: reading, cleaning, segmenting, extracting, and the data.
_EXTRACTION_CODE = ("text", "extractors", "lexicon", "model.py", "ids.py", "pipeline.py", "errors.py")


def _digest_tree(root: Path, names: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix in (".pyc",) or "__pycache__" in file.parts:
                continue
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def _package_root() -> Path:
    return Path(str(resources.files("kg")))


@cache
def extraction_fingerprint() -> str:
    """Changes whenever anything that decides an article's facts changes (code, lexicons, jieba)."""
    from kg.extractors import EXTRACTOR_VERSION

    jieba = metadata.version("jieba")
    return hashlib.sha256(
        f"{EXTRACTOR_VERSION}\0{jieba}\0{_digest_tree(_package_root(), _EXTRACTION_CODE)}".encode()
    ).hexdigest()


@cache
def code_fingerprint() -> str:
    """Changes whenever anything in the package changes: exporters, ontology, templates included."""
    root = _package_root()
    names = sorted(p.name for p in root.iterdir() if p.name != "__pycache__")
    return hashlib.sha256(f"{extraction_fingerprint()}\0{_digest_tree(root, names)}".encode()).hexdigest()


def file_key(path: Path, raw: bytes, record: dict[str, str] | None, options: dict[str, object]) -> str:
    head = json.dumps([path.name, record or {}, options, extraction_fingerprint()], sort_keys=True)
    return hashlib.sha256(head.encode() + b"\0" + raw).hexdigest()


def dumps(entry: Entry) -> bytes:
    return zlib.compress(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL), 1)


def loads(blob: bytes) -> Entry:
    entry: Entry = pickle.loads(zlib.decompress(blob))
    return entry


class FactCache:
    """key → what was read from that file (articles with their facts, or why it was skipped)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS entry (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        self._used: set[str] = set()
        self._new: dict[str, bytes] = {}
        self.hits = 0

    def get(self, key: str) -> Entry | None:
        self._used.add(key)
        row = self._db.execute("SELECT value FROM entry WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            entry: Entry = loads(row[0])
        except Exception:  # written by another version of the classes: read the file again
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: Entry, blob: bytes | None = None) -> None:
        """Keep ``entry``; ``blob`` is its ``dumps`` when a worker made it already."""
        self._used.add(key)
        self._new[key] = blob if blob is not None else dumps(entry)

    def commit(self) -> None:
        """Write the new entries and drop the ones this build did not use, in one transaction."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?)", self._new.items())
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM used")
            self._db.executemany("INSERT INTO used VALUES (?)", ((k,) for k in self._used))
            self._db.execute("DELETE FROM entry WHERE key NOT IN (SELECT key FROM used)")
        self._new.clear()

    def close(self) -> None:
        self._db.close()
