"""Score extracted facts against a gold JSONL file, as shared/gold/FORMAT.md describes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import GoldFormatError
from kg.model import ArticleFacts, Relation
from kg.relations import GOLD_TYPES, SPECS
from kg.resolve import Resolution
from kg.text.similarity import char_f1, squash

TYPES = GOLD_TYPES  # the gold file's types, in the order tables print them (kg/relations.py)
REQUIRED: dict[str, tuple[str, ...]] = {str(r): spec.gold for r, spec in SPECS.items() if spec.gold}

Record = dict[str, Any]


def load_gold(path: Path) -> list[Record]:
    """Gold facts; a malformed line raises GoldFormatError naming the file and line."""
    records: list[Record] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{path}:{number}:{exc.colno}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise GoldFormatError(f"{path}:{number}: expected a JSON object")
        kind = record.get("type")
        if kind not in REQUIRED:
            raise GoldFormatError(
                f"{path}:{number}: unknown type {kind!r}; expected one of {', '.join(TYPES)}"
            )
        missing = [k for k in ("article", *REQUIRED[kind]) if k not in record]
        if missing:
            raise GoldFormatError(f"{path}:{number}: {kind} fact lacks {', '.join(missing)}")
        records.append(record)
    return records


def predictions(articles: Iterable[ArticleFacts], resolution: Resolution) -> list[Record]:
    """The build's facts written as gold records (one per distinct fact per article)."""
    out: list[Record] = []
    for item in articles:
        aid = item.article.id
        seen: set[tuple[Any, ...]] = set()

        def org_label(text: str, aid: str = aid) -> str:
            return resolution.written_label(aid, resolution.org_id(aid, text)) or text if text else ""

        for fact in item.facts:
            record: Record
            s, o = fact.subject, fact.object
            match fact.relation:
                case Relation.HOLDS:
                    record = {
                        "type": "holds",
                        "person": s.text,
                        "post": o.text,
                        "org": org_label(o.attr("org")),
                    }
                    if fact.qualifier("former"):
                        record["former"] = True
                case Relation.HELD:
                    record = {
                        "type": "held",
                        "org": org_label(s.text),
                        "meeting": o.text,
                        "date": fact.qualifier("date"),
                    }
                case Relation.PRESIDED | Relation.SPOKE | Relation.ATTENDED:
                    record = {"type": str(fact.relation), "person": s.text, "meeting": o.text}
                case Relation.SET_TARGET:
                    record = {"type": "set_target", "meeting": s.text, "target": o.text}
                case Relation.DOCUMENT:
                    record = {"type": "document", "title": o.text, "org": org_label(s.text)}
                case _:
                    continue
            key = tuple(sorted((k, str(v)) for k, v in record.items()))
            if key not in seen:
                seen.add(key)
                out.append({"article": aid, **record})
    return out


def org_agrees(gold: str, pred: str) -> bool:
    g, p = squash(gold), squash(pred)
    if not g or not p:
        return g == p
    return g in p or p in g


def _score_pair(kind: str, gold: Record, pred: Record) -> float | None:
    """How well a prediction matches a gold fact; None when it does not match."""
    if kind == "holds":
        ok = gold["person"] == pred["person"] and squash(gold["post"]) == squash(pred["post"])
        return 1.0 if ok else None
    if kind == "held":
        f = char_f1(gold["meeting"], pred["meeting"])
        return f if f >= 0.5 and org_agrees(gold["org"], pred["org"]) else None
    if kind in ("presided", "spoke", "attended"):
        f = char_f1(gold["meeting"], pred["meeting"])
        return f if f >= 0.5 and gold["person"] == pred["person"] else None
    field_name = "target" if kind == "set_target" else "title"
    f = char_f1(gold[field_name], pred[field_name])
    return f if f >= 0.5 else None


@dataclass(slots=True)
class TypeScore:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    attribute_right: int = 0  # holds: org; held: date
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def attribute_accuracy(self) -> float | None:
        return self.attribute_right / self.matched if self.matched else None


def score(
    gold: list[Record], predicted: list[Record], articles: set[str] | None = None
) -> dict[str, TypeScore]:
    """Per-type scores, greedy one-to-one matching, best overlap first."""
    if articles is not None:
        gold = [g for g in gold if g["article"] in articles]
        predicted = [p for p in predicted if p["article"] in articles]
    scores = {kind: TypeScore() for kind in TYPES}
    attribute: dict[str, Callable[[Record, Record], bool]] = {
        "holds": lambda g, p: org_agrees(g["org"], p["org"]),
        "held": lambda g, p: g["date"] == p["date"],
    }
    for kind in TYPES:
        gs = [g for g in gold if g["type"] == kind]
        ps = [p for p in predicted if p["type"] == kind]
        ts = scores[kind]
        ts.gold, ts.predicted = len(gs), len(ps)
        # Facts only ever match within their article: pair them article by article (comparing
        # every gold fact with every prediction of the corpus took minutes at 10k articles).
        by_article: dict[str, list[int]] = {}
        for j, p in enumerate(ps):
            by_article.setdefault(p["article"], []).append(j)
        pairs = []
        for i, g in enumerate(gs):
            for j in by_article.get(g["article"], ()):
                s = _score_pair(kind, g, ps[j])
                if s is not None:
                    pairs.append((-s, i, j))
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, i, j in sorted(pairs):
            if i in used_g or j in used_p:
                continue
            used_g.add(i)
            used_p.add(j)
            ts.matched += 1
            check = attribute.get(kind)
            if check is not None:
                if check(gs[i], ps[j]):
                    ts.attribute_right += 1
                else:
                    ts.errors.append({"wrong": gs[i], "predicted": ps[j]})
        ts.errors += [{"missed": g} for i, g in enumerate(gs) if i not in used_g]
        ts.errors += [{"spurious": p} for j, p in enumerate(ps) if j not in used_p]
    return scores


def micro(scores: dict[str, TypeScore]) -> TypeScore:
    total = TypeScore()
    for ts in scores.values():
        total.gold += ts.gold
        total.predicted += ts.predicted
        total.matched += ts.matched
    return total


def report_table(scores: dict[str, TypeScore]) -> str:
    rows = [*scores.items(), ("micro", micro(scores))]
    w = max(6, *(len(str(ts.gold)) + 1 for _, ts in rows), *(len(str(ts.predicted)) + 1 for _, ts in rows))
    m = max(7, w)
    lines = [f"{'type':<11}{'gold':>{w}}{'pred':>{w}}{'match':>{m}}{'P':>7}{'R':>7}{'F1':>7}  attribute"]
    for kind, ts in rows:
        attr = ""
        if kind in ("holds", "held") and ts.attribute_accuracy is not None:
            attr = f"{'org' if kind == 'holds' else 'date'} acc {ts.attribute_accuracy:.3f}"
        lines.append(
            f"{kind:<11}{ts.gold:>{w}}{ts.predicted:>{w}}{ts.matched:>{m}}"
            f"{ts.precision:>7.3f}{ts.recall:>7.3f}{ts.f1:>7.3f}  {attr}"
        )
    return "\n".join(lines)


def report_json(scores: dict[str, TypeScore], *, errors: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, ts in [*scores.items(), ("micro", micro(scores))]:
        entry: dict[str, Any] = {
            "gold": ts.gold,
            "predicted": ts.predicted,
            "matched": ts.matched,
            "precision": round(ts.precision, 4),
            "recall": round(ts.recall, 4),
            "f1": round(ts.f1, 4),
        }
        if kind == "holds":
            entry["org_accuracy"] = ts.attribute_accuracy
        if kind == "held":
            entry["date_accuracy"] = ts.attribute_accuracy
        if errors and kind != "micro":
            entry["errors"] = ts.errors
        out[kind] = entry
    return out
