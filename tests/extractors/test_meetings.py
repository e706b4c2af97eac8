"""organisation–held–meeting with its date, and the roles people took at it."""

from __future__ import annotations

import pytest

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


# The meeting as the subject: …在…(隆重)召开/举行, an organisation opening its name, no organiser
# written (the body whose leaders report at it), 我市, a generic name with its purpose, a year
# from an anniversary, a day range.
# fmt: off
HELD_FORMS = [
    ("江北县人民医院第五届职工代表大会第三次会议隆重召开",
     "近日,江北县人民医院第五届职工代表大会第三次会议在该院学术报告厅隆重召开。会议由工会主席范思远主持。", "",
     ("江北县人民医院", "第五届职工代表大会第三次会议", "")),
    ("2024年全县卫生健康工作会议召开",
     "3月8日,2024年全县卫生健康工作会议在县会议中心举行。县卫健局局长雷振华作工作报告,副县长温立群出席会议并讲话。",
     "2024-03-09", ("县卫健局", "2024年全县卫生健康工作会议", "2024-03-08")),
    ("平川市卫生健康工作会议召开", "2月10日,全市卫生健康工作会议召开,总结回顾了全年工作。", "2022-02-11",
     ("平川市", "平川市卫生健康工作会议", "2022-02-10")),
    ("无题", "5月20日上午,我市召开2024年卫生健康工作会议。市卫健委主任杜明轩作工作报告。\n江州市人民政府副市长吕青出席。",
     "2024-05-21", ("江州市", "2024年卫生健康工作会议", "2024-05-20")),
    ("无题", "9月3日上午,县卫生健康局召开专题会议,传达学习县委全会精神,局中层以上干部参加会议。", "2020-09-04",
     ("县卫生健康局", "传达学习县委全会精神专题会议", "2020-09-03")),
    ("无题", "7月1日,江北市第三人民医院举行庆祝建党一百周年大会。", "", ("江北市第三人民医院", "庆祝建党一百周年大会", "2021-07-01")),
    ("市二医院召开上半年工作总结会", "7月29-30日,市二医院召开了2015年上半年工作总结会。", "2015-08-02",
     ("市二医院", "2015年上半年工作总结会", "2015-07-29")),
]
# fmt: on


@pytest.mark.parametrize(
    ("title", "body", "published", "expected"), HELD_FORMS, ids=[f[3][1] for f in HELD_FORMS]
)
def test_held_forms(title: str, body: str, published: str, expected: tuple[str, str, str]) -> None:
    got = records(body, "held", title=title, published=published)
    assert [(r["org"], r["meeting"], r["date"]) for r in got] == [expected]


def test_a_reference_to_the_meeting_is_no_meeting() -> None:
    body = "6月2日,城西医院召开2024年职工代表大会。院长讲话指出,这是在关键时期召开的一次十分重要的会议。"
    got = records(body, "held", title="城西医院召开职工代表大会")
    assert [r["meeting"] for r in got] == ["2024年职工代表大会"]


# fmt: off
SPEAKERS = [
    ("院长庞立新作2024年医院工作汇报。", "spoke", {"庞立新"}),
    ("党委书记祁海涛在《医院工作报告》中回顾了一年的工作。", "spoke", {"祁海涛"}),
    ("联系院领导褚明月院长参加会议并讲党课。", "spoke", {"褚明月"}),
    ("局长翟立军领学了全会精神。", "spoke", {"翟立军"}),
    ("洪主任主持会议并做工作点评。", "presided", set()),  # no name, no role
    ("张思源主任主持会议并做工作点评。", "spoke", {"张思源"}),
    ("医务科窦文杰和护理部柏雪分别代表职能部门和临床科室做了表态发言。", "spoke", {"窦文杰", "柏雪"}),
    ("骨科主任牛振宇、影像科齐晓燕分别作事迹报告。", "spoke", {"牛振宇", "齐晓燕"}),
    ("区卫健局副局长蓝晓红就复审工作作了三点重要指示。", "spoke", {"蓝晓红"}),
]
# fmt: on


@pytest.mark.parametrize(("sentence", "kind", "people"), SPEAKERS, ids=[s[0][:8] for s in SPEAKERS])
def test_role_forms(sentence: str, kind: str, people: set[str]) -> None:
    body = "3月5日上午,城南区人民医院召开2023年度工作会议。" + sentence
    assert {r["person"] for r in records(body, kind)} == people


# fmt: off
PRESENT = [
    ("出席会议的有区卫健局局长方志明、副局长戚晓蕾。", {"方志明", "戚晓蕾"}),
    ("区卫健局局长方志明、副局长戚晓蕾等参加会议。", {"方志明", "戚晓蕾"}),
    ("参加会议的领导还有副区长简文博。", {"简文博"}),
]
# fmt: on


@pytest.mark.parametrize(("sentence", "people"), PRESENT, ids=[p[0][:6] for p in PRESENT])
def test_attendee_lists(sentence: str, people: set[str]) -> None:
    body = "3月5日上午,城南区人民医院召开2023年度工作会议。" + sentence
    assert {r["person"] for r in records(body, "attended")} == people


def test_the_headlines_meeting_is_the_leads_and_zhonggong_names_no_hospital() -> None:
    body = "7月1日,中共城西区中医医院召开庆祝建党大会。党委书记龚立新讲话。"
    title = "中共城西区中医医院召开庆祝大会"
    held = records(body, "held", title=title, published="2023-07-03")
    assert [(r["org"], r["meeting"], r["date"]) for r in held] == [
        ("城西区中医医院", "庆祝建党大会", "2023-07-01")
    ]
    holds = records(body, "holds", title=title, published="2023-07-03")
    assert [(r["person"], r["post"], r["org"]) for r in holds] == [("龚立新", "党委书记", "城西区中医医院")]
