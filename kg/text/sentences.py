"""Sentence spans over an article's text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.model import Span

# A sentence ends at 。!?; or a line break; closing quotes stay with it.
_END = re.compile(r"[。!?!?;;]+[”’」』\")]*|\n")


def split_sentences(text: str) -> Iterator[Span]:
    """Non-empty sentence spans, white space trimmed.

    >>> [ "会议召开。院长讲话!"[s.start:s.end] for s in split_sentences("会议召开。院长讲话!") ]
    ['会议召开。', '院长讲话!']
    """
    start = 0
    for m in _END.finditer(text):
        yield from _trimmed(text, start, m.end())
        start = m.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield Span(start, end)
