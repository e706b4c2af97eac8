"""A fast, canonical writer for Turtle, TriG and N-Quads.

rdflib's Turtle writer manages about 17k triples a second (a minute for a million);
this one formats each term once, sorts, and writes subject blocks straight to the file.
The same triples always give the same bytes.
"""

from __future__ import annotations

import io
import marshal
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from functools import partial
from itertools import groupby
from typing import IO, Any

from rdflib.namespace import RDF, XSD

from kg.evidence import EvidenceRecord, contents_of, stretch
from kg.exporters.rdf import (
    Block,
    FactIndex,
    Lit,
    SourceOffsets,
    Term,
    Triple,
    article_iri,
    dataset_blocks,
    fact_iris,
    node_blocks,
    scheme_blocks,
    statement_blocks,
    statement_pairs,
)
from kg.exporters.sections import (
    Change,
    SectionWriter,
    StoreKeys,
    digest,
    ends_by_subject,
    sorts_between,
    spliced,
)
from kg.exporters.tenure_rdf import membership_blocks
from kg.ids import iri
from kg.model import Relation
from kg.store import (
    FEW_ARTICLES,
    EvidenceByArticle,
    FewArticlesEvidence,
    GraphStore,
    article_node,
    article_stretches,
    carried,
    successors_among,
)

_XSD_STRING, _XSD_INTEGER, _XSD_BOOLEAN = str(XSD.string), str(XSD.integer), str(XSD.boolean)

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


# Terms remembered as text: the first this many, which hold the vocabulary and the first nodes
# met. Formatting one again costs a regex match; half a million kept were 150 MB of the heap at
# 100k articles (statements' IRIs, never asked again) and saved nothing measurable at 10k.
TERMS_KEPT = 1 << 16


class Formatter:
    """Terms as Turtle text, with prefixed names where the local part is plain."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so kgpost: wins over a shorter namespace it starts with.
        ordered = sorted(prefixes.items(), key=lambda p: -len(p[1]))
        self._prefix = {ns: prefix for prefix, ns in ordered}
        # One match finds the namespace (alternatives are tried in order: longest first), and
        # a local part is shortened only when it is plain.
        self._namespace = re.compile("|".join(re.escape(ns) for _, ns in ordered))
        self._cache: dict[Term, str] = {}

    def iri(self, iri: str) -> str:
        m = self._namespace.match(iri)
        if m is not None:
            local = iri[m.end() :]
            if local and _PLAIN_LOCAL.fullmatch(local):
                return f"{self._prefix[m.group()]}:{local}"
            for ns, prefix in self._prefix.items():  # a shorter namespace may still fit
                local = iri[len(ns) :]
                if iri.startswith(ns) and local and _PLAIN_LOCAL.fullmatch(local):
                    return f"{prefix}:{local}"
        return f"<{iri}>"

    def term(self, term: Term) -> str:
        if isinstance(term, Lit):  # mostly one of a kind (sentences): not worth remembering
            return literal(term, self.iri)
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        text = self.iri(term)
        if len(self._cache) < TERMS_KEPT:
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
        out.write(f"@prefix {prefix}: <{ns}> .\n")  # the 2004 form: rapper 2.0 reads no PREFIX in TriG


def _block_text(
    subject: str, pairs: Iterable[tuple[str, Term]], fmt: Formatter, rdf_type: str, indent: str
) -> tuple[str, int]:
    """A subject's block of predicate-object lists, and how many pairs it was given."""
    predicates: dict[str, set[str]] = {}
    count = 0
    for p, o in pairs:
        predicates.setdefault(fmt.term(p), set()).add(fmt.term(o))
        count += 1
    ordered = sorted(predicates, key=lambda p: (p != rdf_type, p))
    lines = [f"{indent}{subject}\n"]
    last = len(ordered) - 1
    for i, predicate in enumerate(ordered):
        shown = "a" if predicate == rdf_type else predicate
        lines.append(
            f"{indent}    {shown} {' , '.join(sorted(predicates[predicate]))}{' .' if i == last else ' ;'}\n"
        )
    return "".join(lines), count


# statement_pairs' predicates → the field each one's object fills
_STATEMENT_FIELDS = {
    "subject": "s",
    "predicate": "p",
    "object": "o",
    "wasDerivedFrom": "article",
    "sentence": "sentence",
    "sentenceStart": "start",
    "sentenceEnd": "end",
    "rule": "rule",
}


class StatementTemplate:
    """A statement block as one format string, worked out once: statements are most of the
    triples, all of one shape, so each is one ``str.format`` rather than eleven terms sorted."""

    def __init__(self, fmt: Formatter, indent: str) -> None:
        self.fmt, self.indent = fmt, indent
        self.rdf_type = fmt.term(str(RDF.type))
        triple = ("urn:s", "urn:p", "urn:o")
        sample = EvidenceRecord("a", 0, 0, "s", "r")
        self.forms: dict[bool, str] = {}
        self.sizes: dict[bool, int] = {}  # the triples of each form
        for former in (False, True):
            predicates: dict[str, list[str]] = {}
            self.sizes[former] = sum(1 for _ in statement_pairs(triple, sample, former, 0))
            for p, o in statement_pairs(triple, sample, former, 0):
                local = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                field = _STATEMENT_FIELDS.get(local)
                # Constant objects (the two classes, "true") are written out; the rest are fields.
                text = "{" + field + "}" if field else fmt.term(o).replace("{", "{{").replace("}", "}}")
                predicates.setdefault(fmt.term(p), []).append(text)
            order = sorted(predicates, key=lambda p: (p != self.rdf_type, p))
            lines = ["{subject}\n" if not indent else indent + "{subject}\n"]
            for i, predicate in enumerate(order):
                shown = "a" if predicate == self.rdf_type else predicate
                values = predicates[predicate]
                joined = values[0] if len(values) == 1 else " , ".join(sorted(set(values)))
                lines.append(f"{indent}    {shown} {joined}{' .' if i == len(order) - 1 else ' ;'}\n")
            self.forms[former] = "".join(lines)
        self._sentence: tuple[str, str] = ("", "")  # the last sentence and its literal

    def text(self, subject: str, triple: Triple, ev: EvidenceRecord, former: bool, start: int) -> str:
        term = self.fmt.term
        sentence = ev.sentence
        if sentence != self._sentence[0]:  # a roll call is one sentence behind thirty statements
            self._sentence = (sentence, literal(Lit(sentence, "zh")))
        return self.forms[former].format(
            subject=subject,
            s=term(triple[0]),
            p=term(triple[1]),
            o=term(triple[2]),
            article=term(article_iri(ev.article)),
            sentence=self._sentence[1],
            start=start,
            end=start + ev.end - ev.start,
            rule=literal(Lit(ev.rule)),
        )


def _dated(ev: EvidenceRecord) -> bool:
    """A holds statement with its observation date or change: more than the template's shape."""
    return bool(ev.date or ev.change)


def _write_group(
    out: IO[str],
    subject: str,
    group: list[Block],
    index: FactIndex,
    fmt: Formatter,
    template: StatementTemplate,
    article: str | None,
) -> int:
    """The group's block written; returns its triples (pairs given, as the dataset counts them)."""
    if len(group) == 1 and group[0].kind == "statement" and not _dated(group[0].ref[1]):
        triple, ev, former, start = group[0].ref
        out.write(template.text(subject, triple, ev, former, start))
        return template.sizes[former]
    if article is None:
        pairs: Iterator[tuple[str, Term]] = ((p, o) for block in group for p, o, _ in index.pairs(block))
    else:
        pairs = (pair for block in group for pair in index.pairs_in(block, article))
    text, count = _block_text(subject, pairs, fmt, template.rdf_type, template.indent)
    out.write(text)
    return count


def write_turtle(writer: SectionWriter, store: GraphStore, fmt: Formatter, keys: StoreKeys) -> None:
    """The schemes, then a section per node (its description and tenures, subjects sorted and
    blocks of one subject merged, then the statements of its facts), then the dataset's
    description, which counts them: canonical Turtle, each section copied from the last build
    when its key (``sections.section_keys``) is the same."""
    index, source = FactIndex(store, keep=False), SourceOffsets(store)
    template = StatementTemplate(fmt, "")

    def groups(found: list[Block]) -> tuple[str, int]:
        subjects = [fmt.iri(b.subject) for b in found]
        text = io.StringIO()
        triples = 0
        for subject, group in _by_subject(range(len(found)), subjects):
            triples += _write_group(text, subject, [found[i] for i in group], index, fmt, template, None)
            text.write("\n")
        return text.getvalue(), triples

    def node_section(node: str) -> None:
        """The node's own groups (its description, its tenures) in subject order, then the
        statements of each fact it is the subject of, fact by fact and, within a fact, article by
        article: the statements one article gives a fact are a section of their own, keyed by
        what the article says (``stretch_key``), so a fact read in 600 articles keeps 599
        articles' statements, without making them, when a 600th comes."""
        own = [Block(iri(node), "node", node)]
        own += (Block(subject, "fixed", pairs) for subject, pairs in membership_blocks(store, Lit, node))
        writer.raw(*groups(own))
        succ = store.succ[node]
        gone = remade_ends.get(node, [])
        kept: list[tuple[str, str]] = []  # edges the patch left as they were, one after another
        for o in sorted(succ):
            keyed = succ[o]
            if kept and gone and sorts_between(gone, kept[-1][0], o):
                copy_kept(node, kept)  # a pair made again, gone since, lay between them
            for relation in sorted(keyed):
                if remade is not None and (node, o) not in remade:
                    kept.append((o, relation))
                    continue
                copy_kept(node, kept)
                data = keyed[relation]
                stretches = article_stretches(data["evidence"])
                if remade is None:
                    runs: Iterable[tuple[bool, list[tuple[str, int, int]]]] = [(False, stretches)]
                else:
                    runs = _stretch_runs(stretches, remade[(node, o)])
                write_edge(node, o, relation, runs)
        copy_kept(node, kept)

    def edge(node: str, o: str, relation: str) -> tuple[tuple[str, Triple], dict[str, Any]]:
        """The fact an edge's statements' keys name, and its data."""
        return (relation, fact_iris(node, o, relation, store)), store.succ[node][o][relation]

    def end_key(node: str, o: str, relation: str, at: int) -> bytes | None:
        """The key of the statements of an edge's first (0) or last (-1) article."""
        fact, data = edge(node, o, relation)
        stretches = article_stretches(data["evidence"])
        return _stretch_key_at(store, keys, fact, data, stretches[at]) if stretches else None

    def copy_kept(node: str, kept: list[tuple[str, str]]) -> None:
        """Edges the patch left as they were, in a row: the statements of all of them one copy,
        from the first one's first article's to the last one's last (else edge by edge)."""
        if len(kept) > 1:
            first, last = end_key(node, *kept[0], 0), end_key(node, *kept[-1], -1)
            if first is not None and last is not None and writer.copy_span(first, last, None, flat=True):
                kept.clear()
                return
        for o, relation in kept:
            write_edge(node, o, relation, None)
        kept.clear()

    def write_edge(
        node: str, o: str, relation: str, runs: Iterable[tuple[bool, list[tuple[str, int, int]]]] | None
    ) -> None:
        """An edge's statements, article by article: runs of articles that did not change copied
        from the last file as one (whose facts' keys ``fact`` and the edge's data name). None:
        the edge is as it was, its articles one run."""
        fact, data = edge(node, o, relation)
        if runs is None:
            runs = [(True, article_stretches(data["evidence"]))]
        for unchanged, run in runs:
            if unchanged and writer.copy_run(
                run, partial(_stretch_key_at, store, keys, fact, data), flat=True
            ):
                continue
            for article, first, end in run:
                key = stretch_key(store, keys, fact, data, article, first, end)
                writer.section(key, partial(statements, node, o, relation, data, first, end))

    def statements(
        s: str, o: str, relation: str, data: dict[str, Any], first: int, end: int
    ) -> tuple[str, int]:
        said = stretch(data["evidence"], first, end)
        return groups(list(statement_blocks(store, s, o, relation, data, source, said)))

    def write_node(node: str) -> int:
        found = writer.copy(keys.sections[node])
        if found is None:
            before = writer.triples
            with writer.compound(keys.sections[node]):
                node_section(node)
            found = writer.triples - before
        keys.triples[node] = found
        return found

    text, scheme_triples = groups(scheme_blocks())
    writer.raw(text)
    order = sorted(store.node_data)
    # A file this process wrote for the keys these were patched from is spliced from: its
    # unchanged nodes copied a run at a time, within the others the edges the store's patch did
    # not make again, and what the unchanged articles say of those it did.
    change = keys.change
    total = None
    if change is not None and writer.follows(change):
        total = _spliced_total(writer, change, writer.kept_triples)
    remade = change.remade if total is not None and change is not None else None
    # Each subject's objects of the pairs made again (some gone since), sorted: a run of kept
    # edges breaks where one lay.
    remade_ends = ends_by_subject(remade or ())
    if total is None:
        total = sum(write_node(n) for n in order)
    else:
        assert change is not None
        for unchanged, nodes in spliced(order, change.resectioned, store.node_data):
            if unchanged and writer.copy_run(nodes, keys.sections.__getitem__):
                continue
            for n in nodes:
                found = write_node(n)
                total += 0 if unchanged else found  # counted in the last total already
    writer.record(_NODE_TRIPLES, total)
    writer.raw(groups(dataset_blocks(store, scheme_triples + total))[0])


def _stretch_runs(
    stretches: list[tuple[str, int, int]], changed: Collection[str]
) -> Iterator[tuple[bool, list[tuple[str, int, int]]]]:
    """An edge's stretches (one an article, in article order: ``evidence_order``) as runs of
    articles that did not change, and single ones that did (``changed``: those that gave facts
    of the edge, before or now): ``spliced`` of their articles, a run also ending where one of
    those that no longer gives any sorted."""
    by_article = {found[0]: found for found in stretches}
    for unchanged, run in spliced(list(by_article), changed, by_article):
        yield unchanged, [by_article[article] for article in run]


_NODE_TRIPLES = b"triples of every node's section"


def _spliced_total(writer: SectionWriter, change: Change, kept: Callable[[bytes], int | None]) -> int | None:
    """The triples of graph.ttl's node sections as the file being replaced counted them, but
    those of the nodes changed since, whose sections are written again or are gone (``kept``: a
    node's count under its last section key: its section's in graph.ttl, the tally kept under it
    in graph.trig); None where the file did not keep them all."""
    total = writer.recorded(_NODE_TRIPLES)
    for last in change.resectioned.values():
        if total is None:
            return None
        if last is not None:
            found = kept(last)
            total = None if found is None else total - found
    return total


def _by_subject(members: Iterable[int], subjects: list[str]) -> Iterator[tuple[str, Iterator[int]]]:
    """Block numbers grouped by subject, subjects in order, blocks of one subject in the order
    given. Sorting numbers by a key list rather than (subject, number, block) tuples: a 10k
    corpus has a million of them, and the tuples were 100 MB."""
    return groupby(sorted(members, key=subjects.__getitem__), key=subjects.__getitem__)


ArticleFact = tuple[
    str, str, str, dict[str, Any], list[EvidenceRecord]
]  # an edge, its records from the article


def write_trig(
    writer: SectionWriter, store: GraphStore, fmt: Formatter, graph_iri: Callable[[str], str], keys: StoreKeys
) -> None:
    """A section per article: its named graph, holding what it says (the nodes it names, with
    their facts as it states them, and its statements), each canonical Turtle and copied from
    the last build when its key is the same; then the default graph: the schemes, the tenures,
    nodes no article names, and the dataset's description."""
    named = article_nodes(store, keys)  # article → the nodes with triples in its graph
    homeless = [
        Block(iri(node), "node", node)
        for node in sorted(store.node_data)
        if not store.node_data[node].get("articles")
    ]
    # Each article's graph keyed by what its facts' digest and its nodes say, without listing
    # its evidence (a store add_article filled); only the graphs the last file lacks list their
    # facts, and a few of them without a walk of every edge. Those worked out before (the keys
    # a resident process patched) are taken.
    described: dict[str, bytes | None] = {
        article: keys.described.get(article) or described_key(store, article, nodes, keys)
        for article, nodes in named.items()
    }
    stated: EvidenceByArticle | FewArticlesEvidence
    if store.fact_digests:
        needing = [a for a, key in described.items() if key is None or not writer.has(key)]
        few = len(needing) * FEW_ARTICLES <= len(named)
        stated = FewArticlesEvidence(store, needing) if few else EvidenceByArticle(store)
    else:
        stated = EvidenceByArticle(store)
    index, source = FactIndex(store, keep=False, stated=stated), SourceOffsets(store)
    template = StatementTemplate(fmt, "    ")

    def groups(article: str, found: list[Block]) -> str:
        """The blocks' subjects, sorted, one group each, a blank line between."""
        subjects = [fmt.iri(b.subject) for b in found]
        text = io.StringIO()
        for n, (subject, group) in enumerate(_by_subject(range(len(found)), subjects)):
            if n:
                text.write("\n")
            _write_group(text, subject, [found[i] for i in group], index, fmt, template, article)
        return text.getvalue()

    def graph(article: str, found: list[Block]) -> str:
        head = f"\n<{graph_iri(article)}> {{\n" if article else "\n{\n"
        return head + groups(article, found) + "}\n"

    def tenures(holder: str) -> tuple[str, int]:
        found = [Block(subject, "fixed", pairs) for subject, pairs in membership_blocks(store, Lit, holder)]
        return ("\n" + groups("", found) if found else ""), 0

    def article_graph(article: str, facts: list[ArticleFact]) -> tuple[str, int]:
        found = [Block(iri(node), "node", node) for node in named[article]]
        for s, o, relation, data, evidence in facts:
            found += statement_blocks(store, s, o, relation, data, source, evidence)
        return graph(article, found), 0

    def article_key(article: str, facts: list[ArticleFact]) -> bytes:
        """What the article's graph is made of: its nodes' descriptions (labels, dates, the
        article's line map), and its facts with what they carry beyond their evidence."""
        parts: list[Any] = [article, [keys.descriptions[node] for node in named[article]]]
        for s, o, relation, data, evidence in facts:
            carried = [(k, v) for k, v in data.items() if k not in ("evidence", "tenures")]
            parts.append((s, o, relation, carried, [tuple(ev) for ev in evidence]))
        return digest(marshal.dumps(parts, 2))

    def counted(node: str) -> int:
        found = keys.triples.get(node)  # graph.ttl's section of the node, when written here
        if found is None:
            found = sum(1 for b in node_blocks(store, node, source) for _ in index.pairs(b))
        return found

    def listed(article: str) -> list[ArticleFact]:
        return [
            (s, o, relation, data, list(evidence)) for s, o, relation, data, evidence in stated.of(article)
        ]

    def described_graph(article: str) -> tuple[str, int]:
        return article_graph(article, listed(article))

    def article_section(article: str) -> None:
        key = described[article]
        if key is not None:
            writer.section(key, partial(described_graph, article))
            return
        # Its records made once, for its key and, when its graph is not copied, for its graph.
        facts = listed(article)
        writer.section(article_key(article, facts), partial(article_graph, article, facts))

    # In a file spliced from the last (this process wrote it for the keys these were patched
    # from), the graphs, node counts and tenures the change left as they were are copied a run
    # at a time.
    change = keys.change
    if change is None or change.regraphed is None or not writer.follows(change):
        change = None
    articles = sorted(named)
    for unchanged, run in spliced(articles, change.regraphed if change else None, named):
        if unchanged and writer.copy_run(run, described.__getitem__):
            continue
        for article in run:
            article_section(article)
    # The dataset counts triples as graph.ttl does, each once: a node's description is in the
    # graph of every article that names it.
    scheme = scheme_blocks()
    triples = sum(1 for b in scheme for _ in index.pairs(b))
    node_total = _spliced_total(writer, change, writer.recorded) if change is not None else None
    if change is None or node_total is None:
        node_total = sum(
            writer.tally(keys.sections[node], partial(counted, node)) for node in sorted(store.node_data)
        )
    else:
        # Each node's count kept but those of the nodes changed, which are counted again.
        writer.carry_numbers(
            [last for last in change.resectioned.values() if last is not None] + [_NODE_TRIPLES]
        )
        for node in sorted(change.resectioned.keys() & store.node_data.keys()):
            node_total += writer.tally(keys.sections[node], partial(counted, node))
    writer.record(_NODE_TRIPLES, node_total)
    triples += node_total
    # The default graph: the schemes, each holder's tenures (a section each), nodes no article
    # names, and the dataset's description.
    writer.raw("\n{\n" + groups("", scheme))
    found = holders(store)
    for unchanged, run in spliced(found, change.resectioned if change else None, set(found)):
        if unchanged and writer.copy_run(run, partial(tenures_key, keys), flat=True):
            continue
        for node in run:
            writer.section(tenures_key(keys, node), partial(tenures, node))
    for blocks in (homeless, dataset_blocks(store, triples)):
        if blocks:
            writer.raw("\n" + groups("", blocks))
    writer.raw("}\n")


def holders(store: GraphStore) -> list[str]:
    """The nodes holding a post, in order: graph.trig's default graph has their tenures."""
    return [n for n in sorted(store.node_data) if any(Relation.HOLDS in k for k in store.succ[n].values())]


def tenures_key(keys: StoreKeys, holder: str) -> bytes:
    """The key of a holder's tenures in graph.trig: what its section key says of it."""
    return digest(b"tenures\0" + keys.sections[holder])


def _stretch_key_at(
    store: GraphStore,
    keys: StoreKeys,
    fact: tuple[str, Triple],
    data: dict[str, Any],
    at: tuple[str, int, int],
) -> bytes:
    """``stretch_key`` of one stretch (article, first, end) of ``article_stretches``."""
    return stretch_key(store, keys, fact, data, *at)


def stretch_key(
    store: GraphStore,
    keys: StoreKeys,
    fact: tuple[str, Triple],
    data: dict[str, Any],
    article: str,
    first: int,
    end: int,
) -> bytes:
    """The key of the statements one article gives a fact (``data``'s evidence records first to
    end): the fact's relation and triple, whether it is former, the article's description (its
    line map makes the source offsets) and what the article says: its facts' and text's digests
    where the store has them (``GraphStore.fact_digests``, which fix its records on every edge),
    else the records themselves."""
    said: Any = store.article_digest(article)
    if said is None:
        said = contents_of(stretch(data["evidence"], first, end))
    description = keys.descriptions.get(article_node(article), b"-")
    return digest(marshal.dumps(("statements", fact, data.get("former", ""), article, description, said), 2))


def article_nodes(store: GraphStore, keys: StoreKeys | None = None) -> dict[str, list[str]]:
    """article → the nodes naming it (whose ``articles`` list it), in node order; kept with the
    store's ``keys`` (the keys stage and TriG both ask, a walk of every node each)."""
    if keys is not None and keys.named is not None:
        return keys.named
    named: dict[str, list[str]] = {}
    node_data = store.node_data
    for node in sorted(node_data):
        for article in node_data[node].get("articles", ()):
            named.setdefault(article, []).append(node)
    if keys is not None and not keys.shed:
        keys.named = named
    return named


def described_keys(
    store: GraphStore, keys: StoreKeys, articles: Iterable[str] | None = None
) -> dict[str, bytes]:
    """``described_key`` of every article the store's nodes name (``articles``: those only),
    where the store has its facts' digest."""
    named = article_nodes(store, keys)
    found = {}
    for article in named if articles is None else articles:
        nodes = named.get(article)
        key = described_key(store, article, nodes, keys) if nodes else None
        if key is not None:
            found[article] = key
    return found


def described_key(store: GraphStore, article: str, nodes: list[str], keys: StoreKeys) -> bytes | None:
    """The key of an article's graph from what describes it, when the store has its facts'
    digest (``GraphStore.fact_digests``; else None): its nodes' descriptions, its text's and
    facts' digests (every record it gives: bounds, sentence, rule, date, change, in order), and
    what the edges among its nodes carry beyond their evidence (a meeting's date, whether a
    holding is current: another article can change those). Its facts are among its nodes, since
    add_article names an article on both ends of each."""
    said = store.article_digest(article)
    if said is None:
        return None
    succ, among = store.succ, set(nodes)
    extras = []
    for s in nodes:
        out = succ[s]
        for o in successors_among(out, nodes, among):
            for relation, data in sorted(out[o].items()):
                extra = carried(data)
                if extra:
                    extras.append((s, o, relation, extra))
    parts = [
        "described",
        article,
        [keys.descriptions[node] for node in nodes],
        said,
        extras,
    ]
    return digest(marshal.dumps(parts, 2))


def nquad_lines(quads: Iterable[tuple[str, Triple]], graph_iri: object) -> Iterator[str]:
    """N-Quads lines, one statement a line; ``graph_iri(article)`` names each article's graph."""
    for article, (s, p, o) in quads:
        obj = literal(o) if isinstance(o, Lit) else f"<{o}>"
        graph = f" <{graph_iri(article)}>" if article and callable(graph_iri) else ""
        yield f"<{s}> <{p}> {obj}{graph} .\n"
