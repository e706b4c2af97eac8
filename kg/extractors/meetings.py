"""Which meetings an article reports: organiser, name, date and place.

市二医院召开高质量发展示范医院建设推进会 / 7 月 27 日至 28 日,我院在潍坊市委党校召开了「…」部署推进会
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kg.extractors.genre import CJK, is_home_reference, lexicon, org_text_ok, scan_back, trim_org_left
from kg.extractors.meeting_dates import DATE, resolve_date
from kg.extractors.people import analyse_people, home_org
from kg.lexicon import alternation, load_lexicon
from kg.model import Span
from kg.text.scan import Prefiltered
from kg.text.segment import SegmentedArticle
from kg.text.similarity import char_f1

_CONVENE = re.compile(r"(?:组织|隆重|胜利|正式)?(?:召开|举行|举办)了?")
_CONVENE_AT = Prefiltered(_CONVENE, "组隆胜正召举")
_QUOTES = "「」『』“”‘’\"'《》"
# Meetings the article only names (在…会上), as opposed to ones it reports convened.
_NAMED_ONLY = ("meeting.at", "held.scope")


@dataclass(slots=True)
class Meeting:
    name: str  # as written, quotes removed: 工作落实年部署推进会暨 2019 年上半年工作点评会议
    span: Span
    sentence: Span
    organiser: str = ""  # resolved text: 我院 → the home organisation
    organiser_span: Span | None = None
    date: str = ""  # ISO, "YYYY-MM" or ""
    place: str = ""
    rule: str = "held.convene"
    other_spans: list[Span] = field(default_factory=list)


def clean_meeting_name(name: str) -> str:
    return "".join(ch for ch in name if ch not in _QUOTES).strip()


@cache
def _meeting_end_re() -> re.Pattern[str]:
    # A lookahead sees every ending, overlapping ones too (点评会 | 会议).
    return re.compile(rf"(?=({alternation(load_lexicon('meeting_suffixes'))}))")


def analyse_meetings(doc: SegmentedArticle) -> list[Meeting]:
    """Meetings in order of first mention; the first is the article's main meeting."""
    return doc.once(_meetings)


def _meetings(doc: SegmentedArticle) -> list[Meeting]:
    text = doc.text
    ends = _meeting_end_re()
    found: list[Meeting] = []
    for sentence in doc.sentences:
        for verb in _CONVENE_AT.finditer(text, sentence.start, sentence.end):
            clause_end = _clause_end(text, verb.end(), min(sentence.end, verb.end() + 61))  # names ≤ 60
            last_end = max(
                (m.start() + len(m.group(1)) for m in ends.finditer(text, verb.end(), clause_end)),
                default=0,
            )
            if not 4 <= min(last_end, clause_end) - verb.end() <= 60:
                continue
            span = Span(verb.end(), min(last_end, clause_end))
            purpose = _PURPOSE.match(text, span.end, sentence.end)
            if purpose and _GENERIC_NAME.fullmatch(text[span.start : span.end]):
                # 召开专题会议,传达贯彻…精神 → 传达贯彻…精神专题会议: a generic name takes its purpose
                name = clean_meeting_name(purpose["what"] + text[span.start : span.end])
            else:
                name = clean_meeting_name(text[span.start : span.end])
            organiser, organiser_span, place = _organiser(doc, sentence, verb.start())
            before = text[max(sentence.start, verb.start() - MAX_DATE_LEAD) : verb.start()]
            found.append(
                Meeting(
                    name, span, sentence, organiser, organiser_span, resolve_date(doc.article, before), place
                )
            )
        for verb in _PASSIVE_AT.finditer(text, sentence.start, sentence.end):
            passive = _passive_meeting(doc, sentence, verb.start())
            if passive is not None:
                found.append(passive)
        for m in _at_meeting().finditer(text, sentence.start, sentence.end):
            span = Span(m.start("name"), m.end("name"))
            name = clean_meeting_name(m["name"])
            organiser = _convener_by_scope(name)
            found.append(
                Meeting(
                    name,
                    span,
                    sentence,
                    organiser=organiser,
                    rule="held.scope" if organiser else "meeting.at",
                )
            )
    meetings = _merge([m for m in found if not _REFERENCE.search(m.name)])
    for meeting in meetings:
        if not meeting.organiser and meeting.rule not in _NAMED_ONLY:
            meeting.organiser = implied_organiser(doc, meeting)
    return meetings


# 会议在庄严的国歌声中拉开帷幕 / 第七届职工代表大会二次会议在该院会议室隆重召开: the meeting before its verb.
_PASSIVE = re.compile(r"(?:隆重|胜利|正式|顺利)?(?:召开|举行|举办|开幕|拉开帷幕|拉开序幕)")
_PASSIVE_AT = Prefiltered(_PASSIVE, "隆胜正顺召举开拉")
_TIME_LEAD = re.compile(
    r"^(?:近日|日前|今天|今日|昨天|昨日|当天|上午|下午|晚上|\d{1,2}\s*月\s*\d{1,2}(?:\s*[-—~至到]\s*\d{1,2})?\s*日"
    r"(?:上午|下午|晚上)?|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*"
)
_PLACE_TAIL = re.compile(r"在[^,,。;;在]{1,30}$")
# 这次会议 / 的一次十分重要的会议 / 本次大会: a reference to a meeting, never its name.
_REFERENCE = re.compile(r"^(?:的|这|此|本|该|上述|这次|一次)|的一次|重要的会议")


# No organiser, place and meeting name before a convening verb run longer than this, nor does a
# date stand further before it: each scan back stops there, so a page with no punctuation still
# reads in linear time.
MAX_MEETING_CLAUSE = 100
_BREAKS = ",,。;;::!?!?\n"
MAX_DATE_LEAD = 120


@cache
def _meeting_suffixes() -> tuple[str, ...]:
    return tuple(load_lexicon("meeting_suffixes"))


def _passive_meeting(doc: SegmentedArticle, sentence: Span, verb_start: int) -> Meeting | None:
    """[organiser][name](在[place])?召开: the meeting is the subject, its organiser may lead its name."""
    text = doc.text
    start = scan_back(text, verb_start, max(sentence.start, verb_start - MAX_MEETING_CLAUSE), _BREAKS)
    clause = text[start:verb_start]
    place_at = _PLACE_TAIL.search(clause)
    place = ""
    if place_at:
        place = place_at.group()[1:]
        clause = clause[: place_at.start()]
    lead = _TIME_LEAD.match(clause)
    name_start = start + (lead.end() if lead else 0)
    name_end = start + len(clause.rstrip())
    name = clean_meeting_name(text[name_start:name_end])
    if not 4 <= len(name) <= 60 or not name.endswith(_meeting_suffixes()):
        return None
    organiser, organiser_span = "", None
    cut = _org_prefix(text, name_start, name_end)
    if cut is not None:
        organiser, organiser_span = text[name_start:cut], Span(name_start, cut)
        if is_home_reference(organiser):
            organiser = home_org(doc) or organiser
        name_start = cut
    name = clean_meeting_name(text[name_start:name_end])
    if len(name) < 2:
        return None
    date = resolve_date(doc.article, text[max(sentence.start, name_start - MAX_DATE_LEAD) : name_start])
    return Meeting(name, Span(name_start, name_end), sentence, organiser, organiser_span, date, place)


def _org_prefix(text: str, start: int, end: int) -> int | None:
    """Where the organisation that opens a meeting's name ends (天水市中医医院|2023年职工代表大会)."""
    suffix_re = lexicon().org_suffix_re
    for cut in range(end - 2, start + 1, -1):
        if suffix_re.search(text[start:cut]) and org_text_ok(text[start:cut]):
            return cut
    return None


# 2023年吴忠市卫生健康工作会议 → 吴忠市: a meeting named after a place is that place's.
_NAMED_PLACE = re.compile(
    r"^(?:(?:19|20)\d{2}年度?)?(?P<place>[^全本我该各度\W\d][^全本我该各\W\d]{0,5}?(?:省|自治区|市|县|区))"
)
_HEALTH_BODY = re.compile(r"卫|医|健康|计生|疾控|保健")
_MY_PLACE = re.compile(r"^(?:我|本)(?P<level>[省市县区])$")


def implied_organiser(doc: SegmentedArticle, meeting: Meeting) -> str:
    """The body the text implies where it names no organiser (gold FORMAT's convention).

    The place a city- or county-wide meeting is named after; else the body whose leaders chair or
    report at it (a health body before a government leader's office); else the article's own.
    """
    named = _NAMED_PLACE.match(meeting.name)
    if named:
        return named["place"]
    text = doc.text
    bodies: list[str] = []
    for occurrence in analyse_people(doc).occurrences:
        after = text[occurrence.span.end : occurrence.sentence.end]
        if _LEADS_MEETING.search(after[:40]):
            bodies += [p.org for p in occurrence.parts if lexicon().org_suffix_re.search(p.org)]
    health = [b for b in bodies if _HEALTH_BODY.search(b)]
    if health or bodies:
        return (health or bodies)[0]
    return home_org(doc)


_GENERIC_NAME = re.compile(r"(?:(?:19|20)\d{2}年)?(?:专题|专门|工作)?(?:会议|会|大会)")
_PURPOSE = re.compile(
    r"[,,]\s*(?P<what>(?:专题)?(?:传达|学习|贯彻|研究|部署|传达学习|学习贯彻)[^,,。;;]{2,30})(?=[,,。;;])"
)


def article_place(text: str, level: str) -> str:
    """The first place of that level the article names before a body of it (平顶山市|人民政府)."""
    place = rf"[^\W\d全本我该各年度]{{2,4}}?{level}"
    m = re.search(rf"(?<![{CJK}])({place})(?=人民政府|政府|委|卫|人民医院|中心医院)", text)
    if m is None:
        m = re.search(rf"(?:^|\n)({place})(?=[{CJK}])", text)
    return m.group(1) if m and not _SCOPE.match(m.group(1)) else ""


_LEADS_MEETING = re.compile(r"主持|作了?[^,,。]{0,12}报告|讲话|总结|指出|强调|部署")


@cache
def _at_meeting() -> re.Pattern[str]:
    # 吴建平书记在全市三级干部会上的讲话 → 全市三级干部会
    suffixes = alternation(load_lexicon("meeting_suffixes"))
    return re.compile(rf"在(?P<name>[{CJK}\d「」“”]{{2,30}}?(?:{suffixes}))上")


# 全市三级干部会 / 全县干部大会: a cadre conference of a whole city or county is convened by
# its party committee.
_CADRE_CONFERENCE = re.compile(r"^(?:\d{4}年)?全(?P<level>[省市县区])[^,,。]{0,8}干部(?:大会|会议|会)$")


def _convener_by_scope(name: str) -> str:
    m = _CADRE_CONFERENCE.match(name)
    return f"{m['level']}委" if m else ""


def _clause_end(text: str, start: int, limit: int) -> int:
    m = re.compile(r"[,,。;;!?!?\n(]").search(text, start, limit)
    return m.start() if m else limit


def _organiser(doc: SegmentedArticle, sentence: Span, verb_start: int) -> tuple[str, Span | None, str]:
    """(organiser as resolved, its span, place) from the clause before 召开."""
    text = doc.text
    start = scan_back(text, verb_start, max(sentence.start, verb_start - MAX_MEETING_CLAUSE), ",,。;;::\n")
    clause = text[start:verb_start]
    place = ""
    at = re.search(r"在(?P<place>[^,,。在]{2,25})$", clause)
    if at:
        place = at["place"]
        clause = clause[: at.start()]
    clause = DATE.sub("", clause).strip()
    clause = re.sub(r"^(?:今天|今日|近日|日前|昨天|上午|下午|当天)", "", clause).strip()
    clause = re.sub(r"(?:于|已|又|再次|分别|正式|隆重|专门)$", "", clause).strip()
    if not clause:
        return "", None, place
    clause_start = text.find(clause, start, verb_start)
    mine = _MY_PLACE.match(clause)
    if mine:  # 我市召开… → the city the article is about
        place_name = article_place(doc.text, mine["level"])
        if place_name:
            return place_name, Span(clause_start, clause_start + len(clause)), place
    if is_home_reference(clause) or clause in ("我们", "我委", "我局"):
        # With no name for the home organisation in the article, 我院 is all there is.
        return home_org(doc) or clause, Span(clause_start, clause_start + len(clause)), place
    if lexicon().org_suffix_re.search(clause) and org_text_ok(clause):
        end = clause_start + len(clause)
        org_start = trim_org_left(doc, sentence, clause_start, end)
        name = text[org_start:end]
        home = home_org(doc)
        if home and name.endswith(home):
            name = home  # 航天医科湖南航天医院 → 湖南航天医院
        return name, Span(org_start, end), place
    return "", None, place


def _merge(found: list[Meeting]) -> list[Meeting]:
    """One meeting per name: the headline's and the lead's are the same meeting.

    A speech headlined 在X上讲话 was given at the meeting the body convenes, when the
    names share most of their characters.
    """
    merged: list[Meeting] = []
    headline_at = [m for m in found if m.rule in _NAMED_ONLY and m.sentence.start == 0]
    found = [m for m in found if m not in headline_at] + headline_at
    for meeting in found:
        key = _key(meeting.name)
        for kept in merged:
            other = _key(kept.name)
            similar = meeting in headline_at and kept.rule not in _NAMED_ONLY and char_f1(key, other) >= 0.5
            # 医院管理培训班 (headline) is the 全市医院管理培训班 the lead names in full.
            both_convened = meeting.rule == kept.rule == "held.convene"
            contained = both_convened and (key in other or other in key)
            # 中心医院召开庆祝大会 (headline) is the 庆祝建党大会 the lead says the same body convened.
            headline_twin = (
                both_convened
                and 0 in (meeting.sentence.start, kept.sentence.start)
                and bool(meeting.organiser)
                and meeting.organiser == kept.organiser
                and char_f1(key, other) >= 0.6
            )
            if (
                key == other
                or key.startswith(other)
                or other.startswith(key)
                or similar
                or contained
                or (both_convened and _same_meeting(key, other))
                or headline_twin
            ):
                if len(key) > len(other) and not similar:
                    kept.name, kept.span = meeting.name, meeting.span
                kept.other_spans.append(meeting.span)
                if not kept.date:
                    kept.date = meeting.date
                if not kept.place:
                    kept.place = meeting.place
                if meeting.organiser and (not kept.organiser or len(meeting.organiser) > len(kept.organiser)):
                    kept.organiser, kept.organiser_span = meeting.organiser, meeting.organiser_span
                if kept.rule in _NAMED_ONLY and meeting.rule not in _NAMED_ONLY:
                    kept.rule, kept.sentence = meeting.rule, meeting.sentence
                break
        else:
            merged.append(meeting)
    # A meeting only named (在…会上) comes after every convened one.
    return sorted(merged, key=lambda m: (m.rule in _NAMED_ONLY, m.span.start))


def _key(name: str) -> str:
    return "".join(name.split())


_SCOPE = re.compile(r"全[省市县区]|[我本][省市县区]")


def _same_meeting(a: str, b: str) -> bool:
    """吴忠市卫生健康工作会议 = 全市卫生健康工作会议, 2020年全市… = 2020年…: only the scope differs."""

    def core(name: str) -> str:
        name = _SCOPE.sub("", _key(name))
        named = _NAMED_PLACE.match(name)
        return name[: named.start("place")] + name[named.end("place") :] if named else name

    return len(core(a)) >= 4 and core(a) == core(b)


def meeting_for(doc: SegmentedArticle, start: int, end: int) -> Meeting | None:
    """The meeting text in [start, end) speaks of: one it names (在…会上), else the main one."""
    meetings = analyse_meetings(doc)
    for meeting in meetings:
        spans = [meeting.span, *meeting.other_spans]
        if meeting.rule in _NAMED_ONLY and any(start <= s.start and s.end <= end for s in spans):
            return meeting
    return main_meeting(doc)


def main_meeting(doc: SegmentedArticle) -> Meeting | None:
    meetings = analyse_meetings(doc)
    convened = [m for m in meetings if m.rule not in _NAMED_ONLY]
    return convened[0] if convened else (meetings[0] if meetings else None)
