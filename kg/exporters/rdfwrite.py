"""A fast, canonical writer for Turtle, TriG and N-Quads.

rdflib's Turtle writer manages about 17k triples a second (a minute for a million);
this one formats each term once, sorts, and writes subject blocks straight to the file.
The same triples always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from typing import IO, Any

from rdflib.namespace import RDF, XSD

from kg.exporters.rdf import Block, FactIndex, Lit, Term, Triple, shared_blocks, statement_pairs
from kg.store import GraphStore

_XSD_STRING, _XSD_INTEGER, _XSD_BOOLEAN = str(XSD.string), str(XSD.integer), str(XSD.boolean)

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_SAFE_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


class Formatter:
    """Terms as Turtle text, with prefixed names where the local part is plain."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so kgpost: wins over a shorter namespace it starts with.
        self.prefixes = sorted(prefixes.items(), key=lambda p: -len(p[1]))
        self._cache: dict[Term, str] = {}

    def iri(self, iri: str) -> str:
        for prefix, ns in self.prefixes:
            if iri.startswith(ns):
                local = iri[len(ns) :]
                if local and local[0] != "-" and all(c in _SAFE_LOCAL for c in local):
                    return f"{prefix}:{local}"
        return f"<{iri}>"

    def term(self, term: Term) -> str:
        if isinstance(term, Lit):  # mostly one of a kind (sentences): not worth remembering
            return literal(term, self.iri)
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        text = self.iri(term)
        if len(self._cache) < 500_000:
            self._cache[term] = text
        return text


def literal(term: Lit, iri: object = None) -> str:
    """A literal in Turtle / N-Triples syntax (``iri`` shortens datatype IRIs when given)."""
    value = term.value.translate(_ESCAPES)
    if term.lang:
        return f'"{value}"@{term.lang}'
    datatype = term.datatype
    if not datatype or datatype == _XSD_STRING:
        return f'"{value}"'
    if iri is not None and datatype == _XSD_INTEGER and term.value.lstrip("-").isdigit():
        return term.value
    if iri is not None and datatype == _XSD_BOOLEAN and term.value in ("true", "false"):
        return term.value
    shown = iri(datatype) if callable(iri) else f"<{datatype}>"
    return f'"{value}"^^{shown}'


def write_prefixes(out: IO[str], prefixes: dict[str, str]) -> None:
    for prefix, ns in sorted(prefixes.items()):
        out.write(f"PREFIX {prefix}: <{ns}>\n")


def _block_text(
    subject: str, pairs: Iterable[tuple[str, Term]], fmt: Formatter, rdf_type: str, indent: str
) -> str:
    predicates: dict[str, set[str]] = {}
    for p, o in pairs:
        predicates.setdefault(fmt.term(p), set()).add(fmt.term(o))
    ordered = sorted(predicates, key=lambda p: (p != rdf_type, p))
    lines = [f"{indent}{subject}\n"]
    last = len(ordered) - 1
    for i, predicate in enumerate(ordered):
        shown = "a" if predicate == rdf_type else predicate
        lines.append(
            f"{indent}    {shown} {' , '.join(sorted(predicates[predicate]))}{' .' if i == last else ' ;'}\n"
        )
    return "".join(lines)


class StatementTemplate:
    """A statement block's lines in canonical order, worked out once: statements are most of
    the triples, all of one shape, so each is one string formatting rather than eleven."""

    def __init__(self, fmt: Formatter, indent: str) -> None:
        self.fmt, self.indent = fmt, indent
        triple = ("urn:s", "urn:p", "urn:o")
        sample = {"article": "a", "sentence": "s", "start": 0, "end": 0, "rule": "r"}
        self.orders = {}
        for former in (False, True):
            predicates: dict[str, list[str]] = {}
            for p, _ in statement_pairs(triple, sample, former):
                predicates.setdefault(fmt.term(p), []).append(p)
            rdf_type = fmt.term(str(RDF.type))
            self.orders[former] = sorted(predicates, key=lambda p: (p != rdf_type, p))
        self.rdf_type = fmt.term(str(RDF.type))

    def text(self, subject: str, triple: Triple, ev: dict[str, Any], former: bool) -> str:
        fmt = self.fmt
        objects: dict[str, list[str]] = {}
        for p, o in statement_pairs(triple, ev, former):
            objects.setdefault(fmt.term(p), []).append(fmt.term(o))
        order = self.orders[former]
        last = len(order) - 1
        lines = [f"{self.indent}{subject}\n"]
        for i, predicate in enumerate(order):
            shown = "a" if predicate == self.rdf_type else predicate
            values = objects[predicate]
            joined = values[0] if len(values) == 1 else " , ".join(sorted(set(values)))
            lines.append(f"{self.indent}    {shown} {joined}{' .' if i == last else ' ;'}\n")
        return "".join(lines)


def _write_group(
    out: IO[str],
    subject: str,
    group: list[Block],
    index: FactIndex,
    fmt: Formatter,
    template: StatementTemplate,
    article: str | None,
) -> None:
    if len(group) == 1 and group[0].kind == "statement":
        triple, ev, former = group[0].ref
        out.write(template.text(subject, triple, ev, former))
        return
    if article is None:
        pairs: Iterator[tuple[str, Term]] = ((p, o) for block in group for p, o, _ in index.pairs(block))
    else:
        pairs = (pair for block in group for pair in index.pairs_in(block, article))
    out.write(_block_text(subject, pairs, fmt, template.rdf_type, template.indent))


def write_turtle(out: IO[str], store: GraphStore, fmt: Formatter) -> None:
    """Every block, sorted by subject, blocks of one subject merged: canonical Turtle."""
    all_blocks, index = shared_blocks(store)
    keyed = sorted(((fmt.iri(b.subject), i, b) for i, b in enumerate(all_blocks)), key=lambda k: k[:2])
    template = StatementTemplate(fmt, "")
    for n, (subject, group) in enumerate(groupby(keyed, key=lambda k: k[0])):
        if n:
            out.write("\n")
        _write_group(out, subject, [k[2] for k in group], index, fmt, template, None)


def write_trig(out: IO[str], store: GraphStore, fmt: Formatter, graph_iri: Callable[[str], str]) -> None:
    """One named graph per article (the default graph for the schemes), each canonical Turtle."""
    all_blocks, index = shared_blocks(store)
    keyed = sorted(
        (article, fmt.iri(b.subject), i, b) for i, b in enumerate(all_blocks) for article in index.graphs(b)
    )
    template = StatementTemplate(fmt, "    ")
    for article, in_graph in groupby(keyed, key=lambda k: k[0]):
        out.write("\n")
        out.write(f"<{graph_iri(article)}> {{\n" if article else "{\n")
        for n, (subject, group) in enumerate(groupby(in_graph, key=lambda k: k[1])):
            if n:
                out.write("\n")
            _write_group(out, subject, [k[3] for k in group], index, fmt, template, article)
        out.write("}\n")


def nquad_lines(quads: Iterable[tuple[str, Triple]], graph_iri: object) -> Iterator[str]:
    """N-Quads lines, one statement a line; ``graph_iri(article)`` names each article's graph."""
    for article, (s, p, o) in quads:
        obj = literal(o) if isinstance(o, Lit) else f"<{o}>"
        graph = f" <{graph_iri(article)}>" if article and callable(graph_iri) else ""
        yield f"<{s}> <{p}> {obj}{graph} .\n"
