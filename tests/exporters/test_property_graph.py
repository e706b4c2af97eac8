"""Property-graph exports: the Neo4j import files load into a real embedded graph database
(Ladybug, the maintained Kùzu fork) and answer as the SPARQL queries do; GraphML and JSON-LD
read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.build import BuildResult
from kg.cli import cli
from kg.exporters.neo4j import ARRAY, LABELS, TYPES
from kg.model import Relation
from kg.query import run_query
from tests.conftest import QUERIES

Built = tuple[BuildResult, Path]


@pytest.fixture(scope="module")
def exported(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pg")
    result = CliRunner().invoke(
        cli,
        [
            "export",
            str(built[1] / "graph.json"),
            "--format",
            "neo4j",
            "--format",
            "graphml",
            "--format",
            "jsonld",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def _ladybug(folder: Path, db_dir: Path):  # type: ignore[no-untyped-def]
    ladybug = pytest.importorskip("ladybug")
    conn = ladybug.Connection(ladybug.Database(str(db_dir)))
    for label in LABELS.values():
        conn.execute(
            f"CREATE NODE TABLE {label}(id STRING PRIMARY KEY, label STRING, aliases STRING, articles STRING,"
            " date STRING, place STRING, kind STRING)"
        )
        conn.execute(f"COPY {label} FROM '{folder / f'nodes_{label}.csv'}' (header=true)")
    for rel_type, source, target in TYPES.values():
        conn.execute(
            f"CREATE REL TABLE {rel_type}(FROM {source} TO {target}, type STRING, date STRING, articles STRING,"
            " sentences STRING, sentence_starts STRING, sentence_ends STRING, rules STRING, observed STRING, current BOOLEAN,"
            " held_from STRING, held_to STRING, distinction STRING)"
        )
        conn.execute(f"COPY {rel_type} FROM '{folder / f'rels_{rel_type}.csv'}' (header=true)")
    return conn


def _rows(conn, cypher: str) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    result = conn.execute(cypher)
    rows = []
    while result.has_next():
        rows.append(tuple("" if v is None else str(v) for v in result.get_next()))
    return sorted(rows)


def test_neo4j_files_load_into_an_embedded_graph_database(
    built: Built, exported: Path, tmp_path: Path
) -> None:
    conn = _ladybug(exported / "neo4j", tmp_path / "db")
    ttl = built[1] / "graph.ttl"

    def sparql(name: str) -> list[tuple[str, ...]]:
        return sorted(tuple(r) for r in run_query(ttl, (QUERIES / name).read_text(encoding="utf-8")).rows)

    # Who holds which post in which organisation now: Cypher and SPARQL give the same rows.
    cypher = _rows(
        conn,
        "MATCH (p:Person)-[h:HOLDS]->(post:Post) WHERE h.current AND coalesce(h.distinction, '') = ''"
        " OPTIONAL MATCH (post)-[:POST_IN]->(o:Organisation)"
        " RETURN o.label, post.label, p.label",
    )
    assert cypher == sparql("posts_by_organisation.rq")
    # Every meeting with organiser, date and chair.
    chairs = _rows(
        conn,
        "MATCH (m:Meeting) OPTIONAL MATCH (o:Organisation)-[:HELD]->(m)"
        " OPTIONAL MATCH (c:Person)-[:PRESIDED]->(m) RETURN o.label, m.date, m.label, c.label",
    )
    assert chairs == sparql("meetings_with_chair.rq")
    # Counts by kind.
    counts = {
        label.lower(): _rows(conn, f"MATCH (n:{label}) RETURN count(n)")[0][0] for label in LABELS.values()
    }
    dashboard = {k: v for k, v in sparql("dashboard_counts.rq")}
    assert counts["organisation"] == dashboard["organisation"] and counts["person"] == dashboard["person"]


def test_evidence_travels_with_each_relationship(built: Built, exported: Path) -> None:
    with (exported / "neo4j" / "rels_HOLDS.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == sum(1 for _ in built[0].store.edges(Relation.HOLDS))
    for row in rows:
        sentences = row["sentences:string[]"].split(ARRAY)
        assert (
            len(sentences)
            == len(row["articles:string[]"].split(ARRAY))
            == len(row["starts:int[]"].split(ARRAY))
        )
        assert all(sentences)
        assert len(row["observed:string[]"].split(ARRAY)) == len(sentences)  # a date per sentence
        stored = {
            e.sentence
            for e in built[0].store.graph.edges[row[":START_ID"], row[":END_ID"], "holds"]["evidence"]
        }
        assert set(sentences) == stored  # as written: a semicolon inside one stays itself
    script = (exported / "neo4j" / "load.cypher").read_text(encoding="utf-8")
    assert script.count("LOAD CSV") == len(LABELS) + len(TYPES)
    assert "r.starts = " in script and "r.ends = " in script  # the offsets travel too
    command = (exported / "neo4j" / "import.sh").read_text(encoding="utf-8")
    assert "import full neo4j --" in command  # Neo4j 5.19+: the database before the options


def test_graphml_reads_back(built: Built, exported: Path) -> None:
    import xml.etree.ElementTree as ET

    ids = [
        e.get("id")
        for e in ET.parse(exported / "graph.graphml").iter("{http://graphml.graphdrawing.org/xmlns}edge")
    ]
    assert len(ids) == len(set(ids)) == built[0].store.graph.number_of_edges()  # unique edge ids
    g = nx.read_graphml(exported / "graph.graphml")
    assert g.number_of_nodes() == built[0].store.graph.number_of_nodes()
    assert g.number_of_edges() == built[0].store.graph.number_of_edges()
    some_edge = next(iter(g.edges(data=True)))[2]
    assert json.loads(some_edge["evidence"])[0]["sentence"]


def test_jsonld_is_the_same_graph(built: Built, exported: Path) -> None:
    from_jsonld = Graph().parse(exported / "graph.jsonld", format="json-ld")
    from_turtle = Graph().parse(built[1] / "graph.ttl", format="turtle")
    assert set(from_jsonld) == set(from_turtle)
    context = json.loads((exported / "context.jsonld").read_text(encoding="utf-8"))
    assert context["@context"]["chairedBy"]["@id"] == "kg:chairedBy"
