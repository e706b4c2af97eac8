"""How many of the explorer's entity pages a change to a corpus makes new, and why.

    python bench/page_changes.py CORPUS [--change 0.01] [--seed 5]

Copies CORPUS, builds its store (the facts kept in a cache: ``--cache``, or one beside the
copy), makes every organisation's and person's page data as `kg build` does
(``entity_page_data``), changes the copy as ``make_corpus.change`` does, builds and renders again, and compares each page's data as JSON:
new or gone, other members (a meeting more or less), the same members with other facts
(evidence added, a date), other drawn sizes, other tenures. A page shows an entity's meetings
and every fact among them, so what a rebuild must make again follows the people a changed
article names (docs/incremental.md, Session 29).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_corpus

from kg.build import build_store
from kg.cache import FactCache
from kg.exporters.html import entity_page_data
from kg.exporters.site import Site


def page_data(corpus: Path, cache_path: Path) -> dict[str, dict[str, Any]]:
    """Every entity page's data, parsed, by node."""
    with closing(FactCache(cache_path)) as cache:
        store = build_store(corpus, cache=cache, release=True).store
        cache.commit()
    site = Site(store)
    pages = {}
    for node in sorted(site.pages):
        pages[node] = json.loads(entity_page_data(site, node)[0].json)
    return pages


def why_changed(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What differs between two versions of a page's data, most telling first."""
    if set(before["meta"]) != set(after["meta"]):
        return "other members"
    found = []
    if before["facts"] != after["facts"]:
        found.append("facts")
    if before["meta"] != after["meta"]:
        found.append("members' names")
    if {n[0]: n[3] for n in before["nodes"]} != {n[0]: n[3] for n in after["nodes"]}:
        found.append("drawn sizes")
    if before.get("tenures") != after.get("tenures"):
        found.append("tenures")
    return ", ".join(found) or "layout"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--change", type=float, default=0.01, help="fraction of the files changed")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--cache", type=Path, help="a facts cache kept from run to run (default: one per run)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-page-changes-") as tmp:
        work, cache = Path(tmp) / "corpus", args.cache or Path(tmp) / "facts.sqlite"
        shutil.copytree(args.corpus, work)
        before = page_data(work, cache)
        changed = make_corpus.change(work, args.change, args.seed)
        after = page_data(work, cache)
    reasons: Counter[str] = Counter()
    for node in sorted(before.keys() | after.keys()):
        if node not in before or node not in after:
            reasons["new or gone"] += 1
        elif before[node] != after[node]:
            reasons[why_changed(before[node], after[node])] += 1
        else:
            reasons["unchanged"] += 1
    print(f"files changed: {changed}")
    print(f"entity pages: {len(before):,} before, {len(after):,} after")
    for reason, count in reasons.most_common():
        print(f"  {count:6,}  {reason}")


if __name__ == "__main__":
    main()
