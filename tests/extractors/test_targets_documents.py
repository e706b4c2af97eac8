"""meeting–set_target and organisation–issued–document."""

from __future__ import annotations

from tests.extractors.helpers import records, triples

MEETING = "3月5日上午,城南区人民医院召开2023年度工作会议。"


def test_quoted_main_goal() -> None:
    body = MEETING + "报告提出2023年的主要目标“两个确保,一个提升”。"
    assert ("两个确保,一个提升",) in triples(body, "set_target", "target")


def test_aims() -> None:
    body = MEETING + "院长强调,一要力争年内通过三级甲等医院评审;二要确保全年医疗质量安全零事故。"
    targets = {t for (t,) in triples(body, "set_target", "target")}
    assert "力争年内通过三级甲等医院评审" in targets
    assert "确保全年医疗质量安全零事故" in targets


def test_counted_targets() -> None:
    body = MEETING + "会议明确了打造区域医疗中心等25个具体目标。"
    assert ("25个具体目标",) in triples(body, "set_target", "target")


def test_past_results_are_not_targets() -> None:
    body = MEETING + "2022年医院取得了显著成绩,圆满完成了年度目标任务,门急诊量达到260万人次。"
    assert records(body, "set_target") == []


def test_no_meeting_no_target() -> None:
    body = "医院将力争年内通过三级甲等医院评审。"
    assert records(body, "set_target", title="医院新闻") == []


def test_document_with_its_issuer() -> None:
    body = MEETING + "江北市卫健委印发了《2023年全市医疗质量提升行动方案》。"
    assert triples(body, "document", "title", "org") == {("2023年全市医疗质量提升行动方案", "江北市卫健委")}


def test_document_named_by_the_hospital_itself() -> None:
    body = MEETING + "会上,院长解读了《城南区人民医院绩效考核实施办法》。"
    assert triples(body, "document", "title", "org") == {("城南区人民医院绩效考核实施办法", "城南区人民医院")}


def test_bracketed_sentences_are_not_documents() -> None:
    body = MEETING + "《实施智慧财务管理系统,加强医院财务核算、成本管理》全面提升管理水平。"
    assert records(body, "document") == []
