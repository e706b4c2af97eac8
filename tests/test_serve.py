"""kg serve answers the SPARQL 1.1 protocol over HTTP; kg load makes a persistent store."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import BuildResult
from kg.cli import cli
from kg.model import NodeType, Relation
from kg.query import run_query
from kg.serve import open_store, serve_in_thread
from tests.conftest import QUERIES

Built = tuple[BuildResult, Path]


def _rows_json(body: bytes) -> list[dict[str, str]]:
    data = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


@pytest.fixture(scope="module")
def endpoint(built: Built) -> Iterator[str]:
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
    assert rows[0] == ["kind", "count"] and len(rows) == 10  # 7 node kinds, honours, credentials


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
    assert int(people[0]["n"].value) == sum(1 for _ in built[0].store.nodes(NodeType.PERSON))
    graphs = {str(g.value) for g in reopened.named_graphs()}
    assert len(graphs) == len(built[0].corpus.articles)


def _raw(url: str, request: bytes, timeout: float = 10) -> bytes:
    """Send ``request`` as bytes on a fresh connection; the reply as bytes ("" when closed)."""
    import socket

    host, port = urllib.parse.urlparse(url).hostname, urllib.parse.urlparse(url).port
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _status(reply: bytes) -> int:
    """The reply's status; a request in no HTTP version gets a bare page (HTTP/0.9) naming it."""
    if reply.startswith(b"HTTP/"):
        return int(reply.split(b" ", 2)[1])
    import re

    found = re.search(rb"Error code: (\d{3})", reply)
    return int(found.group(1)) if found else 0


COUNT = b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        # a page on another site reaching us through a rebound domain name
        (
            b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: evil.example:7878\r\nConnection: close\r\n\r\n",
            403,
        ),
        # SERVICE would make the server fetch a URL of the query's choosing
        (
            b"GET /sparql?query="
            + urllib.parse.quote("SELECT * { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }").encode()
            + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            403,
        ),
        (
            b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: -5\r\nConnection: close\r\n\r\n",
            411,
        ),
        (
            b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 99999999\r\nConnection: close\r\n\r\n",
            413,
        ),
        (
            b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 4\r\nConnection: close\r\n\r\n\xff\xfe\xfd\xfc",
            400,
        ),
        (b"BREW /sparql HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 501),
        (b"GARBAGE\r\n\r\n", 400),
    ],
    ids=["foreign host", "service", "negative length", "huge body", "bad utf-8", "unknown method", "garbage"],
)
def test_every_malformed_or_unsafe_request_gets_a_4xx(
    endpoint: str, request_bytes: bytes, status: int
) -> None:
    assert _status(_raw(endpoint, request_bytes)) == status


def test_no_cors_unless_an_origin_is_allowed(built: Built) -> None:
    url = f"?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    closed, plain = serve_in_thread(open_store(built[1] / "graph.ttl"))
    opened, allowed = serve_in_thread(
        open_store(built[1] / "graph.ttl"), allow_origin="http://localhost:3000"
    )
    try:
        with urllib.request.urlopen(plain + url, timeout=30) as response:
            assert response.headers.get("Access-Control-Allow-Origin") is None
        with urllib.request.urlopen(allowed + url, timeout=30) as response:
            assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    finally:
        closed.shutdown()
        opened.shutdown()


def test_200_concurrent_requests_are_all_answered(endpoint: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    request = urllib.request.Request(
        endpoint, data=COUNT, headers={"Content-Type": "application/sparql-query"}
    )

    def ask(_: int) -> int:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)

    with ThreadPoolExecutor(max_workers=200) as pool:
        assert list(pool.map(ask, range(200))) == [200] * 200


def test_a_client_that_stalls_is_let_go(built: Built) -> None:
    """A connection that sends half a request is closed after the client timeout."""
    import socket
    import time

    server, url = serve_in_thread(open_store(built[1] / "graph.ttl"), client_timeout=1.0)
    try:
        parsed = urllib.parse.urlparse(url)
        with socket.create_connection((parsed.hostname, parsed.port), timeout=20) as sock:
            clock = time.monotonic()
            sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nSELECT")
            assert sock.recv(100) == b""  # closed by the server, no reply owed
            assert time.monotonic() - clock < 10
    finally:
        server.shutdown()


def test_a_slow_query_is_stopped_at_the_timeout_and_the_next_one_answered(built: Built) -> None:
    """A cartesian product that would run for minutes: stopped, the client told (503), the
    query process replaced, and the next query answered as before."""
    import time

    from kg.serve import QueryProcess

    queries = QueryProcess(built[1] / "graph.ttl", None, timeout=2.0)
    server, url = serve_in_thread(queries)
    try:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        request = urllib.request.Request(
            url, data=slow.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        clock = time.monotonic()
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(request, timeout=120)
        assert err.value.code == 503 and time.monotonic() - clock < 60
        fast = urllib.request.Request(url, data=COUNT, headers={"Content-Type": "application/sparql-query"})
        with urllib.request.urlopen(fast, timeout=120) as response:
            assert int(_rows_json(response.read())[0]["n"]) > 1000
    finally:
        server.shutdown()
        queries.close()


def test_kg_serve_prints_no_traceback_whatever_it_is_sent(built: Built) -> None:
    """The command itself, as a user runs it: malformed and unsafe requests, a stopped query,
    then SIGTERM — its stderr holds its one line of start-up and nothing else."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            "serve",
            str(built[1] / "graph.ttl"),
            "--port",
            str(port),
            "--timeout",
            "1",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        for request in (
            b"GARBAGE\r\n\r\n",
            b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n",
            b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 2\r\n\r\n\xff\xfe",
            b"GET /sparql?query=SELECT HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        ):
            assert _status(_raw(url, request)) in range(400, 600)
        slow = b"SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        slow_request = (
            b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
            + f"Content-Length: {len(slow)}\r\nConnection: close\r\n\r\n".encode()
            + slow
        )
        assert _status(_raw(url, slow_request, timeout=60)) == 503
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    assert "Traceback" not in stderr and stderr.strip().splitlines()[0].startswith("SPARQL endpoint:"), stderr


@pytest.fixture(scope="module")
def loaded_endpoint(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg load` into an on-disk store, served as `kg serve --store` serves it."""
    store_dir = tmp_path_factory.mktemp("store") / "kgstore"
    result = CliRunner().invoke(cli, ["load", str(built[1] / "graph.trig"), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    server, url = serve_in_thread(open_store(None, store_dir))
    yield url
    server.shutdown()


@pytest.mark.parametrize("query", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_every_query_gives_the_same_rows_on_every_form_of_the_graph(
    built: Built, loaded_endpoint: str, query: Path
) -> None:
    # Turtle, TriG (its default graph the union of the article graphs), a kg load store behind
    # kg serve, with both engines: the same rows, as many times each (not merely the same set).
    text = query.read_text(encoding="utf-8")
    out = built[1]
    reference = run_query(out / "graph.ttl", text, engine="oxigraph")
    expected = sorted(tuple(_same_order(r)) for r in reference.rows)
    for graph, engine in [("graph.ttl", "rdflib"), ("graph.trig", "oxigraph"), ("graph.trig", "rdflib")]:
        got = run_query(out / graph, text, engine=engine)
        assert sorted(tuple(_same_order(r)) for r in got.rows) == sorted(
            tuple(_same_order(r)) for r in reference.rows
        ), (graph, engine)
    request = urllib.request.Request(
        loaded_endpoint,
        data=text.encode(),
        headers={"Content-Type": "application/sparql-query"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = _rows_json(response.read())
    assert sorted(tuple(_same_order([r.get(c, "") for c in reference.columns])) for r in rows) == expected


def _same_order(row: list[str]) -> list[str]:
    """GROUP_CONCAT's order is not defined by SPARQL: compare its parts as a set."""
    return ["、".join(sorted(cell.split("、"))) for cell in row]


@pytest.mark.parametrize(
    ("accept", "media", "parse_as"),
    [
        ("", "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml;q=0.9, text/html", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_construct_answers_in_the_rdf_format_asked_for(
    built: Built, endpoint: str, accept: str, media: str, parse_as: str
) -> None:
    from rdflib import Graph

    query = "PREFIX org: <http://www.w3.org/ns/org#> CONSTRUCT { ?p org:holds ?post } WHERE { ?p org:holds ?post }"
    headers = {"Content-Type": "application/sparql-query", **({"Accept": accept} if accept else {})}
    request = urllib.request.Request(endpoint, data=query.encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"].startswith(media)
        graph = Graph().parse(data=response.read(), format=parse_as)
    from kg.distinctions import distinction

    store = built[0].store
    holds = {
        (s, o)
        for s, o, _, d in store.edges(Relation.HOLDS)
        if d.get("current") is not False and not distinction(store.label(o))  # honours, degrees: no org:holds
    }
    assert len(graph) == len(holds) > 10
