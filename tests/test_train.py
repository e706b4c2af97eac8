"""kg train: the target model is refitted from gold files, the same bytes every time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extractors.target_model import load_model
from kg.text.load import load_article
from kg.text.segment import segment
from kg.train import clause_labels, examples

ROOT = Path(__file__).resolve().parent.parent
SEEDS_GOLD = ROOT.parent / "shared" / "gold" / "seeds.jsonl"
CORPUS = ROOT / "corpus"

pytest.importorskip("sklearn")
needs_gold = pytest.mark.skipif(
    not SEEDS_GOLD.is_file(), reason="the shared gold files are not beside the repo"
)


def test_gold_targets_label_the_clauses_they_cover() -> None:
    article = load_article(CORPUS / "000_0bb0e5087617b500.txt", None)
    doc = segment(article)
    text = doc.text
    target = "推进医院高质量发展工作实现再巩固、再提升、再突破"
    assert target in text
    at = text.index(target)
    spans = [
        (at - 5, at - 1),
        (at, at + 9),
        (at + 10, at + len(target)),
        (at + len(target) + 1, at + len(target) + 4),
    ]
    assert clause_labels(doc, spans, [target]) == ["O", "B", "I", "O"]


@needs_gold
def test_retraining_is_deterministic(tmp_path: Path) -> None:
    runner = CliRunner()
    outs = [tmp_path / "a.json", tmp_path / "b.json"]
    for out in outs:
        result = runner.invoke(cli, ["train", "--train", str(SEEDS_GOLD), str(CORPUS), "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert outs[0].read_bytes() == outs[1].read_bytes()
    model = load_model(outs[0])
    assert model.weights  # and it reads back as a model


@needs_gold
def test_every_seed_article_gives_labelled_clauses() -> None:
    data = examples([(SEEDS_GOLD, CORPUS)])
    assert {a.article_id for a in data} == {p.name for p in CORPUS.glob("*.txt")}
    assert all("B" in a.labels and len(a.labels) == len(a.features) for a in data)


@needs_gold
def test_eval_leave_one_out_and_floors() -> None:
    runner = CliRunner()
    args = [
        "eval",
        "--gold",
        str(SEEDS_GOLD),
        str(CORPUS),
        "--train",
        str(SEEDS_GOLD),
        str(CORPUS),
        "--json",
        "-j",
        "1",
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["set_target"]["gold"] == 49
    below = runner.invoke(cli, [*args, "--floor", "micro=1.01"])
    assert below.exit_code == 1 and "below the floor" in below.output
    bogus = runner.invoke(cli, [*args, "--floor", "nothing=0.5"])
    assert bogus.exit_code == 2
    noisy = [kind for kind, s in scores.items() if s["predicted"] and s["precision"] < 1.0]
    strict = runner.invoke(cli, [*args, "--min-precision", "1.0"])
    assert strict.exit_code == (1 if noisy else 0)
    assert all(f"{kind} precision" in strict.output for kind in noisy)


def test_train_needs_a_gold_set() -> None:
    result = CliRunner().invoke(cli, ["train"])
    assert result.exit_code == 2
