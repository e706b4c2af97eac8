"""Who is who: B-cubed scoring, and resolution scored on a generated world with homonyms and aliases."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import InputError
from kg.identity import b_cubed, load_identity

ROOT = Path(__file__).resolve().parents[1]


def test_b_cubed_counts_splits_against_recall_and_lumps_against_precision() -> None:
    assert b_cubed([("n1", "A"), ("n1", "A"), ("n2", "B")]) == (1.0, 1.0)
    # A split in two: each half holds half of A's names
    assert b_cubed([("n1", "A"), ("n2", "A")]) == (1.0, 0.5)
    # A and B lumped: each name's node holds one other entity's name too
    assert b_cubed([("n1", "A"), ("n1", "B")]) == (0.5, 1.0)


def test_a_bad_identity_line_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "identity.jsonl"
    bad.write_text('{"article": "a.txt", "type": "place", "name": "x", "id": "1"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"identity\.jsonl:1"):
        load_identity(bad)


def _make_corpus() -> object:
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_a_generated_world_resolves_people_and_organisations(tmp_path: Path) -> None:
    _make_corpus().write(tmp_path, 120, 7)  # type: ignore[attr-defined]
    names = load_identity(tmp_path / "identity.jsonl")
    people: dict[str, set[str]] = {}
    for n in names:
        if n.kind == "person":
            people.setdefault(n.name, set()).add(n.entity)
    assert any(len(ids) > 1 for ids in people.values()), "the world should hold homonyms"
    assert any(n.kind == "organisation" and n.name != n.entity for n in names), "and aliases"
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "--gold",
            str(tmp_path / "gold.jsonl"),
            str(tmp_path / "corpus"),
            "--identity",
            str(tmp_path / "identity.jsonl"),
            "--json",
            "-j",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    identity = json.loads(result.output)["identity"]
    for kind in ("person", "organisation"):
        assert identity[kind]["precision"] >= 0.99, identity
        assert identity[kind]["recall"] >= 0.98, identity


def test_no_post_node_is_shared_across_organisations_or_articles(tmp_path: Path) -> None:
    """A post is its organisation's (one post_in at most); a post of no known organisation is held
    in one article only (副院长 of one story is not of the next)."""
    from kg.build import build_store
    from kg.model import NodeType, Relation

    _make_corpus().write(tmp_path, 60, 11)  # type: ignore[attr-defined]
    store = build_store(tmp_path / "corpus").store
    organisation: dict[str, set[str]] = {}
    articles: dict[str, set[str]] = {}
    for s, o, relation, data in store.edges():
        if relation == Relation.POST_IN:
            organisation.setdefault(s, set()).add(o)
        elif relation == Relation.HOLDS:
            articles.setdefault(o, set()).update(e.article for e in data["evidence"])
    posts = [n for n, _ in store.nodes(NodeType.POST)]
    assert posts and all(len(organisation.get(p, ())) <= 1 for p in posts)
    assert any(len(articles.get(p, ())) > 1 for p in posts if p in organisation)  # shared where it should be
    assert all(len(articles.get(p, ())) <= 1 for p in posts if p not in organisation)
