"""Which nodes an entity's page shows: an organisation's posts, people, meetings and documents;
a person's posts, organisations and meetings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.model import NodeType, Relation
from kg.store import GraphStore

# An organisation that held hundreds of meetings: its page draws everyone at the latest ones
# only (the rest stay listed as meetings, one click from their people). Pages stay readable,
# and the export stays linear in the corpus rather than growing with each organisation's history.
MEETINGS_IN_FULL = 30


def successors(store: GraphStore, node: str, relations: Iterable[str]) -> set[str]:
    """Successors by these relations (a post's organisation: one, not its hundred holders)."""
    return _linked(store.succ[node], relations)


def predecessors(store: GraphStore, node: str, relations: Iterable[str]) -> set[str]:
    return _linked(store.pred[node], relations)


def _linked(adjacency: dict[str, dict[str, Any]], relations: Iterable[str]) -> set[str]:
    wanted = set(relations)
    if len(wanted) == 1:  # most asks: a membership test, not a set intersected per neighbour
        (relation,) = wanted
        return {other for other, keyed in adjacency.items() if relation in keyed}
    return {other for other, keyed in adjacency.items() if not wanted.isdisjoint(keyed)}


ROLES = (Relation.PRESIDED, Relation.SPOKE, Relation.ATTENDED)


def org_members(store: GraphStore, org: str, in_full: int = MEETINGS_IN_FULL) -> set[str]:
    """An organisation's page: its posts and their holders, meetings (the latest ``in_full``
    with their targets and participants), and the documents it issued."""
    posts = predecessors(store, org, [Relation.POST_IN])
    meetings = successors(store, org, [Relation.HELD])
    members = {org, *posts, *meetings, *successors(store, org, [Relation.DOCUMENT])}
    for post in posts:
        members |= predecessors(store, post, [Relation.HOLDS])
    latest = sorted(meetings, key=lambda m: (store.node_data[m].get("date", ""), m), reverse=True)
    for meeting in latest[:in_full]:
        members |= successors(store, meeting, [Relation.SET_TARGET]) | predecessors(store, meeting, ROLES)
    return members


def person_members(store: GraphStore, person: str) -> set[str]:
    """A person's page: their posts and those posts' organisations, their meetings and organisers."""
    posts = successors(store, person, [Relation.HOLDS])
    meetings = successors(store, person, ROLES)
    members = {person, *posts, *meetings}
    for post in posts:
        members |= successors(store, post, [Relation.POST_IN])
    for meeting in meetings:
        members |= predecessors(store, meeting, [Relation.HELD])
    return members


# The nodes with an entity page of their own: every other is shown on its anchor's.
PAGE_TYPES = (NodeType.ORGANISATION, NodeType.PERSON)


def anchor(store: GraphStore, node: str) -> str:
    """The organisation or person whose page shows a node: itself, or the organisation of a
    post, the organiser of a meeting (or of a target's meeting), the publisher of a document."""
    kind = store.node_data[node]["type"]
    if kind in PAGE_TYPES:
        return node
    if kind == NodeType.POST:
        found = sorted(successors(store, node, [Relation.POST_IN]))
    elif kind == NodeType.MEETING:
        found = sorted(predecessors(store, node, [Relation.HELD]))
    elif kind == NodeType.TARGET:
        found = sorted(
            o
            for m in sorted(predecessors(store, node, [Relation.SET_TARGET]))
            for o in predecessors(store, m, [Relation.HELD])
        )
    elif kind == NodeType.DOCUMENT:
        found = sorted(
            successors(store, node, [Relation.DOCUMENT]) | predecessors(store, node, [Relation.DOCUMENT])
        )
    else:
        found = []
    return found[0] if found else ""
