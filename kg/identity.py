"""Who is who: how well resolution puts the names of one real entity on one node, and only theirs.

An identity file (``bench/make_corpus.py`` writes one beside its gold) says, for each name an
article writes for a person or an organisation, which real entity it names:

    {"article": "000012.txt", "type": "person", "name": "张勇", "id": "P17"}

Scored with B-cubed: for each name, precision is the share of the names on its node that name
the same real entity, recall the share of the real entity's names that are on its node;
both averaged over names. A name the build put on no node counts as a node of its own.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.ids import normalise
from kg.model import NodeType
from kg.resolve import Resolution

KINDS = {"person": NodeType.PERSON, "organisation": NodeType.ORGANISATION}


@dataclass(frozen=True, slots=True)
class Named:
    article: str
    kind: str  # a key of KINDS
    name: str
    entity: str  # the real entity's id


@dataclass(frozen=True, slots=True)
class IdentityScore:
    names: int
    entities: int  # real ones
    nodes: int  # the ones the build made of these names
    found: int  # names the build put on some node
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_identity(path: Path) -> list[Named]:
    out: list[Named] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            named = Named(record["article"], record["type"], record["name"], str(record["id"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{number}: not an identity line ({exc})") from None
        if named.kind not in KINDS:
            raise InputError(f"{path}:{number}: type {named.kind!r} is none of {', '.join(KINDS)}")
        out.append(named)
    return out


def nodes_of(resolution: Resolution, names: Iterable[Named]) -> dict[Named, str]:
    """The node each name was put on ("" where none)."""
    people: dict[tuple[str, str], str] = {}
    for ids in resolution.ids.values():
        for (article, node_type, text, _), entity in ids.items():
            if node_type is NodeType.PERSON:
                people.setdefault((article, text), entity)
    out: dict[Named, str] = {}
    for named in names:
        if named.kind == "person":
            out[named] = people.get((named.article, normalise(named.name)), "")
        else:
            out[named] = resolution.org_id(named.article, named.name)
    return out


def b_cubed(pairs: Sequence[tuple[str, str]]) -> tuple[float, float]:
    """(precision, recall) of (node, real entity) pairs, one per name."""
    if not pairs:
        return 0.0, 0.0
    both = Counter(pairs)
    per_node = Counter(node for node, _ in pairs)
    per_entity = Counter(entity for _, entity in pairs)
    precision = sum(both[pair] / per_node[pair[0]] for pair in pairs) / len(pairs)
    recall = sum(both[pair] / per_entity[pair[1]] for pair in pairs) / len(pairs)
    return precision, recall


def score_identity(names: Sequence[Named], resolution: Resolution) -> dict[str, IdentityScore]:
    """Per kind (person, organisation): B-cubed precision and recall over distinct names."""
    unique = list(dict.fromkeys(names))
    nodes = nodes_of(resolution, unique)
    out: dict[str, IdentityScore] = {}
    for kind in KINDS:
        mine = [n for n in unique if n.kind == kind]
        # A name on no node is a node of its own: it merged with nothing.
        pairs = [(nodes[n] or f"unresolved:{n.article}:{n.name}", n.entity) for n in mine]
        precision, recall = b_cubed(pairs)
        out[kind] = IdentityScore(
            names=len(mine),
            entities=len({n.entity for n in mine}),
            nodes=len({node for node, _ in pairs}),
            found=sum(1 for n in mine if nodes[n]),
            precision=precision,
            recall=recall,
        )
    return out


def identity_table(scores: dict[str, IdentityScore]) -> str:
    lines = [f"{'identity':<13}{'names':>6}{'real':>6}{'nodes':>6}{'found':>6}{'P':>7}{'R':>7}{'F1':>7}"]
    for kind, s in scores.items():
        lines.append(
            f"{kind:<13}{s.names:>6}{s.entities:>6}{s.nodes:>6}{s.found:>6}"
            f"{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
        )
    return "\n".join(lines)


def identity_json(scores: dict[str, IdentityScore]) -> dict[str, dict[str, float | int]]:
    return {
        kind: {
            "names": s.names,
            "entities": s.entities,
            "nodes": s.nodes,
            "found": s.found,
            "precision": round(s.precision, 4),
            "recall": round(s.recall, 4),
            "f1": round(s.f1, 4),
        }
        for kind, s in scores.items()
    }
