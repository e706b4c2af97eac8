"""Mentions and evidence built the same way by every extractor."""

from __future__ import annotations

from kg.extractors.meetings import Meeting
from kg.model import Evidence, Mention, NodeType, Span
from kg.text.segment import SegmentedArticle


def mention(doc: SegmentedArticle, node_type: NodeType, text: str, span: Span, **attrs: str) -> Mention:
    return Mention(
        doc.article.id, node_type, text, span, tuple(sorted((k, v) for k, v in attrs.items() if v))
    )


def evidence(doc: SegmentedArticle, sentence: Span, rule: str) -> Evidence:
    return Evidence(doc.article.id, sentence, rule)


def meeting_mention(doc: SegmentedArticle, meeting: Meeting) -> Mention:
    return mention(
        doc,
        NodeType.MEETING,
        meeting.name,
        meeting.span,
        organiser=meeting.organiser,
        date=meeting.date,
        place=meeting.place,
    )
