"""person–holds–post (in organisation), in every form the genre writes leaders."""

from __future__ import annotations

import pytest

from tests.extractors.helpers import records, triples

LEAD = "3月5日上午,城南区人民医院召开2023年度工作会议。"

# fmt: off
CASES = [
    # organisation, two posts, name: two facts with the organisation
    ("江北市卫健委党组书记、主任李文博出席会议。",
     {("李文博", "党组书记", "江北市卫健委"), ("李文博", "主任", "江北市卫健委")}),
    # 委 stands for the commission named before it; a sub-unit stays in the post
    ("江北市卫健委党组书记、主任李文博,委党组成员、医政医管科科长周敏宇出席会议。",
     {("李文博", "党组书记", "江北市卫健委"), ("李文博", "主任", "江北市卫健委"),
      ("周敏宇", "党组成员", "江北市卫健委"), ("周敏宇", "医政医管科科长", "江北市卫健委")}),
    # two-character surname; hospital's own posts with no organisation written
    ("党委副书记、院长欧阳明远主持会议。",
     {("欧阳明远", "党委副书记", "城南区人民医院"), ("欧阳明远", "院长", "城南区人民医院")}),
    # a list under one collective title
    ("院领导高志强、钱文涛、孙丽娜出席会议。",
     {("高志强", "院领导", "城南区人民医院"), ("钱文涛", "院领导", "城南区人民医院"),
      ("孙丽娜", "院领导", "城南区人民医院")}),
    # 院 = the article's hospital
    ("会上,院党委委员、工会主席黄晓梅宣读了表彰决定。",
     {("黄晓梅", "党委委员", "城南区人民医院"), ("黄晓梅", "工会主席", "城南区人民医院")}),
    # a post that implies its organisation
    ("会议传达了郑国栋市长的批示。", {("郑国栋", "市长", "市政府")}),
    # a company and a second organisation inside one chain
    ("华康医疗集团有限公司董事、华康健康工会主席冯立群致辞。",
     {("冯立群", "董事", "华康医疗集团有限公司"), ("冯立群", "工会主席", "华康健康")}),
    # a bureau's division head
    ("江北省卫生健康委医政处处长邓子健出席会议。", {("邓子健", "医政处处长", "江北省卫生健康委")}),
    # a compound surname that is also a word of the language (东方, 司马), after a title
    ("江北市卫健委副主任东方立新,党委书记司马晴出席会议。",
     {("东方立新", "副主任", "江北市卫健委"), ("司马晴", "党委书记", "城南区人民医院")}),
    ("院领导钱文涛、上官思远出席会议。",
     {("钱文涛", "院领导", "城南区人民医院"), ("上官思远", "院领导", "城南区人民医院")}),
    # a surname that is also a preposition, right after a title and closed by punctuation
    ("党委书记向立群,院长于文博出席会议。",
     {("向立群", "党委书记", "城南区人民医院"), ("于文博", "院长", "城南区人民医院")}),
]
# fmt: on


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[1].copy().pop()[0] for c in CASES])
def test_holds(sentence: str, expected: set[tuple[str, str, str]]) -> None:
    assert triples(LEAD + sentence, "holds", "person", "post", "org") == expected


def test_name_then_title_adds_nothing_when_the_full_post_is_known() -> None:
    body = LEAD + "党委书记钱明哲作总结讲话。钱明哲书记强调,要抓好落实。"
    assert triples(body, "holds", "person", "post") == {("钱明哲", "党委书记")}


def test_former_post() -> None:
    body = LEAD + "会议邀请了原江北市中心医院院长陈思远作专题讲座。"
    got = records(body, "holds")
    assert [(r["person"], r["post"], r["org"], r.get("former")) for r in got] == [
        ("陈思远", "院长", "江北市中心医院", True)
    ]


def test_academic_rank_keeps_the_university_not_the_department() -> None:
    body = LEAD + "会议邀请了江北大学公共卫生学院教授孙明浩讲授了医院管理课程。"
    assert triples(body, "holds", "person", "post", "org") == {("孙明浩", "教授", "江北大学公共卫生学院")}


# A precision guard: sentences with no leader in them give no person.
@pytest.mark.parametrize(
    "sentence",
    [
        "全年共完成门急诊量260.72万人次,出院患者15.95万人次,平均住院日7.8天。",
        "坚持以人民健康为中心,推动医院高质量发展,打造区域医疗中心。",
        "党委书记要带头抓落实,院长要亲自抓推进,班子成员要各负其责。",
        "各科室主任及护士长、行政职能科室负责人参加会议。",
        "医院领导班子全体成员,党总支、支部书记共226人参加了会议。",
        "关于进一步加强医疗质量管理的通知已经下发。",
        "院长向全院职工致以新春问候,书记于近日主持召开专题会议。",
    ],
)
def test_no_person_without_a_leader(sentence: str) -> None:
    assert records(LEAD + sentence, "holds") == []
    for kind in ("presided", "spoke", "attended"):
        assert records(LEAD + sentence, kind) == []


# fmt: off
# The genre's other forms, each with invented people and hospitals.
FORMS = [
    # NAME(POST兼POST): posts in brackets, a hospital's own when no organisation is written
    ("会上,孔德远(大外科主任兼骨二科主任)、邱晓岚(门诊支部书记)分别作了发言。",
     {("孔德远", "大外科主任", "城南区人民医院"), ("孔德远", "骨二科主任", "城南区人民医院"),
      ("邱晓岚", "门诊支部书记", "城南区人民医院")}),
    # organisation, name, title: the organisation written before the name is the post's
    ("区政府钟立平副区长出席会议并讲话。", {("钟立平", "副区长", "区政府")}),
    # a party post and a government post in one chain: the government head is not the committee's
    ("县委副书记、县长韩子墨出席会议。", {("韩子墨", "副书记", "县委"), ("韩子墨", "县长", "县政府")}),
    # acting: 代 stays in the post
    ("县委常委、政府代县长宁思齐作动员讲话。", {("宁思齐", "常委", "县委"), ("宁思齐", "代县长", "政府")}),
    # a function character may stand inside a given name, not at its end
    ("会议由党总支书记蒋向东主持。", {("蒋向东", "党总支书记", "城南区人民医院")}),
    # a bare 院长 in a hospital's own news is that hospital's
    ("邢光远院长作总结讲话。", {("邢光远", "院长", "城南区人民医院")}),
]
# fmt: on


@pytest.mark.parametrize(("sentence", "expected"), FORMS, ids=[sorted(c[1])[0][0] for c in FORMS])
def test_other_forms(sentence: str, expected: set[tuple[str, str, str]]) -> None:
    assert triples(LEAD + sentence, "holds", "person", "post", "org") == expected


def test_appointment_and_removal() -> None:
    body = (
        LEAD
        + "会议宣布,丁书航同志担任江北妇幼保健院党委书记,不再担任江北妇幼保健院院长职务;柯明川同志任江北妇幼保健院院长。"
    )
    got = {(r["person"], r["post"], r["org"], bool(r.get("former"))) for r in records(body, "holds")}
    assert got == {
        ("丁书航", "党委书记", "江北妇幼保健院", False),
        ("丁书航", "院长", "江北妇幼保健院", True),
        ("柯明川", "院长", "江北妇幼保健院", False),
    }


def test_appointed_by_a_decision() -> None:
    body = LEAD + "会议宣读了任命沈知远为城东医院副院长、免去鲍思成的城东医院院长职务的决定。"
    got = {(r["person"], r["post"], bool(r.get("former"))) for r in records(body, "holds")}
    assert got == {("沈知远", "副院长", False), ("鲍思成", "院长", True)}


def test_a_bare_bureau_post_in_a_hospitals_news_is_not_the_hospitals() -> None:
    body = LEAD + "苗立新局长出席会议。"
    assert triples(body, "holds", "person", "post", "org") == {("苗立新", "局长", "")}


def test_workplace_words_are_no_names() -> None:
    body = LEAD + "各村卫生室负责人、卫健主管部门负责同志参加会议。"
    assert records(body, "holds") == []
    assert records(body, "attended") == []
