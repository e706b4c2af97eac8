"""Bytes on disk → a decoded string and an Article, or a clear reason why not."""

from __future__ import annotations

import codecs
import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from kg.errors import InputError
from kg.model import Article
from kg.text.clean import clean

MAX_BYTES = 5 * 1024 * 1024
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
METADATA_FILE = "metadata.jsonl"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16"), "utf-16")
    if b"\x00" in data:
        raise InputError("binary file (NUL bytes); expected UTF-8 or GBK text")
    for encoding in ("utf-8", "gb18030"):
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("not decodable as UTF-8, UTF-16 or GB18030; re-save the file as UTF-8")


class _TextOfHtml(HTMLParser):
    """Visible text of a page, block elements on lines of their own; <title> kept aside."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "section", "article", "td"})
    HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._hidden = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self.HIDDEN:
            self._hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data.strip()
        elif not self._hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str]:
    """(page title, visible text with one block a line)."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [line.strip() for line in text.splitlines()]
    return parser.title, "\n".join(line for line in lines if line)


def looks_like_html(path: Path, text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return path.suffix.lower() in (".html", ".htm") or head.startswith(("<!doctype html", "<html"))


def read_metadata(corpus: Path) -> dict[str, dict[str, str]]:
    """``corpus/metadata.jsonl``: title, date and source for articles that do not say."""
    path = corpus / METADATA_FILE
    if not path.exists():
        return {}
    table: dict[str, dict[str, str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            table[str(record["file"])] = {k: str(v) for k, v in record.items()}
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f'{path}:{number}: bad metadata line ({exc}); expected {{"file": …}}') from exc
    return table


def load_article(path: Path, meta: dict[str, str] | None = None, *, max_bytes: int = MAX_BYTES) -> Article:
    """Read one corpus file into a cleaned Article; raises InputError with the reason."""
    meta = meta or {}
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file")
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (--max-bytes)")
    decoded = decode(path.read_bytes())
    text, page_title = decoded.text, ""
    if looks_like_html(path, text):
        page_title, text = html_to_text(text)
    if not text.strip():
        raise InputError("no text (only white space)")
    if not _CJK.search(text):
        raise InputError("no Chinese text")
    return clean(
        path.name,
        text,
        title=meta.get("title", "") or page_title,
        published=meta.get("date", ""),
        source=meta.get("source", ""),
        encoding=decoded.encoding,
    )
