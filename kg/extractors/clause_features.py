"""What the target model sees of a clause: the features ``kg train`` fits and the build scores.

Three kinds, read three ways: character n-grams of the clause (``ngram_features``) and the
characters at fixed places (``POSITIONAL``), which the model looks up straight from the text,
and the rest (``article_features``: lead-in, where the clause stands, cue words, the article's
length …), named strings the model sums.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.extractors.clauses import ENUMERATOR, Clause, clauses
from kg.lexicon import load_lexicon
from kg.text.segment import SegmentedArticle

_SPEECH = re.compile(r"强调|指出|要求|提出|号召|部署(?![会大])|希望|表示|明确")  # not 动员部署会
_PAST = re.compile(r"取得|完成了|获得|荣获|已经|回顾|总结了|肯定|介绍了|听取|审议|通过了|选举")
_MODAL = re.compile(r"要|必须|务必|应|需|力争|确保|努力|着力|全力|坚持|推进|加强|打造|提升")


_CUES_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _word in sorted(load_lexicon("target_cues")):
    _CUES_BY_FIRST[_word[0]] = (*_CUES_BY_FIRST.get(_word[0], ()), _word)
# What the decoder joins into one goal (target_model._one_goal_per_item): a clause opened by an
# enumerator (一是, 1、) begins an item's heading; a clause after a frame (以…为抓手,) continues it.
ENUM_LEAD = "lead:enum"
FRAMED = "p.frame"
_CONJOINED = frozenset(
    {
        "bias",
        "zone:sentence",
        "zone:paragraph",
        "zone:none",
        "sent:speech",
        ENUM_LEAD,
        "lead:speech",
        "lead:modal",
        "modal",
        "past",
        "enum:head",
        "enum:body",
    }
)


_DIGIT = re.compile(r"\d")
_COPULA = re.compile(r"(?<![要就还也正更即])是(?!否)")
_PEOPLE = re.compile(r"负责人|人员|干部|代表|成员|职工|同志")
# 院长出席会议并讲话 / …参加会议 / 会议由…主持: a sentence that says who took part, not what was set
ROLL_CALL = "roll_call"
# 开展专项行动是…的生动实践: what something is, a statement (no gold target holds a copula)
STATEMENT = "statement"
# …纪检组长、卫生厅党组成员周天让指出: who speaks, the words come after
SPEAKER = "speaker"
_SPEAKER_END = re.compile(rf"(?:{_SPEECH.pattern})(?:说|道)?$")
# Clauses with one of these flags are labelled O whatever the model scores.
NEVER_TARGET = frozenset({ROLL_CALL, STATEMENT, SPEAKER})
_ATTEND = re.compile(
    r"(?:出席|参加|列席|参会)了?(?:本次|此次)?(?:会议|大会|活动)|主持(?:会议|大会)|(?:会议|大会)由"
    r"|(?:出席|参加|列席)[^,,。;;]{0,8}的(?:人员|领导|同志|单位)?有"  # 出席主会场的人员有:…
)
# 以严密的组织领导,| 通过二甲复审,| 围绕…责任清单,: a frame whose goal is the clause after it
FRAME = re.compile(r"(?:紧紧|始终|坚持)?(?:以|通过|围绕|按照|紧扣|立足|依托|借助|针对|结合)")


def _bucket(n: int) -> str:
    return (
        "0"
        if n == 0
        else "1-3"
        if n <= 3
        else "4-7"
        if n <= 7
        else "8-15"
        if n <= 15
        else "16-30"
        if n <= 30
        else "31+"
    )


# Characters at fixed places of a clause (its first two, its last, the next clause's first two …):
# family → (which clause: -1 the one before, 0 itself, 1 the next; its start or end; how many).
POSITIONAL: dict[str, tuple[int, str, int]] = {
    "first1": (0, "start", 1),
    "first2": (0, "start", 2),
    "last1": (0, "end", 1),
    "last2": (0, "end", 2),
    "p.first2": (-1, "start", 2),
    "n.first2": (1, "start", 2),
}


def positional_features(bodies: Sequence[str], k: int) -> list[str]:
    """The POSITIONAL features of clause ``k`` by name (what training sees; the model reads them
    from the text instead)."""
    out = []
    for family, (which, anchor, size) in POSITIONAL.items():
        if 0 <= k + which < len(bodies) and len(body := bodies[k + which]) >= size:
            gram = body[:size] if anchor == "start" else body[-size:]
            if max(gram) <= "\uffff":
                out.append(f"{family}:{gram}")
    return out


def article_features(doc: SegmentedArticle) -> tuple[list[Clause], list[list[str]]]:
    """Every clause of the article and its features, all but its character n-grams, its
    POSITIONAL characters and the previous label (the model reads those from the text)."""
    text = doc.text
    items: list[tuple[Clause, int, int]] = []  # clause, sentence number, clause number in it
    zone: list[str] = []  # where the clause stands: after a speech verb in its sentence or paragraph
    line_start, cue_in_line = -1, False
    line_start_of_item = -1
    speech_sentence: list[bool] = []
    past_sentence: list[bool] = []
    attend_sentence: list[bool] = []
    le_sentence: list[bool] = []
    # Where the clause stands in an enumerated speech (一是要讲大局,增强角色意识。学校党委…):
    # in the item's heading sentence, or in the sentences that elaborate it.
    enum_place: list[str] = []
    item_sentence = -1
    for s_index, sentence in enumerate(doc.sentences):
        line = text.rfind("\n", 0, sentence.start)
        if line != line_start:
            line_start, cue_in_line = line, False
        speech_sentence.append(bool(_SPEECH.search(text, sentence.start, sentence.end)))
        past_sentence.append(bool(_PAST.search(text, sentence.start, sentence.end)))
        # 出席主会场的人员有:…;…;…: a roll call runs on past a semicolon
        carried = bool(attend_sentence) and attend_sentence[-1] and text[sentence.start - 1] in ";;"
        attend_sentence.append(carried or bool(_ATTEND.search(text, sentence.start, sentence.end)))
        # 统一了思想,提高了认识: a sentence that reports what was done
        le_sentence.append(text.count("了", sentence.start, sentence.end) >= 2)
        if line != line_start_of_item:
            item_sentence, line_start_of_item = -1, line
        cue_in_sentence = False
        for c_index, clause in enumerate(clauses(doc, sentence)):
            items.append((clause, s_index, c_index))
            if clause.lead and ENUMERATOR.match(clause.lead):
                item_sentence = s_index
            enum_place.append(
                "" if item_sentence < 0 else "enum:head" if item_sentence == s_index else "enum:body"
            )
            zone.append(
                "zone:sentence" if cue_in_sentence else "zone:paragraph" if cue_in_line else "zone:none"
            )
            if speech_sentence[-1] and (
                _SPEECH.search(clause.lead) or _SPEECH.search(text, clause.start, clause.end)
            ):
                cue_in_sentence = cue_in_line = True
    n_sentences = max(len(doc.sentences), 1)
    # Long speeches state many tasks and the gold marks the salient ones: density depends on length.
    size = "short" if len(text) < 1500 else "medium" if len(text) < 3000 else "long"
    doc_feature = f"doc:{size}"
    conjoined = {name: f"doc:{size}|{name}" for name in _CONJOINED}
    bodies = [text[c.start : c.end] for c, _, _ in items]
    feats: list[list[str]] = []
    for k, (clause, s_index, c_index) in enumerate(items):
        body = bodies[k]
        flags = [
            "bias",
            zone[k],
            *(("sent:speech",) if speech_sentence[s_index] else ()),
            *(("sent:past",) if past_sentence[s_index] else ()),
            *(("sent:le2",) if le_sentence[s_index] else ()),
            # 院长出席会议并讲话,…参加会议: who took part is never a target, but what a speaker in
            # that sentence then says may be (…并讲话,他强调,要以深化医改为动力).
            *((ROLL_CALL,) if attend_sentence[s_index] and zone[k] != "zone:sentence" else ()),
            *((enum_place[k],) if enum_place[k] else ()),
        ]
        if body:
            if _PAST.search(body):
                flags.append("past")
            if _MODAL.search(body):
                flags.append("modal")
        f = [
            f"len:{_bucket(len(body))}",
            _CIDX[min(c_index, 4)],
            _SIDX[min(s_index, 3)],
            _POS[int(5 * s_index / n_sentences)],
            "before:" + (clause.before or "^"),
            "after:" + (clause.after or "$"),
        ]
        lead = clause.lead
        if lead:
            f.append("lead")
            if len(lead) <= 4:
                f.append("lead=" + lead)  # 即 / 一是要 / 会议要求: the exact words
            f.extend("lead2:" + lead[i : i + 2] for i in range(len(lead) - 1))
            if ENUMERATOR.match(lead):
                flags.append(ENUM_LEAD)
            if _SPEECH.search(lead):
                flags.append("lead:speech")
            if lead[-1] == "要":
                flags.append("lead:modal")
        if body:
            if _SPEAKER_END.search(body):
                f.append(SPEAKER)
            if FRAME.match(body):
                f.append("frame")
            if "“" in body or "「" in body:
                f.append("quote")
            if _DIGIT.search(body):
                f.append("digit")
            if "的" in body[-4:]:
                f.append("de_end")
            if _COPULA.search(body):
                f.append(STATEMENT)  # 卫生健康工作是一项民心工作: a statement, not a task
            if "了" in body:
                f.append("le")
            if "、" in body and _PEOPLE.search(body):
                f.append("people_list")  # 市直医疗卫生单位主要负责人、办公室主任: who attended
            f.extend("cue:" + w for w in _CUES_BY_FIRST.get(body[0], ()) if body.startswith(w))
        if k > 0:
            prev = items[k - 1][0]
            f.append(f"p.len:{_bucket(prev.end - prev.start)}")
            if prev.lead and ENUMERATOR.match(prev.lead):
                f.append("p.lead:enum")
            if prev.lead and _SPEECH.search(prev.lead):
                f.append("p.lead:speech")
            if prev.end == prev.start:
                f.append("p.empty")
            if prev.sentence == clause.sentence and FRAME.match(text, prev.start, prev.end):
                f.append(FRAMED)
        if k + 1 < len(items) and items[k + 1][0].lead and ENUMERATOR.match(items[k + 1][0].lead):
            f.append("n.lead:enum")
        f += flags
        f.append(doc_feature)
        f.extend(conjoined[x] for x in flags if x in conjoined)
        feats.append(f)
    return [c for c, _, _ in items], feats


_CIDX = [f"cidx:{i}" for i in range(5)]
_SIDX = [f"sidx:{i}" for i in range(4)]
_POS = [f"pos:{i}" for i in range(6)]


NGRAMS = (1, 2, 3)


def ngram_features(body: str) -> list[str]:
    """c1:/c2:/c3: features of a clause body, one per occurrence (characters past U+FFFF are skipped:
    the model's tables index the Basic Multilingual Plane)."""
    return [
        f"c{n}:{body[i : i + n]}"
        for n in NGRAMS
        for i in range(len(body) - n + 1)
        if max(body[i : i + n]) <= "\uffff"
    ]
