"""Which nodes the whole-graph page draws once a corpus has more than it can show.

Drawing the best-connected nodes at 1k articles drew 997 meetings, 351 posts and 152
organisations and not one person: degree favours what every article repeats. An analyst asks
who runs which organisation and what it decided, so the page draws, largest organisation first,
each organisation with its leading posts and their holders, its latest meetings with who chaired
them and what they set, and the documents it issued, until the page is full.
"""

from __future__ import annotations

from kg.exporters.members import predecessors, successors
from kg.model import NodeType, Relation
from kg.store import GraphStore
from kg.tenures import post_rank

POSTS_PER_ORGANISATION = 6
HOLDERS_PER_POST = 2
MEETINGS_PER_ORGANISATION = 3
TARGETS_PER_MEETING = 2
DOCUMENTS_PER_ORGANISATION = 2


def organisation_group(store: GraphStore, org: str, degree: dict[str, int]) -> list[str]:
    """An organisation and what shows it at a glance, most telling first."""

    def by_degree(nodes: set[str]) -> list[str]:
        return sorted(nodes, key=lambda n: (-degree.get(n, 0), n))

    group = [org]
    posts = sorted(
        predecessors(store, org, [Relation.POST_IN]),
        key=lambda p: (post_rank(store.label(p)), -degree.get(p, 0), p),
    )
    for post in posts[:POSTS_PER_ORGANISATION]:
        group.append(post)
        group.extend(by_degree(predecessors(store, post, [Relation.HOLDS]))[:HOLDERS_PER_POST])
    meetings = sorted(
        successors(store, org, [Relation.HELD]),
        key=lambda m: (store.node_data[m].get("date", ""), m),
        reverse=True,
    )
    for meeting in meetings[:MEETINGS_PER_ORGANISATION]:
        group.append(meeting)
        group.extend(by_degree(predecessors(store, meeting, [Relation.PRESIDED]))[:1])
        group.extend(sorted(successors(store, meeting, [Relation.SET_TARGET]))[:TARGETS_PER_MEETING])
    group.extend(by_degree(successors(store, org, [Relation.DOCUMENT]))[:DOCUMENTS_PER_ORGANISATION])
    return group


def overview(store: GraphStore, members: set[str], degree: dict[str, int], limit: int) -> set[str]:
    """At most ``limit`` of ``members``: organisations by size, each with its group
    (``organisation_group``); then, if room is left, the best-connected of the rest."""
    drawn: dict[str, None] = {}
    orgs = sorted(
        (n for n in members if store.node_data[n]["type"] == NodeType.ORGANISATION),
        key=lambda n: (-degree.get(n, 0), n),
    )
    for org in orgs:
        group = [n for n in organisation_group(store, org, degree) if n in members and n not in drawn]
        if len(drawn) + len(group) > limit:
            break
        drawn.update(dict.fromkeys(group))
    for node in sorted(members, key=lambda n: (-degree.get(n, 0), n)):
        if len(drawn) >= limit:
            break
        drawn.setdefault(node)
    return set(drawn)
