"""The Turtle and TriG exports: parse back, keep the RDF contract, answer the example queries."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.build import BuildResult, build
from kg.distinctions import distinction
from kg.exporters.rdf import fact_triple, node_iri
from kg.extractors.genre import org_type
from kg.model import NodeType, Relation
from kg.query import run_query
from kg.text.load import decode
from kg.vocab import KG, ORG, PROV, SCHEMA
from tests.conftest import CORPUS, QUERIES

Built = tuple[BuildResult, Path]


@pytest.fixture(scope="module")
def graph(built: Built) -> Graph:
    g = Graph()
    g.parse(built[1] / "graph.ttl", format="turtle")
    return g


def test_every_node_has_one_chinese_label(built: Built, graph: Graph) -> None:
    result, _ = built
    for node, data in result.store.nodes():
        labels = list(graph.objects(node_iri(node), RDFS.label))
        assert labels == [Literal(data["label"], lang="zh")], node


def test_classes_follow_the_contract(built: Built, graph: Graph) -> None:
    expected = {
        NodeType.PERSON: SCHEMA.Person,
        NodeType.ORGANISATION: ORG.Organization,
        NodeType.POST: ORG.Post,
        NodeType.MEETING: SCHEMA.Event,
        NodeType.TARGET: KG.Target,
        NodeType.DOCUMENT: SCHEMA.CreativeWork,
        NodeType.ARTICLE: SCHEMA.NewsArticle,
    }
    result, _ = built
    distinctions = {"award": KG.Honour, "credential": SCHEMA.EducationalOccupationalCredential}
    for node, data in result.store.nodes():
        kind = distinction(data["label"]) if data["type"] == NodeType.POST else ""
        cls = distinctions[kind] if kind else expected[data["type"]]
        assert (node_iri(node), RDF.type, cls) in graph
        if kind:  # an honour or a degree is no org:Post (kg/distinctions.py)
            assert (node_iri(node), RDF.type, ORG.Post) not in graph
    # Hospitals are also schema:Hospital: exactly the organisations named with a hospital ending.
    hospitals = {str(graph.value(o, RDFS.label)) for o in graph.subjects(RDF.type, SCHEMA.Hospital)}
    named = {
        d["label"] for _, d in result.store.nodes(NodeType.ORGANISATION) if org_type(d["label"]) == "hospital"
    }
    assert hospitals and hospitals == named


def test_every_fact_is_a_triple_with_a_statement_per_evidence(built: Built, graph: Graph) -> None:
    result, _ = built
    for s, o, relation, data in result.store.edges():
        triple = fact_triple(s, o, relation, result.store)
        if data.get("current") is False:  # a holding that ended: not asserted, its tenure says so
            assert triple not in graph
            (membership,) = set(graph.subjects(ORG.member, triple[0])) & set(
                graph.subjects(KG.post, triple[2])
            )
            assert graph.value(membership, KG.endedBy) is not None
        else:
            assert triple in graph
        statements = (
            set(graph.subjects(RDF.subject, triple[0]))
            & set(graph.subjects(RDF.predicate, triple[1]))
            & set(graph.subjects(RDF.object, triple[2]))
        )
        assert len(statements) == len(data["evidence"])
        for st in statements:
            assert (st, RDF.type, RDF.Statement) in graph
            article = graph.value(st, PROV.wasDerivedFrom)
            assert (article, RDF.type, SCHEMA.NewsArticle) in graph
            start, end = (
                int(str(graph.value(st, KG.sentenceStart))),
                int(str(graph.value(st, KG.sentenceEnd))),
            )
            identifier = str(graph.value(article, SCHEMA.identifier))
            source = decode((CORPUS / identifier).read_bytes()).text  # the file as a reader opens it
            assert str(graph.value(st, KG.sentence)) == source[start:end]


# The contract's terms (../shared/rdf-contract.md), written out here as the contract writes them.
CONTRACT = {
    Relation.HOLDS: ("http://www.w3.org/ns/org#holds", False),
    Relation.POST_IN: ("http://www.w3.org/ns/org#postIn", False),
    Relation.HELD: ("https://schema.org/organizer", True),
    Relation.PRESIDED: ("https://w3id.org/hospital-kg/ontology#chairedBy", True),
    Relation.SPOKE: ("https://w3id.org/hospital-kg/ontology#hasSpeaker", True),
    Relation.ATTENDED: ("https://schema.org/attendee", True),
    Relation.SET_TARGET: ("https://w3id.org/hospital-kg/ontology#setTarget", False),
    Relation.DOCUMENT: ("https://schema.org/publisher", True),
}


def test_every_edge_is_a_triple_with_the_contract_term(built: Built, graph: Graph) -> None:
    """Each edge of the store is, in the Turtle, one triple whose predicate and direction are the
    contract's: what a SPARQL user writes against the contract finds every fact (a holding that
    has ended is a tenure, not org:holds; an honour or a degree is no post)."""
    store = built[0].store

    def distinguished(s: str, o: str, relation: str) -> bool:
        post = {Relation.HOLDS: o, Relation.POST_IN: s}.get(Relation(relation))
        return post is not None and bool(distinction(store.label(post)))

    assert any(distinguished(s, o, r) for s, o, r, _ in store.edges())
    for relation, (predicate, inverse) in CONTRACT.items():
        expected = {
            (node_iri(o), node_iri(s)) if inverse else (node_iri(s), node_iri(o))
            for s, o, _, data in store.edges(relation)
            if data.get("current") is not False and not distinguished(s, o, relation)
        }
        found = set(graph.subject_objects(URIRef(predicate)))
        assert expected and found == expected, relation


def test_trig_has_one_named_graph_per_article(built: Built) -> None:
    result, out = built
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    names = {str(g.identifier) for g in ds.graphs() if str(g.identifier).startswith("https://w3id.org")}
    assert {n.rsplit("/", 1)[1] for n in names} == {a.article.id for a in result.corpus.articles}
    union = Graph()
    for g in ds.graphs():
        for triple in g:
            union.add(triple)
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    assert set(union) == set(ttl)


def test_each_article_graph_links_only_its_own_article(built: Built, tmp_path: Path) -> None:
    # An organisation named in hundreds of articles must not repeat every link in every graph.
    _, out = built
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    linked = 0
    for g in ds.graphs():
        if not str(g.identifier).startswith("https://w3id.org/hospital-kg/id/graph/"):
            continue
        own = str(g.identifier).rsplit("/", 1)[1]
        for article in g.objects(None, SCHEMA.subjectOf):
            assert str(article).endswith("/article/" + own)
            linked += 1
    assert linked > 50
    # The N-Quads say exactly what the TriG says, graph by graph.
    from kg.exporters import get_exporter

    get_exporter("nquads")(built[0].store, tmp_path / "graph.nq")
    nq = Dataset()
    nq.parse(tmp_path / "graph.nq", format="nquads")
    assert set(nq.quads()) == set(ds.quads())


def test_rebuild_is_byte_identical(built: Built, tmp_path: Path) -> None:
    _, out = built
    build(CORPUS, tmp_path)
    for name in ("graph.ttl", "graph.trig", "graph.json", "graph.html", "report.json"):
        assert filecmp.cmp(out / name, tmp_path / name, shallow=False), name


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_queries_answer_what_the_store_holds(built: Built, engine: str) -> None:
    result, out = built
    store = result.store
    ttl = out / "graph.ttl"

    def rows(name: str) -> list[list[str]]:
        return run_query(ttl, (QUERIES / name).read_text(encoding="utf-8"), engine=engine).rows

    holds = {
        (store.label(s), store.label(o))
        for s, o, _, d in store.edges(Relation.HOLDS)
        if d["current"] and not distinction(store.label(o))  # honours and degrees are no posts
    }
    assert {(r[2], r[1]) for r in rows("posts_by_organisation.rq")} == holds
    ended = {
        (store.label(s), store.label(o)) for s, o, _, d in store.edges(Relation.HOLDS) if not d["current"]
    }
    assert ended and {(r[3], r[2]) for r in rows("leadership_changes.rq") if r[4] == "end"} == ended
    counts = {r[0]: int(r[1]) for r in rows("dashboard_counts.rq")}
    counts["post"] += counts.pop("honour", 0) + counts.pop("credential", 0)  # posts in the store
    assert counts == store.counts()["nodes"]
    chairs = {(store.label(o), store.label(s)) for s, o, _, _ in store.edges(Relation.PRESIDED)}
    assert {(r[2], r[3]) for r in rows("meetings_with_chair.rq") if r[3]} == chairs
    evidence = sum(
        len(d["evidence"]) for _, o, _, d in store.edges(Relation.HOLDS) if not distinction(store.label(o))
    )
    assert len(rows("evidence_for_holds.rq")) == evidence


def test_every_query_runs_the_same_on_both_engines(built: Built) -> None:
    _, out = built
    for query in sorted(QUERIES.glob("*.rq")):
        text = query.read_text(encoding="utf-8")
        a = run_query(out / "graph.ttl", text, engine="rdflib")
        b = run_query(out / "graph.ttl", text, engine="oxigraph")
        assert a.columns == b.columns, query.name
        assert sorted(map(_unordered, a.rows)) == sorted(map(_unordered, b.rows)), query.name
        assert a.rows, f"{query.name} found nothing in the corpus graph"


def _unordered(row: list[str]) -> list[str]:
    """GROUP_CONCAT's order is not defined by SPARQL: compare its parts as a set."""
    return ["、".join(sorted(cell.split("、"))) for cell in row]


def test_evidence_out_of_article_order_says_the_same(built: Built, tmp_path: Path) -> None:
    """TriG and the explorer's article records find each article's evidence on an edge by the
    stretch it fills when the store keeps evidence sorted; a store whose evidence interleaves
    articles (one made by hand) must say the same, not drop or repeat a statement."""
    from kg.exporters import get_exporter
    from kg.store import GraphStore

    result, _ = built
    ids = sorted(a.article.id for a in result.corpus.articles)
    other = dict(zip(ids, [*ids[1:], ids[0]], strict=True))  # each article's stand-in for a second
    stores = []
    for interleave in (False, True):
        graph = result.store.graph.copy()
        changed = 0
        for _, _, data in graph.edges(data=True):
            # Each record also read by a second article, and again by another rule in both.
            evidence = [
                e._replace(article=article, rule=e.rule + again)
                for e in data["evidence"]
                for article in (e.article, other[e.article])
                for again in ("", "-again")
            ]
            if interleave:  # the articles in turn
                evidence.sort(key=lambda e: (e.rule.endswith("-again"), e.start, e.article))
            else:
                evidence.sort(key=lambda e: (e.article, e.start, e.rule))
            data["evidence"] = evidence
            changed += 1
        assert changed
        store = GraphStore(graph)
        store.texts = result.store.texts
        stores.append(store)
    for store, folder in zip(stores, ("sorted", "interleaved"), strict=True):
        (tmp_path / folder).mkdir()
        get_exporter("trig")(store, tmp_path / folder / "graph.trig")
        get_exporter("html")(store, tmp_path / folder / "graph.html")
    sorted_, interleaved = tmp_path / "sorted", tmp_path / "interleaved"
    assert (sorted_ / "graph.trig").read_bytes() == (interleaved / "graph.trig").read_bytes()
    assert b"-again" in (sorted_ / "graph.trig").read_bytes()
    articles = filecmp.dircmp(sorted_ / "views" / "articles", interleaved / "views" / "articles")
    assert articles.same_files and not articles.diff_files
