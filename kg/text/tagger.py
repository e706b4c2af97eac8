"""The part-of-speech tagger the extractors see: one interface, so that another tagger can
replace jieba's without touching them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol


class Tagger(Protocol):
    def cut_run(self, run: str) -> Sequence[tuple[str, str]]:
        """(word, tag) pairs of one run of Han characters, letters and digits (a
        ``segment.BLOCK`` match), with jieba's tag names: nr person, ns place, n noun …"""
        ...

    def reference(self, text: str) -> list[tuple[str, str]]:
        """The tagger's own cut of any text, unoptimised: what tests hold ``cut_run`` to."""
        ...


def jieba_tagger() -> Tagger:
    from kg.text.jieba_tagger import JiebaTagger

    return JiebaTagger()


_make: Callable[[], Tagger] = jieba_tagger
_loaded: Tagger | None = None


def tagger() -> Tagger:
    """The process's tagger, loaded on first use (jieba's dictionary: a few hundred MB, ~1 s)."""
    global _loaded
    if _loaded is None:
        _loaded = _make()
    return _loaded


def use_tagger(make: Callable[[], Tagger]) -> None:
    """Tag with what ``make`` returns from now on (the default is ``jieba_tagger``)."""
    global _make
    _make = make
    release_tagger()


def release_tagger() -> None:
    """Drop the tagger and its dictionary; the next ``tagger()`` loads them again."""
    global _loaded
    _loaded = None
