"""kg/vocab.py and ontology/ stay in step; every term has Chinese and English labels."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.lexicon import load_table
from kg.vocab import KG, KGPOST, post_concept

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def ontology() -> Graph:
    g = Graph()
    for name in ("kg.ttl", "posts.ttl", "org_types.ttl"):
        g.parse(ONTOLOGY / name, format="turtle")
    return g


def test_every_term_is_declared_with_labels() -> None:
    g = ontology()
    declared = {s for s in g.subjects(RDF.type, None) if str(s).startswith(str(KG._NS))}
    terms = {URIRef(str(KG._NS) + name) for name in KG.__annotations__}
    assert terms == declared
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme}
    for term in terms:
        labels = [*g.objects(term, RDFS.label), *g.objects(term, SKOS.prefLabel)]
        assert {"zh", "en"} <= {getattr(label, "language", None) for label in labels}, term
        assert g.value(term, RDFS.comment) is not None, term
        assert set(g.objects(term, RDF.type)) & kinds, term


def test_every_post_concept_the_lexicon_names_is_in_the_scheme() -> None:
    g = ontology()
    for slug in set(load_table("post_concepts").values()) | {"other-post"}:
        concept = KGPOST[slug]
        assert (concept, RDF.type, SKOS.Concept) in g, slug
        assert (concept, SKOS.inScheme, KG.PostTypes) in g, slug


def test_post_types_follow_the_longest_ending() -> None:
    assert post_concept("医政处处长") == KGPOST["division-head"]
    assert post_concept("党委副书记") == KGPOST["party-committee-deputy-secretary"]
    assert post_concept("副院长") == KGPOST["vice-president"]
    assert post_concept("某种新职务") == KGPOST["other-post"]


def test_vice_president_is_under_hospital_leadership() -> None:
    g = ontology()
    assert (KGPOST["vice-president"], SKOS.broader, KGPOST["hospital-leadership"]) in g


def test_contract_terms_keep_their_local_names() -> None:
    assert str(KG.chairedBy).endswith("#chairedBy")
    assert str(KG.hasSpeaker).endswith("#hasSpeaker")
    assert str(KG.setTarget).endswith("#setTarget")
    assert str(KG.Target).endswith("#Target")


def test_each_scheme_names_its_top_concepts_both_ways() -> None:
    from importlib import resources

    from rdflib import Graph
    from rdflib.namespace import SKOS

    for name in ("posts.ttl", "org_types.ttl"):
        g = Graph().parse(
            data=resources.files("kg").joinpath("ontology", name).read_text(encoding="utf-8"), format="turtle"
        )
        top_of = set(g.subject_objects(SKOS.topConceptOf))
        has_top = {(c, s) for s, c in g.subject_objects(SKOS.hasTopConcept)}
        assert top_of and top_of == has_top, name
