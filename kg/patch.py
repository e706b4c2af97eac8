"""The last build's store brought to this build's corpus where the change reached, rather than
built again from every article: what a process that builds again and again (``kg watch``) does
with the store it kept (2 s of a 1 % rebuild of 10k articles went to putting every article's
facts in a new graph).

A node's data is its entity's, which replaying every article's resolution gives afresh; an edge
is a fold over the facts of the articles naming both its ends, in article order. So, with
``touched`` the nodes a changed article names, in the last store or this one:
- an edge with an end outside them is as it was: every article giving it names that end, and
  none of those changed;
- every edge between two of them that a changed article gave facts of, before or now, is made
  again: dropped and folded again from the facts of the articles naming both ends, in article
  order, as a build makes it; or, where no changed article qualifies its facts (a date, a change
  of post: the first article's qualifier is the edge's), kept with the records of the articles
  that did not change, the changed ones' facts added to them (an edge's records are sorted by
  article whatever order they come in);
- each of them is given its entity's data, or its article's, or goes when no article names it;
- the tenures of each post among them are worked out again on all of its holdings, those kept
  included: a single holder's tenure ends where the next one's begins (kg/tenures.py).

A store patched so holds what a store built whole holds (tested), in dicts of another order,
which no export follows: they sort.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from kg.model import Article, NodeType, Relation
from kg.rekey import Sources, reached, remade_pairs
from kg.resolve import Resolution
from kg.store import GraphStore, Patch, article_node, article_node_data, carried
from kg.tenures import annotate
from kg.textstore import ArticleTexts

# A patched store's evidence table keeps the rows of the edges it dropped: past this many times
# the rows its edges hold, the store is built whole again (which packs them anew).
MAX_TABLE_GROWTH = 2


def patchable(store: GraphStore) -> bool:
    """Whether the store's evidence table has room for dropped rows (``MAX_TABLE_GROWTH``)."""
    table = store.evidence_table
    return table.rows() <= MAX_TABLE_GROWTH * table.live_rows() + 1000


def patch_store(
    store: GraphStore,
    last: Sources,
    now: Sources,
    articles: Mapping[str, Article],
    resolution: Resolution,
    texts: ArticleTexts,
) -> set[str]:
    """Bring ``store``, built from the articles ``last`` describes, to those ``now`` describes
    (``articles``: at least the changed ones, with their line maps; ``resolution``: every article
    resolved). Returns the nodes it made again."""
    node_data, succ, pred = store.node_data, store.succ, store.pred
    store.patches += 1  # what was worked out for it before (its keys, its RDF blocks) is stale
    changed, touched = reached(last, now)
    present = changed & now.keys.keys()  # changed, and in this build
    # The linked pairs a changed article gave or gives facts of: made again whole, from every
    # article naming both ends. Any other edge is as it was.
    remade = remade_pairs(changed, lambda article: (last.given.get(article), now.given.get(article)))
    pairs = set(remade)
    # What the edges made again, and the holdings whose tenures are worked out again, carried
    # before: what the store's keys compare them with (``Patch.carried``).
    watched = pairs | _holdings(store, touched)
    before = _carried_at(store, watched)
    # A pair no changed article qualifies (a date, a change of post), before or now, keeps its
    # edges with the records of the articles that did not change: their qualifiers are the
    # first unchanged article's, as before. The others are made again from every article.
    qualified = _qualified_pairs(changed, last, now)
    edited = {pair for pair in pairs if pair not in qualified and pair[1] in succ.get(pair[0], {})}
    for s, o in pairs:
        if o in succ.get(s, {}):
            if (s, o) in edited:
                _edit(store, s, o, remade[(s, o)])
                continue
            for edge in succ[s][o].values():
                store.evidence_table.let_go(edge["evidence"])
            del succ[s][o]
            del pred[o][s]
    # The articles naming each node: as they were but the changed ones, and the changed ones
    # whose facts name it now.
    named_now: dict[str, set[str]] = {}
    for article in present:
        for s, o, *_ in now.given[article][2]:
            for node in (s, o):
                if node:
                    named_now.setdefault(node, set()).add(article)
    made: list[str] = []
    for node in touched:
        data = node_data.get(node)
        if data is not None and data["type"] == NodeType.ARTICLE:
            identifier = data["identifier"]
            if identifier in now.keys:
                node_data[node] = article_node_data(articles[identifier])
            else:
                store.graph.remove_node(node)
                store.fact_digests.pop(identifier, None)
            continue
        kept = [a for a in data["articles"] if a not in changed] if data is not None else []
        naming = sorted({*kept, *named_now.get(node, ())})
        if naming:
            # Its data again at finish, from its entity.
            store.graph.add_node(node)
            node_data[node] = {"articles": naming}
            made.append(node)
        elif data is not None:
            if succ[node] or pred[node]:
                raise RuntimeError(
                    f"{node} is named by no article but keeps edges: the store cannot be patched"
                )
            store.graph.remove_node(node)
    for article in present:
        node = article_node(article)
        if node not in node_data:
            store.graph.add_node(node, **article_node_data(articles[article]))
    store.texts = texts
    # Every article giving a fact of a pair made again, in article order, as a build adds them;
    # of an edited pair, the changed articles' facts only (a post named in 265 articles: every
    # article of its organisation, for each of its holders, was most of a 1 % rebuild's patch).
    giving: set[str] = set(present)
    remaking = pairs - edited
    naming_sets: dict[str, set[str]] = {}  # a busy organisation is an end of hundreds of pairs
    for s, o in remaking:
        if s in node_data and o in node_data:
            found = naming_sets.get(s)
            if found is None:
                found = naming_sets[s] = set(node_data[s]["articles"])
            giving.update(found.intersection(node_data[o]["articles"]))
    for article in sorted(giving):
        # An unchanged article's facts say what they said: its fact digest stays.
        changed_now = article in present
        store.add_contribution(
            now.given[article], texts[article], pairs=pairs if changed_now else remaking, digest=changed_now
        )
    store.finish(resolution, made)
    annotate(store, [n for n in touched if n in node_data and node_data[n]["type"] == NodeType.POST])
    after = _carried_at(store, watched | _holdings(store, touched))
    changed_data = {pair for pair in before.keys() | after.keys() if before.get(pair) != after.get(pair)}
    store.patch = Patch(last, remade, frozenset(changed_data))
    return touched


def _qualified_pairs(changed: Iterable[str], last: Sources, now: Sources) -> set[tuple[str, str]]:
    """The linked pairs a changed article gave a qualified fact of, in the last build or this."""
    found: set[tuple[str, str]] = set()
    for article in changed:
        for given in (last.given.get(article), now.given.get(article)):
            if given is not None:
                found.update((s, o) for s, o, _, _, _, _, qualifiers, _ in given[2] if qualifiers)
    return found


def _edit(store: GraphStore, s: str, o: str, articles: AbstractSet[str]) -> None:
    """The edges from ``s`` to ``o`` without the records ``articles`` gave them (each edge given
    new evidence, to which those articles' facts now are added); an edge left with none goes."""
    keyed, table = store.succ[s][o], store.evidence_table
    for relation in list(keyed):
        data = keyed[relation]
        evidence = table.new_edge()
        table.let_go(data["evidence"])  # its rows stay readable until the table is packed anew
        if table.carry(evidence, data["evidence"], but=articles):
            data["evidence"] = evidence
        else:
            del keyed[relation]
    if not keyed:
        del store.succ[s][o], store.pred[o][s]


def _holdings(store: GraphStore, nodes: Iterable[str]) -> set[tuple[str, str]]:
    """(holder, post) of every holding of the posts among ``nodes``."""
    node_data, pred = store.node_data, store.pred
    return {
        (holder, post)
        for post in nodes
        if post in node_data and node_data[post]["type"] == NodeType.POST
        for holder, keyed in pred[post].items()
        if Relation.HOLDS in keyed
    }


def _carried_at(store: GraphStore, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[Any]]:
    """What the edges of each linked pair carry (``carried``), for the pairs that carry any."""
    succ = store.succ
    found = {}
    for s, o in pairs:
        keyed = succ.get(s, {}).get(o)
        if keyed:
            extras = [(relation, carried(data)) for relation, data in sorted(keyed.items())]
            if any(extra for _, extra in extras):
                found[(s, o)] = extras
    return found
