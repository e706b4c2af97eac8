"""The store as RDF, with the terms of shared/rdf-contract.md; shared by Turtle and TriG."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from importlib import resources
from typing import Any

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.extractors.genre import org_type
from kg.ids import BASE, iri
from kg.model import NodeType, Relation
from kg.store import GraphStore
from kg.vocab import KG, KGORG, KGPOST, ORG, PROV, SCHEMA, SKOS, org_concept, post_concept

CLASSES: dict[str, tuple[URIRef, ...]] = {
    NodeType.PERSON: (SCHEMA.Person,),
    NodeType.ORGANISATION: (ORG.Organization,),
    NodeType.POST: (ORG.Post,),
    NodeType.MEETING: (SCHEMA.Event, KG.Meeting),
    NodeType.TARGET: (KG.Target,),
    NodeType.DOCUMENT: (SCHEMA.CreativeWork,),
    NodeType.ARTICLE: (SCHEMA.NewsArticle,),
}
ORG_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "hospital": (SCHEMA.Hospital, KG.Hospital),
    "government": (SCHEMA.GovernmentOrganization,),
}
# relation → (predicate, whether the triple runs object → subject of the fact)
PREDICATES: dict[str, tuple[URIRef, bool]] = {
    Relation.HOLDS: (ORG.holds, False),  # person org:holds post
    Relation.POST_IN: (ORG.postIn, False),  # post org:postIn org
    Relation.HELD: (SCHEMA.organizer, True),  # meeting schema:organizer org
    Relation.PRESIDED: (KG.chairedBy, True),  # meeting kg:chairedBy person
    Relation.SPOKE: (KG.hasSpeaker, True),
    Relation.ATTENDED: (SCHEMA.attendee, True),
    Relation.SET_TARGET: (KG.setTarget, False),  # meeting kg:setTarget target
    Relation.DOCUMENT: (SCHEMA.publisher, True),  # document schema:publisher org
}
PREFIXES = {
    "org": ORG,
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "kg": KG._NS,
    "kgpost": KGPOST,
    "kgorg": KGORG,
    "res": BASE,
}


def turtle_prefixes() -> dict[str, str]:
    return {
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
        **{prefix: str(ns) for prefix, ns in PREFIXES.items() if prefix != "res"},
    }


def new_graph(cls: type[Graph] = Graph, **kwargs: Any) -> Graph:
    g = cls(**kwargs)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def node_iri(node: str) -> URIRef:
    return URIRef(iri(node))


def date_literal(value: str) -> Literal:
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)


def node_triples(node: str, data: dict[str, Any]) -> Iterator[tuple[URIRef, URIRef, Literal | URIRef]]:
    subject = node_iri(node)
    node_type = data["type"]
    for cls in CLASSES[node_type]:
        yield subject, RDF.type, cls
    if node_type == NodeType.ORGANISATION:
        kind = org_type(data["label"])
        for cls in ORG_CLASSES.get(kind, ()):
            yield subject, RDF.type, cls
        yield subject, ORG.classification, org_concept(kind)
    if node_type == NodeType.POST:
        yield subject, ORG.role, post_concept(data["label"])
    yield subject, RDFS.label, Literal(data["label"], lang="zh")
    for alias in data.get("aliases", []):
        yield subject, SKOS.altLabel, Literal(alias, lang="zh")
    if node_type == NodeType.ARTICLE:
        yield subject, SCHEMA.identifier, Literal(data["identifier"])
        yield subject, SCHEMA.headline, Literal(data["label"], lang="zh")
        if data.get("published"):
            yield subject, SCHEMA.datePublished, date_literal(data["published"])
        if data.get("source"):
            yield subject, KG.sourceName, Literal(data["source"], lang="zh")
    if node_type == NodeType.MEETING:
        if data.get("date"):
            yield subject, SCHEMA.startDate, date_literal(data["date"])
        if data.get("place"):
            yield subject, SCHEMA.location, Literal(data["place"], lang="zh")
    if node_type != NodeType.ARTICLE:
        for article in data.get("articles", []):
            yield subject, SCHEMA.subjectOf, node_iri(f"article/{article}")


def fact_triple(s: str, o: str, relation: str) -> tuple[URIRef, URIRef, URIRef]:
    predicate, flipped = PREDICATES[relation]
    return (node_iri(o), predicate, node_iri(s)) if flipped else (node_iri(s), predicate, node_iri(o))


def statement_triples(
    triple: tuple[URIRef, URIRef, URIRef], ev: dict[str, Any], former: bool
) -> Iterator[tuple[URIRef, URIRef, Literal | URIRef]]:
    """rdf:Statement reification of one fact as read in one sentence."""
    key = "\x1f".join([*map(str, triple), ev["article"], str(ev["start"]), ev["rule"]])
    st = URIRef(f"{BASE}statement/{hashlib.sha1(key.encode()).hexdigest()[:16]}")
    yield st, RDF.type, RDF.Statement
    yield st, RDF.type, KG.Evidence
    yield st, RDF.subject, triple[0]
    yield st, RDF.predicate, triple[1]
    yield st, RDF.object, triple[2]
    yield st, PROV.wasDerivedFrom, node_iri(f"article/{ev['article']}")
    yield st, KG.sentence, Literal(ev["sentence"], lang="zh")
    yield st, KG.sentenceStart, Literal(ev["start"], datatype=XSD.integer)
    yield st, KG.sentenceEnd, Literal(ev["end"], datatype=XSD.integer)
    yield st, KG.rule, Literal(ev["rule"])
    if former:
        yield st, KG.former, Literal(True)


SCHEMES = ("posts.ttl", "org_types.ttl")


def scheme_triples() -> Iterator[tuple[URIRef, URIRef, Literal | URIRef]]:
    """The SKOS post and organisation type schemes, shipped inside every export."""
    g = Graph()
    for name in SCHEMES:
        g.parse(
            data=resources.files("kg").joinpath("ontology", name).read_text(encoding="utf-8"), format="turtle"
        )
    for s, p, o in g:
        assert isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef | Literal)
        yield s, p, o


def quads(store: GraphStore) -> Iterator[tuple[str, tuple[URIRef, URIRef, Literal | URIRef]]]:
    """(article id, triple) for everything the export says; "" = about no one article."""
    for triple in scheme_triples():
        yield "", triple
    for node, data in store.nodes():
        for triple in node_triples(node, data):
            for article in data.get("articles", []) or [""]:
                yield article, triple
    for s, o, relation, data in store.edges():
        triple = fact_triple(s, o, relation)
        for ev in data["evidence"]:
            yield ev["article"], triple
            for st in statement_triples(triple, ev, data.get("former") == "true"):
                yield ev["article"], st
