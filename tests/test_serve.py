"""kg serve answers the SPARQL 1.1 protocol over HTTP; kg load makes a persistent store."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import BuildResult
from kg.cli import cli
from kg.query import run_query
from kg.serve import open_store, serve_in_thread
from tests.conftest import QUERIES

Built = tuple[BuildResult, Path]


def _rows_json(body: bytes) -> list[dict[str, str]]:
    data = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


@pytest.fixture(scope="module")
def endpoint(built: Built) -> str:
    server, url = serve_in_thread(open_store(built[1] / "graph.trig"))
    yield url
    server.shutdown()


@pytest.mark.parametrize("query", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_every_query_over_http_matches_the_embedded_engine(built: Built, endpoint: str, query: Path) -> None:
    text = query.read_text(encoding="utf-8")
    request = urllib.request.Request(
        endpoint, data=text.encode(), headers={"Content-Type": "application/sparql-query"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("application/sparql-results+json")
        rows = _rows_json(response.read())
    local = run_query(built[1] / "graph.ttl", text, engine="oxigraph")
    got = sorted(tuple(r.get(c, "") for c in local.columns) for r in rows)
    assert got == sorted(tuple(r) for r in local.rows)


def test_get_with_csv(endpoint: str) -> None:
    query = (QUERIES / "dashboard_counts.rq").read_text(encoding="utf-8")
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = list(csv.reader(io.StringIO(response.read().decode())))
    assert rows[0] == ["kind", "count"] and len(rows) == 8


def test_a_bad_query_is_a_400(endpoint: str) -> None:
    url = endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url, timeout=30)
    assert err.value.code == 400


def test_load_makes_a_persistent_store(built: Built, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    result = CliRunner().invoke(cli, ["load", str(built[1] / "graph.trig"), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    reopened = open_store(store_dir=store_dir)
    people = list(
        reopened.query(
            "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://schema.org/Person> }",
            use_default_graph_as_union=True,
        )
    )
    assert int(people[0]["n"].value) == sum(1 for _ in built[0].store.nodes("person"))
    graphs = {str(g.value) for g in reopened.named_graphs()}
    assert len(graphs) == len(built[0].corpus.articles)
