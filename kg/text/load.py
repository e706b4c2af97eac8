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
from kg.model import Article, Skipped
from kg.text.clean import clean
from kg.text.traditional import is_traditional, to_simplified

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


# A UTF-8 file with this few bad bytes (a truncated last character, one flipped byte) is UTF-8
# with damage, read with U+FFFD in their place and the count reported; more is another encoding.
MAX_BAD_UTF8 = 0.001
MIN_BAD_UTF8 = 4  # one bad byte inside a character leaves up to three orphans beside it


def decode(data: bytes) -> Decoded:
    """Text of a file: BOMs first, then strict UTF-8, then what charset-normalizer detects."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
        except UnicodeDecodeError:
            data = data[3:]  # a UTF-8 mark on a file saved in another encoding: judge the rest
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("starts like UTF-16 but does not decode as it") from exc
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError("binary file (NUL bytes); expected UTF-8 or GBK text")
        return utf16
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    damaged = data.decode("utf-8", errors="replace")
    bad = damaged.count("\ufffd")
    if bad <= max(MIN_BAD_UTF8, MAX_BAD_UTF8 * len(damaged)) and _plausible(damaged):
        return Decoded(damaged, f"utf-8 ({bad} invalid byte sequence{'s' if bad > 1 else ''} replaced)")
    for encoding in _candidate_encodings(data):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible(text):
            return Decoded(text, encoding)
    raise InputError("not decodable as UTF-8, UTF-16, GB18030 or Big5; re-save the file as UTF-8")


def simplified(decoded: Decoded) -> Decoded:
    """A mostly traditional text in simplified characters, its encoding saying so."""
    if not is_traditional(decoded.text):
        return decoded
    return Decoded(to_simplified(decoded.text), f"{decoded.encoding}, traditional → simplified")


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 with no byte-order mark: Chinese and ASCII text puts its NULs on one side."""
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _CJK.search(text) and _plausible(text):
            return Decoded(text, encoding)
    return None


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


MAX_METADATA_BYTES = 256 * 2**20


def read_metadata(corpus: Path) -> tuple[dict[str, dict[str, str]], list[Skipped]]:
    """``corpus/metadata.jsonl``: title, date and source for articles that do not say, and the
    lines (or the whole file) it could not use, each with its reason: metadata never stops a build."""
    path = corpus / METADATA_FILE
    if not path.exists() and not path.is_symlink():
        return {}, []
    try:
        if not path.is_file():
            raise InputError("not a regular file (a FIFO or a folder would hang or fail the read)")
        check_size(path.stat().st_size, MAX_METADATA_BYTES)
        text = path.read_bytes().decode("utf-8")
    except (InputError, OSError, UnicodeDecodeError) as exc:
        return {}, [Skipped(str(path), f"metadata not read: {exc}")]
    table: dict[str, dict[str, str]] = {}
    skipped: list[Skipped] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        record = _json_or_error(line, f"line {number}")
        if isinstance(record, dict) and isinstance(record.get("file"), str):
            table[record["file"]] = {str(k): _no_surrogates(str(v)) for k, v in record.items()}
            continue
        why = str(record) if isinstance(record, InputError) else "not an object with a file name"
        skipped.append(Skipped(f"{path}:{number}", f'metadata line not used ({why}); expected {{"file": …}}'))
    return table, skipped


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
    path: Path,
    meta: dict[str, str] | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    data: bytes | None = None,
    name: str = "",
) -> Article:
    """Read one text or HTML file into a cleaned Article; raises InputError with the reason.

    With ``data``, those are the file's bytes and ``path`` only names it (a worker elsewhere);
    ``name`` is the article's id (its path under the corpus folder), the file name by default.
    """
    meta = meta or {}
    decoded = simplified(decode(_read_bytes(path, max_bytes, data)))
    text, title, date = decoded.text, meta.get("title", ""), meta.get("date", "")
    if looks_like_html(path, text):
        page = html_to_text(text)
        text, title, date = page.text, title or page.title, date or page.date
    return _article(
        name or path.name,
        text,
        title=title,
        date=date,
        source=meta.get("source", ""),
        encoding=decoded.encoding,
    )


def _json_or_error(text: str, where: str) -> Any:
    """The parsed value, or an InputError that says why not (never another exception)."""
    prefix = f"{where}:" if where else "line "
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return InputError(
            f"{prefix}{exc.colno if where else f'{exc.lineno}:{exc.colno}'}: not JSON ({exc.msg})"
        )
    except RecursionError:
        return InputError(f"{where or 'file'}: JSON nested too deep")
    except ValueError as exc:  # a number too long to convert, …
        return InputError(f"{where or 'file'}: not usable JSON ({exc})")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    """JSON may escape a lone surrogate (\\ud800); no export could write it: U+FFFD instead."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def load_records(
    path: Path, *, max_bytes: int = MAX_BYTES, data: bytes | None = None, name: str = ""
) -> Iterator[Article | InputError]:
    """Articles of a scraper's JSON Lines or JSON file; a bad record yields its error, with its line.

    A record's id is its file's (``name``, the file name by default) with its own id or its
    number after a #: feed.jsonl#17, feed.jsonl#1 — never another file's article."""
    name = name or path.name
    raw = _read_bytes(path, max_bytes, data)
    records: list[tuple[str, Any]] = []
    if path.suffix.lower() == ".jsonl":
        broken: set[int] = set()
        if b"\x00" in raw and _utf16_without_bom(raw) is None:
            # A NUL spoils its line, not the file: blank it (line numbers stay) and say which.
            lines = raw.split(b"\n")
            broken = {n for n, line in enumerate(lines, 1) if b"\x00" in line}
            raw = b"\n".join(b"" if n in broken else line for n, line in enumerate(lines, 1))
        decoded = decode(raw)
        # Records end at \n only: U+2028 and friends are legal inside a JSON string.
        for number, line in enumerate(decoded.text.split("\n"), 1):
            if number in broken:
                records.append((f"line {number}", InputError(f"line {number}: NUL bytes, not JSON")))
            elif line.strip():
                records.append((f"line {number}", _json_or_error(line, f"line {number}")))
    else:
        decoded = decode(raw)
        parsed = _json_or_error(decoded.text, "")
        if isinstance(parsed, InputError):
            raise parsed
        if isinstance(parsed, dict) and "articles" in parsed:
            parsed = parsed["articles"]
        if isinstance(parsed, dict):
            parsed = [parsed]
        if not isinstance(parsed, list):
            raise InputError('expected a list of articles, {"articles": [...]} or one article object')
        records = [(f"record {i}", item) for i, item in enumerate(parsed, 1)]
    for where, record in records:
        if isinstance(record, InputError):
            yield record
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text", record.get("content")), str):
            yield InputError(f'{where}: expected an object with a "text" field')
            continue
        record = {k: _no_surrogates(str(v)) for k, v in record.items() if isinstance(v, (str, int, float))}
        article_id = f"{name}#{record.get('id') or where.split()[-1]}"
        body = str(record.get("text", record.get("content", "")))
        as_read = Decoded(body, decoded.encoding)
        converted = simplified(as_read)
        if converted is not as_read:  # a traditional record: its title goes with it
            record["title"] = to_simplified(str(record.get("title", "")))
        body, encoding = converted.text, converted.encoding
        if "<" in body[:200] and looks_like_html(path, body):
            body = html_to_text(body).text
        try:
            yield _article(
                article_id,
                body,
                title=str(record.get("title", "")),
                date=str(record.get("date", "")),
                source=str(record.get("url", record.get("source", ""))),
                encoding=encoding,
            )
        except InputError as exc:
            yield InputError(f"{where}: {exc}")
