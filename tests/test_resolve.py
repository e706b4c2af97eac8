"""Which organisation names depend on the article they stand in (市卫健委, 院) and which name a place."""

from __future__ import annotations

import pytest

from kg.resolve import is_relative

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
