"""The project's RDF terms, mirroring ontology/kg.ttl, plus the standard namespaces."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


class KG(DefinedNamespace):
    """Terms of ``ontology/kg.ttl``; a test checks both stay in step."""

    _NS = Namespace("https://w3id.org/hospital-kg/ontology#")
    _fail = True

    Target: URIRef
    Meeting: URIRef
    Hospital: URIRef
    Evidence: URIRef
    chairedBy: URIRef
    hasSpeaker: URIRef
    setTarget: URIRef
    sentence: URIRef
    sentenceStart: URIRef
    sentenceEnd: URIRef
    rule: URIRef
    former: URIRef
    title: URIRef
    sourceName: URIRef
