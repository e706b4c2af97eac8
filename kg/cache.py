"""What an earlier build read from each file, kept so that a rebuild re-extracts only what changed.

A file's entry is keyed by its bytes, its name, its metadata record, the build options that
change what is read, and a fingerprint of the code and lexicons that read it: edit a rule or
a dictionary and every entry is stale at once, with nobody having to remember a version bump.
Entries live in one SQLite file, written in a single transaction, so a killed build leaves
the previous cache intact; entries the latest build did not use are dropped.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import sqlite3
import zlib
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from kg.pipeline import Entry, Outline
    from kg.resolve import Effect
    from kg.store import Contribution

T = TypeVar("T")
Resolved = tuple[list["Effect"], "Contribution"]  # what resolving an article did, and gave the graph

# What decides the facts of an article: reading, cleaning, segmenting, extracting, and the data.
_EXTRACTION_CODE = (
    "text",
    "extractors",
    "lexicon",
    "model.py",
    "ids.py",
    "pipeline.py",
    "moved.py",
    "errors.py",
)


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


def file_key(name: str, content: bytes, record: dict[str, str] | None, options: dict[str, object]) -> str:
    """``name``: the article id the file gives (its path under the corpus folder); ``content``:
    the digest of its bytes (``content_digest``)."""
    head = json.dumps([name, record or {}, options, extraction_fingerprint()], sort_keys=True)
    return hashlib.sha256(head.encode() + b"\0" + content).hexdigest()


def alike_key(spacing_free: bytes, options: dict[str, object]) -> bytes:
    """What finds a file read before under another name or spacing (kg/moved.py): the digest of
    its bytes without spacing (``spacing_free_digest``), with what else decides its facts."""
    head = json.dumps([options, extraction_fingerprint()], sort_keys=True)
    return hashlib.sha256(head.encode() + b"\0" + spacing_free).digest()


def content_digest(raw: bytes) -> bytes:
    """What a file's bytes are known by: in its cache key, and in the build's freshness key."""
    return hashlib.sha256(raw).digest()


def dumps(entry: Entry | Outline) -> bytes:
    return zlib.compress(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL), 1)


# What an entry may be made of: the model's own classes and plain containers, nothing else. A
# pickle names the callables it calls; one that names os.system (a crafted cache entry) is refused
# before anything runs, since the unpickler looks every name up here first.
_ALLOWED = {
    ("kg.model", name)
    for name in (
        "Span",
        "Article",
        "Mention",
        "Evidence",
        "Fact",
        "ArticleFacts",
        "Skipped",
        "NodeType",
        "Relation",
    )
} | {
    ("kg.pipeline", "Read"),
    ("kg.pipeline", "Spilled"),
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("builtins", "tuple"),
}


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a cache entry")
        return super().find_class(module, name)


def loads(blob: bytes) -> Entry:
    """An entry back from its bytes; anything but the model's classes is refused (UnpicklingError)."""
    return _load(blob, ("Skipped", "Read"))  # type: ignore[return-value]  # checked there


def _load(blob: bytes, kinds: tuple[str, ...]) -> list[object]:
    found = _ModelUnpickler(io.BytesIO(zlib.decompress(blob))).load()
    if not isinstance(found, list) or not all(type(x).__name__ in kinds for x in found):
        raise pickle.UnpicklingError("not a cache entry")
    return found


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"{module}.{name}: a resolved article holds plain values only")


_FACT_TYPES = (str, str, str, int, int, str, tuple, str)


def _resolved(blob: bytes) -> Resolved:
    """A resolved article back from its bytes: plain values (no class is looked up at all), in
    the shape ``put_resolved`` gives them, else UnpicklingError."""
    found = _PlainUnpickler(io.BytesIO(blob)).load()
    try:
        effects, (article, observed, facts) = found
        shaped = (
            isinstance(effects, list)
            and all(isinstance(e, tuple) and e and isinstance(e[0], str) for e in effects)
            and isinstance(article, str)
            and isinstance(observed, str)
            and isinstance(facts, tuple)
            and all(tuple(map(type, f)) == _FACT_TYPES for f in facts)
        )
    except (TypeError, ValueError):
        shaped = False
    if not shaped:
        raise pickle.UnpicklingError("not a resolved article")
    return effects, (article, observed, facts)


def resolved_key(entry_key: str, article: str, scope: str) -> str:
    """Where an article's resolution is kept: its file's entry, its id, the near-duplicate scope
    it was resolved in, and all of the code (resolving and the graph's making read it)."""
    return hashlib.sha256(f"{code_fingerprint()}\0{entry_key}\0{article}\0{scope}".encode()).hexdigest()


def _value_digest(value: bytes) -> bytes:
    return hashlib.blake2b(value, digest_size=16).digest()


_PAIR_BYTES = 16


class Verdicts:
    """Pair key → whether the pair is similar (``kg.text.dedupe.PairVerdicts``), keyed again by
    the extraction code (the pair key says how two articles were compared; the code may compare
    them otherwise since): the ones read back, and those asked or added, which alone are kept."""

    def __init__(self, known: dict[bytes, bool]) -> None:
        self._known = known
        self._used: dict[bytes, bool] = {}

    @staticmethod
    def _key(pair: bytes) -> bytes:
        return hashlib.blake2b(extraction_fingerprint().encode() + pair, digest_size=_PAIR_BYTES).digest()

    def get(self, pair: bytes) -> bool | None:
        key = self._key(pair)
        found = self._used.get(key)
        if found is None:
            found = self._known.get(key)
            if found is not None:
                self._used[key] = found
        return found

    def __setitem__(self, pair: bytes, same: bool) -> None:
        self._used[self._key(pair)] = same

    def used(self) -> list[tuple[bytes, int]]:
        return [(key, int(same)) for key, same in self._used.items()]


_WRITE_EVERY = 256  # new entries held before they go to the database's open transaction


class FactCache:
    """key → what was read from that file (articles with their facts, or why it was skipped)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError:
            # Not a database any more (random bytes, truncated, another schema): a cache is only
            # ever a shortcut, so start a new one and read every file again.
            path.unlink(missing_ok=True)
            self._db = self._open(path)
        self._used: set[str] = set()
        self._new: dict[str, tuple[bytes, bytes]] = {}  # key → (value, outline) not yet in the database
        self._used_resolved: set[str] = set()
        self._new_resolved: dict[str, bytes] = {}  # resolved_key → value not yet in the database
        self._new_alike: dict[bytes, str] = {}  # alike_key → entry key not yet in the database
        self.taken_over = 0  # files whose facts were taken from another file's entry (kg/moved.py)
        self._verdicts: Verdicts | None = None
        self.hits = 0

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        try:
            # value: the entry; outline: the entry without its facts (kg.pipeline.outline_of) after
            # the digest of the value it goes with, which is checked whenever the outline is read
            # alone: a build that trusted a damaged value would find out only half-way.
            db.execute(
                "CREATE TABLE IF NOT EXISTS entry (key TEXT PRIMARY KEY, value BLOB NOT NULL, outline BLOB NOT NULL)"
            )
            # resolved: what resolving an article did and gave the graph (``Resolved``), by ``resolved_key``.
            db.execute("CREATE TABLE IF NOT EXISTS resolved (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
            # similar: whether two articles tell one story (kg/text/dedupe.py), by pair.
            db.execute("CREATE TABLE IF NOT EXISTS similar (key BLOB PRIMARY KEY, same INTEGER NOT NULL)")
            # alike: the entry of the file last read with these bytes but for spacing (``alike_key``).
            db.execute("CREATE TABLE IF NOT EXISTS alike (key BLOB PRIMARY KEY, entry TEXT NOT NULL)")
            columns = [row[1] for row in db.execute("PRAGMA table_info(entry)")]
            resolved = [row[1] for row in db.execute("PRAGMA table_info(resolved)")]
            similar = [row[1] for row in db.execute("PRAGMA table_info(similar)")]
            alike = [row[1] for row in db.execute("PRAGMA table_info(alike)")]
            if (
                columns != ["key", "value", "outline"]
                or resolved != ["key", "value"]
                or similar != ["key", "same"]
                or alike != ["key", "entry"]
                or db.execute("PRAGMA quick_check").fetchone() != ("ok",)
            ):
                raise sqlite3.DatabaseError("not this cache's schema, or damaged")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _row(self, query: str, key: str) -> tuple[bytes, ...] | None:
        """The row ``query`` finds for ``key`` when each of its columns is bytes, else None (a
        damaged page too: what it stood for is read or worked out again)."""
        try:
            row = self._db.execute(query, (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None or not all(isinstance(x, bytes) for x in row):
            return None
        return tuple(row)

    def _parsed(self, query: str, key: str, parse: Callable[[bytes], T]) -> T | None:
        """``parse`` of the first column of the row ``query`` finds for ``key``; None when there
        is none, or it is damaged, crafted, or of another shape (read or worked out again)."""
        row = self._row(query, key)
        if row is None:
            return None
        try:
            return parse(row[0])
        except Exception:
            return None

    def get(self, key: str) -> Entry | None:
        self._used.add(key)
        entry = self._parsed("SELECT value FROM entry WHERE key = ?", key, loads)
        if entry is not None:
            self.hits += 1
        return entry

    def holds(self, key: str) -> bool:
        """Whether there is an entry under ``key`` (which ``get`` or ``outline`` may yet find
        damaged): what a build asks of every file before it reads any entry."""
        try:
            return self._db.execute("SELECT 1 FROM entry WHERE key = ?", (key,)).fetchone() is not None
        except sqlite3.DatabaseError:
            return False

    def keep(self, key: str) -> None:
        """Keep the entry under ``key`` at commit, and count it read, without reading it: a
        resident process (kg.resident) holds its outline from an earlier build."""
        self._used.add(key)
        self.hits += 1

    def outline(self, key: str) -> Outline | None:
        """An entry without its facts (what a build reads first: texts, signatures, counts), once
        the digest of the entry it goes with is checked: ``again`` will find that entry whole."""
        self._used.add(key)
        row = self._row("SELECT value, outline FROM entry WHERE key = ?", key)
        if row is None:
            return None
        value, outline = row
        if outline[:16] != _value_digest(value):
            return None
        try:
            found: Outline = _load(outline[16:], ("Skipped", "Spilled"))  # type: ignore[assignment]  # checked there
        except Exception:  # damaged, crafted, or of other classes: read the file again
            return None
        self.hits += 1
        return found

    def again(self, key: str) -> Entry | None:
        """An entry this build has read or put already, read once more (a build that lets
        articles' facts go after a first look reads them back here): not counted as a hit."""
        new = self._new.get(key)
        blob = new[0] if new is not None else None
        if blob is None:
            row = self._row("SELECT value FROM entry WHERE key = ?", key)
            if row is None:
                return None
            blob = row[0]
        try:
            return loads(blob)
        except Exception:  # damaged since: the caller says so
            return None

    def put(
        self, key: str, entry: Entry, outline: Outline, blob: bytes | None = None, alike: bytes | None = None
    ) -> None:
        """Keep ``entry`` and its ``outline`` (kg.pipeline.outline_of); ``blob`` is the entry's
        ``dumps`` when a worker made it already; ``alike`` (``alike_key``) finds it again for a
        file with these bytes under another name or spacing."""
        value = blob if blob is not None else dumps(entry)
        self._used.add(key)
        self._new[key] = (value, _value_digest(value) + dumps(outline))
        if alike is not None:
            self._new_alike[alike] = key
        if len(self._new) >= _WRITE_EVERY:
            self._write_new()

    def knows_alike(self) -> bool:
        """Whether any file's entry can be found by ``alike``: a first build's files are not
        read twice to ask."""
        if self._new_alike:
            return True
        try:
            return self._db.execute("SELECT 1 FROM alike LIMIT 1").fetchone() is not None
        except sqlite3.DatabaseError:
            return False

    def alike(self, key: bytes) -> Entry | None:
        """The entry of the file last put with ``alike`` ``key``, read without keeping it at
        commit (the file it came from may be gone); None when there is none, or it is damaged."""
        entry_key = self._new_alike.get(key)
        if entry_key is None:
            try:
                row = self._db.execute("SELECT entry FROM alike WHERE key = ?", (key,)).fetchone()
            except sqlite3.DatabaseError:
                return None
            if row is None or not isinstance(row[0], str):
                return None
            entry_key = row[0]
        return self.again(entry_key)

    def resolved(self, key: str) -> Resolved | None:
        """What resolving an article did and gave the graph, as the last build kept it."""
        self._used_resolved.add(key)
        return self.resolved_before(key)

    def resolved_before(self, key: str) -> Resolved | None:
        """What the last build kept under ``key``, read without keeping it at commit: what a
        changed article gave before its change (kg/rekey.py ``remade_pairs``)."""
        return self._parsed("SELECT value FROM resolved WHERE key = ?", key, _resolved)

    def keep_resolved(self, key: str) -> None:
        """Keep what resolving an article did under ``key`` at commit, without reading it: a
        resident process holds it from an earlier build."""
        self._used_resolved.add(key)

    def put_resolved(self, key: str, found: Resolved) -> None:
        self._used_resolved.add(key)
        # Not compressed: deflating 10k articles' took 0.9 s, for 14 MB.
        self._new_resolved[key] = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        if len(self._new_resolved) >= _WRITE_EVERY:
            self._write_new()

    def verdicts(self) -> Verdicts:
        """Whether pairs of articles tell one story (``near_duplicate_groups``), as kept by the
        last build: read whole when first asked; what this build asks or adds is kept at commit."""
        if self._verdicts is None:
            try:
                rows = self._db.execute("SELECT key, same FROM similar").fetchall()
            except sqlite3.DatabaseError:
                rows = []
            self._verdicts = Verdicts(
                {
                    k: bool(v)
                    for k, v in rows
                    if isinstance(k, bytes) and len(k) == _PAIR_BYTES and v in (0, 1)
                }
            )
        return self._verdicts

    def _write_new(self) -> None:
        # Into the open transaction, uncommitted: a cold build of 100k articles holds no more than
        # a few hundred entries (about 5 KB each), and a killed build leaves the last cache whole.
        self._db.executemany(
            "INSERT OR REPLACE INTO entry VALUES (?, ?, ?)", ((k, v, o) for k, (v, o) in self._new.items())
        )
        self._new.clear()
        self._db.executemany("INSERT OR REPLACE INTO resolved VALUES (?, ?)", self._new_resolved.items())
        self._new_resolved.clear()
        self._db.executemany("INSERT OR REPLACE INTO alike VALUES (?, ?)", self._new_alike.items())
        self._new_alike.clear()

    def commit(self) -> None:
        """Write the new entries and drop the ones this build did not use, in one transaction."""
        with self._db:
            self._write_new()
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM used")
            self._db.executemany("INSERT INTO used VALUES (?)", ((k,) for k in self._used))
            self._db.execute("DELETE FROM entry WHERE key NOT IN (SELECT key FROM used)")
            self._db.execute("DELETE FROM alike WHERE entry NOT IN (SELECT key FROM used)")
            self._db.execute("DELETE FROM used")
            self._db.executemany("INSERT INTO used VALUES (?)", ((k,) for k in self._used_resolved))
            self._db.execute("DELETE FROM resolved WHERE key NOT IN (SELECT key FROM used)")
            if self._verdicts is not None:  # else not asked: a build that read no article
                self._db.execute("DELETE FROM similar")
                self._db.executemany("INSERT INTO similar VALUES (?, ?)", self._verdicts.used())

    def close(self) -> None:
        self._db.close()
