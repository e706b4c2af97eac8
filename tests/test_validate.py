"""The export conforms to the SHACL shapes; broken graphs do not, and say why."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.build import BuildResult
from kg.cli import cli
from kg.validate import load_graph, validate
from kg.vocab import KG, ORG, SCHEMA

Built = tuple[BuildResult, Path]

pytestmark = pytest.mark.shacl


def test_the_corpus_export_conforms(built: Built) -> None:
    _, out = built
    assert validate(load_graph(out / "graph.ttl")) == []
    assert validate(load_graph(out / "graph.trig")) == []


def _broken(out: Path) -> Graph:
    g = load_graph(out / "graph.ttl")
    person = next(g.subjects(RDF.type, SCHEMA.Person))
    g.add((person, RDFS.label, Literal("second label", lang="zh")))  # two labels
    meeting = next(g.subjects(RDF.type, SCHEMA.Event))
    g.set((meeting, SCHEMA.startDate, Literal("last spring")))  # not a date
    g.add((meeting, KG.chairedBy, URIRef("https://w3id.org/hospital-kg/id/nobody")))  # not a person
    statement = next(g.subjects(RDF.predicate, ORG.holds))
    g.remove((statement, KG.sentence, None))  # evidence without its sentence
    return g


def test_a_broken_graph_does_not_conform(built: Built) -> None:
    violations = validate(_broken(built[1]))
    text = "\n".join(map(str, violations))
    assert "rdfs:label" in text and "@zh" in text
    assert "schema:startDate" in text
    assert "kg:chairedBy" in text
    assert "kg:sentence" in text


def test_kg_validate_exit_codes(built: Built, tmp_path: Path) -> None:
    ok = CliRunner().invoke(cli, ["validate", str(built[1] / "graph.ttl")])
    assert ok.exit_code == 0 and "conforms" in ok.output
    bad = tmp_path / "bad.ttl"
    _broken(built[1]).serialize(bad, format="turtle")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1 and "violation" in result.output
