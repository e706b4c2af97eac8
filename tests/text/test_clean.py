"""One case per kind of boilerplate scraped pages carry."""

from __future__ import annotations

import pytest

from kg.text.clean import clean, find_dateline

BODY = "3月5日上午,城南区人民医院召开2023年度工作会议。党委书记欧阳明远主持会议。"


def test_navigation_bullets_and_breadcrumbs_go() -> None:
    raw = "• 休闲生活\n  • 教育教学\n• 当前位置: 文档网 > 正文\n城南区人民医院召开2023年度工作会议\n" + BODY
    article = clean("a.txt", raw)
    assert article.title == "城南区人民医院召开2023年度工作会议"
    assert "休闲生活" not in article.text and "当前位置" not in article.text
    assert BODY in article.text


def test_hotlines_and_follow_buttons_go() -> None:
    raw = (
        "急救电话:0731-88149120 13787215417\n医院订阅号\n挂号指南>>\n城南区人民医院召开2023年度工作会议\n"
        + BODY
    )
    article = clean("a.txt", raw)
    assert "0731" not in article.text and "订阅号" not in article.text and "挂号" not in article.text


def test_image_file_names_go() -> None:
    raw = "城南区人民医院召开2023年度工作会议\n" + BODY + "\n2023年度工作会议2.jpg\n会议现场.PNG\n院长讲话。"
    article = clean("a.txt", raw)
    assert ".jpg" not in article.text and ".PNG" not in article.text
    assert article.text.endswith("院长讲话。")


def test_repeated_captions_and_headline_go() -> None:
    headline = "城南区人民医院召开2023年度工作会议"
    raw = (
        f"{headline}\n{BODY}\n{headline}\n一组讨论现场\n{headline}\n二组讨论现场\n会议号召全院职工扎实工作。"
    )
    article = clean("a.txt", raw)
    assert article.text.splitlines().count(headline) == 1
    assert "会议号召全院职工扎实工作。" in article.text


def test_footer_after_recommended_reading_goes() -> None:
    raw = "城南区人民医院召开2023年度工作会议\n" + BODY + "\n推荐阅读\n另一篇新闻标题在这里\n合作咨询"
    article = clean("a.txt", raw)
    assert "推荐阅读" not in article.text and "另一篇新闻" not in article.text


def test_teaser_of_next_paragraph_goes() -> None:
    lead = "3月5日,城南区人民医院召开2023年度工作会议,全面总结上年工作,安排部署本年工作任务。"
    raw = "城南区人民医院召开2023年度工作会议\n" + lead[:30] + "...\n" + lead
    article = clean("a.txt", raw)
    assert article.text.count("全面总结") == 1


def test_editor_line_goes() -> None:
    article = clean("a.txt", "城南区人民医院召开2023年度工作会议\n" + BODY + "\n编辑:李某某")
    assert "编辑" not in article.text


# fmt: off
@pytest.mark.parametrize(("line", "iso"), [
    ("2022-01-30 ", "2022-01-30"),
    ("时间:2024-02-04 作者:管理员 来源:管理员 次阅读", "2024-02-04"),
    ("发布于:2019-07-31", "2019-07-31"),
    ("发布时间:2023年3月6日", "2023-03-06"),
    ("时间:2021-04-21 12:19:35 来源:达达文档网 本文已影响 达达文档网手机站", "2021-04-21"),
    ("12.05.2018  09:30", "2018-05-12"),  # day first where the year comes last
])

def test_datelines(line: str, iso: str) -> None:
    assert find_dateline(line) == iso
    assert clean("a.txt", "城南区人民医院召开2023年度工作会议\n" + line + "\n" + BODY).published == iso


def test_a_dateline_in_a_source_line_or_run_into_the_lead() -> None:
    source = clean("a.txt", "城南区人民医院召开2023年度工作会议\n来源:城南区融媒体中心 2023-03-06 10:12\n" + BODY)
    assert source.published == "2023-03-06"
    lead = "2023-03-06 来源:健康报 城南讯(记者 王某)" + BODY
    run_in = clean("a.txt", "城南区人民医院召开2023年度工作会议\n" + lead)
    assert run_in.published == "2023-03-06"
    assert BODY in run_in.text  # the lead itself is kept


def test_a_photo_file_name_before_a_paragraph_goes_and_offsets_still_map() -> None:
    raw = "城南区人民医院召开2023年度工作会议\n" + BODY + "\n20230305_1742.jpeg      会上,院长韩书平讲话。"
    article = clean("a.txt", raw)
    assert ".jpeg" not in article.text and article.text.endswith("\n会上,院长韩书平讲话。")
    pos = article.text.index("韩书平")
    assert raw[article.raw_offset(pos) : article.raw_offset(pos) + 3] == "韩书平"


def test_a_date_inside_a_sentence_is_no_dateline() -> None:
    assert find_dateline("会议要求全院在2023-06-30前完成自查工作并上报结果") == ""


def test_offsets_map_back_to_the_raw_file() -> None:
    raw = "当前位置:首页 > 新闻\n\n  城南区人民医院召开2023年度工作会议\n2023-03-06\n  " + BODY
    article = clean("a.txt", raw)
    pos = article.text.index("欧阳明远")
    assert raw[article.raw_offset(pos) : article.raw_offset(pos) + 4] == "欧阳明远"


def test_a_story_with_no_headline_keeps_every_sentence() -> None:
    raw = "首页 > 新闻\n近日,清河县卫生健康局召开全县医疗质量安全管理工作推进会。局长黎明辉出席会议并讲话。\n会议印发了实施方案。"
    article = clean("a.txt", raw)
    assert article.title == ""
    assert article.text.startswith("近日,清河县卫生健康局召开")
    assert article.text.endswith("会议印发了实施方案。")
    assert "首页" not in article.text
