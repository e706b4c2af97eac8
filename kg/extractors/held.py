"""organisation –held→ meeting, with its date and place.

8月30日上午,市二医院召开高质量发展示范医院建设推进会 → held(市二医院, …推进会, 2022-08-30)
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.extractors.meetings import analyse_meetings
from kg.extractors.mentions import evidence, meeting_mention, mention
from kg.model import Fact, NodeType, Relation
from kg.text.segment import SegmentedArticle


def extract(doc: SegmentedArticle) -> Iterator[Fact]:
    for meeting in analyse_meetings(doc):
        if not meeting.organiser:
            continue
        org_span = meeting.organiser_span or meeting.span
        org = mention(doc, NodeType.ORGANISATION, meeting.organiser, org_span)
        qualifiers = tuple((k, v) for k, v in (("date", meeting.date), ("place", meeting.place)) if v)
        yield Fact(
            Relation.HELD,
            org,
            meeting_mention(doc, meeting),
            evidence(doc, meeting.sentence, meeting.rule),
            qualifiers,
        )
