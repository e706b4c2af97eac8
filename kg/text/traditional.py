"""Traditional Chinese read as simplified: the lexicons, jieba's dictionary and the target model
are all simplified, so a Hong Kong or Taiwan page (or a Big5 file) would yield nothing.

The conversion is zhconv's table (a registry package, nothing fetched at run time), applied
only to a text that is mostly traditional, and kept to the same length so that every offset
still points where it did in the file.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

SAMPLE_CHARS = 1500  # enough of a text to tell its script
TRADITIONAL_SHARE = 0.05  # of its Han characters that a simplified text never has this many of
_HAN = re.compile(r"[\u4e00-\u9fff]")


@cache
def _traditional_chars() -> frozenset[str]:
    """Every character zhconv turns into another one on its own (過 → 过): ones that simplified
    text does not use."""
    from zhconv import zhconv

    table = zhconv.getdict("zh-cn")
    return frozenset(k for k, v in table.items() if len(k) == 1 and len(v) == 1 and k != v)


@lru_cache(maxsize=1 << 14)
def _simplified_char(ch: str) -> str:
    import zhconv

    out: str = zhconv.convert(ch, "zh-cn")
    return out if len(out) == 1 else ch


def is_traditional(text: str) -> bool:
    sample = text[:SAMPLE_CHARS]
    han = len(_HAN.findall(sample))
    traditional = _traditional_chars()
    return han > 0 and sum(ch in traditional for ch in sample) >= TRADITIONAL_SHARE * han


def to_simplified(text: str) -> str:
    """The text in simplified characters, the same length (phrase rules that would change it
    give way to character by character)."""
    import zhconv

    out: str = zhconv.convert(text, "zh-cn")
    if len(out) != len(text):
        out = "".join(_simplified_char(ch) for ch in text)
    return out
