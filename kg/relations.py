"""Every relation, once: what it links, its RDF predicate, its labels, its gold fields.

Adding a relation is one entry here (plus its extractor): the RDF, JSON-LD, Neo4j and HTML
exporters and ``kg eval`` read this table, and a test checks it against ``kg.model.Relation``
and ``ontology/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.model import NodeType, Relation
from kg.vocab import KG, ORG, SCHEMA


@dataclass(frozen=True, slots=True)
class RelationSpec:
    subject: NodeType  # what the fact's subject is (edges run subject → object in the store)
    object: NodeType
    predicate: URIRef  # its RDF term
    inverse: bool  # the triple runs object → subject (meeting kg:chairedBy person)
    label: str  # what the explorer shows
    neo4j: str  # the relationship type in a property graph
    gold: tuple[str, ...] = ()  # the gold file's fields for it ("" for none: not a gold type)

    @property
    def local_name(self) -> str:
        """The predicate's own name: the JSON-LD term (org:holds → holds)."""
        return str(self.predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


PERSON, ORG_, POST, MEETING, TARGET, DOC = (
    NodeType.PERSON,
    NodeType.ORGANISATION,
    NodeType.POST,
    NodeType.MEETING,
    NodeType.TARGET,
    NodeType.DOCUMENT,
)
SPECS: dict[Relation, RelationSpec] = {
    # person org:holds post; with post_in it makes a gold `holds` (person, post, org)
    Relation.HOLDS: RelationSpec(
        PERSON, POST, ORG.holds, False, "任 holds", "HOLDS", ("person", "post", "org")
    ),
    Relation.POST_IN: RelationSpec(POST, ORG_, ORG.postIn, False, "属 post in", "POST_IN"),
    # meeting schema:organizer org
    Relation.HELD: RelationSpec(
        ORG_, MEETING, SCHEMA.organizer, True, "召开 held", "HELD", ("org", "meeting", "date")
    ),
    Relation.PRESIDED: RelationSpec(
        PERSON, MEETING, KG.chairedBy, True, "主持 presided", "PRESIDED", ("person", "meeting")
    ),
    Relation.SPOKE: RelationSpec(
        PERSON, MEETING, KG.hasSpeaker, True, "讲话 spoke", "SPOKE", ("person", "meeting")
    ),
    Relation.ATTENDED: RelationSpec(
        PERSON, MEETING, SCHEMA.attendee, True, "出席 attended", "ATTENDED", ("person", "meeting")
    ),
    Relation.SET_TARGET: RelationSpec(
        MEETING, TARGET, KG.setTarget, False, "目标 set target", "SET_TARGET", ("meeting", "target")
    ),
    # document schema:publisher org
    Relation.DOCUMENT: RelationSpec(
        ORG_, DOC, SCHEMA.publisher, True, "发布 issued", "ISSUED", ("title", "org")
    ),
}
GOLD_TYPES: tuple[str, ...] = tuple(str(r) for r, spec in SPECS.items() if spec.gold)
