"""meeting –set_target→ target: the goals, numbered targets and key tasks a meeting set.

报告提出2024年的主要目标“三个确保,两个实现” → 三个确保,两个实现
一要力争达到三级公立医院绩效考核“A”等次 → 力争达到三级公立医院绩效考核“A”等次
明确了…等30个具体目标 → 30个具体目标
Past results (取得了, 完成了 …) are not targets.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from kg.extractors.clauses import Clause
from kg.extractors.meetings import main_meeting
from kg.extractors.mentions import evidence, meeting_mention, mention
from kg.extractors.target_model import TargetModel, shipped_model
from kg.model import Fact, NodeType, Relation, Span
from kg.text.segment import SegmentedArticle
from kg.timing import TARGET_MODEL

_CLAUSE = r"[^,,。;;:!?!?\n]"
_ITEM = r"[^、,,。;;:!?“”「」\n]{3,30}"
_NUMBER = r"(?:\d+|[一二三四五六七八九十两]+)"
# 打造区域医疗中心高地、全面加强临床专科建设、推动医疗服务模式创新等30个具体目标 → each goal, and the count
GOAL_LIST = re.compile(
    rf"(?P<items>(?:{_ITEM}、)+{_ITEM})等\s*(?P<count>\d+\s*个(?:具体|年度|重点)?(?:目标|任务))"
)
# fmt: off
# (rule, words of which a sentence must hold one for the pattern to be tried, pattern)
PATTERNS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    # 学科建设、…、廉政建设 8 个方面 / “以人民健康为中心”“学科建设”…五个重点: an enumeration with its count
    ("target.enumeration", ("个",), re.compile(rf"(?P<t>(?:[“「]{_ITEM}[”」]){{2,}}{_NUMBER}\s*个(?:重点|方面|中心|目标))")),
    ("target.enumeration", ("个方面",), re.compile(rf"(?<=[从在围绕])(?P<t>(?:{_ITEM}、){{2,}}{_ITEM}\s*{_NUMBER}\s*个方面)")),
    # 形成“基层首诊、双向转诊…” / 推动各项工作“作示范、勇争先” / 聚焦“六大主攻方向”
    ("target.slogan", ("“", "「"), re.compile(r"(?:形成|实现|推动|争创|达到|做到)[^,,。;;“「]{0,10}[“「](?P<t>[^”」]{2,30}[、,,][^”」]{2,30})[”」]")),
    ("target.slogan", ("聚焦",), re.compile(r"(?P<t>聚焦[“「][^”」]{2,20}[”」])")),
    # 以“构建与实现‘12345’…新体系”为总体目标
    ("target.quoted_goal", ("目标",), re.compile(r"以[“「\"](?P<t>[^”」\"]{4,60})[”」\"]为(?:总体|主要|奋斗)?目标")),
    # 主要目标“三个确保,两个实现”
    ("target.quoted_goal", ("目标",), re.compile(r"(?:主要|总体|奋斗|工作)?目标(?:是|为)?[::]?[“「\"](?P<t>[^”」\"]{2,40})[”」\"]")),
    # 力争达到… / 确保完成… / 着力实现… / 努力建设…
    ("target.aim", ("力争", "确保", "争创"), re.compile(rf"(?P<t>(?:力争|确保|争创)(?!{_CLAUSE}*(?:成效|结果|状态)){_CLAUSE}{{3,60}})")),
    ("target.aim", ("努力", "着力", "全力"), re.compile(rf"(?P<t>(?:努力|着力|全力)(?:实现|打造|建设|完成|建成|创建|争创){_CLAUSE}{{2,60}})")),
    ("target.aim", ("打造",), re.compile(rf"(?<![我的])(?P<t>(?:进一步)?打造{_CLAUSE}{{4,60}}(?:医院|中心|样板|高地|品牌|体系))")),
    ("target.aim", ("实现",), re.compile(rf"(?P<t>实现{_CLAUSE}{{2,40}}(?:提升|增效|一体化|突破|发展|目标))")),
    # 30个具体目标 / 55 个指标
    ("target.count", ("个",), re.compile(r"(?P<t>\d+\s*个(?:具体|年度|重点)?(?:目标|指标))")),
    ("target.count", ("项",), re.compile(r"(?P<t>[^,,。;;:!?、\n]{0,12}共\s*\d+\s*项[^,。;!?\n]{0,40})")),
    # 一要深入开展DRG支付改革 / 二是大力抓好智慧医院建设
    ("target.key_task", ("要",), re.compile(rf"(?<=[一二三四五六七八九十]要)(?P<t>(?:深入|大力|全面|加快|持续){_CLAUSE}{{3,40}})")),
)
# fmt: on
# Every pattern above needs one of these: a sentence without any is skipped unread.
_ANY_TRIGGER = re.compile(r"[个“「\"项]|力争|确保|争创|努力|着力|全力|打造|实现|[一二三四五六七八九十]要")
_PAST = re.compile(r"取得了|完成了|获得了|荣获|成功入选|已经|已于|已完成|圆满完成|去年|上年|过去")
# The shortest goal the genre writes has six characters (弘扬抗洪精神); 抓政策 or 会上 is a fragment.
MIN_MODEL_TARGET = 5
_SUBJECT_STRIP = re.compile(r"^(?:要|将|并|进一步|持续)")
# The words that open a list but are not its first goal: 明确了以…为总体目标以及打造… → 打造…
_LIST_LEAD = re.compile(r"^.*?(?:以及|包括|明确了|提出了|和)")


def extract(doc: SegmentedArticle, model: TargetModel | None = None) -> Iterator[Fact]:
    """What the patterns find (goal lists, counts, quoted goals), then the clauses the model labels targets."""
    meeting = main_meeting(doc)
    if meeting is None:
        return
    text = doc.text
    taken: list[Span] = []

    def fact(start: int, end: int, sentence: Span, rule: str) -> Fact:
        taken.append(Span(start, end))
        return Fact(
            Relation.SET_TARGET,
            meeting_mention(doc, meeting),
            mention(doc, NodeType.TARGET, text[start:end], Span(start, end)),
            evidence(doc, sentence, rule),
        )

    for sentence in doc.sentences:
        sentence_text = doc.sentence_text(sentence)
        if not _ANY_TRIGGER.search(sentence_text):
            continue
        if _PAST.search(sentence_text) and not re.search(r"要|将|力争|确保|目标", sentence_text):
            continue
        for m in GOAL_LIST.finditer(text, sentence.start, sentence.end) if "个" in sentence_text else ():
            pos = m.start("items")
            for item in m["items"].split("、"):
                lead = len(item) - len(_LIST_LEAD.sub("", item))
                if not _overlaps(taken, pos + lead, pos + len(item)):
                    yield fact(pos + lead, pos + len(item), sentence, "target.goal_list")
                pos += len(item) + 1
            if not _overlaps(taken, m.start("count"), m.end("count")):
                yield fact(m.start("count"), m.end("count"), sentence, "target.count")
        for rule, needs, pattern in PATTERNS:
            if not any(word in sentence_text for word in needs):
                continue
            for m in pattern.finditer(text, sentence.start, sentence.end):
                start, end = m.start("t"), m.end("t")
                target = _SUBJECT_STRIP.sub("", text[start:end]).strip()
                start = end - len(target)
                if len(target) < 4 or _overlaps(taken, start, end):
                    continue
                if _PAST.search(target) or _unbalanced(target):
                    continue
                yield fact(start, end, sentence, rule)
    for span, sentence in model_targets(doc, model or shipped_model()):
        if span.end - span.start >= MIN_MODEL_TARGET and not _overlaps(taken, span.start, span.end):
            yield fact(span.start, span.end, sentence, "target.model")


def model_targets(doc: SegmentedArticle, model: TargetModel) -> Iterator[tuple[Span, Span]]:
    """(target, sentence) for each run of clauses the model labels B, I, I …; a run stays in its sentence."""
    clock = time.perf_counter()
    labelled = model.label(doc)
    TARGET_MODEL.seconds += time.perf_counter() - clock
    run: list[Clause] = []
    for clause, label in zip(*labelled, strict=True):
        if run and (label != "I" or clause.sentence != run[0].sentence):
            yield Span(run[0].start, run[-1].end), run[0].sentence
            run = []
        if label != "O" and clause.end > clause.start:
            run.append(clause)
    if run:
        yield Span(run[0].start, run[-1].end), run[0].sentence


def _overlaps(taken: list[Span], start: int, end: int) -> bool:
    return any(s.start <= start < s.end or start <= s.start < end for s in taken)


def _unbalanced(target: str) -> bool:
    """争创一流”精神等…: a target that starts inside a quotation."""
    return any(target.count(o) != target.count(c) for o, c in ("“”", "「」", "‘’", "《》", "()"))
