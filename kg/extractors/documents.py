"""organisation –issued→ document: the plans, schemes and rules written in 《…》.

市卫生健康委《2019 年全市卫生健康工作要点》 → document(市卫生健康委, 2019 年全市卫生健康工作要点)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extractors.genre import lexicon, org_text_ok, trim_org_left
from kg.extractors.meetings import main_meeting
from kg.extractors.mentions import evidence, mention
from kg.extractors.people import home_org
from kg.extractors.resolve_local import resolve_org
from kg.lexicon import alternation, load_lexicon
from kg.model import Fact, NodeType, Relation, Span
from kg.text.segment import SegmentedArticle

_TITLE = re.compile(r"《(?P<title>[^《》,,。;;!?\n]{2,60})》")
_ISSUE_VERB = re.compile(r"(?:印发|出台|制定|发布|下发|修订|颁布|出台了|印发了|制定了|发布了)$")
_TIME_WORDS = re.compile(r"(?:年初|年底|近日|日前|随即|此前|今年|去年|先后|已|专门)+$")
# Titles of national or sector-wide scope carry no issuer in the text (《公立医院高质量发展促进行动》).
_NATIONAL = re.compile(r"^(?:全国|国家|中国|中华人民共和国|公立医院|健康中国|“十四五”)")


def _doc_types() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(load_lexicon('document_types'))})(?:\s*[((][^))]*[))])?$")


def _issuer(doc: SegmentedArticle, sentence: Span, start: int, title: str) -> tuple[str, Span | None]:
    text = doc.text
    before = text[sentence.start : start]
    before = _TIME_WORDS.sub("", _ISSUE_VERB.sub("", before))
    # 市卫生健康委《…》 / 集团《…》 / 医院《…》
    for q in range(max(0, len(before) - 20), len(before) - 1):
        tail = before[q:]
        if (
            lexicon().org_suffix_re.search(tail) or tail in ("医院", "我院", "本院", "集团", "院")
        ) and org_text_ok(tail):
            pos = trim_org_left(doc, sentence, sentence.start + q, sentence.start + len(before))
            tail = text[pos : sentence.start + len(before)]
            return resolve_org(doc, tail, pos), Span(pos, pos + len(tail))
    if _NATIONAL.match(title):
        return "", None
    # 《景德镇市第二人民医院…方案》: the title opens with its issuer.
    m = re.match(
        r"[\u4e00-\u9fff]{2,20}?(?:医院|委员会|卫健委|卫生健康委|卫生健康局|政府|集团|公司|大学)", title
    )
    if m and m.group() not in load_lexicon("generic_orgs"):
        return m.group(), Span(start + 1, start + 1 + m.end())
    return home_org(doc), None


def extract(doc: SegmentedArticle) -> Iterator[Fact]:
    text = doc.text
    types = _doc_types()
    seen: set[str] = set()
    for sentence in doc.sentences:
        for m in _TITLE.finditer(text, sentence.start, sentence.end):
            title = m["title"].strip()
            reported = text[max(sentence.start, m.start() - 2) : m.start()] == "题为"
            if not (types.search(title) or reported) or title in seen:
                continue
            seen.add(title)
            org, org_span = _issuer(doc, sentence, m.start(), title)
            document = mention(doc, NodeType.DOCUMENT, title, Span(m.start("title"), m.end("title")))
            publisher = mention(doc, NodeType.ORGANISATION, org, org_span or document.span)
            yield Fact(Relation.DOCUMENT, publisher, document, evidence(doc, sentence, "document.title"))
    yield from _unquoted(doc, seen)


# 审议通过了县域紧密型医共体建设工作方案、县第一人民医院整体搬迁方案 / 解读了…实施方案: named plans
# the text lists without 《》, after a verb that receives documents.
_RECEIVES = re.compile(r"(?:审议通过了|审议通过|通过了|听取了|解读了|印发了|出台了|制定了|审议了|宣读了)")
_ITEM_END = re.compile(r"[、,,。;;\n]|等(?:内容|文件|报告)?")
# 以医院“十三五”工作规划为…: a plan named by a quoted period or slogan
_QUOTED_PLAN = re.compile(
    r"(?<=[以按照据和与及、])(?P<title>[^,,。;;、“”以]{0,8}“[^”]{2,12}”[^,,。;;、“”]{0,8}?(?:规划|计划|方案|纲要))"
)


def _unquoted(doc: SegmentedArticle, seen: set[str]) -> Iterator[Fact]:
    text = doc.text
    types = _doc_types()
    issuer: str | None = None
    for sentence in doc.sentences:
        spans: list[tuple[int, int, str]] = []
        for verb in _RECEIVES.finditer(text, sentence.start, sentence.end):
            pos = verb.end()
            while pos < sentence.end and text[pos] not in "《,,。;;":
                closer = _ITEM_END.search(text, pos, sentence.end)
                stop = closer.start() if closer else sentence.end
                title = text[pos:stop].strip()
                if not (types.search(title) and _named(title)):
                    break
                spans.append((pos, stop, "document.listed"))
                if closer is None or text[closer.start()] != "、":
                    break
                pos = closer.end()
        for m in _QUOTED_PLAN.finditer(text, sentence.start, sentence.end):
            spans.append((m.start("title"), m.end("title"), "document.quoted_plan"))
        for start, end, rule in spans:
            title = text[start:end]
            if title in seen:
                continue
            seen.add(title)
            if issuer is None:
                meeting = main_meeting(doc)
                issuer = (meeting.organiser if meeting else "") or home_org(doc)
            document = mention(doc, NodeType.DOCUMENT, title, Span(start, end))
            publisher = mention(doc, NodeType.ORGANISATION, issuer, document.span)
            yield Fact(Relation.DOCUMENT, publisher, document, evidence(doc, sentence, rule))


def _named(title: str) -> bool:
    """A named plan (县域紧密型医共体建设工作方案), not a generic one (工作报告, 有关方案)."""
    return (
        6 <= len(title) <= 40
        and title not in load_lexicon("generic_documents")
        and not title.startswith(("的", "了", "有关", "相关", "各项", "一系列"))
    )
