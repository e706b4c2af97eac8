"""graph.html opens from a file with no network, in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kg.build import BuildResult
from kg.model import NodeType

Built = tuple[BuildResult, Path]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_no_network_references(built: Built) -> None:
    html = (built[1] / "graph.html").read_text(encoding="utf-8")
    assert not re.search(
        r"<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html, re.I
    )
    assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", html, re.I)
    assert "@import" not in html
    for host in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "fonts.googleapis.com"):
        assert host not in html


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_page_in_headless_chromium(built: Built) -> None:
    from playwright.sync_api import sync_playwright

    result, out = built
    expected_nodes = sum(1 for _, d in result.store.nodes() if d["type"] != NodeType.ARTICLE)
    person = next(d["label"] for _, d in result.store.nodes(NodeType.PERSON))
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(  # a fresh profile each launch: Playwright makes a temporary one
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route(
            re.compile(r"^(?!file:).*"), lambda route: (requests.append(route.request.url), route.abort())
        )
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((out / "graph.html").resolve().as_uri())
        page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)

        assert page.evaluate("window.kgNetwork.body.nodeIndices.length") == expected_nodes
        # The search box focuses a named node and shows its facts.
        page.fill("#search", person)
        page.wait_for_function(f"document.querySelector('#panel-title')?.textContent === {person!r}")
        assert page.evaluate("window.kgNetwork.getSelectedNodes().length") == 1
        # Clicking a node shows the evidence sentence of its facts.
        page.fill("#search", "")
        node_id = page.evaluate("window.kgData.nodes.find(n => n.ntype === 'meeting').id")
        xy = page.evaluate(f"window.kgNetwork.canvasToDOM(window.kgNetwork.getPosition({node_id!r}))")
        box = page.locator("#graph").bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
        page.wait_for_selector("#panel .evidence")
        sentence = page.locator("#panel .evidence").first.text_content() or ""
        sentences = {e["sentence"] for *_, d in result.store.edges() for e in d["evidence"]}
        assert sentence in sentences
        browser.close()
    assert requests == []
    assert errors == []
