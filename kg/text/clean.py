"""Strip what a scraper brings along with the story: menus, hotlines, captions, footers.

Cleaning works a line at a time and only drops lines, so every kept character
maps back to the raw file (``Article.line_map``).
"""

from __future__ import annotations

import re
from collections import Counter

from kg.model import Article

# 2022-01-30 / 时间:2024-02-04 12:19:35 / 发布于:2019-07-31 / 2022年1月30日
DATELINE = re.compile(
    r"(?:(?:发布)?时间|发布于|日期|发布日期|更新时间)?\s*[::]?\s*"
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
)
# Whole lines a page frame carries, never the story: a line that starts with one of these, or
# holds a hotline, ends in an image file name or counts its readers. Each unanchored pattern is
# tried only on lines holding its literal (a search for all of them at every character of every
# paragraph was a tenth of extraction).
_BOILERPLATE_START = re.compile(
    r"(?:您?当前位置|您的位置|你的位置|欢迎(?:来到|访问|光临)|首页\s*>|推荐阅读|相关阅读|相关热词搜索|合作咨询|上一篇|下一篇|"
    r"返回顶部|打印本页|关闭窗口|分享到|扫一扫|原创$|编辑[::]|责任编辑|审核[::]|来源[::]|作者[::]|"
    r"医院订阅号$|医院服务号$|挂号指南|版权所有|Copyright)",
    re.IGNORECASE,
)
_HOTLINE = re.compile(r"(?:电话|热线)[::]?\s*[\d\s\-—()()]{6,}")
_IMAGE_EXTENSION = r"\.(?:jpe?g|png|gif|bmp|webp)"
_IMAGE_NAME = re.compile(rf"{_IMAGE_EXTENSION}\s*$", re.IGNORECASE)
# 1599118196798626.jpg   会上,…: a photo's file name left in front of the paragraph under it
_LEADING_IMAGE = re.compile(rf"^[A-Za-z0-9_\-.]+{_IMAGE_EXTENSION}\s+(?=\S)", re.IGNORECASE)
_READ_COUNT = re.compile(r"次阅读\s*$")
_YEAR = re.compile(r"(?:19|20)\d{2}")  # every dateline has one

# Everything after one of these is the page footer.
_FOOTER = re.compile(r"^(?:推荐阅读|相关阅读|相关热词搜索|合作咨询|相关新闻|编辑[::]|责任编辑)")
_BULLET = re.compile(r"^[•·●▪◆■]\s*\S{0,12}$")
_LEAD_BULLET = re.compile(r"^[•·●▪◆■]\s*(?=当前位置|您的位置)")
_DATE_LABEL = re.compile(r"^(?:(?:发布)?时间|发布于|日期|发布日期|更新时间)\s*[::]")
_LEADING_DATE = re.compile(r"\s*(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}")
_SENTENCE_END = re.compile(r"[。!?!?;;]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


# 06.08.2016: day first where the year comes last
DATELINE_DMY = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?![\d.])")


def find_dateline(line: str, max_cjk_before: int = 4) -> str:
    """ISO date of a dateline-like line ("时间:2024-02-04 作者…", "06.08.2016 00:05"), or ""."""
    if not _YEAR.search(line):
        return ""
    m = DATELINE.search(line) or DATELINE_DMY.search(line)
    if not m or len(_CJK.findall(line[: m.start()])) > max_cjk_before:
        return ""
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def is_boilerplate(line: str) -> bool:
    return bool(
        _BOILERPLATE_START.match(line)
        # (急救|客服…)?电话: the optional word before changes nothing about whether one is there
        or (("电话" in line or "热线" in line) and _HOTLINE.search(line))
        or ("." in line and _IMAGE_NAME.search(line))
        or "本文已影响" in line
        or "阅读次数" in line
        or ("次阅读" in line and _READ_COUNT.search(line))
        or _BULLET.match(line)
    )


def _is_headline(line: str) -> bool:
    cjk = len(_CJK.findall(line))
    return cjk >= 6 and len(line) <= 80 and not _SENTENCE_END.search(line) and not find_dateline(line)


def _is_prose(line: str) -> bool:
    """A sentence of the story, not a menu entry: it ends a sentence, or runs long."""
    return (bool(_SENTENCE_END.search(line)) and len(_CJK.findall(line)) >= 10) or len(line) > 80


def clean(
    article_id: str,
    raw: str,
    *,
    title: str = "",
    published: str = "",
    source: str = "",
    encoding: str = "utf-8",
) -> Article:
    """Cleaned Article from raw scraped text; the title is the first line of ``text``.

    >>> clean("a.txt", "当前位置:首页 > 医院动态\\n我院召开2021年度总结表彰大会\\n2022-01-30\\n1月29日下午,我院召开大会。").published
    '2022-01-30'
    """
    raw_lines: list[tuple[int, str]] = []  # (offset in raw, stripped line)
    offset = 0
    for line in raw.splitlines(keepends=True):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        if stripped:
            raw_lines.append((offset + lead, stripped))
        offset += len(line)

    counts = Counter(line for _, line in raw_lines)
    kept: list[tuple[int, str]] = []
    dateline = ""
    seen: set[str] = set()
    title_found = bool(title)
    for raw_offset, line in raw_lines:
        if _FOOTER.match(line) and title_found:
            break
        line = _LEAD_BULLET.sub("", line)
        if "." in line and (image := _LEADING_IMAGE.match(line)):
            line, raw_offset = line[image.end() :], raw_offset + image.end()
        date = find_dateline(line)
        if date and (len(_CJK.findall(line)) <= 12 or is_boilerplate(line) or _DATE_LABEL.match(line)):
            dateline = dateline or date
            continue
        if is_boilerplate(line):
            # 来源:县委宣传部 2019-06-18 14:22: the page frame still dates the story
            dateline = dateline or find_dateline(line, max_cjk_before=12)
            continue
        if date and not dateline and _LEADING_DATE.match(line):
            dateline = date  # 2024-12-15 来源:…讯 12月13日下午,…: a dateline run into the lead
        if not title_found:
            if _is_headline(line):
                title, title_found = line, True
                seen.add(line)
                kept.append((raw_offset, line))
                continue
            if not _is_prose(line):
                continue  # menu entries and captions above the headline
            title_found = True  # the story starts with no headline of its own

        # Repeated short lines are photo captions or the headline again under each photo.
        if line in seen and (counts[line] > 1 or line == title):
            continue
        # "…安排部署..." is a teaser of the next paragraph.
        if line.endswith(("...", "…")) and any(
            other.startswith(line.rstrip(".…")[:20]) and other != line for _, other in raw_lines
        ):
            continue
        seen.add(line)
        kept.append((raw_offset, line))

    if title and (not kept or kept[0][1] != title):
        kept.insert(0, (0, title))  # a title from metadata or <title>: offsets point at the file start
    text_parts: list[str] = []
    line_map: list[tuple[int, int]] = []
    pos = 0
    for raw_offset, line in kept:
        line_map.append((pos, raw_offset))
        text_parts.append(line)
        pos += len(line) + 1
    return Article(
        id=article_id,
        title=title,
        text="\n".join(text_parts),
        published=published or dateline,
        source=source,
        line_map=tuple(line_map),
        encoding=encoding,
    )
