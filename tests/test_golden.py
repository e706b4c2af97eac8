"""Every corpus article's facts, offsets included, against a file reviewed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extractors.meetings import clean_meeting_name
from kg.model import NodeType
from kg.pipeline import dump_facts, extract_article
from kg.text.load import load_article, read_metadata

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"
ARTICLES = sorted(CORPUS.glob("*.txt"))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_facts_match_golden(article: Path, update_golden: bool) -> None:
    meta = read_metadata(CORPUS)[0].get(article.name)
    got = dump_facts(extract_article(load_article(article, meta)))
    golden = GOLDEN / f"{article.stem}.facts.jsonl"
    if update_golden:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_offsets_point_at_the_words() -> None:
    """Every mention's span, read back from the article text, is the mention as written."""
    for path in ARTICLES:
        item = extract_article(load_article(path, read_metadata(CORPUS)[0].get(path.name)))
        for fact in item.facts:
            sentence = fact.evidence.sentence
            assert item.article.text[sentence.start : sentence.end].strip()
            for m in (fact.subject, fact.object):
                written = item.article.text[m.span.start : m.span.end]
                if m.type is NodeType.MEETING:
                    assert clean_meeting_name(written) == m.text, (path.name, m)
                elif m.type is NodeType.ORGANISATION:
                    # Written as 院 or 委, it is resolved to the organisation named elsewhere.
                    assert written or not m.text, (path.name, m)
                else:
                    assert written == m.text, (path.name, m)
