"""Inside one article: what 院, 委, 我院 and an empty organisation stand for."""

from __future__ import annotations

from kg.extractors.genre import is_home_reference, orgs_in
from kg.extractors.people import analyse_people, home_org
from kg.lexicon import load_lexicon
from kg.text.segment import SegmentedArticle

_ABBREVIATION_ENDINGS = {"委": ("委", "委员会"), "局": ("局",), "厅": ("厅",), "集团": ("集团",)}


def named_orgs(doc: SegmentedArticle) -> list[tuple[int, str]]:
    """(position, name) of organisations the article names in full in post chains."""
    return doc.once(_named_orgs)


def _named_orgs(doc: SegmentedArticle) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for occurrence in analyse_people(doc).occurrences:
        for part in occurrence.parts:
            if part.org_span is not None and len(part.org) >= 2 and not is_home_reference(part.org):
                found.append((part.org_span.start, part.org))
    found.sort()
    return found


def mentioned_orgs(doc: SegmentedArticle) -> list[tuple[int, str]]:
    """(position, name) of every organisation name orgs_in finds, kinds of one excluded."""
    return doc.once(_mentioned_orgs)


def _mentioned_orgs(doc: SegmentedArticle) -> list[tuple[int, str]]:
    generic = load_lexicon("generic_orgs")
    found = [
        (span.start, doc.text[span.start : span.end])
        for sentence in doc.sentences
        for span in orgs_in(doc, sentence)
        if span.end - span.start >= 4 and doc.text[span.start : span.end] not in generic
    ]
    return found


def resolve_org(doc: SegmentedArticle, org: str, position: int) -> str:
    """The organisation an as-written reference stands for; "" stays "".

    院党委书记 → the article's hospital; 委党组成员 → the 委 named before it (市卫健委).
    """
    org = org.removeprefix("原")
    if not org:
        return ""
    if is_home_reference(org) or org in ("我院", "本院", "我们"):
        return home_org(doc) or org
    endings = _ABBREVIATION_ENDINGS.get(org)
    if endings:
        # The latest organisation a post chain named (委党组成员 after 市卫健委党组书记) …
        candidates = [name for pos, name in named_orgs(doc) if pos < position and name.endswith(endings)]
        if candidates:
            return candidates[-1]
        # … else the first the article names at all (集团《…》 after 落实通用技术集团…要求).
        mentioned = [name for pos, name in mentioned_orgs(doc) if pos < position and name.endswith(endings)]
        if mentioned:
            return mentioned[0]
        home = home_org(doc)
        if home.endswith(endings):
            return home
    return org
