"""Leaders written as a chain of [organisation][post] parts closed by a name:
市卫健委党组书记、主任朱菁华 → (市卫健委, 党组书记), (市卫健委, 主任).

The parts, how a chain is cut into them and where each part's organisation ends; people.py
finds the names and person_forms.py the other shapes, both through these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extractors.genre import (
    _ORG_BREAK,
    is_post,
    lexicon,
    org_text_ok,
    org_type,
    post_head,
    scan_back,
    trim_org_left,
)
from kg.model import Span
from kg.text.segment import SegmentedArticle

CLAUSE_BREAKS = ',,。;;::!?!?()()「」“”‘’《》"\t\n\r\f\v \u3000'
CLAUSE_BREAK = re.compile("[" + re.escape(CLAUSE_BREAKS) + "]|\\s")
_ABBREVIATIONS = ("委", "院", "局", "厅")  # 委党组成员: the 委 named just before


# How far the genre's leader chains reach: no post is longer than MAX_POST_CHARS, no organisation
# before one longer than MAX_ORG_CHARS_IN_CHAIN, no chain longer than MAX_CHAIN_CHARS. Each scan
# is bounded so, and reading an article stays linear in its length even without punctuation.
MAX_POST_CHARS = 24
MAX_ORG_CHARS_IN_CHAIN = 30
MAX_CHAIN_CHARS = 120


@dataclass(frozen=True, slots=True)
class PostPart:
    post: str
    post_span: Span
    org: str  # as written; "" when the text names none, "委"/"院" before resolution
    org_span: Span | None
    former: bool = False
    inherits: bool = True  # an empty org takes the one to its left (not for honours, degrees)


@dataclass(frozen=True, slots=True)
class PersonPosts:
    """One written occurrence of a person with the posts written around it."""

    name: str
    span: Span
    sentence: Span
    parts: tuple[PostPart, ...]
    rule: str  # holds.chain, holds.list, holds.name_title


def split_part(doc: SegmentedArticle, sentence: Span, start: int, end: int, first: bool) -> PostPart | None:
    """Decompose one 、-separated part into [organisation][post], or None."""
    text = doc.text
    part = text[start:end]
    lex = lexicon()
    academic = _academic_part(doc, start, end)
    if academic is not None:
        return academic
    candidates: list[tuple[int, int, PostPart]] = []
    for p in range(max(0, len(part) - MAX_POST_CHARS), len(part)):
        post = part[p:]
        if not is_post(post):
            continue
        org_text, org_span, score = _org_of(doc, sentence, start, start + p, first)
        former = text[start : start + 1] == "原" or org_text.startswith("原")
        if org_text.startswith("原") and org_span is not None:
            org_text, org_span = org_text[1:], Span(org_span.start + 1, org_span.end)
        candidates.append((score, -p, PostPart(post, Span(start + p, end), org_text, org_span, former)))
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c[0], c[1]))[2]
    if best.post in lex.honours:
        return PostPart(best.post, best.post_span, "", None, best.former, inherits=False)
    return best


def _academic_part(doc: SegmentedArticle, start: int, end: int) -> PostPart | None:
    """A degree or rank with its organisation: 中南大学湘雅医学院|外科学博士, 潍坊市委党校|…教研部|教授.

    A department between the organisation and a rank is dropped; a discipline (外科学) stays.
    """
    lex = lexicon()
    text = doc.text
    ks = [k for k in range(max(start, end - MAX_POST_CHARS), end) if lex.academic_re.fullmatch(text[k:end])]
    if not ks or post_head(text[ks[-1] : end]) not in lex.academic:
        return None
    former = text[start : start + 1] == "原"
    for k in ks:  # the organisation right before the degree
        org = longest_org_ending_at(text, start, k)
        if org is not None:
            return PostPart(text[k:end], Span(k, end), text[org.start : org.end], org, former, inherits=False)
    k = ks[-1]  # the bare rank; the organisation may stand before a department
    for r in range(k, start, -1):
        org = longest_org_ending_at(text, start, r)
        if org is not None:
            return PostPart(text[k:end], Span(k, end), text[org.start : org.end], org, former, inherits=False)
    return PostPart(text[k:end], Span(k, end), "", None, former, inherits=False)


def longest_org_ending_at(text: str, start: int, end: int) -> Span | None:
    for q in range(max(start, end - MAX_ORG_CHARS_IN_CHAIN), end - 1):
        chunk = text[q:end]
        if lexicon().org_suffix_re.search(chunk) and org_text_ok(chunk.removeprefix("原")):
            return Span(q + chunk.startswith("原"), end)
    return None


def _org_of(
    doc: SegmentedArticle, sentence: Span, start: int, end: int, first: bool
) -> tuple[str, Span | None, int]:
    """(organisation text, span, score) standing in [start, end) before a post.

    Score 2: a known ending or an abbreviation (委, 院); 1: nothing there; 0: free text
    (湖南航天 in …董事、湖南航天工会主席), allowed after a 、 only.
    """
    text = doc.text
    if start == end:
        return "", None, 1
    chunk = text[start:end]
    lex = lexicon()
    if first:
        # Longest tail of the clause that is an organisation: …由湖南航天医院 → 湖南航天医院.
        for q in range(max(start, end - MAX_ORG_CHARS_IN_CHAIN), end):
            tail = text[q:end]
            if _ORG_BREAK.search(tail.removeprefix("原")):
                continue
            if lex.org_suffix_re.search(tail):
                q2 = trim_org_left(doc, sentence, q, end)
                return text[q2:end], Span(q2, end), 2
            if q == start and (tail in _ABBREVIATIONS or tail.removeprefix("原") in ("医院", "我院", "本院")):
                return tail, Span(q, end), 2
        return "", None, 1
    if lex.org_suffix_re.search(chunk) or chunk in _ABBREVIATIONS:
        return chunk, Span(start, end), 2
    if org_text_ok(chunk.removeprefix("原")):
        return chunk, Span(start, end), 0
    return "", None, -1


def clause_start(text: str, sentence: Span, end: int) -> int:
    """Back to the punctuation before ``end``, but no further than a chain can reach."""
    return scan_back(text, end, max(sentence.start, end - MAX_CHAIN_CHARS), CLAUSE_BREAKS)


def chain_before(doc: SegmentedArticle, sentence: Span, name: Span) -> tuple[PostPart, ...]:
    """The [org][post]、[org][post] chain that ends right before a name, or ()."""
    text = doc.text
    start = clause_start(text, sentence, name.start)
    pieces: list[tuple[int, int]] = []
    cut = name.start
    for m in reversed(list(re.finditer("、", text[start : name.start]))):
        pieces.append((start + m.end(), cut))
        cut = start + m.start()
    pieces.append((start, cut))
    parts: list[PostPart] = []
    for i, (s, e) in enumerate(pieces):
        last = i == len(pieces) - 1
        part = split_part(doc, sentence, s, e, first=last)
        if part is None:
            if i == 0:
                return ()
            # A part that is not a post ends the chain; its tail may hold the organisation.
            part_first = split_part(doc, sentence, s, e, first=True)
            if part_first is None:
                break
            parts.append(part_first)
            break
        parts.append(part)
    parts.reverse()
    # Inherit an organisation from the part on the left: 市卫健委党组书记、主任 → both 市卫健委.
    resolved: list[PostPart] = []
    previous: PostPart | None = None
    for part in parts:
        if not part.org and part.inherits and previous is not None and previous.org:
            own = lexicon().heads.get(post_head(part.post), "")
            if own and org_type(own) != org_type(previous.org):
                # 县委副书记、县长: a government head is not the party committee's (县长 → 县政府)
                part = PostPart(part.post, part.post_span, own, None, part.former)
            else:
                part = PostPart(part.post, part.post_span, previous.org, previous.org_span, part.former)
        resolved.append(part)
        if part.inherits:
            previous = part
    return tuple(resolved)
