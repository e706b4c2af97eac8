"""How long graph.html takes to become interactive in headless Chromium, by graph size.

    python bench/html_bench.py [--sizes 100,1000,10000]

Builds synthetic graphs shaped like the corpus's (organisations with posts and holders,
meetings with chairs, speakers and targets, some people in two organisations so that
components join), writes graph.html, opens it from file:// in Debian's chromium with
every non-file request blocked, and times navigation → interactive (the page's first
drawing done, data-ready set). The reference is the same page with an empty graph,
measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import tempfile
import time
from pathlib import Path

from kg.exporters import html
from kg.model import NodeType, Relation
from kg.store import EvidenceRecord, GraphStore


def synthetic_store(n_nodes: int, seed: int = 7) -> GraphStore:
    rng = random.Random(seed)
    store = GraphStore()
    g = store.graph
    counter = 0

    def node(kind: NodeType, label: str) -> str:
        nonlocal counter
        counter += 1
        nid = f"{kind}/{counter:06d}"
        g.add_node(nid, type=str(kind), label=label, aliases=[], articles=["a.txt"])
        return nid

    def edge(s: str, o: str, relation: Relation) -> None:
        ev = EvidenceRecord(
            "a.txt", 0, 10, f"{g.nodes[s]['label']}{relation}{g.nodes[o]['label']}。", "bench"
        )
        store.add_fact(s, o, relation, ev)

    people: list[str] = []
    while counter < n_nodes:
        org = node(NodeType.ORGANISATION, f"第{counter}人民医院")
        for title in ("党委书记", "院长", "副院长"):
            post = node(NodeType.POST, title)
            edge(post, org, Relation.POST_IN)
            person = (
                rng.choice(people)
                if people and rng.random() < 0.08
                else node(NodeType.PERSON, f"王{counter}")
            )
            people.append(person)
            edge(person, post, Relation.HOLDS)
        meeting = node(NodeType.MEETING, f"第{counter}次工作会议")
        edge(org, meeting, Relation.HELD)
        for relation, who in zip(
            (Relation.PRESIDED, Relation.SPOKE, Relation.ATTENDED), people[-3:], strict=True
        ):
            edge(who, meeting, relation)
        for _ in range(2):
            edge(meeting, node(NodeType.TARGET, f"力争实现目标{counter}"), Relation.SET_TARGET)
    return store


def time_to_interactive(browser: object, path: Path) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
    start = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=120_000, polling=20)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Debian's chromium: apt-get install chromium")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for size in [0, *map(int, args.sizes.split(","))]:
            store = synthetic_store(size) if size else GraphStore()
            out = Path(tmp) / str(size)
            start = time.perf_counter()
            html.export(store, out / "graph.html")
            export_seconds = time.perf_counter() - start
            seconds = min(time_to_interactive(browser, out / "graph.html") for _ in range(2))
            drawn = min(store.graph.number_of_nodes(), html.MAX_WHOLE_NODES)
            rows.append((size, store.graph.number_of_nodes(), drawn, export_seconds, seconds))
        browser.close()
    reference = rows[0][4]
    print(f"{'nodes':>7}{'drawn':>7}{'export s':>10}{'interactive s':>15}{'× empty page':>14}")
    for _, nodes, drawn, export_seconds, seconds in rows:
        print(f"{nodes:>7}{drawn:>7}{export_seconds:>10.2f}{seconds:>15.2f}{seconds / reference:>14.1f}")


if __name__ == "__main__":
    main()
