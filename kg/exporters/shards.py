"""The explorer's shard files (views/data/*.js, views/articles/*.js): each a script holding the JSON
of many records (pages, articles), every record kept in a memo under its key from one build to
the next. A shard whose records are the last build's, under the same names and keys in the same
order, is the last build's file: it is copied, its records carried over unread, rather than
assembled and compressed again (after 1 % of 10k articles changed, two thirds of the article
shards are as they were)."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Sequence
from pathlib import Path

from kg.exporters.jsontext import Encoded, assemble, data_script
from kg.exporters.sections import SectionWriter, digest

ShardRecord = tuple[str, bytes, Callable[[], str]]  # its name, its key, what renders its JSON


def write_shard(
    path: Path, callback: str, records: Sequence[ShardRecord], memo: SectionWriter, previous: Path | None
) -> None:
    """``path``: ``callback(<the records by name>)`` as ``data_script`` writes it, each record the
    memo's text under its key or rendered. ``previous``: the last build's file of this shard, used
    when the memo says it was written from these very records and it holds the bytes it did then
    (a digest of them is kept: a file edited since is never copied)."""
    whole = digest(marshal.dumps((callback, [(name, key) for name, key, _ in records]), 2))
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
    text = assemble({name: Encoded(memo.text(key, render)) for name, key, render in records})
    data = data_script(callback, text).encode("ascii")
    memo.put(whole, digest(data))
    path.write_bytes(data)
