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


def test_a_fact_without_evidence_does_not_conform(built: Built) -> None:
    g = load_graph(built[1] / "graph.ttl")
    statement = next(g.subjects(RDF.predicate, ORG.postIn))
    subject, obj = g.value(statement, RDF.subject), g.value(statement, RDF.object)
    for st in set(g.subjects(RDF.subject, subject)) & set(g.subjects(RDF.object, obj)):
        g.remove((st, None, None))  # every statement of that fact
    text = "\n".join(map(str, validate(g)))
    assert "no evidence" in text and "org:postIn" in text


def test_offsets_that_do_not_span_the_sentence_do_not_conform(built: Built) -> None:
    g = load_graph(built[1] / "graph.ttl")
    statement = next(g.subjects(RDF.type, RDF.Statement))
    end = int(str(g.value(statement, KG.sentenceEnd)))
    g.set((statement, KG.sentenceEnd, Literal(end + 7)))
    assert "offsets do not span" in "\n".join(map(str, validate(g)))


def test_a_label_tagged_zh_cn_does_not_conform(built: Built) -> None:
    g = load_graph(built[1] / "graph.ttl")
    person = next(g.subjects(RDF.type, SCHEMA.Person))
    label = g.value(person, RDFS.label)
    g.set((person, RDFS.label, Literal(str(label), lang="zh-CN")))
    assert "exactly @zh" in "\n".join(map(str, validate(g)))


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("empty.ttl", "", "holds no triples"),
        ("graph.ttl", '{"nodes": []}', "does not parse as turtle"),
        ("graph.json", '{"nodes": []}', "not an RDF file"),
        ("notes.txt", "院长讲话", "not an RDF file"),
    ],
)
def test_kg_validate_refuses_what_is_no_rdf(tmp_path: Path, name: str, content: str, said: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1 and said in result.output and "conforms" not in result.output


def test_a_post_without_organisation_is_a_warning_that_passes(built: Built, tmp_path: Path) -> None:
    from kg.validate import check

    g = load_graph(built[1] / "graph.ttl")
    violations, warnings = check(g)
    orgless = {p for p in g.subjects(RDF.type, ORG.Post) if g.value(p, ORG.postIn) is None}
    assert violations == [] and len(warnings) == len(orgless) > 0  # 总书记, an honour: no organisation named
    post = next(p for p in g.subjects(RDF.type, ORG.Post) if g.value(p, ORG.postIn) is not None)
    g.remove((post, ORG.postIn, None))
    assert len(check(g)[1]) == len(orgless) + 1
    path = tmp_path / "graph.ttl"
    g.serialize(path, format="turtle")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1  # and a violation: the statements still name the removed triple
    assert "warning: " in result.output and "org:postIn" in result.output
