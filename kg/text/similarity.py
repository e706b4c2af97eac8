"""How alike two names are, character by character, as the gold scorer measures it."""

from __future__ import annotations

from collections import Counter

_QUOTES = str.maketrans("", "", "「」『』“”‘’\"'《》")


def squash(text: str) -> str:
    """No white space, no quotes: 「工作落实年」部署推进会 → 工作落实年部署推进会."""
    return "".join(str(text).split()).translate(_QUOTES)


def char_f1(a: str, b: str) -> float:
    """Character-level F1 of two strings (multiset overlap), after ``squash``."""
    a, b = squash(a), squash(b)
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)
