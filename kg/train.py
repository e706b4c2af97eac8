"""Train the target model from gold files (``kg train``), and score it leave-one-article-out.

A gold target is found in its article's cleaned text; the clauses it covers are labelled B
(the first) and I (the rest), every other clause O. scikit-learn fits the weights; what is
shipped is the weights alone (kg/extractors/models/target_model.json), so the build does not
need scikit-learn and a model file runs no code.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg.errors import InputError, KgError
from kg.extractors.clause_features import article_features, ngram_features, positional_features
from kg.extractors.target_model import LABELS, MODEL_FILE, TargetModel, save_model
from kg.model import ArticleFacts
from kg.text.load import load_article
from kg.text.segment import SegmentedArticle, segment


@dataclass(frozen=True, slots=True)
class ArticleExamples:
    article_id: str
    features: list[list[str]]  # one list per clause, the previous gold label included
    labels: list[str]


def gold_targets(gold: Path) -> dict[str, list[str]]:
    """Article → its gold targets, as written."""
    out: dict[str, list[str]] = {}
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            if record.get("type") == "set_target":
                out.setdefault(record["article"], []).append(record["target"])
    return out


def clause_labels(doc: SegmentedArticle, spans: Sequence[tuple[int, int]], targets: list[str]) -> list[str]:
    """B / I / O for each clause body span, from where the gold targets stand in the text."""
    labels = ["O"] * len(spans)
    for target in targets:
        at = doc.text.find(target)
        if at < 0:
            continue  # not written as the gold writes it: nothing to learn from
        end = at + len(target)
        inside = [
            i
            for i, (s, e) in enumerate(spans)
            if e > s and min(e, end) - max(s, at) >= 0.5 * (e - s) and labels[i] == "O"
        ]
        for n, i in enumerate(inside):
            labels[i] = "B" if n == 0 else "I"
    return labels


def examples(sets: Sequence[tuple[Path, Path]]) -> list[ArticleExamples]:
    """Labelled clauses of every article the gold files name, found in the paired corpora."""
    out: list[ArticleExamples] = []
    for gold, corpus in sets:
        for article_id, targets in sorted(gold_targets(gold).items()):
            path = corpus / article_id
            if not path.is_file():
                raise InputError(f"{gold} names {article_id}, which is not in {corpus}")
            doc = segment(load_article(path, None))
            clauses, other = article_features(doc)
            labels = clause_labels(doc, [(c.start, c.end) for c in clauses], targets)
            previous = ["O", *labels[:-1]]
            bodies = [c.text(doc) for c in clauses]
            features = [
                [*f, *ngram_features(bodies[k]), *positional_features(bodies, k), f"prev:{p}"]
                for k, (f, p) in enumerate(zip(other, previous, strict=True))
            ]
            out.append(ArticleExamples(article_id, features, labels))
    return out


def fit(data: Sequence[ArticleExamples], exclude: Collection[str] = ()) -> TargetModel:
    """A multinomial logistic regression over the clauses of every article not excluded."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise KgError(
            "fitting the target model needs scikit-learn: pip install 'hospital-kg[train]'"
        ) from exc

    # Counts, not presence: the model sums an n-gram's weight once per occurrence.
    rows = [Counter(f) for a in data if a.article_id not in exclude for f in a.features]
    labels = [y for a in data if a.article_id not in exclude for y in a.labels]
    vectoriser = DictVectorizer()
    x = vectoriser.fit_transform(rows)
    # C: leave-one-article-out on seeds + dev over 0.1–3 put 0.3–0.5 on top (README, target model).
    classifier = LogisticRegression(C=0.5, max_iter=5000, class_weight="balanced")
    classifier.fit(x, labels)
    # One row of weights per label, whichever labels this training set happens to hold: a binary
    # fit scores its second class against zero, and a label never seen is never chosen.
    classes = [str(c) for c in classifier.classes_]
    coef, intercept = classifier.coef_, classifier.intercept_
    if len(classes) == 2:
        coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
    by_label = {label: (coef[i], float(intercept[i])) for i, label in enumerate(classes)}
    unseen = (np.zeros(coef.shape[1]), -1e6)
    matrix = np.vstack([by_label.get(label, unseen)[0] for label in LABELS])
    names = vectoriser.get_feature_names_out()
    weights = {
        str(name): tuple(float(x) for x in matrix[:, j])
        for j, name in enumerate(names)
        if np.abs(matrix[:, j]).max() >= 1e-4
    }
    return TargetModel(weights, tuple(by_label.get(label, unseen)[1] for label in LABELS))


def train(sets: Sequence[tuple[Path, Path]], out: Path) -> TargetModel:
    """Fit on every article of the gold sets and write the weights to ``out``."""
    model = fit(examples(sets))
    save_model(model, out)
    return model


def leave_one_out(articles: Sequence[ArticleFacts], data: Sequence[ArticleExamples]) -> None:
    """Re-read each training article's targets with a model fitted without it (in place).

    Articles the training data does not hold keep the targets they were built with.
    """
    from kg.extractors import targets
    from kg.model import Relation

    trained = {a.article_id for a in data}
    for item in articles:
        if item.article.id not in trained:
            continue
        model = fit(data, exclude={item.article.id})
        doc = segment(item.article)
        kept = [f for f in item.facts if f.relation is not Relation.SET_TARGET]
        item.facts = kept + list(targets.extract(doc, model))


def default_model_path() -> Path:
    return Path(__file__).parent / "extractors" / "models" / MODEL_FILE
