"""Clauses, and the target model: what it reads from the text is what training saw."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kg.errors import KgError
from kg.extractors import targets
from kg.extractors.clause_features import (
    NEVER_TARGET,
    ROLL_CALL,
    SPEAKER,
    STATEMENT,
    article_features,
    ngram_features,
    positional_features,
)
from kg.extractors.clauses import clauses
from kg.extractors.target_model import TargetModel, shipped_model
from kg.model import Article
from kg.text.load import load_article
from kg.text.segment import segment

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "dev" / "articles"
ARTICLES = sorted((ROOT / "corpus").glob("*.txt")) + (sorted(DEV.glob("*.txt")) if DEV.is_dir() else [])


def _clauses(text: str) -> list[tuple[str, str]]:
    doc = segment(Article("t.txt", "", text))
    return [(c.lead, c.text(doc)) for s in doc.sentences for c in clauses(doc, s)]


def test_clauses_cut_at_punctuation_and_enumerators_keeping_quotes_whole() -> None:
    got = _clauses("院长强调,一是要讲团结,增强合力;二是“抓落实,见成效”。")
    assert got == [("院长强调", ""), ("一是要", "讲团结"), ("", "增强合力"), ("二是", "“抓落实,见成效”")]


def test_numbered_items_open_clauses() -> None:
    got = _clauses("提出三点要求:1、统一思想;2、强化责任。")
    assert [body for _, body in got] == ["", "统一思想", "强化责任"]
    assert [lead for lead, _ in got][1:] == ["1、", "2、"]


def test_a_number_inside_a_word_opens_nothing() -> None:
    assert _clauses("统一是前提") == [("", "统一是前提")]


def test_an_ordinal_inside_a_name_opens_nothing() -> None:
    assert [body for _, body in _clauses("市纪委监委第八派驻组参加会议")] == ["市纪委监委第八派驻组参加会议"]
    assert [lead for lead, _ in _clauses("会议强调:第一,抓安全;第二、抓质量。")][1:] == ["第一", "", "第二、"]
    assert _clauses("第一季度完成") == [("", "第一季度完成")]


# A model that calls every clause the start of a target: what comes out is what the rules let through.
EVERY_CLAUSE = TargetModel({}, (1.0, 0.0, 0.0))
MEETING = "4月2日,河西区中心医院召开2024年度质量安全工作会议。"


def _model_targets(body: str, model: TargetModel = EVERY_CLAUSE) -> list[str]:
    doc = segment(Article("t.txt", "", MEETING + body))
    found = targets.model_targets(doc, model)
    return [doc.text[span.start : span.end] for span, _ in found if span.start >= len(MEETING)]


def _flags(body: str) -> dict[str, set[str]]:
    doc = segment(Article("t.txt", "", MEETING + body))
    found, other = article_features(doc)
    return {
        c.text(doc): set(f) & NEVER_TARGET
        for c, f in zip(found, other, strict=True)
        if c.start >= len(MEETING)
    }


def test_who_took_part_is_never_a_target_but_what_they_said_may_be() -> None:
    body = "副市长董立群出席会议并讲话,他强调,要全力推进胸痛中心建设。各科室主任、护士长参加会议。"
    flags = _flags(body)
    assert ROLL_CALL in flags["副市长董立群出席会议并讲话"]
    assert ROLL_CALL in flags["各科室主任、护士长参加会议"]
    assert not flags["全力推进胸痛中心建设"]
    got = _model_targets(body)
    assert "全力推进胸痛中心建设" in got
    assert not any("参加会议" in t or "出席" in t for t in got)


def test_a_roll_call_runs_on_past_semicolons() -> None:
    body = "出席会议的人员有:各科室主任、护士长;行政后勤部门负责人;各社区卫生服务站站长。"
    assert all(ROLL_CALL in f for t, f in _flags(body).items() if t)
    assert _model_targets(body) == []


def test_speakers_and_statements_are_never_targets() -> None:
    speaker = "省纪委驻省卫健委纪检监察组组长、省卫健委党组成员邵文彬指出"
    body = speaker + ",开展行风整治是守护群众健康的重要举措,要扎实开展专项整治行动。"
    flags = _flags(body)
    assert SPEAKER in flags[speaker]
    assert STATEMENT in flags["开展行风整治是守护群众健康的重要举措"]
    assert _model_targets(body) == ["扎实开展专项整治行动"]


def test_an_enumerated_heading_is_one_goal_however_many_commas() -> None:
    body = "院长提出两点要求:1、统一思想,提高认识,切实增强迎评信心;2、强化领导,压实责任。"
    assert _model_targets(body) == ["统一思想,提高认识,切实增强迎评信心", "强化领导,压实责任"]


def test_a_frame_joins_the_clause_it_frames() -> None:
    body = "会议强调,要以患者需求为导向,持续改善就医体验;通过智慧医院建设,提升服务效率。"
    assert _model_targets(body) == ["以患者需求为导向,持续改善就医体验", "通过智慧医院建设,提升服务效率"]


def test_fragments_shorter_than_any_goal_are_dropped() -> None:
    doc = segment(Article("t.txt", "", MEETING + "会议要求,抓环境,抓服务,全面提升患者满意度。"))
    got = {f.object.text for f in targets.extract(doc, EVERY_CLAUSE)}
    assert "全面提升患者满意度" in got
    assert not got & {"抓环境", "抓服务"}


def test_fast_scores_equal_the_feature_names_scores() -> None:
    """The n-gram and fixed-place tables give, clause by clause, what summing named features gives."""
    model = shipped_model()
    for path in ARTICLES:
        doc = segment(load_article(path, None))
        found, other = article_features(doc)
        fast = model.base_scores(doc, found, other)
        bodies = [c.text(doc) for c in found]
        for k, row in enumerate(fast):
            names = [*other[k], *ngram_features(bodies[k]), *positional_features(bodies, k)]
            assert np.allclose(row, model.score_features(names), atol=1e-9), (path.name, bodies[k])


def test_characters_beyond_the_basic_plane_are_read_as_unknown() -> None:
    model = shipped_model()
    doc = segment(Article("t.txt", "", "要全面推进𠀀𠀁医院建设。"))
    found, other = article_features(doc)
    assert model.base_scores(doc, found, other).shape == (len(found), 3)
    assert all("𠀀" not in f for f in ngram_features(found[0].text(doc)))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"format": "something else"},
        {"format": "hospital-kg target model 1", "labels": ["B", "I", "O"], "bias": [0, 0], "weights": {}},
        {
            "format": "hospital-kg target model 1",
            "labels": ["B", "I", "O"],
            "bias": [0, 0, 0],
            "weights": {"c2:长": [0, 0, 0]},
        },
        {"format": "hospital-kg target model 1", "labels": ["X", "I", "O"], "bias": [0, 0, 0], "weights": {}},
    ],
)
def test_a_bad_model_file_is_refused_with_the_fix(data: object) -> None:
    with pytest.raises(KgError, match="kg train"):
        TargetModel.from_json(data)


def test_the_shipped_model_round_trips_through_json() -> None:
    model = shipped_model()
    again = TargetModel.from_json(json.loads(json.dumps(model.to_json())))
    assert again.weights == {k: tuple(round(x, 6) for x in v) for k, v in model.weights.items()}
