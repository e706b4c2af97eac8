"""Exports written in sections, each keyed by a digest of everything it is rendered from, so that
a rebuild copies every section whose inputs did not change from the file it replaces and renders
only the rest: a day's news added to a large corpus costs what it touches, not a whole export.

A section's key is the digest of its node's data and every edge at it (``node_digests``), with
what it reads of its neighbours and of the articles it cites (``section_keys``). The file a
build wrote is described by an index beside it in the cache (each key's offset, length and
triple count, with the file's size and time, and a salt naming the code that wrote it); an
index that does not match the file in every respect is ignored, and the bytes are the same
either way (tested: a cold build and an incremental one of the same corpus give identical files).
"""

from __future__ import annotations

import hashlib
import itertools
import marshal
import os
import struct
import tempfile
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeVar

import numpy as np

from kg.errors import KgError
from kg.evidence import contents_of
from kg.exporters.atomic import atomic_rewrite, atomic_write
from kg.model import NodeType, Relation
from kg.store import GraphStore, article_node

_MAGIC = b"kg-sections 2\n"
_CHUNK = 4 << 20  # bytes read from the previous file at a time
# salt, file size, file mtime (ns), entries, and the lineage: the process and the store keys'
# generation the file was written for (``SectionWriter.follows``)
_HEAD = struct.Struct("<32sQQQ16sQ")
_ENTRY = struct.Struct("<16sQQQ")  # key, offset, length, triples
_ROWS = np.dtype([("key", "S16"), ("offset", "<u8"), ("length", "<u8"), ("triples", "<u8")])
KEY_BYTES = 16
_KEYS_OF_ROWS = np.dtype([("key", "V16"), ("rest", "V24")])  # a void key keeps its trailing NULs
_FEW_ROWS = 24  # rows of a span copied one by one (``SectionWriter._enter_span``)
T = TypeVar("T")
# This process's, and its forked workers': a file whose index names it and a generation was
# written by this process for the store keys of that generation (kg watch keeps them; StoreKeys
# are numbered here, and kg/keyfile.py keeps them with it).
PROCESS = os.urandom(16)


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=KEY_BYTES).digest()


def node_digests(store: GraphStore, nodes: Iterable[str] | None = None) -> dict[str, bytes]:
    """node → digest of its data and of every edge at it, in and out (evidence included).

    marshal's version 2 writes equal values as equal bytes (no back-references, which depend on
    which objects are shared); values built in another order only give another key: a section
    rendered again, never a stale one reused. Record by record, 1.35 s for the 60k nodes of 10k
    articles; by the articles naming each node (``_digests_by_articles``), 0.7 s. ``nodes``:
    those only (a store patched from the last one's keys: kg/rekey.py)."""
    if store.fact_digests:
        return _digests_by_articles(store, nodes)
    succ, pred, node_data = store.succ, store.pred, store.node_data
    return {
        node: digest(
            marshal.dumps((node, node_data[node], _marshallable(succ[node]), _marshallable(pred[node])), 2)
        )
        for node in (node_data if nodes is None else nodes)
    }


def _digests_by_articles(store: GraphStore, nodes: Iterable[str] | None = None) -> dict[str, bytes]:
    """``node_digests`` of a store whose articles add_article put in (``GraphStore.fact_digests``):
    the evidence at a node is what the articles naming it (its ``articles``) gave, each fixed by
    its facts' and text's digests, so those stand for every record of every edge at it (a busy
    post's 600 sentences, twice over, cost as much again as the rest). ``nodes``: those only."""
    succ, pred, node_data = store.succ, store.pred, store.node_data
    said: dict[str, bytes] = {}

    def article_digest(article: str) -> bytes:
        found = said.get(article)
        if found is None:
            found = said[article] = store.article_digest(article) or b"-"
        return found

    return {
        node: digest(
            marshal.dumps(
                (
                    node,
                    data,
                    [article_digest(article) for article in data.get("articles", ())],
                    _without_evidence(succ[node]),
                    _without_evidence(pred[node]),
                ),
                2,
            )
        )
        for node in (node_data if nodes is None else nodes)
        for data in (node_data[node],)
    }


def _without_evidence(adjacency: dict[str, dict[str, dict[str, Any]]]) -> list[Any]:
    return [
        (
            other,
            [
                (relation, [(k, v) for k, v in data.items() if k != "evidence"])
                for relation, data in keyed.items()
            ],
        )
        for other, keyed in adjacency.items()
    ]


def _marshallable(adjacency: dict[str, dict[str, dict[str, Any]]]) -> list[Any]:
    """A node's edges one way, their evidence records as plain tuples (marshal takes no subclass)."""
    return [
        (other, [(relation, _plain_evidence(data)) for relation, data in keyed.items()])
        for other, keyed in adjacency.items()
    ]


def _plain_evidence(data: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(k, contents_of(v) if k == "evidence" else v) for k, v in data.items()]


_GENERATIONS = itertools.count(1)  # StoreKeys.generation


@dataclass(frozen=True, slots=True)
class Change:
    """How a store's keys differ from those of the store it was patched from (kg/rekey.py)."""

    since: int  # the generation of those keys (StoreKeys.generation)
    touched: frozenset[str]  # the nodes whose digests and descriptions may differ
    # The linked pairs whose edges the store's patch made again (kg/patch.py; None: not told),
    # each with the changed articles that gave facts of it before or now: any other edge is as
    # it was, evidence and all, and so is what any other article says of one made again.
    remade: Mapping[tuple[str, str], frozenset[str]] | None = None
    # Every node whose section key differs from the last one's, or that is new or gone, with
    # its last section key (None: new).
    resectioned: Mapping[str, bytes | None] = field(default_factory=dict)
    # Likewise every article whose TriG graph's key (StoreKeys.described) differs; None: not told.
    regraphed: Mapping[str, bytes | None] | None = None
    # The process those keys were worked out in: this one, or the build that left them on disk
    # (kg/keyfile.py), whose files name it with the generation (``SectionWriter.follows``).
    process: bytes = PROCESS

    @property
    def in_this_process(self) -> bool:
        """Whether the keys it is measured from are this process's: what it keeps in memory
        beside them (a carried Site, a record memo's saved state) is theirs only then."""
        return self.process == PROCESS


@dataclass(slots=True)
class StoreKeys:
    """What sections of a store's exports are keyed by, worked out once per store."""

    digests: dict[str, bytes]  # node → its data and every edge at it (node_digests)
    sections: dict[str, bytes]  # node → its section's key (section_keys), unless ``shed``
    descriptions: dict[str, bytes]  # node → its data but the articles naming it (description_digests)
    triples: dict[str, int] = field(default_factory=dict)  # node → triples in its section, once known
    # article → the key of its TriG graph from what describes it (rdfwrite.described_keys), where
    # worked out before the exports: a resident process patches them (kg/rekey.py).
    described: dict[str, bytes] = field(default_factory=dict)
    # article → the nodes naming it (rdfwrite.article_nodes), once asked; let go with ``sections``.
    named: dict[str, list[str]] | None = None
    shed: bool = False  # sections and triples let go (the RDF formats are written)
    # These keys' number in this process, and, for keys patched from others (kg/rekey.py), the
    # number of those with every node whose keys may differ from theirs: what a record memo this
    # process saved with those keys can take as it was without working out its inputs (Unchanged).
    generation: int = field(default_factory=lambda: next(_GENERATIONS))
    change: Change | None = None


# The store last keyed and its shape: every sectioned format in a process keys the same store.
_KEYED: list[tuple[GraphStore, tuple[int, int, int], StoreKeys]] = []


def store_keys(store: GraphStore, *, sections: bool = True) -> StoreKeys:
    """The store's keys, worked out once a process; ``sections``: with the section keys (the RDF
    formats'; the others read digests and descriptions only)."""
    shape = store.shape()
    if not (_KEYED and _KEYED[0][0] is store and _KEYED[0][1] == shape):
        digests, descriptions = node_digests(store), description_digests(store)
        _KEYED[:] = [(store, shape, StoreKeys(digests, {}, descriptions, shed=True))]
    keys = _KEYED[0][2]
    if sections and keys.shed:
        keys.sections, keys.shed = section_keys(store, keys.digests, keys.descriptions), False
    return keys


def install_keys(store: GraphStore, keys: StoreKeys) -> None:
    """Take ``keys`` as the store's, worked out elsewhere (kg/rekey.py): what ``store_keys`` gives
    for it from now on, in this process and in those forked from it."""
    _KEYED[:] = [(store, store.shape(), keys)]


def shed_section_keys() -> None:
    """Let go of the section keys and triple counts, kept digests and descriptions: 80 MB at
    100k articles that the explorer, written last, does not read."""
    if _KEYED:
        keys = _KEYED[0][2]
        keys.sections, keys.triples, keys.named, keys.shed = {}, {}, None, True


def release_keys() -> None:
    _KEYED.clear()


def description_digests(store: GraphStore, nodes: Iterable[str] | None = None) -> dict[str, bytes]:
    """node → digest of its data but the list of articles naming it: what it says of itself
    in any one article (an organisation named in 600 articles changes with each of them).
    ``nodes``: those only."""
    node_data = store.node_data
    return {
        node: digest(
            marshal.dumps((node, [(k, v) for k, v in node_data[node].items() if k != "articles"]), 2)
        )
        for node in (node_data if nodes is None else nodes)
    }


def section_keys(
    store: GraphStore,
    digests: Mapping[str, bytes],
    descriptions: Mapping[str, bytes],
    nodes: Iterable[str] | None = None,
) -> dict[str, bytes]:
    """node → the key of its section: its own digest (its data and edges), what it reads of each
    neighbour (its description, and a post's organisations, which its holders' tenures name),
    and its articles' descriptions (their line maps translate evidence offsets). Neighbours are
    read by description rather than by digest: a busy organisation's new article then changes
    its own section, not those of its thousand neighbours. ``nodes``: those only."""
    succ, pred, node_data = store.succ, store.pred, store.node_data
    # What a node gives each neighbour's key, worked out once rather than once a neighbour (a
    # busy post is the neighbour of hundreds): its description, and a post's organisations.
    seen: dict[str, bytes] = {}

    def seen_of(node: str) -> bytes:
        found = seen.get(node)
        if found is None:
            found = descriptions[node]
            if node_data[node]["type"] == NodeType.POST:
                out = succ[node]
                orgs = "\0".join(o for o in sorted(out) if Relation.POST_IN in out[o]).encode()
                found += b"\0" + orgs
            seen[node] = found
        return found

    cited: dict[str, bytes] = {}  # article id → its node's description
    keys = {}
    for node in node_data if nodes is None else nodes:
        h = hashlib.blake2b(digests[node], digest_size=KEY_BYTES)
        for neighbour in sorted({*succ[node], *pred[node]}):
            h.update(seen.get(neighbour) or seen_of(neighbour))
        for article in node_data[node].get("articles", ()):
            found = cited.get(article)
            if found is None:
                found = cited[article] = descriptions.get(article_node(article), b"-")
            h.update(found)
        keys[node] = h.digest()
    return keys


class Reuse(NamedTuple):
    """How much of a sectioned export was copied from the last build's file."""

    reused: int
    sections: int


Entry = tuple[int, int, int]  # offset, length, triples in a file


class Entries:
    """An index read back: each key's entry, kept as the packed rows they were read from with
    each key's row (a dict of tuples of ints took 250 bytes an entry, 160 MB at 10k articles
    for graph.ttl's 650,000 sections; this takes about 110). A key given twice is its last row."""

    def __init__(self, body: bytes, lineage: tuple[bytes, int] = (b"", 0)) -> None:
        self._body = body
        # Each row's key as bytes, sliced out by numpy (a dict of unpacked rows took twice as
        # long: 0.1 s for graph.ttl's at 10k articles).
        keys = np.frombuffer(body, dtype=_KEYS_OF_ROWS)["key"].tolist()
        self._rows = dict(zip(keys, range(len(keys)), strict=True))
        self._spans: tuple[Any, array[int], bytes] | None = None  # rows by offset (``span``)
        self.lineage = lineage  # (process, generation) the file was written for

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where the rows with some length that start in [start, end) are among ``spans``: a
        stretch of the file copied whole brings the sections inside it."""
        if self._spans is None:
            # Every row with some length (a key given twice brings each of its rows: they
            # describe the same bytes), by offset; the offsets apart, to be searched in place,
            # and the rows as bytes too, a few of which are read faster than through numpy.
            rows = np.frombuffer(self._body, dtype=_ROWS)
            rows = rows[rows["length"] > 0]
            starts = np.ascontiguousarray(rows["offset"])
            order = np.argsort(starts, kind="stable")
            ordered = rows[order]
            self._spans = (ordered, array("Q", starts[order].tobytes()), ordered.tobytes())
        offsets = self._spans[1]
        return bisect_left(offsets, start), bisect_left(offsets, end)

    def rows(self) -> Any:
        """Every row (``_ROWS``), in the order written."""
        return np.frombuffer(self._body, dtype=_ROWS)

    @property
    def spans(self) -> tuple[Any, array[int], bytes]:
        """The rows ``span`` counts in: as a numpy array (``_ROWS``), their offsets, as bytes."""
        found: tuple[Any, array[int], bytes] | None = self._spans
        assert found is not None, "span() first"
        return found

    def __contains__(self, key: bytes) -> bool:
        return key in self._rows

    def get(self, key: bytes) -> Entry | None:
        row = self._rows.get(key)
        if row is None:
            return None
        _, offset, length, triples = _ENTRY.unpack_from(self._body, row * _ENTRY.size)
        return offset, length, triples


def ends_by_subject(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each subject's objects among ``pairs`` (the linked pairs a patch made again, some gone
    since), sorted: where ``sorts_between`` breaks a run of kept sections."""
    ends: dict[str, list[str]] = {}
    for subject, end in sorted(pairs):
        ends.setdefault(subject, []).append(end)
    return ends


def sorts_between(ordered: list[str], low: str, high: str) -> bool:
    """Whether any of ``ordered`` (sorted) lies strictly between ``low`` and ``high``: a run of
    sections copied as one breaks where a section gone since lay."""
    at = bisect_right(ordered, low)
    return at < len(ordered) and ordered[at] < high


def spliced(
    order: Sequence[str], changed: Collection[str] | None, members: Container[str]
) -> Iterator[tuple[bool, list[str]]]:
    """``order`` (sorted; ``members``, the same as a container) as runs of nodes whose sections
    the last file holds one after another (True) and single nodes to write again (False): those
    ``changed``. A run ends too where a changed node not in ``order`` (gone since, or no longer
    in this list) sorted between two of its nodes. ``changed`` None (nothing to splice from):
    every node on its own."""
    if changed is None:
        yield from ((False, [node]) for node in order)
        return
    breaks = set()
    for name in changed:
        if name not in members:
            at = bisect_left(order, name)
            if at < len(order):
                breaks.add(order[at])
    run: list[str] = []
    for node in order:
        if node in changed:
            if run:
                yield True, run
                run = []
            yield False, [node]
            continue
        if node in breaks and run:
            yield True, run
            run = []
        run.append(node)
    if run:
        yield True, run


def _read_index(path: Path, target: Path, salt: bytes) -> Entries | None:
    """The sections of ``target`` when the index at ``path`` describes that file as it is now,
    else None. Read as numbers and checked against the file: nothing read back is trusted further."""
    try:
        raw = path.read_bytes()
        stat = target.stat()
    except OSError:
        return None
    if not raw.startswith(_MAGIC) or len(raw) < len(_MAGIC) + _HEAD.size:
        return None
    found_salt, size, mtime_ns, count, process, generation = _HEAD.unpack_from(raw, len(_MAGIC))
    body = raw[len(_MAGIC) + _HEAD.size :]
    if found_salt != salt or (size, mtime_ns) != (stat.st_size, stat.st_mtime_ns):
        return None
    if len(body) != count * _ENTRY.size:
        return None
    rows = np.frombuffer(body, dtype=_ROWS)
    if bool(np.any(rows["offset"] > size)) or bool(np.any(rows["length"] > size - rows["offset"])):
        return None
    return Entries(body, (process, generation))


class SectionWriter:
    """Writes a file of sections, copying each one the previous file holds under the same key."""

    def __init__(
        self,
        out: IO[bytes],
        previous: IO[bytes] | None,
        index: Entries | None,
        path: Path | None = None,
        generation: int = 0,
        appending_at: int | None = None,
    ) -> None:
        self.path = path  # the file written, where there is one
        self.generation = generation  # of the store keys it is written for (0: none told)
        self._out = out
        # A record memo added to in place (``appended_write``): ``out`` is the previous file
        # itself, written from this offset on; a kept record is indexed where it already is.
        self._appending = appending_at is not None
        # Read section by section (a mapping of the old file would count its pages in this
        # process's memory, hundreds of MB at 10k articles).
        self._previous = previous if index is not None else None
        self._old = index if index is not None else Entries(b"")
        # The new index as packed rows, in the order written (a later row of a key wins), kept in
        # an unnamed temporary file: graph.ttl's 3.75 million rows at 100k articles are 150 MB.
        self._new = bytearray()  # the rows not yet in the file
        self._rows: IO[bytes] | None = None
        self._count = 0
        self._offset = appending_at or 0
        # Copied bytes not yet written, as [offset in the old file, length]: sections copied one
        # after another from one stretch of the old file are read and written as one (a 1 %
        # change to 10k articles copies 240,000 sections, most of them in long runs).
        self._run: list[int] | None = None
        self.reused = 0
        self.rendered = 0
        self.triples = 0

    def raw(self, text: str, triples: int = 0) -> None:
        """Text that is not a section of its own (prefixes, a description of the whole, a part of
        a compound section): written every time."""
        self._write(text.encode("utf-8"))
        self.triples += triples

    def _write(self, data: bytes) -> None:
        self.flush()
        self._out.write(data)
        self._offset += len(data)

    def _copy(self, key: bytes) -> tuple[int, int, int] | None:
        """Copy the previous file's section under ``key`` (written with the run it continues):
        its old offset, length and triples; None when the previous file does not have it."""
        old = self._old.get(key) if self._previous is not None else None
        if old is None:
            return None
        offset, length, triples = old
        if self._appending:
            self._enter(key, offset, length, triples)
            self.reused += 1
            self.triples += triples
            return old
        self._queue(offset, length)
        self._enter(key, self._offset, length, triples)
        self._offset += length
        self.reused += 1
        self.triples += triples
        return old

    def _queue(self, offset: int, length: int) -> None:
        """Bytes of the previous file to copy next: with the pending run when they continue it."""
        run = self._run
        if run is not None and run[0] + run[1] == offset:
            run[1] += length
        else:
            self.flush()
            self._run = [offset, length]

    def flush(self) -> None:
        """Write the copied bytes still pending, read from the previous file a few MB at a time."""
        if self._run is None:
            return
        (offset, length), self._run = self._run, None
        assert self._previous is not None  # a run is only ever started from it
        end = offset + length
        while offset < end:
            data = os.pread(self._previous.fileno(), min(_CHUNK, end - offset), offset)
            if not data:
                # The index matched the file when it was opened: only a hand that truncated it
                # since can cut it short. The new file is never renamed into place.
                raise KgError(f"{self._previous.name} changed while it was copied from; build again")
            self._out.write(data)
            offset += len(data)

    def copy(self, key: bytes) -> int | None:
        """Copy the section kept under ``key``, with the sections inside it (``compound``): its
        triples; None when the previous file does not have it."""
        assert not self._appending, "sections inside sections are copied into a file written anew"
        start = self._offset
        old = self._copy(key)
        if old is None:
            return None
        old_start, length, triples = old
        # The previous file's sections inside it, but its own.
        self._enter_span(old_start, old_start + length, start - old_start, but=key)
        return triples

    def follows(self, change: Change) -> bool:
        """Whether the previous file was written for the store keys ``change`` is measured from
        (by the process that worked them out, or one forked from it): then it holds, in order,
        the sections those keys named, and a stretch of them the keys since left as they were
        can be copied whole (``copy_span``)."""
        lineage = (change.process, change.since)
        return bool(change.since) and self._previous is not None and self._old.lineage == lineage

    def copy_span(self, first: bytes, last: bytes, sections: int | None, *, flat: bool = False) -> bool:
        """Copy the previous file from the section under ``first`` to the end of the one under
        ``last``, with every section inside: ``sections`` unchanged sections the caller knows
        to lie there one after another (``follows``; None: as many as the index has there).
        ``flat``: sections with none inside, whose triples are then counted. False, and nothing
        written, when the previous file lacks either."""
        assert not self._appending, "a stretch is copied into a file written anew"
        a = self._old.get(first) if self._previous is not None else None
        b = self._old.get(last) if a is not None else None
        if a is None or b is None or b[0] < a[0]:
            return False
        start, end = a[0], b[0] + b[1]
        self._queue(start, end - start)
        triples, rows = self._enter_span(start, end, self._offset - start)
        self._offset += end - start
        self.reused += rows if sections is None else sections
        if flat:
            self.triples += triples
        return True

    def copy_run(self, run: Sequence[T], key: Callable[[T], bytes | None], *, flat: bool = False) -> bool:
        """``copy_span`` of a run of unchanged items (nodes, articles, an edge's statements by
        article), each one's section under ``key(item)``: False where the run is empty or an
        end has no key."""
        if not run:
            return False
        first, last = key(run[0]), key(run[-1])
        return first is not None and last is not None and self.copy_span(first, last, len(run), flat=flat)

    def _enter_span(self, start: int, end: int, shift: int, but: bytes = b"") -> tuple[int, int]:
        """The previous index's rows of the sections in [start, end) (``Entries.span``), but any
        under ``but``, their offsets moved by ``shift``: their triples, and how many rows. A row
        that starts inside and ends past ``end`` is not among them: its bytes are not all copied
        (a node's section whose first linked pairs are copied, in graph.json, starts with them)."""
        i, j = self._old.span(start, end)
        rows, _, packed = self._old.spans
        if j - i <= _FEW_ROWS:  # a fact's few articles: numpy's calls cost more than the rows
            total = count = 0
            for row in range(i, j):
                key, offset, length, triples = _ENTRY.unpack_from(packed, row * _ENTRY.size)
                if key != but and offset + length <= end:
                    self._new += _ENTRY.pack(key, offset + shift, length, triples)
                    count += 1
                    total += triples
            self._count += count
        else:
            found = rows[i:j]
            inside = found["offset"] + found["length"] <= end
            if but:
                inside &= found["key"] != but
            found = found[inside]
            moved = found.copy()
            moved["offset"] = (found["offset"].astype(np.int64) + shift).astype(np.uint64)
            self._new += moved.tobytes()
            count = len(moved)
            self._count += count
            total = int(found["triples"].sum())
        if len(self._new) >= _CHUNK:
            self._spill()
        return total, count

    def _enter(self, key: bytes, offset: int, length: int, triples: int) -> None:
        self._new += _ENTRY.pack(key, offset, length, triples)
        self._count += 1
        if len(self._new) >= _CHUNK:
            self._spill()

    def _spill(self) -> None:
        if self._rows is None:
            # Held for the writer's life and closed by write_index: no context manager fits.
            self._rows = tempfile.TemporaryFile(prefix="kg-index-")  # noqa: SIM115
        self._rows.write(self._new)
        self._new.clear()

    @contextmanager
    def compound(self, key: bytes) -> Iterator[None]:
        """A section written as the text and sections inside it (a node's, of its statements):
        kept under ``key`` as a whole once they are written, the inner ones under their own."""
        start, before = self._offset, self.triples
        yield
        self._enter(key, start, self._offset - start, self.triples - before)
        self.rendered += 1

    def _kept(self, key: bytes) -> tuple[bytes, int] | None:
        """The previous file's bytes and triples under ``key``, if it has them in full."""
        old = self._old.get(key)
        if old is None or self._previous is None:
            return None
        offset, length, triples = old
        data = os.pread(self._previous.fileno(), length, offset)
        return (data, triples) if len(data) == length else None

    def _keep(self, key: bytes, data: bytes, triples: int) -> None:
        self._enter(key, self._offset, len(data), triples)
        self._write(data)

    def section(self, key: bytes, render: Callable[[], tuple[str, int]]) -> int:
        """The section keyed ``key``: copied from the previous file, or ``render()``ed as
        (text, triples). Returns its triples."""
        old = self._copy(key)
        if old is not None:
            return old[2]
        return self.section_anew(key, render)

    def section_anew(self, key: bytes, render: Callable[[], tuple[str, int]]) -> int:
        """``render()``'s (text, triples) kept under ``key``, whatever the previous file holds
        under it: for a key that names a place rather than what is there (``copy_span`` finds
        it where the caller knows the bytes did not change). Returns its triples."""
        text, triples = render()
        self.rendered += 1
        self._keep(key, text.encode("utf-8"), triples)
        self.triples += triples
        return triples

    def text(self, key: bytes, render: Callable[[], str]) -> str:
        """The text kept under ``key``: the last build's, or ``render()``; kept again either way."""
        return self.value(key, render, _as_is)

    def value(self, key: bytes, render: Callable[[], str], read: Callable[[str], T | None]) -> T:
        """``read`` of the text kept under ``key``, the last build's or ``render()``'s; kept again
        either way. A kept text ``read`` refuses (None) is rendered afresh: a memo is not trusted."""
        kept = self._kept(key)
        if kept is not None:
            try:
                found = read(kept[0].decode("utf-8"))
            except UnicodeDecodeError:
                found = None  # not what this writer wrote: rendered afresh
            if found is not None:
                self._copy(key)  # with the records kept beside it, or where it is (appending)
                return found
        text = render()
        self.rendered += 1
        self._keep(key, text.encode("utf-8"), 0)
        made = read(text)
        assert made is not None, "a rendered text is read as what it was made as"
        return made

    def previous(self, key: bytes) -> bytes | None:
        """The last build's bytes under ``key``, not kept unless given to ``put``."""
        kept = self._kept(key)
        return kept[0] if kept is not None else None

    def has(self, key: bytes) -> bool:
        """Whether the last build kept something under ``key``."""
        return self._previous is not None and key in self._old

    def put(self, key: bytes, data: bytes) -> None:
        """Keep ``data`` under ``key`` for the next build."""
        self._keep(key, data, 0)

    def carry(self, key: bytes) -> None:
        """Keep the last build's bytes under ``key`` for the next build, unread (``has`` first)."""
        if self._copy(key) is None:
            raise KeyError(key)

    def tally(self, key: bytes, count: Callable[[], int]) -> int:
        """A number kept under ``key`` (no text): the last build's, or ``count()``."""
        key = _number_key(key)
        old = self._old.get(key)
        found = old[2] if old is not None and self._previous is not None else count()
        self._enter(key, 0, 0, found)
        return found

    def carry_numbers(self, but: Collection[bytes]) -> None:
        """Keep the numbers the last build kept (``record``, ``tally``), but those under ``but``,
        for the next build, unread one by one."""
        if self._previous is None:
            return
        rows = self._old.rows()
        rows = rows[rows["length"] == 0]
        if but:
            dropped = np.array([_number_key(key) for key in but], dtype="S16")
            rows = rows[~np.isin(rows["key"], dropped)]
        self._new += rows.tobytes()
        self._count += len(rows)
        if len(self._new) >= _CHUNK:
            self._spill()

    def record(self, key: bytes, number: int) -> None:
        """A number kept under ``key`` for the next build (``recorded``)."""
        self._enter(_number_key(key), 0, 0, number)

    def kept_triples(self, key: bytes) -> int | None:
        """The triples of the previous file's section under ``key``, if it has one."""
        old = self._old.get(key) if self._previous is not None else None
        return old[2] if old is not None else None

    def recorded(self, key: bytes) -> int | None:
        """The number the last build kept under ``key`` (``record``, ``tally``), if it did."""
        old = self._old.get(_number_key(key)) if self._previous is not None else None
        return old[2] if old is not None else None

    @property
    def reuse(self) -> Reuse:
        return Reuse(self.reused, self.reused + self.rendered)

    def write_index(self, out: IO[bytes], salt: bytes, size: int, mtime_ns: int) -> None:
        """The index of what was written (``_read_index`` reads it), describing a file of this
        size and time."""
        assert self._run is None, "flush() first"
        out.write(_MAGIC + _HEAD.pack(salt, size, mtime_ns, self._count, PROCESS, self.generation))
        if self._rows is not None:
            self._rows.seek(0)
            while chunk := self._rows.read(_CHUNK):
                out.write(chunk)
            self._rows.close()
            self._rows = None
        out.write(self._new)
        self._new.clear()


def _number_key(key: bytes) -> bytes:
    """Where a number kept under ``key`` (``record``, ``tally``) is indexed."""
    return digest(b"tally\0" + key)


def _index_path(memo: Path, path: Path) -> Path:
    """Where the index of the sectioned file ``path`` is kept, in the cache folder ``memo``."""
    return memo / f"{path.name}.sections"


def _memo_salt(name: str) -> bytes:
    """What an index of the export ``name`` is salted with: the code that wrote it."""
    from kg.cache import code_fingerprint

    return hashlib.sha256(f"{name}\0{code_fingerprint()}".encode()).digest()


@contextmanager
def sectioned_write(
    path: Path, memo: Path | None, name: str, generation: int = 0, *, spare: bool = True
) -> Iterator[SectionWriter]:
    """Write ``path`` atomically through a SectionWriter; with ``memo`` (a cache folder), reuse
    the sections of the file it replaces and leave the new file's index there, naming the
    ``generation`` of the store keys it was written for, and (``spare``) keep the file it
    replaces there, to be written over next time (``atomic_rewrite``)."""
    salt = _memo_salt(name) if memo is not None else b""
    index_path = _index_path(memo, path) if memo is not None else None
    index = _read_index(index_path, path, salt) if index_path is not None else None
    with ExitStack() as stack:
        previous: IO[bytes] | None = None
        if index is not None:
            previous = stack.enter_context(path.open("rb"))
        if memo is not None and spare:
            opened = atomic_rewrite(path, memo / f"{path.name}.spare")
        else:
            opened = atomic_write(path, "wb")
        with opened as out:
            writer = SectionWriter(out, previous, index, path, generation)
            yield writer
            writer.flush()
    if index_path is not None:
        # After the rename, so that the index names the file as it now is; a build stopped
        # before this point leaves an index that no longer matches, which the next one ignores.
        _index_file(writer, path, index_path, salt)


def _index_file(writer: SectionWriter, path: Path, index_path: Path, salt: bytes) -> None:
    """The index of what ``writer`` wrote to ``path``, as the file is now (its size and time)."""
    stat = path.stat()
    index_path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(index_path, "wb") as out:
        writer.write_index(out, salt, stat.st_size, stat.st_mtime_ns)


@contextmanager
def appended_write(path: Path, memo: Path, name: str) -> Iterator[SectionWriter]:
    """A record memo written where the last build's file is, with the records this build makes
    added at its end and those it keeps indexed where they are: a 1 % rebuild of 10k articles
    otherwise wrote the explorer's 180 MB of memos again to change a few MB of them. A file
    that holds more than ``_MEMO_SLACK`` times what its last build kept is written anew
    (``sectioned_write``), which leaves only what this build keeps. A build that fails cuts
    the file back to what the last index describes."""
    salt = _memo_salt(name)
    index_path = _index_path(memo, path)
    index = _read_index(index_path, path, salt)
    try:
        stat = path.stat()
    except OSError:
        index = None
    if index is None or stat.st_size > _MEMO_SLACK * int(index.rows()["length"].sum()) + _MEMO_SPARE:
        with sectioned_write(path, memo, name, spare=False) as writer:  # a memo is rarely written anew
            yield writer
        return
    with path.open("rb") as previous, path.open("r+b") as out:
        out.seek(stat.st_size)
        writer = SectionWriter(out, previous, index, path, appending_at=stat.st_size)
        try:
            yield writer
            out.flush()
            # On disk before the index that names it: never an index over bytes not written.
            os.fsync(out.fileno())
        except BaseException:
            out.truncate(stat.st_size)
            out.close()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as the last index has it
            raise
    _index_file(writer, path, index_path, salt)


# A record memo is added to until it holds this many times what its last build kept (and
# _MEMO_SPARE bytes more), then written anew with only what the build keeps.
_MEMO_SLACK = 2
_MEMO_SPARE = 16 << 20


def adopt_sections(
    path: Path, memo: Path, name: str, runs: Iterable[Iterable[bytes]], generation: int
) -> bool:
    """Take the export ``name`` at ``path`` (indexed in the cache folder ``memo``) as written for
    the store keys of ``generation`` when each of ``runs`` is the keys of sections it holds one
    right after another: so a process that did not write it (kg watch, starting on a corpus
    built before) splices its first rebuild (``SectionWriter.copy_span``) as it does later
    ones. Returns whether it was."""
    index_path = _index_path(memo, path)
    index = _read_index(index_path, path, _memo_salt(name))
    if index is None:
        return False
    for keys in runs:
        end = None
        for key in keys:
            found = index.get(key)
            if found is None or (end is not None and found[0] != end):
                return False
            end = found[0] + found[1]
    try:
        raw = bytearray(index_path.read_bytes())
        at = len(_MAGIC)
        head = list(_HEAD.unpack_from(raw, at))
        head[4:6] = [PROCESS, generation]
        _HEAD.pack_into(raw, at, *head)
        with atomic_write(index_path, "wb") as out:
            out.write(raw)
    except (OSError, struct.error):
        return False  # a folder it cannot write to (or an index changed meanwhile): not taken
    return True


def _as_is(text: str) -> str:
    return text


class _Discard:
    """Where a memo with no cache folder writes: nowhere."""

    def write(self, data: bytes) -> int:
        return len(data)


@contextmanager
def record_memo(memo: Path | None, name: str) -> Iterator[SectionWriter]:
    """A store of rendered records kept in the cache folder from one build to the next (``text``):
    for an export made of many files, whose pieces are reassembled rather than copied. Without
    ``memo``, every record is rendered and nothing is kept."""
    if memo is None:
        yield SectionWriter(_Discard(), None, None)  # type: ignore[arg-type]  # a sink, not a file
        return
    memo.mkdir(parents=True, exist_ok=True)
    with appended_write(memo / name, memo, name) as writer:
        yield writer


class Unchanged:
    """Which records of a record memo a rebuild takes as they were without working out their
    keys (a whole-graph pass: the explorer's page keys were 3 s of a 10k rebuild).

    Each record's key is kept with the nodes it was made from (``remember``), beside every
    node's digest (``node_digests``); a rebuild finds the nodes whose digest changed, and a
    record that read none of them has its old key (``key``). A record that read a changed node
    is keyed afresh, so this saves work and never decides bytes: a node's digest covers its data
    and every edge at it, from which whatever a record reads of it, and which nodes it reads
    next, are worked out. Anything unreadable counts as nothing kept.

    Kept as one binary record (JSON of the 600,000 nodes the index rows read at 10k articles
    took 0.9 s to write and read back), read and written as arrays (``_Records``): a node or a
    record at a time, the three memos' 190,000 names and 66,000 records were 0.45 s of a 1 %
    rebuild of 10k articles."""

    _STATE = digest(b"unchanged: node digests and what each record read, 2")

    def __init__(
        self, memo: SectionWriter, digests: Mapping[str, bytes], keys: StoreKeys | None = None
    ) -> None:
        self._memo = memo
        self._digests = digests
        state = memo.previous(self._STATE)
        self._old_nodes, old, self._old = _read_state(state)
        # This build's numbers, known from the start so that each record is kept as ``save``
        # writes it, flat: as a key and a list of names each, the index's half a million rows at
        # 100k articles held 150 MB until saved. None: a name the state cannot hold, nothing kept.
        self._nodes: list[str] | None = sorted(digests)
        if any("\0" in node for node in self._nodes):
            self._nodes = None
        self._number = {node: i for i, node in enumerate(self._nodes or ())}
        # An old number's new one (-1: gone). Both lists are sorted, so a record's numbers stay
        # in order.
        number = self._number
        self._renumber = np.fromiter(
            (number.get(node, -1) for node in self._old_nodes), dtype=np.int64, count=len(self._old_nodes)
        )
        self._old_digests = np.frombuffer(old, dtype=np.uint8).reshape(-1, KEY_BYTES)
        # The digests of the nodes this build asked for, once: ``digests`` may work them out (an
        # article record's inputs), and ``save`` keeps them all.
        self._now: dict[str, bytes] = {}
        self._generation = keys.generation if keys is not None else 0
        touched = _touched_since(memo, state, keys)
        # Which old nodes to compare: every one, or those the keys' change reached (a name past
        # a "#", a page's focus, is its node's) and those gone; the rest read as they were.
        if touched is None:
            self._asked: np.ndarray | None = None  # every node's digest asked
            candidates: Iterable[int] = range(len(self._old_nodes))
        else:
            self._asked = np.zeros(len(self._nodes or ()), dtype=bool)
            renumber = self._renumber.tolist()
            candidates = [
                i
                for i, node in enumerate(self._old_nodes)
                if renumber[i] < 0 or node.partition("#")[0] in touched
            ]
        changed = np.zeros(len(self._old_nodes), dtype=bool)
        for i in candidates:
            node = self._old_nodes[i]
            found = digests.get(node)
            if found is not None:
                self._now[node] = found
                if self._asked is not None:
                    self._asked[self._renumber[i]] = True
            if found != old[i * KEY_BYTES : (i + 1) * KEY_BYTES]:
                changed[i] = True
        self._affected = self._old.reading(changed)  # by old record: read a changed node
        self._kept_old: list[int] = []  # old records kept as they were, by their number there
        # Each record keyed afresh: its number, its key, and the nodes it read.
        self._fresh_keys = bytearray()
        self._fresh = array("I")
        self._fresh_sizes = array("I")
        self._fresh_reads = array("I")

    def key(self, record: str) -> bytes | None:
        """The record's key when nothing it read has changed and the memo still holds it."""
        found = self._old.at.get(record)
        if found is None or self._affected[found]:
            return None
        key = self._old.key(found)
        return key if self._memo.has(key) else None

    def reads(self, record: str) -> list[str]:
        """What the record read last time (for a record ``key`` found unchanged)."""
        return [self._old_nodes[i] for i in self._old.reads_of(self._old.at[record])]

    def keyed(self, record: str, work_out: Callable[[], tuple[bytes, Iterable[str]]]) -> bytes:
        """The record's key: its old one when nothing it read has changed, else ``work_out()``'s
        (the key with the nodes it read); remembered for the next build either way."""
        key = self.key(record)
        if key is not None:
            self._kept_old.append(self._old.at[record])  # renumbered when saved
            return key
        key, reads = work_out()
        self.remember(record, key, reads)
        return key

    def remember(self, record: str, key: bytes, reads: Iterable[str]) -> None:
        number = self._number
        read = [number.get(node, -1) for node in reads]
        at = number.get(record)
        if -1 not in read and at is not None:  # else keyed afresh next time
            read.sort()
            self._fresh_keys += key
            self._fresh.append(at)
            self._fresh_sizes.append(len(read))
            self._fresh_reads.extend(read)

    def save(self) -> None:
        nodes = self._nodes
        if nodes is None:
            return  # not a name this state can hold: nothing kept, every record keyed next time
        names = "\0".join(nodes).encode("utf-8")
        digests = self._new_digests(nodes)
        # The old records kept, renumbered; one that read a node now gone is keyed afresh next
        # time. Then those keyed afresh, so that a record kept twice is read back as the last.
        fresh = _Records(
            np.frombuffer(self._fresh, dtype=np.uint32),
            bytes(self._fresh_keys),
            np.frombuffer(self._fresh_sizes, dtype=np.uint32),
            np.frombuffer(self._fresh_reads, dtype=np.uint32),
        )
        records = fresh
        if self._kept_old:  # else (a cold build) no copy of what was kept afresh
            kept = self._old.renumbered(np.array(self._kept_old, dtype=np.int64), self._renumber)
            records = _Records(
                np.concatenate([kept.numbers, fresh.numbers]),
                kept.keys + fresh.keys,
                np.concatenate([kept.sizes, fresh.sizes]),
                np.concatenate([kept.reads, fresh.reads]),
            )
        saved = records.state(names, digests, len(nodes))
        self._memo.put(self._STATE, saved)
        if self._memo.path is not None:
            _SAVED[str(self._memo.path)] = (digest(saved), self._generation)

    def _new_digests(self, nodes: list[str]) -> Any:
        """Each node's digest now: the old one where the node was not asked for (the change did
        not reach it), else the one asked for or ``digests``'s."""
        found = np.zeros((len(nodes), KEY_BYTES), dtype=np.uint8)
        fresh = np.ones(len(nodes), dtype=bool)
        if self._asked is not None:
            was = np.nonzero(self._renumber >= 0)[0]
            carried = was[~self._asked[self._renumber[was]]]
            found[self._renumber[carried]] = self._old_digests[carried]
            fresh[self._renumber[carried]] = False
        now, digests = self._now, self._digests
        for i in np.nonzero(fresh)[0].tolist():
            node = nodes[i]
            found[i] = np.frombuffer(now.get(node) or digests[node], dtype=np.uint8)
        return found.reshape(-1)


# A record memo's path → the digest of the state this process last saved there, with the
# generation of the store keys it was saved with (``StoreKeys.generation``).
_SAVED: dict[str, tuple[bytes, int]] = {}


def adopt_state(memo: Path, name: str, digests: Mapping[str, bytes], keys: StoreKeys) -> bool:
    """Take the state of the record memo ``name`` in ``memo`` (a cache folder) as saved with
    ``keys`` when it names exactly the nodes of ``digests``, each with its digest there: so a
    process that did not write it (kg watch, starting on a corpus built before) can trust the
    change its next keys are patched with. Returns whether it was."""
    path = memo / name
    index = _read_index(_index_path(memo, path), path, _memo_salt(name))
    entry = index.get(Unchanged._STATE) if index is not None else None
    if entry is None:
        return False
    offset, length, _ = entry
    with path.open("rb") as file:
        state = os.pread(file.fileno(), length, offset)
    nodes, old, _ = _read_state(state)
    if len(state) != length or nodes != sorted(digests):
        return False
    if any(digests[node] != old[i * KEY_BYTES : (i + 1) * KEY_BYTES] for i, node in enumerate(nodes)):
        return False
    _SAVED[str(path)] = (digest(state), keys.generation)
    return True


def _touched_since(memo: SectionWriter, state: bytes | None, keys: StoreKeys | None) -> frozenset[str] | None:
    """The nodes whose inputs may differ from those ``state`` holds: the keys' change, when the
    state is the very one this process saved with the keys that change is measured from (a state
    another build left, or one saved before a build that failed, is compared node by node).
    A record's inputs are worked out from its nodes' data and edges, which the keys cover; a
    name past a "#" (a page's focus) is its node's."""
    if keys is None or keys.change is None or state is None or memo.path is None:
        return None
    if not keys.change.in_this_process:
        return None
    if _SAVED.get(str(memo.path)) != (digest(state), keys.change.since):
        return None
    return keys.change.touched


_STATE_HEAD = struct.Struct("<QQQQ")  # nodes, bytes of their names, records, nodes read in all
_NUMBERS = np.dtype("<u4")


class _Records:
    """The records of an ``Unchanged`` state: each one's number (of the node it is named by),
    key and count of nodes read, and the nodes each read, one after another; as arrays."""

    def __init__(self, numbers: Any, keys: bytes, sizes: Any, reads: Any) -> None:
        self.numbers, self.keys, self.sizes, self.reads = numbers, keys, sizes, reads
        self.starts = np.cumsum(sizes, dtype=np.int64) - sizes  # where each one's reads begin
        self.at: dict[str, int] = {}  # a record's number here by its name (``named``)

    def named(self, nodes: Sequence[str]) -> _Records:
        """These records findable by name (``at``); a record kept twice is the last."""
        self.at = dict(zip([nodes[n] for n in self.numbers.tolist()], range(len(self.numbers)), strict=True))
        return self

    def key(self, record: int) -> bytes:
        return self.keys[record * KEY_BYTES : (record + 1) * KEY_BYTES]

    def reads_of(self, record: int) -> list[int]:
        start = int(self.starts[record])
        return [int(n) for n in self.reads[start : start + int(self.sizes[record])]]

    def reading(self, changed: Any) -> bytes:
        """Each record: 1 when it read a node ``changed`` (a mask by node number) marks, else 0."""
        affected = np.zeros(len(self.numbers), dtype=np.uint8)
        if len(self.reads):
            owner = np.repeat(np.arange(len(self.numbers)), self.sizes)
            affected[owner[changed[self.reads]]] = 1
        return affected.tobytes()

    def renumbered(self, chosen: Any, renumber: Any) -> _Records:
        """The ``chosen`` records with their nodes' numbers as ``renumber`` maps them, but those
        whose node or a node they read is gone (-1)."""
        sizes = self.sizes[chosen].astype(np.int64)
        numbers = renumber[self.numbers[chosen]]
        # Where each chosen record's reads lie: its start, then one on, for as many as it read.
        shift = np.repeat(self.starts[chosen] - (np.cumsum(sizes) - sizes), sizes)
        reads = renumber[self.reads[shift + np.arange(int(sizes.sum()))]]
        owner = np.repeat(np.arange(len(chosen)), sizes)
        good = numbers >= 0
        good[owner[reads < 0]] = False
        keys = np.frombuffer(self.keys, dtype=f"V{KEY_BYTES}")[chosen[good]].tobytes()
        return _Records(
            numbers[good].astype(np.uint32),
            keys,
            sizes[good].astype(np.uint32),
            reads[good[owner]].astype(np.uint32),
        )

    def state(self, names: bytes, digests: Any, count: int) -> bytes:
        """The state ``_read_state`` reads: the head, the names, their digests, then the records."""
        head = _STATE_HEAD.pack(count, len(names), len(self.numbers), len(self.reads))
        parts = [self.numbers, self.sizes, self.reads]
        # Joined from the arrays themselves: a copy each was 40 MB more of the index's rows at 100k.
        return b"".join([head, names, digests, self.keys, *(p.astype(_NUMBERS, copy=False) for p in parts)])


_NO_RECORDS = np.zeros(0, dtype=np.uint32)


def _read_state(data: bytes | None) -> tuple[list[str], bytes, _Records]:
    """The nodes, their digests (joined) and the records, when ``data`` has the shape
    ``Unchanged.save`` gives it; else nothing kept."""
    nothing: tuple[list[str], bytes, _Records] = (
        [],
        b"",
        _Records(_NO_RECORDS, b"", _NO_RECORDS, _NO_RECORDS),
    )
    if data is None or len(data) < _STATE_HEAD.size:
        return nothing
    count, names_size, records, read = _STATE_HEAD.unpack_from(data)
    at = _STATE_HEAD.size
    digests_at = at + names_size
    keys_at = digests_at + count * KEY_BYTES
    numbers_at = keys_at + records * KEY_BYTES
    if len(data) != numbers_at + (2 * records + read) * _NUMBERS.itemsize:
        return nothing
    try:
        nodes = data[at:digests_at].decode("utf-8").split("\0") if count else []
    except UnicodeDecodeError:
        return nothing
    if len(nodes) != count:
        return nothing
    numbers = np.frombuffer(data, dtype=_NUMBERS, offset=numbers_at)  # a view: read, never copied
    found, sizes, reads = numbers[:records], numbers[records : 2 * records], numbers[2 * records :]
    if sizes.sum() != read or (records and found.max() >= count) or (read and reads.max() >= count):
        return nothing
    return (
        nodes,
        data[digests_at:keys_at],
        _Records(found, data[keys_at:numbers_at], sizes, reads).named(nodes),
    )
