"""One spec per relation: the table the exporters and kg eval read, checked against the model
and the ontology."""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, Graph, URIRef

from kg.evaluate import REQUIRED, TYPES
from kg.exporters.jsonld import CONTEXT
from kg.exporters.neo4j import TYPES as NEO4J_TYPES
from kg.exporters.rdf import PREDICATES
from kg.exporters.site import RELATION_LABELS
from kg.model import Relation
from kg.relations import SPECS
from kg.vocab import KG

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"


def test_every_relation_has_one_spec_and_every_reader_uses_it() -> None:
    assert set(SPECS) == set(Relation)
    for relation, spec in SPECS.items():
        assert PREDICATES[relation] == (spec.predicate, spec.inverse)
        assert RELATION_LABELS[str(relation)] == spec.label
        assert NEO4J_TYPES[relation][0] == spec.neo4j
        assert CONTEXT[spec.local_name]["@type"] == "@id"
    assert set(TYPES) == {str(r) for r, s in SPECS.items() if s.gold} and REQUIRED["holds"] == (
        "person",
        "post",
        "org",
    )


def test_every_predicate_is_in_the_ontology() -> None:
    """Our own terms are declared object properties in ontology/kg.ttl; standard ones (org:,
    schema:) are named by the ontology (sub-properties, shapes) so that SHACL checks them."""
    ontology = Graph()
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        ontology.parse(path, format="turtle")
    named = {t for triple in ontology for t in triple if isinstance(t, URIRef)}
    for relation, spec in SPECS.items():
        if str(spec.predicate).startswith(str(KG._NS)):
            assert (spec.predicate, RDF.type, OWL.ObjectProperty) in ontology, relation
        else:
            assert spec.predicate in named, relation
