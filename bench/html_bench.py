"""How long the explorer's pages take to become interactive in headless Chromium, at corpus scale.

    python bench/make_corpus.py /tmp/syn10k --articles 10000
    python bench/html_bench.py /tmp/syn10k/corpus --out /tmp/html10k [--runs 5]

Builds the corpus's HTML export (or reuses one already in --out), opens graph.html, index.html and
the largest organisation's page from file:// in Debian's chromium with every non-file request
aborted, and times navigation → interactive (the page's data loaded and drawn: data-ready set).
The reference is an empty page opened the same way, the same number of times, in the same run;
each figure is the median of its runs. Also reports views/ per article. Appends a row to
bench/html_results.jsonl.

Limits (issue #17): each page interactive in ≤ 1.5 s at 10k articles; views/ per article no
larger than before the explorer's rework (19.8 KB an article at 1k, 11.1 KB at 10k).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import kg
from kg.exporters.catalogue import busiest_organisation
from kg.exporters.site import ENTITY_PAGE

LIMIT_SECONDS = 1.5
VIEWS_BEFORE_KB = 11.1  # views/ per article at 10k, commit 8190182 (before the rework): 111.3 MB
RESULTS = Path(__file__).with_name("html_results.jsonl")
EMPTY = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>empty</title></head><body></body></html>\n"


def time_to(browser: Any, url: str, ready: str) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(ready, timeout=120_000, polling=10)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument(
        "--out", type=Path, required=True, help="export folder (reused if it holds graph.html)"
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Debian's chromium: apt-get install chromium")
    out: Path = args.out
    if not (out / "graph.html").exists():
        clock = time.perf_counter()
        kg.build(args.corpus, out, formats=("html",))
        print(f"built the HTML export in {time.perf_counter() - clock:.1f} s")
    articles = sum(1 for f in args.corpus.iterdir() if f.is_file())
    (out / "empty.html").write_text(EMPTY, encoding="utf-8")
    org = busiest_organisation(out / "views")
    ready = "document.body.dataset.ready === '1'"
    pages = {
        "empty page": ((out / "empty.html").resolve().as_uri(), "document.readyState === 'complete'"),
        "graph.html": ((out / "graph.html").resolve().as_uri(), ready),
        "index.html": ((out / "index.html").resolve().as_uri(), ready),
        "organisation page": ((out / "views" / ENTITY_PAGE).resolve().as_uri() + "#" + org, ready),
    }
    times: dict[str, list[float]] = {name: [] for name in pages}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for _ in range(args.runs):  # interleaved, so that host noise falls on every page alike
            for name, (url, condition) in pages.items():
                times[name].append(time_to(browser, url, condition))
        browser.close()
    median = {name: statistics.median(found) for name, found in times.items()}
    views_kb = folder_bytes(out / "views") / articles / 1000
    print(f"{articles} articles, {args.runs} runs each, median seconds to interactive")
    print(f"{'page':<20}{'seconds':>9}{'× empty':>9}{'limit':>8}")
    for name, seconds in median.items():
        verdict = "" if name == "empty page" else ("ok" if seconds <= LIMIT_SECONDS else "OVER")
        print(f"{name:<20}{seconds:>9.3f}{seconds / median['empty page']:>9.1f}{verdict:>8}")
    print(
        f"views/ {views_kb:.1f} KB an article (before: {VIEWS_BEFORE_KB} KB); graph.html "
        f"{(out / 'graph.html').stat().st_size / 1e6:.1f} MB; organisation page {org}"
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    row = {
        "commit": commit.stdout.strip(),
        "articles": articles,
        "runs": args.runs,
        "median_seconds": {k: round(v, 3) for k, v in median.items()},
        "views_kb_per_article": round(views_kb, 2),
    }
    with RESULTS.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
