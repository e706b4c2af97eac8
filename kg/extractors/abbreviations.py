"""Short names an article introduces for an organisation: 温州市第一人民医院(以下简称“温州一院”).

The article itself says the two names are one: resolution puts both on one node, whatever the
short name looks like (温州一院, 市一院, 一院).
"""

from __future__ import annotations

import re

from kg.extractors.resolve_local import mentioned_orgs
from kg.text.segment import SegmentedArticle

# (以下简称“X”) / (简称:X) / (下称“X”), the brackets half- or full-width
_INTRODUCED = re.compile(
    r"[((]\s*(?:以下|下文)?(?:简称|下称)\s*[::]?\s*[“\"「『]?(?P<short>[\u4e00-\u9fffA-Za-z0-9]{2,12})[”\"」』]?\s*[))]"
)


def abbreviations(doc: SegmentedArticle) -> list[tuple[str, str]]:
    """(full name, short name) for every short name the article introduces for an organisation."""
    text = doc.text
    if "称" not in text:
        return []
    ends: dict[int, str] = {}
    for pos, name in mentioned_orgs(doc):
        end = pos + len(name)
        if len(name) > len(ends.get(end, "")):
            ends[end] = name  # the longest name ending there
    out: list[tuple[str, str]] = []
    for m in _INTRODUCED.finditer(text):
        full = ends.get(m.start(), "")  # the full name ends right at the bracket
        short = m["short"]
        if full and short != full and (full, short) not in out:
            out.append((full, short))
    return out
