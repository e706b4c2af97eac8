"""Which nodes a change of articles touches: what an incremental build would have to redo.

    python bench/dirty.py OUT OLD NEW

OUT is a build of the corpus OLD (its cache serves both: the files of NEW that OLD lacks are
extracted here, into a copy). The script builds the graph of each corpus, works out every node's
digest (``sections.node_digests``: its data and every edge at it, evidence included) and compares:

- the nodes whose digest changed (or that came or went): what a rebuild must redo;
- the nodes the changed articles name, in either corpus, with the holders of the single-holder
  posts among them (a tenure's inferred end reads the next holder's start, from an article that
  need not name the first holder): what the articles' provenance predicts.

A prediction that misses a changed node would make a build driven by provenance write a stale
section: the script says how many it misses (none, for the benchmark's changes at 1 % and 10 %).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import Counter
from contextlib import closing
from pathlib import Path

from kg.build import build_store
from kg.cache import FactCache
from kg.exporters.sections import description_digests, node_digests
from kg.freshness import CACHE_DIR
from kg.model import NodeType, Relation
from kg.store import GraphStore
from kg.tenures import single_holder


def _store(corpus: Path, out: Path) -> GraphStore:
    with closing(FactCache(out / CACHE_DIR / "facts.sqlite")) as cache:
        return build_store(corpus, cache=cache, release=True, exclude=out).store


def _articles(store: GraphStore) -> dict[str, tuple[bytes | None, str]]:
    """Article id → its facts' and text's digest, and its node's description."""
    descriptions = description_digests(store)
    return {
        data["identifier"]: (store.article_digest(data["identifier"]), descriptions[node].hex())
        for node, data in store.nodes(NodeType.ARTICLE)
    }


def _named_by(store: GraphStore, articles: set[str]) -> set[str]:
    return {n for n, d in store.node_data.items() if articles.intersection(d.get("articles", ()))}


def _holders(store: GraphStore, nodes: set[str]) -> set[str]:
    """The holders of the single-holder posts among ``nodes``."""
    posts = [
        n
        for n in nodes
        if n in store.node_data
        and store.node_data[n]["type"] == NodeType.POST
        and single_holder(store.label(n))
    ]
    return {h for p in posts for h, keyed in store.pred[p].items() if Relation.HOLDS in keyed}


def main(out: Path, old_corpus: Path, new_corpus: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="kg-dirty-") as scratch:
        copy = Path(scratch) / "out"
        shutil.copytree(out / CACHE_DIR, copy / CACHE_DIR)
        old, new = _store(old_corpus, copy), _store(new_corpus, copy)
    before, after = _articles(old), _articles(new)
    changed = {a for a in before.keys() | after.keys() if before.get(a) != after.get(a)}
    named = _named_by(old, changed) | _named_by(new, changed)
    predicted = named | _holders(old, named) | _holders(new, named)
    was, now = node_digests(old), node_digests(new)
    actual = {n for n in was.keys() | now.keys() if was.get(n) != now.get(n)}
    kinds = Counter((new.node_data.get(n) or old.node_data[n])["type"] for n in actual)
    print(f"nodes: {len(was):,} before, {len(now):,} after; articles changed, come or gone: {len(changed):,}")
    print(f"nodes changed: {len(actual):,} ({', '.join(f'{k} {v:,}' for k, v in kinds.most_common())})")
    print(
        f"named by a changed article: {len(named):,}; with the holders of their single-holder posts: {len(predicted):,}"
    )
    print(
        f"changed but not predicted: {len(actual - predicted):,}; predicted but unchanged: {len(predicted - actual):,}"
    )
    for node in sorted(actual - predicted)[:10]:
        print(f"  missed: {node}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
