"""How well the tenures match a gold file of tenures (``bench/make_corpus.py`` writes one):

    {"person": "廖辉杰", "post": "院长", "org": "湘潭市中医院", "start": "2019-02-14", "end": ""}

A predicted tenure matches a gold one with the same person and post (white space removed) whose
organisation agrees (equal, or one contains the other: as ``kg eval`` scores holds); each gold
tenure matches once, the one with the nearest start. Over the matched pairs, the start and the
end are right when their years are equal (an open end must be open).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.evaluate import TypeScore, org_agrees
from kg.store import GraphStore
from kg.tenures import labelled, tenure_rows
from kg.text.similarity import squash


@dataclass(frozen=True, slots=True)
class TenureRecord:
    person: str
    post: str
    org: str
    start: str  # ISO date or prefix; "" unknown
    end: str  # "" open


@dataclass(slots=True)
class TenureScore(TypeScore):
    """P/R/F1 as for a fact type (matched, predicted, gold), and the dates of the matched ones."""

    start_right: int = 0
    end_right: int = 0

    @property
    def start_accuracy(self) -> float:
        return self.start_right / self.matched if self.matched else 0.0

    @property
    def end_accuracy(self) -> float:
        return self.end_right / self.matched if self.matched else 0.0


def load_tenures(path: Path) -> list[TenureRecord]:
    out: list[TenureRecord] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            out.append(TenureRecord(r["person"], r["post"], r["org"], r.get("start", ""), r.get("end", "")))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}:{number}: not a tenure line ({exc})") from None
    return out


def predicted_tenures(store: GraphStore) -> list[TenureRecord]:
    return [
        TenureRecord(row.person, row.post, row.organisation, row.tenure.start, row.tenure.end)
        for row in (labelled(store, r) for r in tenure_rows(store))
    ]


def _year(value: str) -> str:
    return value[:4]


def score_tenures(gold: list[TenureRecord], predicted: list[TenureRecord]) -> TenureScore:
    result = TenureScore(gold=len(gold), predicted=len(predicted))
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, g in enumerate(gold):
        by_key.setdefault((squash(g.person), squash(g.post)), []).append(i)
    used: set[int] = set()
    for p in sorted(predicted, key=lambda t: (t.person, t.post, t.org, t.start)):
        candidates = [
            i
            for i in by_key.get((squash(p.person), squash(p.post)), [])
            if i not in used and org_agrees(gold[i].org, p.org)
        ]
        if not candidates:
            result.errors.append({"error": "spurious", "tenure": _as_dict(p)})
            continue
        best = min(candidates, key=lambda i: (_year(gold[i].start) != _year(p.start), gold[i].start, i))
        used.add(best)
        g = gold[best]
        result.matched += 1
        start_ok = _year(g.start) == _year(p.start)
        end_ok = _year(g.end) == _year(p.end)
        result.start_right += start_ok
        result.end_right += end_ok
        if not (start_ok and end_ok):
            result.errors.append({"error": "dates", "gold": _as_dict(g), "predicted": _as_dict(p)})
    result.errors += [
        {"error": "missed", "tenure": _as_dict(gold[i])} for i in range(len(gold)) if i not in used
    ]
    return result


def _as_dict(t: TenureRecord) -> dict[str, str]:
    return {"person": t.person, "post": t.post, "org": t.org, "start": t.start, "end": t.end}


def tenure_table(s: TenureScore) -> str:
    return (
        f"{'tenures':<13}{'gold':>6}{'pred':>6}{'match':>6}{'P':>7}{'R':>7}{'F1':>7}{'start':>7}{'end':>7}\n"
        f"{'':<13}{s.gold:>6}{s.predicted:>6}{s.matched:>6}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
        f"{s.start_accuracy:>7.3f}{s.end_accuracy:>7.3f}"
    )


def tenure_json(s: TenureScore) -> dict[str, float | int]:
    return {
        "gold": s.gold,
        "predicted": s.predicted,
        "matched": s.matched,
        "precision": round(s.precision, 4),
        "recall": round(s.recall, 4),
        "f1": round(s.f1, 4),
        "start_accuracy": round(s.start_accuracy, 4),
        "end_accuracy": round(s.end_accuracy, 4),
    }
