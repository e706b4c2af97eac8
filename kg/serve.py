"""A local SPARQL 1.1 Protocol endpoint over an export, backed by Oxigraph.

GET /sparql?query=… or POST (application/sparql-query, or a form with query=…);
results as SPARQL JSON by default, or XML / CSV / TSV by the Accept header.
"""

from __future__ import annotations

import logging
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from kg.errors import KgError

logger = logging.getLogger(__name__)
FORMATS = {  # media type → pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}


def open_store(graph: Path | None = None, store_dir: Path | None = None) -> Any:
    """An Oxigraph store: persistent in ``store_dir`` if given, loaded with ``graph`` if given."""
    try:
        import pyoxigraph as ox
    except ImportError as exc:
        raise KgError("kg serve and kg load need pyoxigraph: pip install pyoxigraph") from exc
    store = ox.Store(str(store_dir)) if store_dir is not None else ox.Store()
    if graph is not None:
        fmt = {
            ".ttl": ox.RdfFormat.TURTLE,
            ".trig": ox.RdfFormat.TRIG,
            ".nq": ox.RdfFormat.N_QUADS,
            ".nt": ox.RdfFormat.N_TRIPLES,
        }.get(graph.suffix, ox.RdfFormat.TURTLE)
        with graph.open("rb") as handle:
            store.bulk_load(handle, format=fmt)
    return store


class _Handler(BaseHTTPRequestHandler):
    store: Any = None

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path not in ("/sparql", "/"):
            self._reply(HTTPStatus.NOT_FOUND, "text/plain", b"the endpoint is /sparql\n")
            return
        queries = parse_qs(url.query).get("query")
        if not queries:
            self._reply(
                HTTPStatus.OK,
                "text/plain; charset=utf-8",
                b"SPARQL endpoint: GET or POST /sparql?query=...\n",
            )
            return
        self._answer(queries[0])

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if kind == "application/sparql-query":
            self._answer(body)
        elif kind == "application/x-www-form-urlencoded":
            queries = parse_qs(body).get("query")
            if queries:
                self._answer(queries[0])
            else:
                self._reply(HTTPStatus.BAD_REQUEST, "text/plain", b"no query parameter\n")
        else:
            self._reply(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "text/plain", b"send application/sparql-query\n")

    def _answer(self, query: str) -> None:
        import pyoxigraph as ox

        accept = [a.split(";")[0].strip() for a in (self.headers.get("Accept") or "").split(",")]
        media = next((a for a in accept if a in FORMATS), "application/sparql-results+json")
        try:
            result = self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            self._reply(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", f"{exc}\n".encode())
            return
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            data = result.serialize(format=getattr(ox.QueryResultsFormat, FORMATS[media]))
            self._reply(HTTPStatus.OK, f"{media}; charset=utf-8", data or b"")
        else:  # CONSTRUCT / DESCRIBE
            data = ox.serialize(result, format=ox.RdfFormat.TURTLE)
            self._reply(HTTPStatus.OK, "text/turtle; charset=utf-8", data or b"")

    def _reply(self, status: HTTPStatus, media: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)


def make_server(store: Any, host: str = "127.0.0.1", port: int = 7878) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"store": store})
    return ThreadingHTTPServer((host, port), handler)


def serve_in_thread(store: Any, host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start a server on a free port in a daemon thread: (server, endpoint URL)."""
    server = make_server(store, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}/sparql"
