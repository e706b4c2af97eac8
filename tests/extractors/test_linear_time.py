"""Reading an article costs time in proportion to its length, punctuation or none."""

from __future__ import annotations

import time

import pytest

from kg.model import Article
from kg.pipeline import extract_article

# No sentence punctuation at all: one run of text that every scan could walk again and again.
UNITS = [
    "党委书记王某主持会议院长李某讲话",
    "城南医院职工代表大会隆重召开会议要求全面推进",
    "县委副书记县长王某作了报告分别发言",
]


def _seconds(unit: str, repeats: int) -> float:
    article = Article("x.txt", "", unit * repeats)
    start = time.perf_counter()
    extract_article(article)
    return time.perf_counter() - start


@pytest.mark.parametrize("unit", UNITS)
def test_a_page_without_punctuation_reads_in_linear_time(unit: str) -> None:
    _seconds(unit, 50)  # the tagger's dictionary loads once, outside the timings
    small, large = _seconds(unit, 500), _seconds(unit, 2000)  # about 8,000 and 32,000 characters
    # Four times the text: linear costs about four times as much; the quadratic scans this
    # replaced cost sixteen times (32,000 characters: minutes).
    assert large < 8 * small + 1.0, (small, large)
    assert large < 30.0
