"""When a meeting was: 8月30日上午, 2019年7月27日至28日, the year from the dateline, or from
an anniversary the text names (庆祝建党九十一周年 → 2012)."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.model import Article

# 8月30日上午 / 1 月 29 日下午 / 2019年7月27日至28日 / 7 月 27 日至 28 日
DATE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})(?:\s*[-—~至到]\s*\d{1,2})?\s*日"
    r"(?:\s*[至到\-—~]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日)?"
    r"(?:\s*(?:上午|下午|晚上|晚|早上|中午))?"
)


def resolve_date(article: Article, text: str) -> str:
    """ISO date of the first date expression in ``text``; the year from the dateline if absent.

    A month after the dateline's month belongs to the year before (a January report of December).
    """
    m = DATE.search(text)
    if not m:
        return ""
    month, day = int(m["m"]), int(m["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    if m["y"]:
        year: int | None = int(m["y"])
    elif article.year is not None:
        year = article.year
        published = article.published
        if len(published) >= 7 and month > int(published[5:7]):
            year -= 1
    else:
        year = anniversary_year(article.text)
    return f"{year:04d}-{month:02d}-{day:02d}" if year else ""


# 建党九十一周年 → 2012: a date the text states without writing the year.
_ANNIVERSARY = re.compile(r"(?P<what>建党|建国|新中国成立)(?P<n>[一二三四五六七八九十百零〇\d]{1,6})周年")
_FOUNDED = {"建党": 1921, "建国": 1949, "新中国成立": 1949}
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def chinese_number(text: str) -> int | None:
    """九十一 → 91, 一百 → 100, 91 → 91; None for anything else."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


@lru_cache(maxsize=16)  # asked once per meeting of the article: the article's text is searched once
def anniversary_year(text: str) -> int | None:
    m = _ANNIVERSARY.search(text)
    n = chinese_number(m["n"]) if m else None
    return _FOUNDED[m["what"]] + n if m and n else None
