"""organisation–held–meeting with its date, and the roles people took at it."""

from __future__ import annotations

from tests.extractors.helpers import records, triples


def test_held_with_date_from_the_dateline_year() -> None:
    got = records("3月5日上午,城南区人民医院召开2023年度工作会议。", "held")
    assert [(r["org"], r["meeting"], r["date"]) for r in got] == [
        ("城南区人民医院", "2023年度工作会议", "2023-03-05")
    ]


def test_december_meeting_reported_in_january_is_last_year() -> None:
    got = records(
        "12月28日下午,我院召开年终总结表彰大会。",
        "held",
        published="2024-01-03",
        title="我院召开年终总结表彰大会",
    )
    assert [(r["meeting"], r["date"]) for r in got] == [("年终总结表彰大会", "2023-12-28")]


def test_date_range_place_and_quoted_name() -> None:
    got = records(
        "11 月 2 日至 3 日,江北市卫健委在江北宾馆举办了「质量提升年」全市医院管理培训班,全面部署。",
        "held",
        title="江北市卫健委举办医院管理培训班",
        published="2022-11-05",
    )
    assert [(r["org"], r["meeting"], r["date"]) for r in got] == [
        ("江北市卫健委", "质量提升年全市医院管理培训班", "2022-11-02")
    ]


def test_no_year_no_date() -> None:
    got = records("3月5日,城南区人民医院召开2023年度工作会议。", "held", published="")
    assert [r["date"] for r in got] == [""]


MEETING = "3月5日上午,城南区人民医院召开2023年度工作会议。"


def test_roles_in_one_sentence() -> None:
    body = MEETING + "党委书记高志强讲话,党委副书记、院长钱文涛作工作报告,党委副书记孙丽娜主持会议。"
    assert triples(body, "spoke", "person") == {("高志强",), ("钱文涛",)}
    assert triples(body, "presided", "person") == {("孙丽娜",)}


def test_attended_only_for_those_who_neither_presided_nor_spoke() -> None:
    body = (
        MEETING + "江北市卫健委副主任冯立群、江北市医保局局长邓子健出席会议并致辞。总会计师黄晓梅出席会议。"
    )
    assert triples(body, "spoke", "person") == {("冯立群",), ("邓子健",)}
    assert triples(body, "attended", "person") == {("黄晓梅",)}


def test_presided_by() -> None:
    assert triples(MEETING + "会议由党委书记欧阳明远主持。", "presided", "person") == {("欧阳明远",)}
    assert triples(MEETING + "院长陈思远讲话,会议由赵立新书记主持。", "presided", "person") == {("赵立新",)}


def test_report_with_a_title() -> None:
    body = MEETING + "院长陈思远作了题为《凝心聚力谱新篇》的报告。"
    assert triples(body, "spoke", "person") == {("陈思远",)}


def test_a_speech_given_elsewhere_is_not_spoke() -> None:
    body = MEETING + "会议要求深入学习贯彻习近平总书记重要讲话精神。"
    assert records(body, "spoke") == []


def test_a_weak_verb_far_from_the_name_that_opens_the_clause() -> None:
    body = (
        MEETING
        + "党委书记赵立新作总结。赵立新书记就贯彻落实本次会议精神,特别是钱文涛院长的讲话精神,强调了三点意见。"
    )
    assert triples(body, "spoke", "person") == {("赵立新",)}


def test_a_speech_at_a_named_cadre_conference() -> None:
    body = MEETING + "会议号召全院职工深刻领会刘明远书记在全县三级干部会上的讲话精神。"
    assert triples(body, "spoke", "person", "meeting") == {("刘明远", "全县三级干部会")}
    assert ("县委", "全县三级干部会") in triples(body, "held", "org", "meeting")


def test_a_named_meeting_is_not_the_main_one() -> None:
    body = MEETING + "会议传达了全市卫生健康工作会议精神。院长钱文涛主持会议。"
    assert triples(body, "presided", "person", "meeting") == {("钱文涛", "2023年度工作会议")}
