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


def test_documents_named_without_brackets() -> None:
    body = MEETING + "会议审议通过了城南区紧密型医联体建设实施方案、城南区人民医院新院区搬迁方案。"
    titles = {t for (t,) in triples(body, "document", "title")}
    assert titles == {"城南区紧密型医联体建设实施方案", "城南区人民医院新院区搬迁方案"}


def test_a_plan_named_by_its_quoted_period() -> None:
    body = MEETING + "医院以医院“十四五”发展规划为目标,全面推进高质量发展。"
    assert ("医院“十四五”发展规划",) in triples(body, "document", "title")


def test_generic_documents_are_not_named_ones() -> None:
    body = MEETING + "会议审议通过了工作报告、财务报告。"
    assert records(body, "document") == []


def test_more_document_kinds_in_brackets() -> None:
    body = MEETING + "会上宣读了《关于表彰优秀护理工作者的通报》和《城南区人民医院工会倡议书》。"
    titles = {t for (t,) in triples(body, "document", "title")}
    assert titles == {"关于表彰优秀护理工作者的通报", "城南区人民医院工会倡议书"}


def test_tasks_in_a_speech_summary_are_targets() -> None:
    body = (
        MEETING
        + "院长林致远在讲话中提出三点要求:一是要强化责任意识,确保医疗安全;二是要狠抓学科建设,"
        + "着力打造区域胸痛中心;三是要深化改革创新,全力推动医院高质量发展。"
    )
    targets = {t for (t,) in triples(body, "set_target", "target")}
    assert any("胸痛中心" in t for t in targets), targets
    assert any("高质量发展" in t for t in targets), targets
    assert not any("林致远" in t for t in targets)
