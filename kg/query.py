"""Run SPARQL over an export: Oxigraph when installed (a real store), rdflib otherwise."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import QueryError

ENGINES = ("auto", "oxigraph", "rdflib")


@dataclass(frozen=True, slots=True)
class Table:
    columns: list[str]
    rows: list[list[str]]


def _oxigraph_available() -> bool:
    try:
        import pyoxigraph  # noqa: F401
    except ImportError:
        return False
    return True


def _format_of(path: Path) -> str:
    return {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "ntriples"}.get(path.suffix, "turtle")


def run_query(graph_path: Path, query: str, *, engine: str = "auto") -> Table:
    """Rows of a SELECT query over a Turtle or TriG file, values as strings."""
    if engine == "auto":
        engine = "oxigraph" if _oxigraph_available() else "rdflib"
    if engine == "oxigraph":
        return _oxigraph(graph_path, query)
    if engine == "rdflib":
        return _rdflib(graph_path, query)
    raise QueryError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")


def _rdflib(graph_path: Path, query: str) -> Table:
    from rdflib import Dataset, Graph
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(query)
    except Exception as exc:  # pyparsing's ParseException carries line and column
        raise QueryError(f"query does not parse: {exc}") from exc
    fmt = _format_of(graph_path)
    graph: Graph = Dataset(default_union=True) if fmt in ("trig", "nquads") else Graph()
    graph.parse(graph_path, format=fmt)
    result = graph.query(query)
    columns = [str(v) for v in (result.vars or [])]
    rows = [["" if value is None else str(value) for value in row] for row in result]  # type: ignore[union-attr]
    return Table(columns, rows)


def _oxigraph(graph_path: Path, query: str) -> Table:
    import pyoxigraph as ox

    store = ox.Store()
    fmt = {
        "turtle": ox.RdfFormat.TURTLE,
        "trig": ox.RdfFormat.TRIG,
        "nquads": ox.RdfFormat.N_QUADS,
        "ntriples": ox.RdfFormat.N_TRIPLES,
    }[_format_of(graph_path)]
    with graph_path.open("rb") as handle:
        store.bulk_load(handle, format=fmt)
    try:
        result = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"query does not parse: {exc}") from exc
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT queries print as a table")
    columns = [v.value for v in result.variables]
    rows = [["" if s[c] is None else _ox_value(s[c]) for c in columns] for s in result]
    return Table(columns, rows)


def _ox_value(term: object) -> str:
    value = getattr(term, "value", term)
    return str(value)


def format_table(table: Table, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(
            [dict(zip(table.columns, row, strict=True)) for row in table.rows], ensure_ascii=False, indent=1
        )
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow([spreadsheet_safe(c) for c in table.columns])
        writer.writerows([spreadsheet_safe(v) for v in row] for row in table.rows)
        return buf.getvalue()
    widths = [max([_width(c), *(_width(r[i]) for r in table.rows)]) for i, c in enumerate(table.columns)]
    lines = [
        "  ".join(_pad(c, w) for c, w in zip(table.columns, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)) for row in table.rows]
    lines.append(f"({len(table.rows)} rows)")
    return "\n".join(lines)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (=HYPERLINK(…), +cmd, @SUM) gets a leading ':
    CSV from ``kg query`` is opened in spreadsheets. A number (-3.5) is left as it is."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
