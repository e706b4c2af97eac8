"""Clauses: the units a speech summary or a resolution states its tasks in.

会议强调,一是要讲大局,增强角色意识;二是… → [会议强调] [讲大局] [增强角色意识] [讲…]

A sentence is cut at , ; : (outside quotes) and before an enumerator (一是, 二要, 2、, (三));
each clause keeps the lead-in it opened with (一是要, 他强调, 要) apart from its body, so that
the body is what a target would quote and the lead-in is a clue to whether it is one.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kg.model import Span
from kg.text.segment import SegmentedArticle

_CUT = frozenset(",,;;::")
_OPEN = frozenset("“「『‘(《")
_CLOSE = frozenset("”」』’)》")
_NUM = "一二三四五六七八九十"
# Opens a new clause even without punctuation before it: 。一是… / ;二要… / 3、…
ENUMERATOR = re.compile(
    rf"(?:[{_NUM}]是|[{_NUM}]要|第[{_NUM}]+(?![\u4e00-\u9fff])[,,、]?|[((][{_NUM}\d]+[))]|\d{{1,2}}[、.．](?!\d)|[{_NUM}][、.．]|首先|其次|最后)"
)
# Where a piece may end or a quote open or close: every other character is passed over.
_MARK = re.compile(r"[,,;;::“「『‘(《”」』’)》]|[一二三四五六七八九十首其最\d第((]")
# What a clause may open with before what it says: 会议强调 / 他指出 / 要 / 进一步 (kept apart as the lead).
_SPEECH = r"(?:强调|指出|要求|提出|表示|号召|希望|认为)"
_LEAD = re.compile(
    rf"(?:{ENUMERATOR.pattern}|即|就是|(?:都|也|更|还)?(?:要|需要|必须|应当|务必)(?![求点])|将)"
)
# 会议强调 / 他指出: tried only where a speech verb stands in the piece (a lazy scan is costly)
_SPEECH_LEAD = re.compile(rf"[^,,;;::。]{{0,16}}?{_SPEECH}[,,::]?")
_SPEECH_WORD = re.compile(_SPEECH)


class Clause(NamedTuple):  # a tuple: an article has hundreds, and the target model reads them all
    start: int  # the body [start, end): what the clause says, lead-in and punctuation excluded
    end: int
    lead: str  # the lead-in stripped from its start (一是要, 会议强调), "" where none
    sentence: Span
    before: str  # the punctuation that opened it ("" at a sentence start)
    after: str  # the punctuation that closed it ("" at a sentence end)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def text(self, doc: SegmentedArticle) -> str:
        return doc.text[self.start : self.end]


def _pieces(text: str, sentence: Span) -> list[tuple[int, int, str]]:
    """(start, end, opening punctuation) of each piece of a sentence, cut outside quotes only."""
    pieces: list[tuple[int, int, str]] = []
    depth = 0
    start, opener = sentence.start, ""
    for m in _MARK.finditer(text, sentence.start, sentence.end):
        ch, pos = m.group(), m.start()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth:
            continue
        elif ch in _CUT:
            pieces.append((start, pos, opener))
            start, opener = pos + 1, ch
        elif pos > start and ENUMERATOR.match(text, pos) and _enumerates(text, pos):
            pieces.append((start, pos, opener))
            start, opener = pos, ""
    pieces.append((start, sentence.end, opener))
    return pieces


def _enumerates(text: str, pos: int) -> bool:
    """一是 / 2、 opens an item here, not inside a word (统一是, 第12、13条)."""
    before = text[pos - 1]
    return not before.isdigit() and (before in "。;;::,, \n" or text[pos] not in _NUM)


def clauses(doc: SegmentedArticle, sentence: Span) -> list[Clause]:
    text = doc.text
    out: list[Clause] = []
    pieces = _pieces(text, sentence)
    for i, (start, end, opener) in enumerate(pieces):
        closer = pieces[i + 1][2] if i + 1 < len(pieces) else ""
        while end > start and text[end - 1] in "。!?!? \n":
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if start == end:
            continue  # nothing between two marks (…;」 ending a sentence)
        lead_end = start
        speech = _SPEECH_WORD.search(text, start, end) is not None
        while True:  # 一是要 = 一是 + 要: strip lead-ins one after another
            m = _LEAD.match(text, lead_end, end) or (
                _SPEECH_LEAD.match(text, lead_end, end) if speech else None
            )
            if m is None or m.end() == lead_end:
                break
            lead_end = m.end()
        out.append(Clause(lead_end, end, text[start:lead_end], sentence, opener, closer))
    return out
