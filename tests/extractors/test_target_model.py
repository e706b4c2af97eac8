"""Clauses, and the target model: what it reads from the text is what training saw."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kg.errors import KgError
from kg.extractors.clause_features import article_features, ngram_features, positional_features
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
