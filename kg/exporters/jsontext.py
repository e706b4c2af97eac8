"""Compact JSON for the explorer's pages, encoded by the json module, with pieces encoded once.

A busy node's facts and drawing repeat on thousands of pages; encoding them once and splicing the
text in (``Encoded``) is what keeps the HTML export fast. ``assemble`` does the splicing for any
structure of dicts and lists, so no page is written by joining strings by hand.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

# One encoder for every call: json.dumps with options builds a new one each time, which cost
# more than encoding a page's small objects.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def json_text(value: Any) -> str:
    # Key order is the order the records were built in, which is sorted and the same every build.
    # Inside <script>, "</script", "<!--" and "<script" all change how the HTML parser reads on:
    # no "<" at all (\u003c is the same character to JSON and JavaScript).
    return _ENCODER.encode(value).replace("<", "\\u003c")


class Encoded(str):
    """JSON text made by ``json_text`` or ``assemble``: spliced in as it is."""

    __slots__ = ()


def encoded(value: Any) -> Encoded:
    return Encoded(json_text(value))


_NESTED = (Encoded, dict, list, tuple)


def assemble(value: Any) -> Encoded:
    """``json_text(value)``, where any ``Encoded`` inside stands for the JSON it holds."""
    if isinstance(value, Encoded):
        return value
    # An Encoded member is spliced in without a call: a page's facts are thousands of them.
    if isinstance(value, dict):
        if not any(isinstance(v, _NESTED) for v in value.values()):
            return encoded(value)
        return Encoded(
            "{"
            + ",".join(
                f"{quoted_id(str(k))}:{v if v.__class__ is Encoded else assemble(v)}"
                for k, v in value.items()
            )
            + "}"
        )
    if isinstance(value, list | tuple):
        if not any(isinstance(v, _NESTED) for v in value):
            return encoded(value)
        return Encoded("[" + ",".join([v if v.__class__ is Encoded else assemble(v) for v in value]) + "]")
    return encoded(value)


@lru_cache(maxsize=1 << 18)
def quoted_id(node: str) -> str:
    """A node id as a JSON string: ids are type/hex, so mostly no encoder is needed."""
    return (
        f'"{node}"'
        if node.isascii() and node.isprintable() and not _NEEDS_ESCAPE & set(node)
        else json_text(node)
    )


_NEEDS_ESCAPE = frozenset('"\\<')


# A data script of the explorer: ``callback("<base64 of zlib-deflated JSON>");``. Pages opened
# from file:// may load scripts but not fetch files, and scripts cannot be served compressed, so
# the script carries its JSON deflated (a sixth of the size: ids and labels repeat) and the page
# inflates it with the browser's DecompressionStream. zlib has no timestamps: the same bytes every
# build. Level 1: 2.4× as fast as 6 at 1.35× the size (10k articles: 1.2 s against 2.9 s).
def data_script(callback: str, text: str) -> str:
    packed = base64.b64encode(zlib.compress(text.encode("utf-8"), 1)).decode("ascii")
    return f'{callback}("{packed}");\n'


# A data script can also be put together from pieces deflated one by one (``deflate_piece``), so
# that a rebuild deflates only the records that changed: each piece is raw deflate brought to a
# byte boundary by a sync flush, which needs nothing before it, so pieces joined are one deflate
# stream. Each is padded with empty stored blocks to a multiple of three bytes, so that its base64
# joins too; the zlib header and trailer are written around them (the trailer's Adler-32 combined
# from each piece's own). view.js inflates the result as any other data script.
_EMPTY_BLOCK = b"\x00\x00\x00\xff\xff"  # a stored block of no bytes, starting on a byte boundary
_STREAM_HEAD = b"\x78\x01" + 2 * _EMPTY_BLOCK  # zlib's header, padded to 12 bytes
_LAST_BLOCK = b"\x03\x00"  # an empty final block (fixed codes): the end of the deflate stream
_ADLER_BASE = 65521


class Piece(NamedTuple):
    """A text deflated on its own for ``pieces_script``: base64 of whole 3-byte groups, with the
    Adler-32 and length of the text's UTF-8 that the stream's checksum is combined from."""

    packed: str
    check: int
    size: int

    def stored(self) -> str:
        """As a record memo keeps it (``read_piece`` reads it back)."""
        return f"{self.check} {self.size} {self.packed}"


def deflate_piece(text: str) -> Piece:
    raw = text.encode("utf-8")
    deflate = zlib.compressobj(1, zlib.DEFLATED, -15)
    data = deflate.compress(raw) + deflate.flush(zlib.Z_SYNC_FLUSH)
    # Each empty block adds 5 bytes (2 mod 3): as many as the length is past a multiple of 3.
    data += _EMPTY_BLOCK * (len(data) % 3)
    return Piece(base64.b64encode(data).decode("ascii"), zlib.adler32(raw), len(raw))


def read_piece(stored: str) -> Piece | None:
    """A piece as ``Piece.stored`` wrote it; None for anything else (a memo is not trusted)."""
    check, _, rest = stored.partition(" ")
    size, _, packed = rest.partition(" ")
    # Whole groups of base64 with no padding, which would end the stream's base64 there.
    if not (check.isdigit() and size.isdigit() and len(packed) % 4 == 0 and _BASE64.fullmatch(packed)):
        return None
    if int(check) >= 1 << 32:
        return None
    return Piece(packed, int(check), int(size))


_BASE64 = re.compile("[A-Za-z0-9+/]+")


def combined_adler(first: int, second: int, second_size: int) -> int:
    """The Adler-32 of two byte strings joined, from each one's (zlib's adler32_combine)."""
    a1, b1 = first & 0xFFFF, first >> 16
    a2, b2 = second & 0xFFFF, second >> 16
    a = (a1 + a2 - 1) % _ADLER_BASE
    b = (b1 + b2 + second_size * (a1 - 1)) % _ADLER_BASE
    return a | (b << 16)


def pieces_script(callback: str, pieces: Iterable[Piece]) -> str:
    """The data script whose JSON is the pieces' texts joined."""
    check = 1  # Adler-32 of nothing
    parts = [f'{callback}("', base64.b64encode(_STREAM_HEAD).decode("ascii")]
    for piece in pieces:
        parts.append(piece.packed)
        check = combined_adler(check, piece.check, piece.size)
    parts.append(base64.b64encode(_LAST_BLOCK + check.to_bytes(4, "big")).decode("ascii"))
    parts.append('");\n')
    return "".join(parts)


def write_data_script(path: Path, callback: str, pieces: Iterable[str]) -> None:
    """``data_script(callback, "".join(pieces))`` written to ``path`` as the pieces come, the
    same bytes, so that the whole text is never held: the index's rows at 100k articles are
    half a million (deflate's output does not depend on how its input is cut)."""
    deflate = zlib.compressobj(1)
    carried = b""  # base64 takes three bytes at a time: what is left of the last chunk
    batch: list[str] = []
    size = 0

    def encode(data: bytes) -> bytes:
        nonlocal carried
        data = carried + data
        cut = len(data) - len(data) % 3
        carried = data[cut:]
        return base64.b64encode(data[:cut])

    with path.open("wb") as file:
        file.write(f'{callback}("'.encode("ascii"))
        for piece in pieces:
            batch.append(piece)
            size += len(piece)
            if size >= _BATCH:
                file.write(encode(deflate.compress("".join(batch).encode("utf-8"))))
                batch, size = [], 0
        file.write(encode(deflate.compress("".join(batch).encode("utf-8")) + deflate.flush()))
        file.write(base64.b64encode(carried) + b'");\n')


_BATCH = 1 << 16  # characters deflated at a time


def read_data_script(text: str) -> tuple[str, Any]:
    """The callback and the value of a ``data_script``."""
    callback, _, rest = text.partition("(")
    packed = rest.removesuffix(");\n").strip('"')
    return callback, _DECODER.decode(zlib.decompress(base64.b64decode(packed)).decode("utf-8"))


_DECODER = json.JSONDecoder()
