"""Which clauses state a target: a linear model over clause features, read from JSON.

Each clause of an article gets one label: B (opens a target), I (continues the one before:
讲大局,|增强角色意识) or O. The model is a multinomial logistic regression trained on the gold
files by ``kg train`` (kg/train.py) and shipped as plain weights, so reading it runs no code;
labels are decided left to right, the previous label being a feature (a maximum-entropy
Markov model).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import KgError
from kg.extractors.clause_features import (
    ENUM_LEAD,
    FRAMED,
    NEVER_TARGET,
    NGRAMS,
    POSITIONAL,
    article_features,
)
from kg.extractors.clauses import Clause
from kg.text.segment import SegmentedArticle

LABELS = ("B", "I", "O")
FORMAT = "hospital-kg target model 1"
MODEL_FILE = "target_model.json"


def _codes(text: str) -> np.ndarray:
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    cps[cps > 0xFFFF] = 0  # never in a table: see ngram_features
    return cps


def _key(gram: str) -> int:
    key = 0
    for ch in gram:
        key = key << 16 | ord(ch)
    return key


def _table(pairs: list[tuple[int, tuple[float, ...]]], width: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted keys and their weight rows, and a last row of zeros for every code not among them."""
    pairs = sorted(pairs)
    keys = np.array([k for k, _ in pairs] or [-1], dtype=np.int64)
    values = np.array([w for _, w in pairs] + [(0.0,) * width], dtype=np.float64)
    return keys, values


def _gram_codes(cps: np.ndarray, n: int) -> np.ndarray:
    """The key of the n characters starting at each position where n fit."""
    count = max(len(cps) - n + 1, 0)
    codes = np.zeros(count, dtype=np.int64)
    for j in range(n):
        codes = codes << 16 | cps[j : j + count]
    return codes


def _lookup(table: tuple[np.ndarray, np.ndarray], codes: np.ndarray) -> np.ndarray:
    keys, values = table
    at = np.minimum(np.searchsorted(keys, codes), len(keys) - 1)
    return values[np.where(keys[at] == codes, at, len(values) - 1)]


class TargetModel:
    """Weights by feature name (what ``kg train`` writes), and the tables that score them fast."""

    def __init__(
        self, weights: dict[str, tuple[float, ...]], bias: tuple[float, ...], labels: tuple[str, ...] = LABELS
    ) -> None:
        self.weights, self.bias, self.labels = weights, bias, labels
        width = len(labels)
        table_families = ("c1:", "c2:", "c3:", *(f"{family}:" for family in POSITIONAL))
        other = sorted(k for k in weights if not k.startswith(table_families))
        self._index = {name: i for i, name in enumerate(other)}
        self._matrix = np.array([weights[k] for k in other] or [(0.0,) * width], dtype=np.float64)
        self._zero = np.zeros(width)
        keyed: dict[int, list[tuple[int, tuple[float, ...]]]] = {n: [] for n in NGRAMS}
        for name, w in weights.items():
            if name[:3] in ("c1:", "c2:", "c3:"):
                keyed[len(name) - 3].append((_key(name[3:]), w))
        self._tables = {n: _table(pairs, width) for n, pairs in keyed.items()}
        self._positional = {
            family: _table(
                [
                    (_key(name[len(family) + 1 :]), w)
                    for name, w in weights.items()
                    if name.startswith(family + ":")
                ],
                width,
            )
            for family in POSITIONAL
        }

    def _ngram_sums(self, text: str) -> dict[int, np.ndarray]:
        """n → cumulative weights of the n-grams starting before each position (row p: [0, p))."""
        cps = _codes(text)
        sums: dict[int, np.ndarray] = {}
        for n in NGRAMS:
            per = _lookup(self._tables[n], _gram_codes(cps, n))
            sums[n] = np.vstack([self._zero, np.cumsum(per, axis=0)]) if len(per) else self._zero[None, :]
        return sums

    def base_scores(
        self, doc: SegmentedArticle, clauses: Sequence[Clause], other: Sequence[list[str]]
    ) -> np.ndarray:
        """Each clause's score per label, all features but the previous label's."""
        out = np.tile(np.asarray(self.bias), (len(clauses), 1))
        index = self._index
        hit = [[c for f in features if (c := index.get(f)) is not None] for features in other]
        rows = np.repeat(np.arange(len(hit)), [len(h) for h in hit])
        cols = np.fromiter((c for h in hit for c in h), dtype=np.int64, count=len(rows))
        np.add.at(out, rows, self._matrix[cols])
        if clauses:
            sums = self._ngram_sums(doc.text)
            starts = np.fromiter((c.start for c in clauses), dtype=np.int64, count=len(clauses))
            ends = np.fromiter((c.end for c in clauses), dtype=np.int64, count=len(clauses))
            out += self._positional_scores(doc.text, starts, ends)
            for n in NGRAMS:
                top = len(sums[n]) - 1  # n-grams that start in the text
                first = np.minimum(starts, top)
                last = np.maximum(np.minimum(ends - n + 1, top), first)  # none fits: nothing added
                out += sums[n][last] - sums[n][first]
        return out

    def _positional_scores(self, text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        cps = _codes(text)
        codes = {size: _gram_codes(cps, size) for size in (1, 2)}
        lengths = ends - starts
        out = np.zeros((len(starts), len(self.labels)))
        for family, (which, anchor, size) in POSITIONAL.items():
            rows = np.arange(len(starts)) + which  # the clause whose characters are read
            valid = (rows >= 0) & (rows < len(starts))
            rows = np.clip(rows, 0, len(starts) - 1)
            valid &= lengths[rows] >= size
            at = starts[rows] if anchor == "start" else ends[rows] - size
            at = np.clip(at, 0, max(len(codes[size]) - 1, 0))
            if len(codes[size]):
                hits = _lookup(self._positional[family], codes[size][at])
                out += np.where(valid[:, None], hits, 0.0)
        return out

    def label(self, doc: SegmentedArticle) -> tuple[list[Clause], list[str]]:
        """Left to right: each clause's label, with the one before it as a feature."""
        clauses, other = article_features(doc)
        base = self.base_scores(doc, clauses, other)
        after = {
            label: self._matrix[self._index[f"prev:{label}"]]
            if f"prev:{label}" in self._index
            else self._zero
            for label in self.labels
        }
        # The best label after each possible previous one, for every clause at once; the walk
        # left to right then only picks which of the three to follow.
        best_after = {
            previous: [self.labels[i] for i in np.argmax(base + after[previous], axis=1)]
            for previous in self.labels
        }
        never = [not NEVER_TARGET.isdisjoint(features) for features in other]
        out: list[str] = []
        previous = "O"
        for k in range(len(clauses)):
            best = "O" if never[k] else best_after[previous][k]
            if best == "I" and previous == "O":
                best = "B"  # a continuation of nothing opens a target
            out.append(best)
            previous = best
        _one_goal_per_item(clauses, other, out)
        return clauses, out

    def score_features(self, features: Iterable[str]) -> list[float]:
        """A clause's score per label from its feature names: the slow path that training sees."""
        total = list(self.bias)
        for feature in features:
            w = self.weights.get(feature)
            if w is not None:
                for i, x in enumerate(w):
                    total[i] += x
        return total

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "labels": list(self.labels),
            "bias": [round(b, 6) for b in self.bias],
            "weights": {k: [round(x, 6) for x in v] for k, v in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: Any) -> TargetModel:
        """Validated field by field: a model file is data, never trusted as code."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise KgError(f"not a target model (expected format {FORMAT!r}); retrain it with `kg train`")
        labels = tuple(data.get("labels", ()))
        width = len(labels)
        bias = data.get("bias")
        weights = data.get("weights")
        if set(labels) != set(LABELS) or not isinstance(bias, list) or not isinstance(weights, dict):
            raise KgError("target model: labels, bias or weights missing; retrain it with `kg train`")

        def vector(values: Any) -> tuple[float, ...]:
            if not isinstance(values, list) or len(values) != width:
                raise KgError("target model: a weight vector of the wrong size; retrain it with `kg train`")
            return tuple(float(v) for v in values)

        for name in weights:
            gram = str(name)[3:]
            if str(name)[:3] in ("c1:", "c2:", "c3:") and (len(gram) != int(name[1]) or max(gram) > "\uffff"):
                raise KgError(f"target model: bad n-gram feature {name!r}; retrain it with `kg train`")
        return cls({str(k): vector(v) for k, v in weights.items()}, vector(bias), labels)


def _one_goal_per_item(clauses: Sequence[Clause], features: Sequence[list[str]], labels: list[str]) -> None:
    """Join what the genre writes as one goal (in place): an enumerated item's heading, however
    many commas it has (1、统一思想,提高认识,切实增强复审工作的信心;), and a frame with the
    clause it frames (以严密的组织领导,引领复审工作有条不紊的开展). The clause features say which
    clause opens an item (ENUM_LEAD) and which follows a frame in its sentence (FRAMED)."""
    in_heading = False
    for k, clause in enumerate(clauses):
        if ENUM_LEAD in features[k]:
            in_heading = True
        elif k == 0 or clause.sentence != clauses[k - 1].sentence or clause.before in ";;":
            in_heading = False
        elif in_heading and labels[k] == "B" and labels[k - 1] != "O":
            labels[k] = "I"
        if FRAMED in features[k] and labels[k] == "B" and labels[k - 1] != "O":
            labels[k] = "I"


def save_model(model: TargetModel, path: Path) -> None:
    path.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def load_model(path: Path) -> TargetModel:
    return TargetModel.from_json(json.loads(path.read_text(encoding="utf-8")))


@cache
def shipped_model() -> TargetModel:
    """The model that ships in the package, trained on every gold file (``kg train``)."""
    data = resources.files("kg.extractors").joinpath("models", MODEL_FILE).read_text(encoding="utf-8")
    return TargetModel.from_json(json.loads(data))
