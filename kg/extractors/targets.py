"""meeting –set_target→ target: the goals, numbered targets and key tasks a meeting set.

报告提出2024年的主要目标“三个确保,两个实现” → 三个确保,两个实现
一要力争达到三级公立医院绩效考核“A”等次 → 力争达到三级公立医院绩效考核“A”等次
明确了…等30个具体目标 → 30个具体目标
Past results (取得了, 完成了 …) are not targets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extractors.meetings import main_meeting
from kg.extractors.mentions import evidence, meeting_mention, mention
from kg.model import Fact, NodeType, Relation, Span
from kg.text.segment import SegmentedArticle

_CLAUSE = r"[^,,。;;:!?!?\n]"
# fmt: off
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 以“构建与实现‘12345’…新体系”为总体目标
    ("target.quoted_goal", re.compile(r"以[“「\"](?P<t>[^”」\"]{4,60})[”」\"]为(?:总体|主要|奋斗)?目标")),
    # 主要目标“三个确保,两个实现”
    ("target.quoted_goal", re.compile(r"(?:主要|总体|奋斗|工作)?目标(?:是|为)?[::]?[“「\"](?P<t>[^”」\"]{2,40})[”」\"]")),
    # 力争达到… / 确保完成… / 着力实现… / 努力建设…
    ("target.aim", re.compile(rf"(?P<t>(?:力争|确保|争创)(?!{_CLAUSE}*(?:成效|结果|状态)){_CLAUSE}{{3,60}})")),
    ("target.aim", re.compile(rf"(?P<t>(?:努力|着力|全力)(?:实现|打造|建设|完成|建成|创建|争创){_CLAUSE}{{2,60}})")),
    ("target.aim", re.compile(rf"(?<![我的])(?P<t>(?:进一步)?打造{_CLAUSE}{{4,60}}(?:医院|中心|样板|高地|品牌|体系))")),
    ("target.aim", re.compile(rf"(?P<t>实现{_CLAUSE}{{2,40}}(?:提升|增效|一体化|突破|发展|目标))")),
    # 30个具体目标 / 55 个指标
    ("target.count", re.compile(r"(?P<t>\d+\s*个(?:具体|年度|重点)?(?:目标|指标))")),
    ("target.count", re.compile(r"(?P<t>[^,,。;;:!?、\n]{0,12}共\s*\d+\s*项[^,。;!?\n]{0,40})")),
    # 一要深入开展DRG支付改革 / 二是大力抓好智慧医院建设
    ("target.key_task", re.compile(rf"(?<=[一二三四五六七八九十]要)(?P<t>(?:深入|大力|全面|加快|持续){_CLAUSE}{{3,40}})")),
)
# fmt: on
_PAST = re.compile(r"取得了|完成了|获得了|荣获|成功入选|已经|已于|已完成|圆满完成|去年|上年|过去")
_SUBJECT_STRIP = re.compile(r"^(?:要|将|并|进一步|持续)")


def extract(doc: SegmentedArticle) -> Iterator[Fact]:
    meeting = main_meeting(doc)
    if meeting is None:
        return
    text = doc.text
    taken: list[Span] = []
    for sentence in doc.sentences:
        sentence_text = doc.sentence_text(sentence)
        if _PAST.search(sentence_text) and not re.search(r"要|将|力争|确保|目标", sentence_text):
            continue
        for rule, pattern in PATTERNS:
            for m in pattern.finditer(text, sentence.start, sentence.end):
                start, end = m.start("t"), m.end("t")
                target = _SUBJECT_STRIP.sub("", text[start:end]).strip()
                start = end - len(target)
                if len(target) < 4 or any(s.start <= start < s.end or start <= s.start < end for s in taken):
                    continue
                if _PAST.search(target):
                    continue
                taken.append(Span(start, end))
                yield Fact(
                    Relation.SET_TARGET,
                    meeting_mention(doc, meeting),
                    mention(doc, NodeType.TARGET, target, Span(start, end)),
                    evidence(doc, sentence, rule),
                )
