"""Which clauses state a target: a linear model over clause features, read from JSON.

Each clause of an article gets one label: B (opens a target), I (continues the one before:
讲大局,|增强角色意识) or O. The model is a multinomial logistic regression trained on the gold
files by ``kg train`` (kg/train.py) and shipped as plain weights, so reading it runs no code;
labels are decided left to right, the previous label being a feature (a maximum-entropy
Markov model).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.extractors.clauses import ENUMERATOR, Clause, clauses
from kg.text.segment import SegmentedArticle

LABELS = ("B", "I", "O")
FORMAT = "hospital-kg target model 1"
MODEL_FILE = "target_model.json"

_SPEECH = re.compile(r"强调|指出|要求|提出|号召|部署|希望|表示|明确")
_PAST = re.compile(r"取得|完成了|获得|荣获|已经|回顾|总结了|肯定|介绍了|听取|审议|通过了|选举")
_MODAL = re.compile(r"要|必须|务必|应|需|力争|确保|努力|着力|全力|坚持|推进|加强|打造|提升")
_CUE_WORDS = ("以", "着力", "聚焦", "围绕", "确保", "力争", "推动", "推进", "加强", "加快", "坚持", "全面",
              "深化", "强化", "提升", "提高", "打造", "建设", "落实", "实现", "做好", "抓好", "努力", "不断",
              "持续", "切实", "进一步", "继续", "全力", "扎实", "认真", "牢固树立", "统筹", "把", "让", "通过")  # fmt: skip


_CONJOINED = frozenset({"bias", "sent:speech", "lead:enum", "lead:speech", "lead:modal", "modal", "past"})


def _bucket(n: int) -> str:
    return (
        "0"
        if n == 0
        else "1-3"
        if n <= 3
        else "4-7"
        if n <= 7
        else "8-15"
        if n <= 15
        else "16-30"
        if n <= 30
        else "31+"
    )


def article_features(doc: SegmentedArticle) -> tuple[list[Clause], list[list[str]]]:
    """Every clause of the article and its features (all but the previous label's)."""
    text = doc.text
    items: list[tuple[Clause, int, int]] = []  # clause, sentence number, clause number in it
    for s_index, sentence in enumerate(doc.sentences):
        for c_index, clause in enumerate(clauses(doc, sentence)):
            items.append((clause, s_index, c_index))
    n_sentences = max(len(doc.sentences), 1)
    # Long speeches state many tasks and the gold marks the salient ones: density depends on length.
    size = "short" if len(text) < 1500 else "medium" if len(text) < 3000 else "long"
    feats: list[list[str]] = []
    for k, (clause, s_index, c_index) in enumerate(items):
        body = clause.text(doc)
        sentence_text = text[clause.sentence.start : clause.sentence.end]
        f = ["bias"]
        for n in (1, 2, 3):
            f.extend(f"c{n}:{body[i : i + n]}" for i in range(len(body) - n + 1))
        if body:
            f += [f"first2:{body[:2]}", f"first1:{body[:1]}", f"last1:{body[-1:]}", f"last2:{body[-2:]}"]
        f += [f"len:{_bucket(len(body))}", f"cidx:{min(c_index, 4)}", f"sidx:{min(s_index, 3)}"]
        f.append(f"pos:{int(5 * s_index / n_sentences)}")
        f += [f"before:{clause.before or '^'}", f"after:{clause.after or '$'}"]
        lead = clause.lead
        if lead:
            f.append("lead")
            f.extend(f"lead2:{lead[i : i + 2]}" for i in range(len(lead) - 1))
            if ENUMERATOR.match(lead):
                f.append("lead:enum")
            if _SPEECH.search(lead):
                f.append("lead:speech")
            if lead.endswith("要"):
                f.append("lead:modal")
        if _SPEECH.search(sentence_text):
            f.append("sent:speech")
        if _PAST.search(body):
            f.append("past")
        if _PAST.search(sentence_text):
            f.append("sent:past")
        if _MODAL.search(body):
            f.append("modal")
        if "“" in body or "「" in body:
            f.append("quote")
        if re.search(r"\d", body):
            f.append("digit")
        if "的" in body[-4:]:
            f.append("de_end")
        f.extend(f"cue:{w}" for w in _CUE_WORDS if body.startswith(w))
        if k > 0:
            prev, _, _ = items[k - 1]
            prev_body = prev.text(doc)
            f += [f"p.first2:{prev_body[:2]}", f"p.len:{_bucket(len(prev_body))}"]
            if prev.lead and ENUMERATOR.match(prev.lead):
                f.append("p.lead:enum")
            if prev.lead and _SPEECH.search(prev.lead):
                f.append("p.lead:speech")
            if not prev_body:
                f.append("p.empty")
        if k + 1 < len(items):
            nxt = items[k + 1][0]
            f.append(f"n.first2:{nxt.text(doc)[:2]}")
            if nxt.lead and ENUMERATOR.match(nxt.lead):
                f.append("n.lead:enum")
        f += [f"doc:{size}", *(f"doc:{size}|{x}" for x in f if x in _CONJOINED)]
        feats.append(f)
    return [c for c, _, _ in items], feats


@dataclass(frozen=True, slots=True)
class TargetModel:
    weights: dict[str, tuple[float, ...]]  # feature → one weight per label
    bias: tuple[float, ...]
    labels: tuple[str, ...] = LABELS

    def scores(self, features: Iterable[str]) -> list[float]:
        total = list(self.bias)
        for feature in features:
            w = self.weights.get(feature)
            if w is not None:
                for i, x in enumerate(w):
                    total[i] += x
        top = max(total)
        exp = [math.exp(x - top) for x in total]
        z = sum(exp)
        return [x / z for x in exp]

    def label(self, features: Sequence[list[str]]) -> list[str]:
        """Left to right: each clause's label, with the one before it as a feature."""
        out: list[str] = []
        previous = "O"
        for f in features:
            probs = self.scores([*f, f"prev:{previous}"])
            best = self.labels[max(range(len(probs)), key=probs.__getitem__)]
            if best == "I" and previous == "O":
                best = "B"  # a continuation of nothing opens a target
            out.append(best)
            previous = best
        return out

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

        return cls({str(k): vector(v) for k, v in weights.items()}, vector(bias), labels)


def save_model(model: TargetModel, path: Path) -> None:
    path.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def load_model(path: Path) -> TargetModel:
    return TargetModel.from_json(json.loads(path.read_text(encoding="utf-8")))


@cache
def shipped_model() -> TargetModel:
    """The model that ships in the package, trained on every gold file (``kg train``)."""
    data = resources.files("kg.extractors").joinpath("models", MODEL_FILE).read_text(encoding="utf-8")
    return TargetModel.from_json(json.loads(data))
