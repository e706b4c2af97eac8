"""The project's RDF terms, mirroring ontology/kg.ttl, plus the standard namespaces."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
TIME = Namespace("http://www.w3.org/2006/time#")
KGPOST = Namespace("https://w3id.org/hospital-kg/ontology/post/")  # concepts of ontology/posts.ttl
KGORG = Namespace("https://w3id.org/hospital-kg/ontology/org/")  # concepts of ontology/org_types.ttl


class KG(DefinedNamespace):
    """Terms of ``ontology/kg.ttl``; a test checks both stay in step."""

    _NS = Namespace("https://w3id.org/hospital-kg/ontology#")
    _fail = True

    Target: URIRef
    Meeting: URIRef
    Hospital: URIRef
    Honour: URIRef
    hasHonour: URIRef
    Evidence: URIRef
    chairedBy: URIRef
    hasSpeaker: URIRef
    setTarget: URIRef
    sentence: URIRef
    sentenceStart: URIRef
    sentenceEnd: URIRef
    rule: URIRef
    former: URIRef
    observedOn: URIRef
    change: URIRef
    post: URIRef
    inferred: URIRef
    endedBy: URIRef
    startedBy: URIRef
    lastObserved: URIRef
    observations: URIRef
    title: URIRef
    sourceName: URIRef
    PostTypes: URIRef
    OrganisationTypes: URIRef


def post_concept(title: str) -> URIRef:
    """The post type a title belongs to: the longest known ending decides (医政处处长 → 处长)."""
    from kg.lexicon import load_table

    table = load_table("post_concepts")
    endings = [e for e in table if title.endswith(e)]
    return KGPOST[table[max(endings, key=len)]] if endings else KGPOST["other-post"]


def org_concept(kind: str) -> URIRef:
    """The organisation type of a kind from the org_suffixes lexicon ("" → other)."""
    return KGORG[kind or "other"]


def date_datatype(value: str) -> URIRef:
    """The XSD type of an ISO date as precise as it is known: 2022-08-30, 2022-08 or 2022."""
    from rdflib import XSD

    if len(value) == 10:
        return XSD.date
    return XSD.gYearMonth if len(value) == 7 else XSD.gYear
