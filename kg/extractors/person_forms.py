"""The genre's other ways of writing a person with posts, beside the [organisation][post]NAME chain.

吴礼木(大内科主任兼内三科主任)             → NAME(POST兼POST): posts in brackets after the name
王林同志担任附属新华医院党委书记,不再担任…院长职务 → appointments and removals (the latter former)
任命张三为副院长 / 聘任… / 免去李四的院长职务 → the same, with the verb first
医务科赵宏和神经内科李雪梅分别作表态发言     → a list of people who each did what follows 分别
"""

from __future__ import annotations

import re
from itertools import pairwise

from kg.extractors.genre import is_post, name_at, name_before, scan_back
from kg.extractors.post_chains import PersonPosts, PostPart, split_part
from kg.model import Span
from kg.text.segment import SegmentedArticle

_PAREN = re.compile(r"[((](?P<inside>[^()()]{2,30})[))]")
_ALSO_HOLDS = re.compile(r"兼任?|、")
# 王林同志担任… / 王卫明同志任… / 当选为… ; 不再担任…职务 / 免去…职务 (the post is left)
_APPOINTED = re.compile(
    r"(?:同志)?(?P<verb>不再担任|担任|出任|兼任|当选为|当选|被任命为|任命为|被聘任为|聘任为|(?<![担出兼主责])任(?!务|期|何|命))"
)
_NAMED_FIRST = re.compile(r"(?P<verb>任命|聘任|免去)")
_AS_OR_OF = re.compile(r"(?:同志)?(?:为|的)")  # 任命张三(同志)为… / 免去李四(同志)的…
# Where the post phrase after 担任 / 任命…为 ends: punctuation, 职务, or the next decision (、免去…).
_PHRASE_END = re.compile(r"[,,。;;::!?!?\n]|、(?=任命|免去|同时)|的?(?:职务|一职)|的(?:决定|通知|批复)")


def _phrase_end(text: str, start: int, limit: int) -> int:
    m = _PHRASE_END.search(text, start, limit)
    return m.start() if m else limit


_EACH = re.compile(r"分别")
MAX_LIST_CHARS = 200  # a list of people before 分别 is no longer: the scan back stops there
_LIST_SPLIT = re.compile(r"、|和|及|与")


def _posts(doc: SegmentedArticle, sentence: Span, start: int, end: int, former: bool) -> tuple[PostPart, ...]:
    """[organisation][post] parts of a phrase (兼 or 、 between posts); () when any is no post."""
    parts: list[PostPart] = []
    pos = start
    pieces = [*(m.start() for m in _ALSO_HOLDS.finditer(doc.text, start, end)), end]
    previous_org: tuple[str, Span | None] = ("", None)
    for cut in pieces:
        part = split_part(doc, sentence, pos, cut, first=not parts)
        if part is None or not is_post(part.post):
            return ()
        if not part.org and previous_org[0]:
            part = PostPart(part.post, part.post_span, previous_org[0], previous_org[1], part.former)
        parts.append(PostPart(part.post, part.post_span, part.org, part.org_span, former or part.former))
        previous_org = (part.org, part.org_span)
        match = _ALSO_HOLDS.match(doc.text, cut, end)
        pos = match.end() if match else cut
    return tuple(parts)


def bracketed_posts(doc: SegmentedArticle) -> list[PersonPosts]:
    """NAME(POST兼POST): 吴礼木(大内科主任兼内三科主任)."""
    found: list[PersonPosts] = []
    text = doc.text
    for sentence in doc.sentences:
        for m in _PAREN.finditer(text, sentence.start, sentence.end):
            name = name_before(doc, sentence, m.start())
            if name is None:
                continue
            parts = _posts(doc, sentence, m.start("inside"), m.end("inside"), former=False)
            if parts:
                found.append(PersonPosts(text[name.start : name.end], name, sentence, parts, "holds.bracket"))
    return found


def appointments(doc: SegmentedArticle) -> list[PersonPosts]:
    """Posts taken up or left, as a decision announced at a meeting states them."""
    found: list[PersonPosts] = []
    text = doc.text
    for sentence in doc.sentences:
        subject: Span | None = None
        for m in _APPOINTED.finditer(text, sentence.start, sentence.end):
            name = name_before(doc, sentence, m.start())
            if name is not None:
                subject = name
            elif m["verb"] != "不再担任" or subject is None:
                continue  # 不再担任 alone takes the subject of the appointment before it
            phrase_end = _phrase_end(text, m.end(), sentence.end)
            parts = _posts(doc, sentence, m.end(), phrase_end, former=m["verb"] == "不再担任")
            if parts and subject is not None:
                person = text[subject.start : subject.end]
                found.append(PersonPosts(person, subject, sentence, parts, "holds.appointment"))
        for m in _NAMED_FIRST.finditer(text, sentence.start, sentence.end):
            # 任命张三为副院长 / 免去李四同志的院长职务
            name = name_at(doc, sentence, m.end())
            if name is None:
                continue
            rest = _AS_OR_OF.match(text, name.end)
            if rest is None:
                continue
            phrase_end = _phrase_end(text, rest.end(), sentence.end)
            parts = _posts(doc, sentence, rest.end(), phrase_end, former=m["verb"] == "免去")
            if parts:
                found.append(
                    PersonPosts(text[name.start : name.end], name, sentence, parts, "holds.appointment")
                )
    return found


def listed_before_each(doc: SegmentedArticle, known: set[str]) -> list[PersonPosts]:
    """甲、乙和丙分别作报告: each item of a list before 分别 that ends in a name is a person.

    Items with a post are read by the chain already; this adds the rest (CT放射科李祥峰), with no post.
    """
    found: list[PersonPosts] = []
    text = doc.text
    for sentence in doc.sentences:
        for m in _EACH.finditer(text, sentence.start, sentence.end):
            start = scan_back(text, m.start(), max(sentence.start, m.start() - MAX_LIST_CHARS), ",,。;;::\n")
            cuts = [start, *(x.end() for x in _LIST_SPLIT.finditer(text, start, m.start())), m.start()]
            for item_start, item_end in pairwise(cuts):
                end = item_end - (1 if text[item_end - 1 : item_end] in ("、", "和", "及", "与") else 0)
                end -= 2 if text[end - 2 : end] == "同志" else 0
                name = name_before(doc, sentence, end) if end - item_start >= 2 else None
                if name is not None and text[name.start : name.end] not in known:
                    person = text[name.start : name.end]
                    found.append(PersonPosts(person, name, sentence, (), "person.list"))
                    known = known | {person}
    return found
