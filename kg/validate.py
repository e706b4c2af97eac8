"""Check an export against ontology/shapes.ttl with pySHACL; violations in words."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDFS, SH

from kg.errors import KgError


@dataclass(frozen=True, slots=True)
class Violation:
    focus: str  # the node, with its label where it has one
    path: str
    message: str
    shape: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.focus}{where}: {self.message}  [{self.shape}]"


def shapes() -> Graph:
    text = resources.files("kg").joinpath("ontology", "shapes.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


RDF_SUFFIXES = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "nt",
    ".rdf": "xml",
    ".jsonld": "json-ld",
}


def load_graph(path: Path) -> Graph:
    """The graph in an RDF file, a named-graph file as the union of its graphs. A file that is no
    RDF of its kind, or holds no triple at all, is an error: "conforms" would be a lie."""
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise KgError(f"{path}: not an RDF file (expected one of {', '.join(RDF_SUFFIXES)})")
    try:
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(path, format=fmt)
            graph = Graph()
            for g in ds.graphs():
                for triple in g:
                    graph.add(triple)
        else:
            graph = Graph().parse(path, format=fmt)
    except (SyntaxError, ValueError) as exc:  # rdflib's parsers raise these (BadSyntax is a SyntaxError)
        said = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise KgError(f"{path}: does not parse as {fmt}: {said}") from exc
    if not len(graph):
        raise KgError(f"{path}: holds no triples: nothing to validate")
    return graph


def validate(data: Graph) -> list[Violation]:
    """Every violation of the shapes, sorted; [] when the graph conforms."""
    return check(data)[0]


def check(data: Graph) -> tuple[list[Violation], list[Violation]]:
    """(violations, warnings) of the shapes, each sorted. A warning (sh:Warning) is what the
    contract prefers but the text may not give: a post whose organisation no article names."""
    try:
        from pyshacl import validate as shacl
    except ImportError as exc:
        raise KgError("kg validate needs pySHACL: pip install 'hospital-kg[shacl]'") from exc

    with _each_query_parsed_once():
        _, report, _ = shacl(data, shacl_graph=shapes(), inference="none", advanced=True, allow_warnings=True)
    assert isinstance(report, Graph)
    found: dict[object, list[Violation]] = {SH.Violation: [], SH.Warning: []}
    for result, severity in report.subject_objects(SH.resultSeverity):
        focus = report.value(result, SH.focusNode)
        label = data.value(focus, RDFS.label) if isinstance(focus, URIRef) else None
        path = report.value(result, SH.resultPath)
        found.setdefault(severity, []).append(
            Violation(
                focus=f"{label} <{focus}>" if label else f"<{focus}>",
                path=_short(path) if path is not None else "",
                message=str(report.value(result, SH.resultMessage) or ""),
                shape=_shape_name(report, report.value(result, SH.sourceShape)),
            )
        )
    return sorted(found[SH.Violation], key=str), sorted(found[SH.Warning], key=str)


@contextmanager
def _each_query_parsed_once() -> Iterator[None]:
    """Within, rdflib parses and translates each SPARQL text once. pySHACL hands it a SPARQL
    constraint's text for every focus node, with the node in the bindings, and rdflib parsed the
    text every time: 24 of the 30 s that validating 8 articles' graph took. A translated query
    is what rdflib's own ``prepareQuery`` gives for evaluating again with other bindings."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    prepared: dict[tuple[str, str | None, tuple[tuple[str, Any], ...]], Any] = {}

    def query(
        self: processor.SPARQLProcessor,
        text_or_query: Any,
        initBindings: Mapping[str, Any] | None = None,  # rdflib's names
        initNs: Mapping[str, Any] | None = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Mapping[str, Any]:
        if isinstance(text_or_query, str):
            key = (text_or_query, base, tuple(sorted((initNs or {}).items())))
            if key not in prepared:
                prepared[key] = processor.prepareQuery(text_or_query, initNs, base)
            text_or_query = prepared[key]
        return original(self, text_or_query, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


def _shape_name(report: Graph, shape: object) -> str:
    if isinstance(shape, BNode):  # a property shape inside a node shape: name its node shape
        parent = report.value(None, SH.property, shape) or report.value(None, SH.sparql, shape)
        return _short(parent) if parent is not None else "property shape"
    return _short(shape)


def _short(term: object) -> str:
    """A prefixed name where the term is in one of the export's namespaces (or the shapes')."""
    from kg.exporters.rdf import turtle_prefixes

    text = str(term)
    namespaces = {**turtle_prefixes(), "kgs": "https://w3id.org/hospital-kg/shapes#"}
    for prefix, ns in sorted(namespaces.items(), key=lambda p: -len(p[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text
