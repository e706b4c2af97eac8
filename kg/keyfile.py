"""The last build's store keys kept on disk, so that `kg build` patches its keys as `kg watch` does.

A rebuild's exports copy the runs of sections its change left alone from the files they replace
(``SectionWriter.follows``) when they know which keys those files were written for and what
changed since: a resident process holds both (kg/rekey.py). A build in a new process reads them
from ``OUT/.kg-cache/keys.bin``, which the build before wrote beside its exports: every node's
digest, description and section key, each article's resolution key and the nodes it named, the
single-holder posts' holders, and the process and generation the keys were numbered with.

Each export's index names the process and generation it was written for, so a file is spliced
only when it was written for exactly these keys; anything else (a format left out, a build
stopped half-way) is copied section by section, as before. The file is read as data, never as
code: a wrong size, count or checksum, an index past the strings, or keys another version of
the code worked out (whose digests need not be this one's), is no file at all.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path

from kg.cache import code_fingerprint
from kg.exporters.atomic import atomic_write
from kg.rekey import KeptKeys, Sources

KEYS_FILE = "keys.bin"  # in the cache folder

_MAGIC = b"kg-keys 1\n"
# The code that worked them out, the process and generation, a checksum of the body, its bytes.
_HEAD = struct.Struct("<32s16sQ16sQ")
_NONE = 0xFFFFFFFF  # an article whose resolution key was not kept
_KEY = 16  # bytes of each digest and key
# The body's parts, in order, each as its length (8 bytes) and bytes.
_PARTS = (
    "strings",  # every name, NUL-separated
    "nodes",  # string numbers (4 bytes each), then each node's digest, description, section key
    "digests",
    "descriptions",
    "sections",
    "articles",  # string numbers of the articles, of their resolution keys, what they named
    "article_keys",
    "named_ends",
    "named",
    "described",  # articles with a TriG key, and the keys
    "described_keys",
    "posts",  # single-holder posts, where each one's holders end, and the holders
    "holder_ends",
    "holders",
)


def save_keys(path: Path, kept: KeptKeys) -> None:
    """``kept`` written to ``path`` in one step; nothing (and no old file) when a name holds a NUL."""
    strings: dict[str, int] = {}

    def numbers(names: Iterable[str]) -> bytes:
        return _little(array("I", [strings.setdefault(name, len(strings)) for name in names]))

    nodes = list(kept.digests)
    sources = kept.sources
    articles = list(sources.keys)
    named = [sources.named.get(article, ()) for article in articles]
    posts = list(kept.holders)
    holders = [kept.holders[post] for post in posts]
    parts: dict[str, bytes] = {
        "nodes": numbers(nodes),
        "digests": b"".join(kept.digests[n] for n in nodes),
        "descriptions": b"".join(kept.descriptions[n] for n in nodes),
        "sections": b"".join(kept.sections[n] for n in nodes),
        "articles": numbers(articles),
        "article_keys": _little(
            array(
                "I",
                [
                    _NONE if (k := sources.keys[a]) is None else strings.setdefault(k, len(strings))
                    for a in articles
                ],
            )
        ),
        "named_ends": _ends(named),
        "named": numbers(name for names in named for name in names),
        "described": numbers(kept.described),
        "described_keys": b"".join(kept.described.values()),
        "posts": numbers(posts),
        "holder_ends": _ends(holders),
        "holders": numbers(h for found in holders for h in found),
    }
    if any("\0" in name for name in strings):
        path.unlink(missing_ok=True)
        return
    parts["strings"] = "\0".join(strings).encode("utf-8")
    body = b"".join(struct.pack("<Q", len(parts[name])) + parts[name] for name in _PARTS)
    check = hashlib.blake2b(body, digest_size=16).digest()
    with atomic_write(path, "wb") as out:
        out.write(_MAGIC + _HEAD.pack(_code(), kept.process, kept.generation, check, len(body)))
        out.write(body)


def load_keys(path: Path) -> KeptKeys | None:
    """What ``save_keys`` wrote at ``path``; None when there is no such file or it is not whole."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        return _parsed(raw)
    except (ValueError, IndexError, struct.error, UnicodeDecodeError):
        return None


def _parsed(raw: bytes) -> KeptKeys | None:
    start = len(_MAGIC) + _HEAD.size
    if not raw.startswith(_MAGIC) or len(raw) < start:
        return None
    code, process, generation, check, size = _HEAD.unpack_from(raw, len(_MAGIC))
    body = memoryview(raw)[start:]
    if len(body) != size or hashlib.blake2b(body, digest_size=16).digest() != check:
        return None
    if code != _code():
        return None  # keys other code worked out: their digests need not be this code's
    parts: dict[str, memoryview] = {}
    at = 0
    for name in _PARTS:
        (length,) = struct.unpack_from("<Q", body, at)
        at += 8
        if at + length > len(body):
            return None
        parts[name] = body[at : at + length]
        at += length
    if at != len(body):
        return None
    strings = bytes(parts["strings"]).decode("utf-8").split("\0") if parts["strings"] else []

    def names(part: str) -> list[str]:
        return [strings[i] for i in _numbers(parts[part])]

    def keys(part: str, count: int) -> list[bytes]:
        data = bytes(parts[part])
        if len(data) != count * _KEY:
            raise ValueError(part)
        return [data[i : i + _KEY] for i in range(0, len(data), _KEY)]

    nodes = names("nodes")
    articles = names("articles")
    sources = Sources(light=True)
    article_keys = _numbers(parts["article_keys"])
    for article, key in zip(articles, article_keys, strict=True):
        sources.keys[article] = None if key == _NONE else strings[key]
    sources.named = _grouped(articles, _numbers(parts["named_ends"]), names("named"))
    described = names("described")
    held = _grouped(names("posts"), _numbers(parts["holder_ends"]), names("holders"))
    return KeptKeys(
        dict(zip(nodes, keys("digests", len(nodes)), strict=True)),
        dict(zip(nodes, keys("descriptions", len(nodes)), strict=True)),
        dict(zip(nodes, keys("sections", len(nodes)), strict=True)),
        sources,
        held,
        generation,
        dict(zip(described, keys("described_keys", len(described)), strict=True)),
        process,
    )


def _ends(groups: Iterable[Sequence[str]]) -> bytes:
    """Where each group ends in the groups laid end to end (``_grouped`` reads them back)."""
    ends, at = array("I"), 0
    for group in groups:
        at += len(group)
        ends.append(at)
    return _little(ends)


def _grouped(owners: Sequence[str], ends: Sequence[int], flat: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Each owner's group, cut from ``flat`` where ``_ends`` said it ends."""
    found: dict[str, tuple[str, ...]] = {}
    begin = 0
    for owner, end in zip(owners, ends, strict=True):  # a count that differs: ValueError, no file
        found[owner] = tuple(flat[begin:end])
        begin = end
    return found


def _code() -> bytes:
    return bytes.fromhex(code_fingerprint())


def _little(numbers: array[int]) -> bytes:
    """Numbers as the file keeps them: 4 bytes each, little-endian, whatever the machine."""
    if sys.byteorder == "big":
        numbers = array("I", numbers)
        numbers.byteswap()
    return numbers.tobytes()


def _numbers(part: memoryview) -> Sequence[int]:
    if len(part) % 4:
        raise ValueError("not 4-byte numbers")
    found = array("I")
    found.frombytes(part)
    if sys.byteorder == "big":
        found.byteswap()
    return found
