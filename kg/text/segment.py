"""jieba segmentation with character offsets, loaded once and only when needed."""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar, cast

from kg.model import Article, Span
from kg.text.sentences import split_sentences
from kg.text.tagger import tagger
from kg.timing import TAGGING

T = TypeVar("T")


class Token(NamedTuple):  # a tuple: made by the hundred thousand, and a frozen dataclass is slow to make
    text: str
    tag: str  # jieba part of speech: nr = person name, ns = place, n = noun …
    start: int  # offsets into Article.text
    end: int


# jieba.posseg cuts each run of these characters on its own (its re_han_internal), so tagging one
# run gives exactly the tokens that tagging the whole sentence gives there. That is what lets the
# extractors tag only the runs next to a trigger (a post title, an organisation ending, a role verb).
BLOCK = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&\\._]+")
_SKIP = re.compile(r"(\r\n|\s)")


def _tag_run(run: str, offset: int) -> list[Token]:
    """The tokens of a text that is one run (a BLOCK match), offsets shifted by ``offset``."""
    start = time.perf_counter()
    tokens: list[Token] = []
    pos = offset
    for word, flag in tagger().cut_run(run):
        tokens.append(Token(word, flag, pos, pos + len(word)))
        pos += len(word)
    TAGGING.seconds += time.perf_counter() - start
    return tokens


def _gap_tokens(text: str, offset: int) -> list[Token]:
    """What jieba yields between runs: whitespace and punctuation, one token per character (x)."""
    tokens: list[Token] = []
    pos = offset
    for piece in _SKIP.split(text):
        if not piece:
            continue
        chars = [piece] if _SKIP.fullmatch(piece) else list(piece)
        for ch in chars:
            tokens.append(Token(ch, "x", pos, pos + len(ch)))
            pos += len(ch)
    return tokens


@dataclass(slots=True)
class SegmentedArticle:
    """An article with its sentences; tokens are computed per run of text on first use."""

    article: Article
    sentences: list[Span]
    _block_starts: list[int] = field(default_factory=list)
    _block_ends: list[int] = field(default_factory=list)
    _blocks: dict[int, list[Token]] = field(default_factory=dict)
    _token_starts: dict[int, list[int]] = field(default_factory=dict)  # block → its tokens' starts
    _analyses: dict[Callable[[SegmentedArticle], Any], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in BLOCK.finditer(self.article.text):
            self._block_starts.append(m.start())
            self._block_ends.append(m.end())

    def once(self, analysis: Callable[[SegmentedArticle], T]) -> T:
        """``analysis(self)``, computed on first use and kept: how extractors share an analysis
        (the people, the meetings, the home organisation) with a type, not a string key."""
        if analysis not in self._analyses:
            self._analyses[analysis] = analysis(self)
        return cast(T, self._analyses[analysis])

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def tagged_chars(self) -> int:
        """How many characters have been POS-tagged so far (the cost the candidate windows save)."""
        return sum(t[-1].end - t[0].start for t in self._blocks.values() if t)

    def sentence_text(self, span: Span) -> str:
        return self.article.text[span.start : span.end]

    def _block(self, index: int) -> list[Token]:
        start = self._block_starts[index]
        if start not in self._blocks:
            self._blocks[start] = _tag_run(self.article.text[start : self._block_ends[index]], start)
        return self._blocks[start]

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """The tokens that overlap [start, end), with jieba's one-character gap tokens: those of
        tagging the whole text there, though only the runs that overlap are tagged."""
        tokens: list[Token] = []
        i = max(bisect_right(self._block_starts, start) - 1, 0)
        pos = start
        while i < len(self._block_starts) and self._block_starts[i] < end:
            b_start, b_end = self._block_starts[i], self._block_ends[i]
            if b_end > start:
                if b_start > pos:
                    tokens += _gap_tokens(self.article.text[pos:b_start], pos)
                block = self._block(i)
                starts = self._starts_of(i)
                # from the token that holds start to the last that begins before end
                tokens += block[max(bisect_right(starts, start) - 1, 0) : bisect_left(starts, end)]
                pos = b_end
            i += 1
        if pos < end:
            tokens += _gap_tokens(self.article.text[pos:end], pos)
        return tokens

    def tokens_near(self, pos: int, before: int = 0, after: int = 8) -> list[Token]:
        """The tokens of the run that holds ``pos`` starting in [pos - before, pos + after]:
        what a name or a verb needs of a run, found without walking a run that may be long."""
        i = bisect_right(self._block_starts, pos) - 1
        if i < 0 or pos >= self._block_ends[i]:
            return []
        starts = self._starts_of(i)
        return self._block(i)[bisect_left(starts, pos - before) : bisect_right(starts, pos + after)]

    def _starts_of(self, index: int) -> list[int]:
        starts = self._token_starts.get(index)
        if starts is None:
            starts = self._token_starts[index] = [t.start for t in self._block(index)]
        return starts

    def tokens(self, span: Span) -> list[Token]:
        """All tokens of a sentence: the same as tagging it whole."""
        return self.tokens_between(span.start, span.end)


def segment(article: Article) -> SegmentedArticle:
    return SegmentedArticle(article, list(split_sentences(article.text)))
