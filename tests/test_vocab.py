"""kg/vocab.py and ontology/kg.ttl stay in step; the ontology parses."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.vocab import KG

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl"


def test_every_term_is_declared_with_labels() -> None:
    g = Graph().parse(ONTOLOGY, format="turtle")
    declared = {s for s in g.subjects(RDF.type, None) if str(s).startswith(str(KG._NS))}
    terms = {URIRef(str(KG._NS) + name) for name in KG.__annotations__}
    assert terms == declared
    for term in terms:
        langs = {label.language for label in g.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, term
        assert g.value(term, RDFS.comment) is not None, term
        assert (
            (term, RDF.type, OWL.Class) in g
            or (term, RDF.type, OWL.ObjectProperty) in g
            or (term, RDF.type, OWL.DatatypeProperty) in g
        )


def test_contract_terms_keep_their_local_names() -> None:
    assert str(KG.chairedBy).endswith("#chairedBy")
    assert str(KG.hasSpeaker).endswith("#hasSpeaker")
    assert str(KG.setTarget).endswith("#setTarget")
    assert str(KG.Target).endswith("#Target")
