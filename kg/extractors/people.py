"""Who is named in an article, with which posts: the analysis holds and roles share.

The genre writes leaders as a chain of [organisation][post] parts joined by 、 and
closed by the name (市卫健委党组书记、主任朱菁华: post_chains.py), or as name + short title
(张将书记), or as a list under one collective title (院领导甲、乙、丙).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from kg.extractors.genre import (
    CJK,
    is_home_reference,
    lexicon,
    name_at,
    name_before,
    org_type,
)
from kg.extractors.post_chains import (
    CLAUSE_BREAK,
    PersonPosts,
    PostPart,
    chain_before,
    clause_start,
    longest_org_ending_at,
)
from kg.lexicon import alternation
from kg.model import Span
from kg.text.scan import Prefiltered
from kg.text.segment import SegmentedArticle

__all__ = ["People", "PersonPosts", "PostPart", "analyse_people", "home_org"]


@dataclass(slots=True)
class People:
    occurrences: list[PersonPosts] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    mentions: list[tuple[str, Span, Span]] = field(default_factory=list)  # (name, span, sentence)


@cache
def _post_heads() -> re.Pattern[str]:
    lex = lexicon()
    return re.compile(alternation(frozenset({*lex.heads, *lex.honours})))


def analyse_people(doc: SegmentedArticle) -> People:
    """Every person the article names with a post, and every later mention of them."""
    return doc.once(_people)


def _people(doc: SegmentedArticle) -> People:
    people = People()
    text = doc.text
    heads = _post_heads()
    lex = lexicon()
    for sentence in doc.sentences:
        seen_spans: set[int] = set()
        for m in heads.finditer(text, sentence.start, sentence.end):
            # [post]NAME
            name = name_at(doc, sentence, m.end(), after_title=True)
            if name and name.start not in seen_spans:
                parts = chain_before(doc, sentence, name)
                if parts:
                    seen_spans.add(name.start)
                    occurrence = PersonPosts(
                        text[name.start : name.end], name, sentence, parts, "holds.chain"
                    )
                    people.occurrences.append(occurrence)
                    people.occurrences.extend(_list_after(doc, sentence, name, parts))
            # NAME[short title]: 张将书记, 胡雪梅市长
            before = name_before(doc, sentence, m.start())
            if before and before.start not in seen_spans and m.group() in lex.heads:
                head = m.group()
                # 县政府周戍副县长: the organisation written before the name is the post's.
                org = longest_org_ending_at(text, clause_start(text, sentence, before.start), before.start)
                if (
                    CLAUSE_BREAK.match(text[before.start - 1 : before.start] or "。")
                    or _is_prefix_word(doc, sentence, before.start)
                    or _is_name_token(doc, sentence, before)
                    or org is not None
                ):
                    seen_spans.add(before.start)
                    org_text = text[org.start : org.end] if org else lex.heads.get(head, "")
                    part = PostPart(head, Span(m.start(), m.end()), org_text, org)
                    people.occurrences.append(
                        PersonPosts(
                            text[before.start : before.end], before, sentence, (part,), "holds.name_title"
                        )
                    )
    # The genre's other forms (NAME(POST), appointments, 分别 lists) build on this module's parts.
    from kg.extractors.person_forms import appointments, bracketed_posts, listed_before_each

    taken = {(o.span.start, o.span.end) for o in people.occurrences}
    for extra in (*bracketed_posts(doc), *appointments(doc)):
        if extra.parts and (
            (extra.span.start, extra.span.end) not in taken or extra.rule == "holds.appointment"
        ):
            people.occurrences.append(extra)
    people.occurrences.extend(_role_subjects(doc, {o.name for o in people.occurrences}))
    people.occurrences.extend(listed_before_each(doc, {o.name for o in people.occurrences}))
    people.names = {o.name for o in people.occurrences}
    starts = [s.start for s in doc.sentences]
    for known in sorted(people.names, key=len, reverse=True):
        # str.find rather than a regex per name: each name is new, so each regex compiled once.
        at = text.find(known)
        while at >= 0:
            sentence = doc.sentences[bisect_right(starts, at) - 1]
            if sentence.start <= at < sentence.end:
                people.mentions.append((known, Span(at, at + len(known)), sentence))
            at = text.find(known, at + len(known))
    # A shorter name inside a longer one (王洋 in 王洋洋) is not a mention of it.
    inside = _inside_another({(s.start, s.end) for _, s, _ in people.mentions})
    people.mentions = sorted(
        (mention for mention in people.mentions if (mention[1].start, mention[1].end) not in inside),
        key=lambda x: x[1].start,
    )
    return people


_CJK_CHAR = re.compile(rf"[{CJK}]")
_LIST_GOES_ON = re.compile(r"[等出参列及和与在]")
_CONVENES = re.compile(r"\s*(?:召开|举行|举办|组织)")
_ROLE_AFTER = re.compile(
    r"(?:同志)?(?:主持|讲话|致辞|发言|出席|参加|(?:作|做)了?[^,。]{0,20}(?:报告|汇报|发言)|宣读|传达|领学|讲党课)"
)
_ROLE_AHEAD = Prefiltered(_ROLE_AFTER, "同主讲致发出参作做宣传领")  # where a role verb starts


def _inside_another(spans: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans that lie inside another (one sweep, not every pair: a page may name thousands)."""
    inside: set[tuple[int, int]] = set()
    reach = -1  # the furthest end of the spans that start before or at this one and are longer
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if end <= reach:
            inside.add((start, end))
        reach = max(reach, end)
    return inside


def _role_subjects(doc: SegmentedArticle, known: set[str]) -> list[PersonPosts]:
    """Names jieba tags nr right before a role verb, with no post written (李明主持会议)."""
    found: list[PersonPosts] = []
    for sentence in doc.sentences:
        # Only the run before a role verb can hold such a name: tag nothing else.
        verbs = [
            m.start()
            for m in _ROLE_AHEAD.starts(doc.text, sentence.start, sentence.end)
            if _surname_within(doc.text, max(m.start() - 4, 0), m.start())
        ]
        candidates = sorted(
            {t for v in verbs if v > sentence.start for t in doc.tokens_near(v - 1, before=3, after=0)},
            key=lambda t: t.start,
        )
        for token in candidates:
            if not token.tag.startswith("nr") or token.text in known:
                continue
            span = name_at(doc, sentence, token.start)
            if span and _ROLE_AFTER.match(doc.text, span.end) and _is_prefix_word(doc, sentence, span.start):
                found.append(
                    PersonPosts(doc.text[span.start : span.end], span, sentence, (), "person.role_subject")
                )
                known = known | {found[-1].name}
    return found


def _surname_within(text: str, start: int, end: int) -> bool:
    """Whether a name could start in [start, end): its run need not be tagged when none can."""
    lex = lexicon()
    return any(text[i] in lex.surnames or text[i : i + 2] in lex.compound_surnames for i in range(start, end))


def _is_name_token(doc: SegmentedArticle, sentence: Span, span: Span) -> bool:
    """jieba tagged exactly this span as a person name (领悟|吴建平|书记)."""
    return any(
        t.start == span.start and t.end == span.end and t.tag.startswith("nr")
        for t in doc.tokens_near(span.start, after=0)
    )


def _is_prefix_word(doc: SegmentedArticle, sentence: Span, pos: int) -> bool:
    """Whether the token before a name is a function word or verb (由张将书记, 是朱菁华主任)."""
    if pos == sentence.start:
        return True
    for token in doc.tokens_between(pos - 1, pos):
        if token.end == pos:
            return token.tag[:1] in ("p", "v", "c", "u", "d", "x") or token.text in ("由", "是", "请")
    return False


def _list_after(
    doc: SegmentedArticle, sentence: Span, name: Span, parts: tuple[PostPart, ...]
) -> list[PersonPosts]:
    """院领导甲、乙、丙: names after the first, with no post of their own, share its title."""
    text = doc.text
    found: list[PersonPosts] = []
    pos = name.end
    while pos < sentence.end and text[pos] == "、":
        nxt = name_at(doc, sentence, pos + 1)
        if nxt is None:
            break
        follower = text[nxt.end : nxt.end + 1]
        if _CJK_CHAR.match(follower) and not _LIST_GOES_ON.match(follower):
            break  # 、主任张三: a post of its own, a new chain
        found.append(PersonPosts(text[nxt.start : nxt.end], nxt, sentence, parts, "holds.list"))
        pos = nxt.end
    return found


def home_org(doc: SegmentedArticle) -> str:
    """The organisation the article is about: what 我院 / 院 / 医院 stand for."""
    return doc.once(_home_org)


def _home_org(doc: SegmentedArticle) -> str:
    from kg.extractors.genre import is_specific_org, orgs_in

    text = doc.text
    best = ""
    counts: dict[str, int] = {}
    for i, sentence in enumerate(doc.sentences):
        for span in orgs_in(doc, sentence):
            name = text[span.start : span.end]
            if not is_specific_org(doc, sentence, span) or is_home_reference(name):
                continue
            weight = 1
            if i == 0:
                weight = 5  # named in the headline
            if _CONVENES.match(text, span.end, span.end + 4):
                weight += 3  # the organiser
            counts[name] = counts.get(name, 0) + weight
    if re.search(r"^[^\n]{0,20}?(?:我院|本院)", text):
        # "我院召开…": the article speaks for a hospital.
        counts = {n: c for n, c in counts.items() if org_type(n) == "hospital"} or counts
    # A speech inside the health administration: 我们卫健系统 / 作为卫健系统干部.
    if not any(weight > 1 for weight in counts.values()) and re.search(r"(?:卫健|卫生健康)系统", text):
        counts = {"卫健委": 10}
    if counts:
        kinds = {"hospital": 2, "government": 1}
        best = max(counts, key=lambda n: (counts[n] + kinds.get(org_type(n), 0), -len(n)))
    return best
