"""Files on disk → articles, or a clear reason why not.

Accepts plain text in any encoding this field uses (UTF-8 with or without BOM, GBK /
GB18030, UTF-16, Big5 — detected, never guessed silently: the encoding is recorded),
HTML pages (main text by trafilatura, title and date from the page's metadata), and
scraper output as JSON Lines or JSON (one article per record: title, date, url, text).
"""

from __future__ import annotations

import codecs
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.model import Article
from kg.text.clean import clean

MAX_BYTES = 5 * 1024 * 1024
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".json")
METADATA_FILE = "metadata.jsonl"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters a real text is made of: CJK, ASCII printable, CJK punctuation and full-width forms.
_PLAUSIBLE = re.compile(
    r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\s\u2010-\u2027\u00b7\u2030-\u206f]"
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    """Text of a file: BOMs first, then strict UTF-8, then what charset-normalizer detects."""
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("starts like UTF-16 but does not decode as it") from exc
    if b"\x00" in data:
        raise InputError("binary file (NUL bytes); expected UTF-8 or GBK text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in _candidate_encodings(data):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible(text):
            return Decoded(text, encoding)
    raise InputError("not decodable as UTF-8, UTF-16, GB18030 or Big5; re-save the file as UTF-8")


def _candidate_encodings(data: bytes) -> list[str]:
    """charset-normalizer's best guess first (GBK is reported as gb18030's subset), then GB18030."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    guesses = [best.encoding] if best is not None else []
    chinese = {
        "gb2312": "gb18030",
        "gbk": "gb18030",
        "gb18030": "gb18030",
        "big5": "big5",
        "big5hkscs": "big5hkscs",
    }
    ordered = [chinese.get(g.lower().replace("-", "").replace("_", ""), g) for g in guesses]
    return [*dict.fromkeys([*ordered, "gb18030"])]


def _plausible(text: str) -> bool:
    """Mostly characters a Chinese news text is made of (random bytes decode to rare ones)."""
    if not text:
        return False
    return len(_PLAUSIBLE.findall(text)) / len(text) >= 0.9


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


@dataclass(frozen=True, slots=True)
class Page:
    title: str
    date: str
    text: str


def html_to_text(markup: str) -> Page:
    """Main text of a page by trafilatura; the whole visible text where it finds none."""
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # trafilatura raises a variety of lxml errors on broken markup
        doc = None
    text = str(getattr(doc, "text", "") or "")
    if text:
        return Page(str(getattr(doc, "title", "") or ""), str(getattr(doc, "date", "") or ""), text)
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [line.strip() for line in text.splitlines()]
    return Page(parser.title, "", "\n".join(line for line in lines if line))


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


def check_size(size: int, max_bytes: int) -> None:
    """Refuse a file over the limit before reading it."""
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (--max-bytes)")


def _read_bytes(path: Path, max_bytes: int, data: bytes | None = None) -> bytes:
    """The file's bytes (``data`` when the caller read them already), refused if empty or too big."""
    size = path.stat().st_size if data is None else len(data)
    if size == 0:
        raise InputError("empty file")
    check_size(size, max_bytes)
    return path.read_bytes() if data is None else data


def _article(article_id: str, text: str, *, title: str, date: str, source: str, encoding: str) -> Article:
    if not text.strip():
        raise InputError("no text (only white space)")
    if not _CJK.search(text):
        raise InputError("no Chinese text")
    return clean(article_id, text, title=title, published=_iso_date(date), source=source, encoding=encoding)


def _iso_date(value: str) -> str:
    m = re.match(r"\s*((?:19|20)\d{2})(?:[-/.年]\s*(\d{1,2}))?(?:[-/.月]\s*(\d{1,2}))?", value or "")
    if not m:
        return ""
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and day:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{year}-{int(month):02d}" if month else year


def load_article(
    path: Path, meta: dict[str, str] | None = None, *, max_bytes: int = MAX_BYTES, data: bytes | None = None
) -> Article:
    """Read one text or HTML file into a cleaned Article; raises InputError with the reason.

    With ``data``, those are the file's bytes and ``path`` only names it (a worker elsewhere).
    """
    meta = meta or {}
    decoded = decode(_read_bytes(path, max_bytes, data))
    text, title, date = decoded.text, meta.get("title", ""), meta.get("date", "")
    if looks_like_html(path, text):
        page = html_to_text(text)
        text, title, date = page.text, title or page.title, date or page.date
    return _article(
        path.name, text, title=title, date=date, source=meta.get("source", ""), encoding=decoded.encoding
    )


def load_records(
    path: Path, *, max_bytes: int = MAX_BYTES, data: bytes | None = None
) -> Iterator[Article | InputError]:
    """Articles of a scraper's JSON Lines or JSON file; a bad record yields its error, with its line."""
    decoded = decode(_read_bytes(path, max_bytes, data))
    records: list[tuple[str, Any]] = []
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(decoded.text.splitlines(), 1):
            if line.strip():
                try:
                    records.append((f"line {number}", json.loads(line)))
                except json.JSONDecodeError as exc:
                    records.append(
                        (f"line {number}", InputError(f"line {number}:{exc.colno}: not JSON ({exc.msg})"))
                    )
    else:
        try:
            data = json.loads(decoded.text)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {exc.lineno}:{exc.colno}: not JSON ({exc.msg})") from exc
        items = (
            data if isinstance(data, list) else data.get("articles", [data]) if isinstance(data, dict) else []
        )
        records = [(f"record {i}", item) for i, item in enumerate(items, 1)]
    for where, record in records:
        if isinstance(record, InputError):
            yield record
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text", record.get("content")), str):
            yield InputError(f'{where}: expected an object with a "text" field')
            continue
        article_id = str(record.get("id") or f"{path.name}#{where.split()[-1]}")
        body = str(record.get("text", record.get("content", "")))
        if "<" in body[:200] and looks_like_html(path, body):
            body = html_to_text(body).text
        try:
            yield _article(
                article_id,
                body,
                title=str(record.get("title", "")),
                date=str(record.get("date", "")),
                source=str(record.get("url", record.get("source", ""))),
                encoding=decoded.encoding,
            )
        except InputError as exc:
            yield InputError(f"{where}: {exc}")
