"""jieba segmentation with character offsets, loaded once and only when needed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kg.lexicon import load_lexicon, load_table
from kg.model import Article, Span
from kg.text.sentences import split_sentences


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    tag: str  # jieba part of speech: nr = person name, ns = place, n = noun …
    start: int  # offsets into Article.text
    end: int


@cache
def _tagger() -> Any:
    """A private jieba tokenizer that knows the genre's posts and organisation endings."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # Posts as single words keep "党委书记王培安" from fusing a title into a name.
    for word in (*load_table("post_titles"), *load_lexicon("post_modifiers")):
        tokenizer.add_word(word, freq=20000, tag="n")
    return jieba.posseg.POSTokenizer(tokenizer)


def tag(text: str, offset: int = 0) -> list[Token]:
    """POS-tagged tokens of ``text``, offsets shifted by ``offset``."""
    tokens: list[Token] = []
    pos = offset
    for pair in _tagger().cut(text, HMM=True):
        word, flag = pair.word, pair.flag
        tokens.append(Token(word, flag, pos, pos + len(word)))
        pos += len(word)
    return tokens


@dataclass(slots=True)
class SegmentedArticle:
    """An article with its sentences; tokens are computed per sentence on first use."""

    article: Article
    sentences: list[Span]
    _tokens: dict[int, list[Token]] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)  # analyses extractors share (people, meetings)

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_text(self, span: Span) -> str:
        return self.article.text[span.start : span.end]

    def tokens(self, span: Span) -> list[Token]:
        if span.start not in self._tokens:
            self._tokens[span.start] = tag(self.sentence_text(span), span.start)
        return self._tokens[span.start]


def segment(article: Article) -> SegmentedArticle:
    return SegmentedArticle(article, list(split_sentences(article.text)))
