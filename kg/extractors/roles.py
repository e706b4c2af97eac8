"""person –presided / spoke / attended→ meeting: who chaired, who spoke, who was there.

党委书记王培安讲话,党委副书记陆仁平主持会议 → spoke(王培安), presided(陆仁平)
杨运斌、陈鸿君、周燕出席会议并致辞 → spoke(each); attended only for those who did neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extractors.meetings import Meeting, meeting_for
from kg.extractors.mentions import evidence, meeting_mention, mention
from kg.extractors.people import analyse_people
from kg.model import Fact, NodeType, Relation, Span
from kg.text.segment import SegmentedArticle

# fmt: off
# (relation, pattern, how far after the name it may stand)
ROLE_VERBS: tuple[tuple[Relation, re.Pattern[str], int], ...] = (
    (Relation.PRESIDED, re.compile(r"主持(?:召开)?(?:会议|大会|了会议)?"), 160),
    # 作 of 工作 / 合作 / 创作 is no verb of its own
    (Relation.SPOKE, re.compile(r"(?<![工合创写操制协动运著振])(?:作|做)(?:了|出)?[^,,。;;]{0,40}?(?:报告|讲话|讲座|总结|发言|部署|动员|阐释|分析|汇报|点评|通报|指示|安排|党课)"), 160),
    (Relation.SPOKE, re.compile(r"讲话|致辞|致词|发言|宣读|传达|解读|讲授|讲座|讲课|讲党课|领学|总结讲话|动员讲话|进行了总结|提出(?:了)?[^,,。;;]{0,6}要求"), 160),
    # 张勇在《医院工作报告》中回顾: the report is his
    (Relation.SPOKE, re.compile(r"在《[^》]{2,40}(?:报告|讲话)》中"), 2),
    (Relation.SPOKE, re.compile(r"强调|指出|表示|要求|提出|号召|介绍|通报"), 14),
    (Relation.ATTENDED, re.compile(r"出席|参加|列席|参会"), 200),
)
# fmt: on
_FURTHEST = max(reach for _, _, reach in ROLE_VERBS)
_ALSO = re.compile(
    r"^(?:会议|大会)?并(?:发表|作|做|进行)?了?[^,,。;;并]{0,8}?(?P<verb>讲话|致辞|发言|主持|报告|汇报|点评|讲党课|讲座|讲课)"
)
_ALSO_RELATION = {"主持": Relation.PRESIDED}  # every other verb there is a speech
# 学习贯彻…讲话精神 names a speech given elsewhere, unless 在…会上 says where.
_SPIRIT = re.compile(r"讲话精神|重要讲话|指示精神")


def _role_verbs(
    doc: SegmentedArticle, sentence: Span, after: int
) -> list[tuple[Relation, re.Match[str], int]]:
    """(relation, match, reach) of every role verb after a position in the sentence, in order."""
    found = []
    end = min(sentence.end, after + _FURTHEST + 60)  # a verb further than any reach is no use
    for relation, pattern, reach in ROLE_VERBS:
        for m in pattern.finditer(doc.text, after, end):
            found.append((relation, m, reach))
    return sorted(found, key=lambda f: (f[1].start(), -len(f[1].group())))


# 学习贯彻习近平总书记…精神: a name after these is what is studied, not who speaks here.
_STUDIED = re.compile(r"(?:学习|贯彻|领会|领悟|按照|根据|遵照|落实|传达)$")
# 朱菁华主任的讲话: a name followed by 的 is a possessive, not a subject.
_POSSESSIVE = re.compile(r"^[\u4e00-\u9fff]{0,4}的")


def _roles_of(
    doc: SegmentedArticle, name: Span, sentence: Span, others: list[Span]
) -> Iterator[tuple[Relation, int]]:
    """(relation, end of the verb) for the role verb(s) a name is the subject of."""
    text = doc.text
    if _POSSESSIVE.match(text[name.end : name.end + 5]):
        return  # 钱文涛院长的讲话精神: whose speech, not who speaks here
    studied = bool(_STUDIED.search(text[max(sentence.start, name.start - 4) : name.start]))
    opens_clause = name.start == sentence.start or text[name.start - 1] in ",,;;:: "
    for relation, m, reach in _role_verbs(doc, sentence, name.end):
        gap = text[name.end : m.start()]
        at_meeting = "上" in gap
        if _SPIRIT.match(text, m.start()) and not at_meeting:
            continue  # 学习…讲话精神: a speech given elsewhere; look further
        if studied and not at_meeting:
            return
        if m.start() - name.end > reach:
            # A weak verb (强调, 指出) far from the name still has it as subject when the name opens
            # the clause and no other person stands between as a subject.
            subjects_between = [
                o
                for o in others
                if name.end <= o.start < m.start() and not _POSSESSIVE.match(text[o.end : o.end + 5])
            ]
            if not (opens_clause and not subjects_between and m.start() - name.end <= 80):
                return
        yield relation, m.end()
        also = _ALSO.match(text[m.end() : m.end() + 12])
        if also:
            yield _ALSO_RELATION.get(also["verb"], Relation.SPOKE), m.end()
        return


# 出席会议的有… / 参加会议的领导有: whoever the sentence names after it was there.
_PRESENT_LIST = re.compile(
    r"(?:出席|参加|列席)(?:本次|这次)?(?:会议|大会|活动)?的(?:领导|嘉宾|人员)?(?:有|还有|包括)[::]?"
)


def _present_markers(doc: SegmentedArticle) -> dict[int, int]:
    """Sentence start → where its first 出席会议的有… ends (sentences with none are absent)."""
    markers: dict[int, int] = {}
    for sentence in doc.sentences:
        m = _PRESENT_LIST.search(doc.text, sentence.start, sentence.end)
        if m:
            markers[sentence.start] = m.end()
    return markers


def extract(doc: SegmentedArticle) -> Iterator[Fact]:
    people = analyse_people(doc)
    found: dict[tuple[str, str, Relation], Fact] = {}
    order: list[tuple[str, str, Relation]] = []
    spans = [span for _, span, _ in people.mentions]
    present = _present_markers(doc)  # once per sentence, not once per name in it
    for name, span, sentence in people.mentions:
        listed = present.get(sentence.start, span.start + 1)
        for relation, verb_end in [
            *_roles_of(doc, span, sentence, spans),
            *([(Relation.ATTENDED, listed)] if listed <= span.start else []),
        ]:
            meeting: Meeting | None = meeting_for(doc, span.end, verb_end)
            if meeting is None:
                continue
            person = mention(doc, NodeType.PERSON, name, span)
            fact = Fact(
                relation, person, meeting_mention(doc, meeting), evidence(doc, sentence, f"roles.{relation}")
            )
            key = (name, meeting.name, relation)
            if key not in found:
                order.append(key)
            found.setdefault(key, fact)
    # Attended is for those who neither presided nor spoke.
    active = {(n, m) for n, m, r in order if r is not Relation.ATTENDED}
    for key in order:
        name, meeting_name, relation = key
        if relation is Relation.ATTENDED and (name, meeting_name) in active:
            continue
        yield found[key]
