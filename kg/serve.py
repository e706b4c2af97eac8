"""A local SPARQL 1.1 Protocol endpoint over an export, backed by Oxigraph.

GET /sparql?query=… or POST (application/sparql-query, or a form with query=…);
results as SPARQL JSON by default, or XML / CSV / TSV by the Accept header; CONSTRUCT and DESCRIBE
as Turtle by default, or N-Triples / RDF/XML / JSON-LD.

It is for this machine only: it answers requests addressed to a loopback name (so that a web
page cannot reach it by rebinding a domain to 127.0.0.1), sends no CORS header unless told
which origin may read it, refuses SERVICE (the server would fetch whatever URL a query names),
caps request bodies, times out slow clients, and answers every malformed request with a 4xx.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
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
GRAPH_FORMATS = {  # media type → pyoxigraph RdfFormat name, for CONSTRUCT and DESCRIBE
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
}


def open_store(graph: Path | None = None, store_dir: Path | None = None, *, read_only: bool = False) -> Any:
    """An Oxigraph store: persistent in ``store_dir`` if given, loaded with ``graph`` if given.

    ``read_only``: a persistent store opened beside the process that writes it (a query
    process); ``graph`` is then loaded only where there is no ``store_dir``."""
    try:
        import pyoxigraph as ox
    except ImportError as exc:
        raise KgError("kg serve and kg load need pyoxigraph: pip install pyoxigraph") from exc
    if read_only and store_dir is not None:
        return ox.Store.read_only(str(store_dir))
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


MAX_BODY = 1 << 20  # a query is text: a megabyte is far more than any
CLIENT_TIMEOUT = 30.0  # seconds a client may take to send its request
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
# SERVICE outside strings, IRIs and comments (ex:SERVICE is a name, not the keyword)
_STRINGS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*'
)
_SERVICE = re.compile(r"(?<![\w:])SERVICE(?![\w:])", re.IGNORECASE)


def uses_service(query: str) -> bool:
    return bool(_SERVICE.search(_STRINGS.sub(" ", query)))


Answer = tuple[HTTPStatus, str, bytes]  # status, content type, body


def _chosen(accept: Sequence[str], formats: dict[str, str], default: str) -> str:
    """The first media type of the Accept list that ``formats`` serves (*/* takes the default)."""
    return next((a for a in accept if a in formats), default)


def answer(store: Any, query: str, accept: Sequence[str]) -> Answer:
    """A query's answer from ``store``, in the first format of ``accept`` (the Accept header's media
    types, in order) that fits it: SPARQL results for SELECT / ASK, RDF for CONSTRUCT / DESCRIBE."""
    import pyoxigraph as ox

    try:
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            media = _chosen(accept, FORMATS, "application/sparql-results+json")
            data = result.serialize(format=getattr(ox.QueryResultsFormat, FORMATS[media]))
            return HTTPStatus.OK, f"{media}; charset=utf-8", data or b""
        media = _chosen(accept, GRAPH_FORMATS, "text/turtle")  # CONSTRUCT / DESCRIBE
        data = ox.serialize(result, format=getattr(ox.RdfFormat, GRAPH_FORMATS[media]))
        return HTTPStatus.OK, f"{media}; charset=utf-8", data or b""
    except (SyntaxError, ValueError, OSError) as exc:  # OSError: an evaluation Oxigraph cannot do
        return HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", f"{exc}\n".encode()


class InProcess:
    """Queries answered in this process: no time limit (a test's store, a library caller's)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def answer(self, query: str, accept: Sequence[str]) -> Answer:
        return answer(self.store, query, accept)


def _worker(connection: Any, graph: str | None, store_dir: str | None) -> None:
    try:
        store = open_store(
            Path(graph) if graph else None, Path(store_dir) if store_dir else None, read_only=True
        )
    except (SyntaxError, ValueError, OSError, KgError) as exc:  # a graph that does not parse …
        connection.send(("failed", f"{graph or store_dir}: {' '.join(str(exc).split())[:300]}"))
        return
    connection.send("ready")
    try:
        while True:
            query, accept = connection.recv()
            connection.send(answer(store, query, accept))
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the server is gone: so is the reason to run


class QueryProcess:
    """Queries answered in a child process holding its own copy of the store, one at a time: a
    query that runs past ``timeout`` seconds is stopped by ending that process (Oxigraph cannot
    cancel a query), and a new one is started for the next."""

    def __init__(self, graph: Path | None, store_dir: Path | None, timeout: float = 30.0) -> None:
        self.source = (str(graph) if graph else None, str(store_dir) if store_dir else None)
        self.timeout = timeout
        self.lock = threading.Lock()
        self.process: Any = None
        self.connection: Any = None
        with self.lock:
            self._start()

    def _start(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # never fork a threaded server
        parent, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, *self.source), daemon=True)
        self.process.start()
        child.close()
        self.connection = parent
        try:
            said = parent.recv() if parent.poll(600) else "nothing in ten minutes"
        except EOFError:
            said = "it ended"
        if said != "ready":
            self.process.join(timeout=5)
            raise KgError(f"the query process did not start: {said[1] if isinstance(said, tuple) else said}")

    def answer(self, query: str, accept: Sequence[str]) -> Answer:
        with self.lock:
            try:
                self.connection.send((query, tuple(accept)))
                if self.connection.poll(self.timeout):
                    result: Answer = self.connection.recv()
                    return result
            except (EOFError, OSError):
                pass  # the process died (out of memory …): start another, answer 503
            self.process.kill()
            self.process.join()
            self._start()
        return (
            HTTPStatus.SERVICE_UNAVAILABLE,
            "text/plain; charset=utf-8",
            f"the query ran past {self.timeout:.0f} s and was stopped\n".encode(),
        )

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join()


class _Handler(BaseHTTPRequestHandler):
    answerer: Any = None
    allow_origin: str = ""  # the one origin a browser may read answers from ("" for none)
    timeout = CLIENT_TIMEOUT  # applied to the socket: a client that stalls is let go

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        bound = str(getattr(self.server, "server_address", ("",))[0]).lower()
        return name in LOOPBACK_NAMES or name == bound

    def parse_request(self) -> bool:
        """The request line and headers, then the Host check, whatever the method."""
        if not super().parse_request():
            return False
        if not self._host_allowed():
            self._reply(
                HTTPStatus.FORBIDDEN, "text/plain", b"this endpoint answers requests to localhost only\n"
            )
            return False
        return True

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (TimeoutError, ConnectionError):
            self.close_connection = True  # a slow or vanished client: nothing to answer

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
        raw_length = self.headers.get("Content-Length")
        if raw_length is None or not raw_length.strip().isdigit():
            self._reply(HTTPStatus.LENGTH_REQUIRED, "text/plain", b"send a Content-Length (0 or more)\n")
            return
        length = int(raw_length)
        if length > MAX_BODY:
            self.close_connection = True  # the body is not read: the connection cannot go on
            self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "text/plain", b"a query is at most 1 MB\n")
            return
        try:
            body = self.rfile.read(length).decode("utf-8")
        except UnicodeDecodeError:
            self._reply(HTTPStatus.BAD_REQUEST, "text/plain", b"the body is not UTF-8\n")
            return
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
        accept = tuple(a.split(";")[0].strip() for a in (self.headers.get("Accept") or "").split(","))
        if uses_service(query):
            self._reply(
                HTTPStatus.FORBIDDEN, "text/plain", b"SERVICE is refused: this endpoint fetches nothing\n"
            )
            return
        status, content_type, body = self.answerer.answer(query, accept)
        self._reply(status, content_type, body)

    def _reply(self, status: HTTPStatus, media: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        if self.allow_origin:
            self.send_header("Access-Control-Allow-Origin", self.allow_origin)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the listen backlog: 5 by default, which resets the sixth caller
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # One line in the log, not a traceback on stderr: a client's mistake is not the server's.
        logger.warning("request from %s failed", client_address, exc_info=logger.isEnabledFor(logging.DEBUG))


def make_server(
    store: Any,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    allow_origin: str = "",
    client_timeout: float = CLIENT_TIMEOUT,
) -> ThreadingHTTPServer:
    answerer = store if hasattr(store, "answer") else InProcess(store)
    attrs = {"answerer": answerer, "allow_origin": allow_origin, "timeout": client_timeout}
    handler = type("Handler", (_Handler,), attrs)
    return _Server((host, port), handler)


def serve_in_thread(
    store: Any, host: str = "127.0.0.1", port: int = 0, **options: Any
) -> tuple[ThreadingHTTPServer, str]:
    """Start a server on a free port in a daemon thread: (server, endpoint URL); ``options``
    as make_server takes them (allow_origin, client_timeout)."""
    server = make_server(store, host, port, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}/sparql"
