"""Compact JSON for the explorer's pages, encoded by the json module, with pieces encoded once.

A busy node's facts and drawing repeat on thousands of pages; encoding them once and splicing the
text in (``Encoded``) is what keeps the HTML export fast. ``assemble`` does the splicing for any
structure of dicts and lists, so no page is written by joining strings by hand.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

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
