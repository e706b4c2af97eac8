"""Tenures: each way the genre states a change, dated observations, and tenures across stories.

The sentences are invented, in the genre's grammar; none is from the corpus or the dev set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.evidence import EvidenceRecord
from kg.model import Article, Relation
from kg.pipeline import extract_article
from kg.tenure_eval import TenureRecord, predicted_tenures, score_tenures
from kg.tenures import END, FORMER, START, Tenure, single_holder, tenures_of


def _holds(sentence: str) -> list[tuple[str, str, str, str]]:
    """(person, post, organisation, change) of every holds fact the sentence gives."""
    item = extract_article(Article(id="a", title="", text=sentence + "\n", published="2021-05-06"))
    return [
        (f.subject.text, f.object.text, f.object.attr("org"), f.qualifier("change"))
        for f in item.facts
        if f.relation == Relation.HOLDS
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # 任命…为 with 免去…的…职务
            "会上宣读了省卫生健康委的决定:任命何志平为县中医院院长,免去郭文斌的县中医院院长职务。",
            [("何志平", "院长", "县中医院", START), ("郭文斌", "院长", "县中医院", END)],
        ),
        (  # NAME同志任… with 不再担任…职务
            "严丽华同志任区妇幼保健院党委书记,胡振东同志不再担任区妇幼保健院党委书记职务。",
            [("严丽华", "党委书记", "区妇幼保健院", START), ("胡振东", "党委书记", "区妇幼保健院", END)],
        ),
        ("经院党委研究决定,聘任戴晓光为市口腔医院副院长。", [("戴晓光", "副院长", "市口腔医院", START)]),
        ("换届大会上,钱永华当选为市护理学会理事长。", [("钱永华", "理事长", "市护理学会", START)]),
        ("钱永华当选市护理学会会长。", [("钱永华", "会长", "市护理学会", START)]),
        ("原院长邵国梁应邀出席会议。", [("邵国梁", "院长", "", FORMER)]),
        ("院长邵国梁出席会议。", [("邵国梁", "院长", "", "")]),
    ],
)
def test_each_way_of_stating_a_change(sentence: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert _holds(sentence) == expected


def _ev(date: str, change: str = "") -> EvidenceRecord:
    return EvidenceRecord("a", 0, 1, "。", "rule", date, change)


def test_a_tenure_runs_from_the_first_start_to_the_stated_end() -> None:
    (tenure,) = tenures_of(
        [_ev("2020-06-01"), _ev("2019-03-02", START), _ev("2022-01-05", END), _ev("2021-04-01")]
    )
    assert (tenure.start, tenure.start_by, tenure.end, tenure.end_by) == (
        "2019-03-02",
        "stated",
        "2022-01-05",
        "stated",
    )
    assert tenure.last_seen == "2021-04-01" and tenure.observations == 4


def test_an_open_tenure_is_first_to_last_seen_and_a_reelection_continues_it() -> None:
    (tenure,) = tenures_of([_ev("2019-05-01"), _ev("2021-02-01", START), _ev("2023-07-09")])
    assert (tenure.start, tenure.start_by, tenure.is_open, tenure.last_seen) == (
        "2019-05-01",
        "observed",
        True,
        "2023-07-09",
    )


def test_former_ends_it_and_a_later_return_is_a_second_tenure() -> None:
    found = tenures_of(
        [_ev("2018-01-01"), _ev("2019-06-01", FORMER), _ev("2020-01-01", FORMER), _ev("2022-03-03", START)]
    )
    assert [(t.start, t.end, t.end_by) for t in found] == [
        ("2018-01-01", "2019-06-01", FORMER),
        ("2022-03-03", "", ""),
    ]
    assert found[0].observations == 3  # the second 原… adds evidence, not a tenure


def test_a_removal_of_someone_never_seen_in_office_is_a_tenure_without_a_start() -> None:
    (tenure,) = tenures_of([_ev("2020-02-02", END)])
    assert (tenure.start, tenure.end, tenure.end_by) == ("", "2020-02-02", "stated")


def test_undated_observations_count_but_date_nothing() -> None:
    undated = [EvidenceRecord(a, 0, 1, "。", "rule") for a in "ab"]
    assert tenures_of(undated) == [Tenure(observations=2)]


def test_single_holder_posts() -> None:
    assert all(map(single_holder, ["院长", "党委书记", "医务科科长", "主任", "理事长"]))
    assert not any(map(single_holder, ["副院长", "院长助理", "党委委员", "党委副书记", "院领导", "代理院长"]))


def _story(folder: Path, name: str, date: str, body: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(f"{name[:-4]}\n发布时间:{date}\n{body}\n", encoding="utf-8")


def test_tenures_across_stories_with_an_inferred_end(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _story(
        corpus,
        "a.txt",
        "2019-04-10",
        "4月10日,滨江市人民医院召开年度工作会议。滨江市人民医院院长吕方舟、副院长魏晴出席会议。",
    )
    _story(
        corpus,
        "b.txt",
        "2020-09-01",
        "9月1日,滨江市人民医院召开质量管理会议。滨江市人民医院院长吕方舟主持会议。",
    )
    _story(
        corpus,
        "c.txt",
        "2022-03-15",
        "3月15日,滨江市人民医院召开干部大会。滨江市人民医院院长常嘉禾、副院长魏晴出席会议。",
    )
    store = kg.build(corpus).store
    rows = {(t.person, t.post): t for t in predicted_tenures(store)}
    old, new, deputy = rows["吕方舟", "院长"], rows["常嘉禾", "院长"], rows["魏晴", "副院长"]
    assert (old.start, old.end) == ("2019-04-10", "2022-03-15")  # 院长 has one holder: the next one ends it
    assert (new.start, new.end) == ("2022-03-15", "")
    assert (deputy.start, deputy.end) == ("2019-04-10", "")  # 副院长 has several: nothing inferred
    ended = [d for p, _, _, d in store.edges(Relation.HOLDS) if store.label(p) == "吕方舟"]
    assert ended[0]["tenures"][0]["end_by"] == "inferred" and ended[0]["current"] is False
    # the evidence keeps the date each fact was observed at: the meeting's
    assert {e.date for e in ended[0]["evidence"]} == {"2019-04-10", "2020-09-01"}


def test_tenure_scoring() -> None:
    gold = [
        TenureRecord("甲", "院长", "滨江市人民医院", "2019-04-10", "2022-03-15"),
        TenureRecord("乙", "院长", "滨江市人民医院", "2022-03-15", ""),
    ]
    predicted = [
        TenureRecord(
            "甲", "院长", "滨江市人民医院", "2019-05-01", "2021-12-01"
        ),  # start year right, end wrong
        TenureRecord("丙", "院长", "滨江市人民医院", "2022-01-01", ""),  # nobody's
    ]
    s = score_tenures(gold, predicted)
    assert (s.matched, s.precision, s.recall, s.start_accuracy, s.end_accuracy) == (1, 0.5, 0.5, 1.0, 0.0)
    assert {e["error"] for e in s.errors} == {"dates", "spurious", "missed"}
