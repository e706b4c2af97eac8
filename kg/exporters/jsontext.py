"""Compact JSON for the explorer's pages, encoded by the json module, with pieces encoded once.

A busy node's facts and drawing repeat on thousands of pages; encoding them once and splicing the
text in (``Encoded``) is what keeps the HTML export fast. ``assemble`` does the splicing for any
structure of dicts and lists, so no page is written by joining strings by hand.
"""

from __future__ import annotations

import base64
import json
import zlib
from functools import lru_cache
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
    if isinstance(value, dict):
        if not any(isinstance(v, _NESTED) for v in value.values()):
            return encoded(value)
        return Encoded("{" + ",".join(f"{quoted_id(str(k))}:{assemble(v)}" for k, v in value.items()) + "}")
    if isinstance(value, list | tuple):
        if not any(isinstance(v, _NESTED) for v in value):
            return encoded(value)
        return Encoded("[" + ",".join(assemble(v) for v in value) + "]")
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


def read_data_script(text: str) -> tuple[str, Any]:
    """The callback and the value of a ``data_script``."""
    callback, _, rest = text.partition("(")
    packed = rest.removesuffix(");\n").strip('"')
    return callback, _DECODER.decode(zlib.decompress(base64.b64decode(packed)).decode("utf-8"))


_DECODER = json.JSONDecoder()
