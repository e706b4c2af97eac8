"""Which organisation names depend on the article they stand in (市卫健委, 院) and which name a place."""

from __future__ import annotations

import pytest

from kg.model import Relation
from kg.pipeline import extract_article
from kg.resolve import entity_of, is_relative, resolve
from kg.text.clean import clean

# fmt: off
CASES = [
    ("市卫健委", True), ("院", True), ("县人民医院", True), ("市二医院", True), ("区卫生健康局", True),
    ("全市", True), ("我市", True),
    # a level character that opens a place name: 镇江市, 乡宁县, 镇远县, 州 in 郑州市 never opens one
    ("镇江市中心医院", False), ("镇江市卫健委", False), ("乡宁县人民医院", False), ("镇远县卫生健康局", False),
    ("江北市第一人民医院", False), ("平川市", False),
]
# fmt: on


@pytest.mark.parametrize(("name", "relative"), CASES)
def test_relative_names(name: str, relative: bool) -> None:
    assert is_relative(name) is relative


def test_a_post_of_no_known_organisation_is_its_articles() -> None:
    # Two stories, each with a 副局长 of no organisation it names (in a hospital's news 局长 is not its).
    items = [
        extract_article(clean(name, f"{hospital}召开2023年度工作会议\n{person}副局长出席会议。"))
        for name, hospital, person in (
            ("a.txt", "城南区人民医院", "苗立新"),
            ("b.txt", "城北区人民医院", "卜文涛"),
        )
    ]
    resolution = resolve(items)
    posts = {
        entity_of(resolution, f.object)
        for item in items
        for f in item.facts
        if f.relation is Relation.HOLDS and f.object.text == "副局长"
    }
    assert len(posts) == 2 and "" not in posts


def test_a_name_lacking_only_the_ending_is_the_same_organisation() -> None:
    text = (
        "江西赣能医院召开2023年度工作会议\n3月5日,江西赣能医院召开2023年度工作会议。"
        "赣能控股集团有限公司董事、江西赣能工会主席罗文山致辞。"
    )
    resolution = resolve([extract_article(clean("a.txt", text))])
    short, full = resolution.org_id("a.txt", "江西赣能"), resolution.org_id("a.txt", "江西赣能医院")
    assert short and short == full
    entity = resolution.entities[full]
    assert entity.label == "江西赣能医院" and "江西赣能" in entity.aliases
    # the company named beside it stays itself
    assert resolution.org_id("a.txt", "赣能控股集团有限公司") not in ("", full)
