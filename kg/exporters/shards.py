"""The explorer's shard files (views/data/*.js, views/articles/*.js): each a script holding the JSON
of many records (pages, articles), every record kept in a memo under its key from one build to
the next. A shard whose records are the last build's, under the same names and keys in the same
order, is the last build's file: it is copied, its records carried over unread, rather than
assembled and compressed again (after 1 % of 10k articles changed, two thirds of the article
shards are as they were)."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

from kg.exporters.jsontext import (
    Encoded,
    Piece,
    assemble,
    data_script,
    deflate_piece,
    pieces_script,
    quoted_id,
    read_piece,
)
from kg.exporters.sections import SectionWriter, digest

ShardRecord = tuple[str, bytes, Callable[[], str]]  # its name, its key, what renders its JSON


def write_shard(
    path: Path,
    callback: str,
    records: Sequence[ShardRecord],
    memo: SectionWriter,
    previous: Path | None,
    *,
    deflated: bool = False,
) -> None:
    """``path``: ``callback(<the records by name>)`` as ``data_script`` writes it, each record the
    memo's text under its key or rendered. ``previous``: the last build's file of this shard, used
    when the memo says it was written from these very records and it holds the bytes it did then
    (a digest of them is kept: a file edited since is never copied).

    ``deflated``: the memo keeps each record deflated on its own (``jsontext.deflate_piece``) with
    its name, under a key that must cover both, and the script is joined from those pieces: a
    shard with one changed record is not deflated whole again. For records of some size: the
    entity pages' data is 9 % larger so, while the articles' small records would nearly double.
    Without it, the memo keeps each record's JSON and the script is deflated whole."""
    whole = digest(marshal.dumps((callback, deflated, [(name, key) for name, key, _ in records]), 2))
    kept = previous is not None and all(memo.has(key) for _, key, _ in records)
    written = memo.previous(whole) if kept else None
    if previous is not None and written is not None:
        try:
            data = previous.read_bytes()
        except OSError:
            data = b""
        if digest(data) == written:
            for _, key, _ in records:
                memo.carry(key)
            memo.put(whole, written)
            path.write_bytes(data)
            return
    if deflated:
        data = pieces_script(callback, _pieces(records, memo)).encode("ascii")
    else:
        text = assemble({name: Encoded(memo.text(key, render)) for name, key, render in records})
        data = data_script(callback, text).encode("ascii")
    memo.put(whole, digest(data))
    path.write_bytes(data)


def _pieces(records: Sequence[ShardRecord], memo: SectionWriter) -> Iterator[Piece]:
    """The shard's JSON object as pieces: each record's ``"name":{…}`` the memo's, or rendered and
    deflated; the punctuation between them deflated once."""
    yield _OPEN
    for i, (name, key, render) in enumerate(records):
        if i:
            yield _COMMA
        yield memo.value(key, partial(_deflated, name, render), read_piece)
    yield _CLOSE


def _deflated(name: str, render: Callable[[], str]) -> str:
    return deflate_piece(f"{quoted_id(name)}:{render()}").stored()


_OPEN, _COMMA, _CLOSE = (deflate_piece(text) for text in "{,}")
