"""A rebuild's store keys worked out where its change reached, the rest taken from the last build's:
what a process that builds again and again (``kg watch``) keeps of its store between builds.

The keys (kg/exporters/sections.py: each node's digest, its description, its section's key) are
a walk of the whole graph, in every process that exports: about a second of a 1 % rebuild of
10k articles. A node's data and edges are folds over the articles that name it:
- its data, over the resolution effects that add to its entity (``Resolution.journal``);
- its edges and their evidence, over the facts whose ends it is (``Contribution``);
with one exception: a single-holder post's tenures end where the next holder's begin, so every
holding of such a post reads every other (kg/tenures.py). An article's part is fixed by its
resolution's cache key (its file's bytes, its id, its near-duplicate scope, the code), so:

- an article changed when that key did, or when it came or went;
- a node can change only where a changed article names it, in the last graph or this one, or
  where it holds a single-holder post such a node is;
- a section's key reads its neighbours' descriptions (a post's with its organisations) and its
  articles' too, so it is worked out again at every neighbour of a node whose description
  changed. A busy organisation named in a new article changes its digest, not its description:
  its thousand neighbours keep their keys.

The result equals ``store_keys`` worked out whole (tested after random changes); where the last
build's state cannot say (an article with no cache key), it is worked out whole.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from kg.cache import Resolved
from kg.exporters.rdfwrite import described_keys
from kg.exporters.sections import (
    PROCESS,
    Change,
    StoreKeys,
    description_digests,
    node_digests,
    section_keys,
)
from kg.model import NodeType, Relation
from kg.resolve import Effect
from kg.store import Contribution, GraphStore, Patch, article_node
from kg.tenures import single_holder


@dataclass(slots=True)
class Sources:
    """What each article of a build gave its store, as resolving it went: its resolution's cache
    key (None: not kept, so never taken as unchanged), the nodes it names, what it gave the
    graph, and by that key what resolving it did and gave (the next build in the process replays
    it from here)."""

    keys: dict[str, str | None] = field(default_factory=dict)
    named: dict[str, tuple[str, ...]] = field(default_factory=dict)
    resolved: dict[str, Resolved] = field(default_factory=dict)
    given: dict[str, Contribution] = field(default_factory=dict)  # article → what it gave the graph
    # Only the keys and the nodes named, what the next build's keys are patched by (a build that
    # keeps them on disk, kg/keyfile.py): a resident process replays and patches from the rest.
    # Given too, what the articles whose keys differ from ``unlike``'s (the last build's) give.
    light: bool = False
    unlike: Mapping[str, str | None] | None = None
    # Each node's name once: an article's names come from its cache entry, strings of their own,
    # and kept for every article they were most of what a build of 100k articles held in
    # ``named`` (a node named in 600 articles, 600 times).
    _shared: dict[str, str] = field(default_factory=dict, repr=False)

    def add(self, article: str, key: str | None, effects: list[Effect], given: Contribution) -> None:
        names = {effect[1] for effect in effects}  # every effect's second field is an entity
        for s, o, *_ in given[2]:
            names.add(s)
            names.add(o)
        names.discard("")
        names.add(article_node(article))
        self.keys[article] = key
        shared = self._shared.setdefault
        self.named[article] = tuple(shared(name, name) for name in names)
        if self.light:
            if self.unlike is not None and (key is None or self.unlike.get(article) != key):
                self.given[article] = given
            return
        self.given[article] = given
        if key is not None:
            self.resolved[key] = (effects, given)


@dataclass(slots=True)
class KeptKeys:
    """A store's keys with what the next build needs to patch them: what each article gave."""

    digests: dict[str, bytes]
    descriptions: dict[str, bytes]
    sections: dict[str, bytes]
    sources: Sources
    holders: dict[str, tuple[str, ...]]  # single-holder post → its holders
    generation: int  # the keys' (StoreKeys.generation)
    described: dict[str, bytes]  # StoreKeys.described
    process: bytes  # the process that numbered the keys (sections.PROCESS there)


def keep(store: GraphStore, keys: StoreKeys, sources: Sources) -> KeptKeys | None:
    """What the next build keeps of this one's keys; None when they are not all there (let go
    after the RDF formats: ``shed``)."""
    if keys.shed:
        return None
    return KeptKeys(
        keys.digests,
        keys.descriptions,
        keys.sections,
        sources,
        _holders(store),
        keys.generation,
        keys.described,
        PROCESS,
    )


def _holders(store: GraphStore, posts: Iterable[str] | None = None) -> dict[str, tuple[str, ...]]:
    node_data, pred = store.node_data, store.pred
    found = {}
    for node in node_data if posts is None else posts:
        data = node_data.get(node)
        if data is not None and data["type"] == NodeType.POST and single_holder(data["label"]):
            found[node] = tuple(h for h, keyed in pred[node].items() if Relation.HOLDS in keyed)
    return found


def reached(last: Sources, now: Sources) -> tuple[set[str], set[str]]:
    """The articles that came, went, or changed what they give the store (their resolution's
    cache key is not the last build's, or is None: not kept, never taken as unchanged), and the
    nodes they name in either build."""
    was, keys = last.keys, now.keys
    changed = {a for a in was.keys() | keys.keys() if was.get(a) is None or was.get(a) != keys.get(a)}
    nodes: set[str] = set()
    for article in changed:
        nodes.update(last.named.get(article, ()))
        nodes.update(now.named.get(article, ()))
    return changed, nodes


Remade = dict[tuple[str, str], frozenset[str]]  # Change.remade


def remade_pairs(changed: Iterable[str], given: Callable[[str], Iterable[Contribution | None]]) -> Remade:
    """The linked pairs the ``changed`` articles gave facts of (``given``: what each gave, in
    the last build and in this one), each with those articles: the pairs whose edges a patch
    makes again (kg/patch.py), every other edge being as it was."""
    remade: dict[tuple[str, str], set[str]] = {}
    for article in changed:
        for found in given(article):
            if found is not None:
                for s, o, *_ in found[2]:
                    if s and o:
                        remade.setdefault((s, o), set()).add(article)
    return {pair: frozenset(articles) for pair, articles in remade.items()}


def remade_since(last: Sources, now: Sources, before: Callable[[str], Resolved | None]) -> Remade | None:
    """``remade_pairs`` for a store built whole in a new process, from what the last build left
    on disk: what a changed article gave before, from the cache by its last key (``before``);
    what it gives now, from ``now`` (light, told ``unlike`` the last keys). None when the cache
    lacks either, or an article has no key."""
    changed, _ = reached(last, now)
    given: dict[str, list[Contribution | None]] = {}
    for article in changed:
        found: list[Contribution | None] = []
        if article in last.keys:  # else it came
            key = last.keys[article]
            was = before(key) if key is not None else None
            if was is None:
                return None
            found.append(was[1])
        if article in now.keys:  # else it went
            if now.keys[article] is None or article not in now.given:
                return None
            found.append(now.given[article])
        given[article] = found
    return remade_pairs(changed, given.__getitem__)


def touched(last: KeptKeys, store: GraphStore, sources: Sources) -> set[str]:
    """The nodes of ``store`` whose keys may differ from the last store's: every node a changed
    article names, in either store, and the holders of the single-holder posts among them. An
    article with no key is changed."""
    _, nodes = reached(last.sources, sources)
    for holders in (last.holders, _holders(store, nodes)):
        for post in nodes & holders.keys():
            nodes.update(holders[post])
    node_data = store.node_data
    # A node the last store lacked is named by a changed article; taken in all the same.
    return {n for n in nodes if n in node_data} | (node_data.keys() - last.digests.keys())


def patched(
    last: KeptKeys, store: GraphStore, sources: Sources, remade: Remade | None = None
) -> StoreKeys | None:
    """``store``'s keys, worked out for the nodes a change touched and their neighbours, the
    rest the last store's; None where that cannot be told (work them out whole). ``remade``:
    the pairs made again since (``remade_since``), for a store not patched from the last."""
    if not store.fact_digests:
        return None
    nodes = touched(last, store, sources)
    node_data, succ, pred = store.node_data, store.succ, store.pred
    digests = _merged(node_data, last.digests, node_digests(store, nodes))
    descriptions = _merged(node_data, last.descriptions, description_digests(store, nodes))
    around = set(nodes)
    for node in nodes:
        if _shown_differently(node, node_data[node], last, digests, descriptions):
            around.update(succ[node])
            around.update(pred[node])
    sections = _merged(node_data, last.sections, section_keys(store, digests, descriptions, around))
    resectioned = {n: was for n in around if sections[n] != (was := last.sections.get(n))}
    resectioned.update((n, last.sections[n]) for n in last.sections.keys() - node_data.keys())
    patch = store.patch if store.patch is not None and store.patch.base is last.sources else None
    keys = StoreKeys(digests, sections, descriptions)
    regraphed = None
    if last.described and patch is not None:
        keys.described = _described(store, keys, last, nodes, patch)
        regraphed = {
            a: last.described.get(a)
            for a in keys.described.keys() | last.described.keys()
            if keys.described.get(a) != last.described.get(a)
        }
    keys.change = Change(
        last.generation,
        frozenset(nodes),
        remade=patch.remade if patch else remade,
        resectioned=resectioned,
        regraphed=regraphed,
        process=last.process,
    )
    return keys


def _described(
    store: GraphStore, keys: StoreKeys, last: KeptKeys, nodes: Collection[str], patch: Patch
) -> dict[str, bytes]:
    """Each article's TriG key from what describes it (``described_key``), the last store's
    unless the article reads what the change touched: a node's description (its own node's
    among them, when the article changed), or what an edge between two of its nodes carries
    (``patch``, from the last store, says which: ``Patch.carried``)."""
    node_data, descriptions = store.node_data, keys.descriptions
    again: set[str] = set()
    for node in nodes:
        data = node_data[node]
        if data["type"] == NodeType.ARTICLE or descriptions[node] != last.descriptions.get(node):
            again.update(data.get("articles", ()))
    for s, o in patch.carried:
        if s in node_data and o in node_data:
            again.update(set(node_data[s].get("articles", ())).intersection(node_data[o].get("articles", ())))
    found = described_keys(store, keys, again)
    kept = {a: key for a, key in last.described.items() if a not in again and article_node(a) in node_data}
    return {**kept, **found}


def _shown_differently(
    node: str,
    data: Mapping[str, object],
    last: KeptKeys,
    digests: Mapping[str, bytes],
    descriptions: Mapping[str, bytes],
) -> bool:
    """Whether what a neighbour's section key reads of the node (``section_keys``: its
    description, and a post's organisations, which its edges say) may have changed."""
    if descriptions[node] != last.descriptions.get(node):
        return True
    return data["type"] == NodeType.POST and digests[node] != last.digests.get(node)


def _merged(
    order: Mapping[str, object], old: Mapping[str, bytes], new: Mapping[str, bytes]
) -> dict[str, bytes]:
    """Every node's key, in the store's order as a whole walk gives them: ``new``'s, else ``old``'s."""
    return {node: new[node] if node in new else old[node] for node in order}
