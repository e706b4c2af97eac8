"""The README's screenshots, taken from a real headless Chromium over a built export.

    kg build corpus/ --out exports/ && python docs/screenshots.py exports/

Writes docs/graph.png (the whole graph with a person's panel), docs/organisation.png (an
organisation's page: its leaders over time), docs/index.png (the index) and docs/article.png (an
article with the sentences its facts were read from marked). Every non-file request is aborted.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

from kg.exporters.catalogue import busiest_organisation, read_rows
from kg.exporters.site import ENTITY_PAGE

DOCS = Path(__file__).resolve().parent
READY = "document.body.dataset.ready === '1'"


def _page(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 860})
    page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
    page.goto(url)
    page.wait_for_function(READY, timeout=60_000)
    return page


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Debian's chromium: apt-get install chromium fonts-noto-cjk")
    org = busiest_organisation(out / "views")
    # [id, page, name, posts, meetings, latest]: the person at the most meetings
    person = max(read_rows(out / "views")["person"], key=lambda r: (r[4], r[0]))[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = _page(browser, (out / "graph.html").resolve().as_uri() + "#sel=" + person)
        page.screenshot(path=str(DOCS / "graph.png"))
        page = _page(browser, (out / "views" / ENTITY_PAGE).resolve().as_uri() + "#" + org)
        page.screenshot(path=str(DOCS / "organisation.png"))
        page.locator("#panel a.article-link").first.click()
        page.wait_for_selector(".fact-sentence.wanted")
        page.wait_for_function(READY)
        page.screenshot(path=str(DOCS / "article.png"))
        page = _page(browser, (out / "index.html").resolve().as_uri() + "#kind=meeting&sort=2&desc=1")
        page.screenshot(path=str(DOCS / "index.png"))
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "exports"))
