"""The HTML explorer opens from files with no network, in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.build import BuildResult
from kg.exporters.html import Site, org_members, page_name, person_members, whole_graph
from kg.model import NodeType
from kg.store import GraphStore

Built = tuple[BuildResult, Path]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is missing (.ci/run installs it)"
)


def _pages(out: Path) -> list[Path]:
    return [out / "graph.html", out / "index.html", *sorted((out / "views").glob("*.html"))]


def test_no_network_references(built: Built) -> None:
    for page in _pages(built[1]):
        html = page.read_text(encoding="utf-8")
        assert not re.search(
            r"<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html, re.I
        )
        assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", html, re.I)
        assert "@import" not in html
        for host in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "fonts.googleapis.com"):
            assert host not in html, page


def test_every_organisation_and_person_has_a_page_linked_from_the_index(built: Built) -> None:
    result, out = built
    index = (out / "index.html").read_text(encoding="utf-8")
    for node, data in result.store.nodes():
        if data["type"] in (NodeType.ORGANISATION, NodeType.PERSON):
            assert (out / "views" / page_name(node)).exists()
            assert f'href="views/{page_name(node)}"' in index


def test_the_whole_graph_page_draws_the_best_connected_and_says_so(built: Built) -> None:
    store = built[0].store
    page, notice = whole_graph(Site(store), limit=20)
    data = page.data()
    assert len(data["nodes"]) == 20
    assert "20" in notice and "search" in notice
    degree = dict(store.graph.degree())
    drawn = {n["id"] for n in data["nodes"]}
    undrawn = set(data["meta"]) - drawn
    assert min(degree[n] for n in drawn) >= max(degree[n] for n in undrawn)
    full, none = whole_graph(Site(store))
    assert none == "" and len(full.data()["nodes"]) == sum(
        1 for _, d in store.nodes() if d["type"] != NodeType.ARTICLE
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is missing (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(  # Playwright gives each launch a fresh temporary profile
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield launched
        launched.close()


def _open(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.route(re.compile(r"^(?!file:).*"), lambda route: (requests.append(route.request.url), route.abort()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri())
    return page, requests, errors


def _check_graph_page(page: Any, store: GraphStore, expected_nodes: int, name: str) -> None:
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    assert page.evaluate("window.kgNetwork.body.nodeIndices.length") == expected_nodes
    # The search box focuses a named node and shows its facts.
    page.fill("#search", name)
    page.wait_for_function(f"document.querySelector('#panel-title')?.textContent === {name!r}")
    assert len(page.evaluate("window.kgNetwork.getSelectedNodes()")) == 1
    # Clicking a drawn node shows the evidence sentence of its facts.
    page.fill("#search", "")
    node_id = page.evaluate("window.kgData.nodes.find(n => (window.kgData.details[n.id] || []).length).id")
    page.evaluate("document.getElementById('panel').replaceChildren()")
    page.evaluate(
        f"window.kgNetwork.moveTo({{position: window.kgNetwork.getPosition({node_id!r}), scale: 1.0}})"
    )
    xy = page.evaluate(f"window.kgNetwork.canvasToDOM(window.kgNetwork.getPosition({node_id!r}))")
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
    page.wait_for_selector("#panel .evidence")
    sentence = page.locator("#panel .evidence").first.text_content() or ""
    assert sentence in {e["sentence"] for *_, d in store.edges() for e in d["evidence"]}


@needs_chromium
def test_whole_graph_page(browser: Any, built: Built) -> None:
    result, out = built
    store = result.store
    page, requests, errors = _open(browser, out / "graph.html")
    person = next(d["label"] for _, d in store.nodes(NodeType.PERSON))
    _check_graph_page(page, store, sum(1 for _, d in store.nodes() if d["type"] != NodeType.ARTICLE), person)
    assert requests == [] and errors == []


@needs_chromium
def test_organisation_page(browser: Any, built: Built) -> None:
    store = built[0].store
    org = max(
        (n for n, _ in store.nodes(NodeType.ORGANISATION)), key=lambda n: (len(org_members(store, n)), n)
    )
    page, requests, errors = _open(browser, built[1] / "views" / page_name(org))
    members = org_members(store, org)
    person = sorted(store.label(m) for m in members if store.graph.nodes[m]["type"] == NodeType.PERSON)[0]
    _check_graph_page(page, store, len(members), person)
    # The page links back to the index and to the whole graph.
    assert page.locator("a[href='../index.html']").count() == 1
    assert requests == [] and errors == []


@needs_chromium
def test_person_page_opens_on_the_person(browser: Any, built: Built) -> None:
    store = built[0].store
    person = max(
        (n for n, _ in store.nodes(NodeType.PERSON)), key=lambda n: (len(person_members(store, n)), n)
    )
    page, requests, errors = _open(browser, built[1] / "views" / page_name(person))
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    assert page.locator("#panel-title").text_content() == store.label(person)
    _check_graph_page(page, store, len(person_members(store, person)), store.label(person))
    assert requests == [] and errors == []


@needs_chromium
def test_index_page_filters_and_links(browser: Any, built: Built) -> None:
    store = built[0].store
    page, requests, errors = _open(browser, built[1] / "index.html")
    person = next(d["label"] for _, d in store.nodes(NodeType.PERSON))
    page.fill("#filter", person)
    visible = page.locator("#people tr:visible td a").all_text_contents()
    assert person in visible and len(visible) < sum(1 for _ in store.nodes(NodeType.PERSON))
    page.locator(f"#people a:text-is('{person}')").first.click()
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    assert page.locator("#panel-title").text_content() == person
    assert requests == [] and errors == []


def test_a_fact_read_in_many_articles_shows_a_few_sentences_and_the_count() -> None:
    from kg.exporters.html import EVIDENCE_SHOWN
    from kg.model import Relation
    from kg.store import EvidenceRecord

    store = GraphStore()
    g = store.graph
    g.add_node("organisation/a", type="organisation", label="甲市人民医院", aliases=[], articles=[])
    g.add_node("post/b", type="post", label="院长", aliases=[], articles=[])
    for i in range(EVIDENCE_SHOWN + 7):
        store.add_fact(
            "post/b",
            "organisation/a",
            Relation.POST_IN,
            EvidenceRecord(f"{i:03d}.txt", 0, 9, f"第{i}句。", "r"),
        )
    data = Site(store).page_data({"post/b", "organisation/a"}, {"post/b", "organisation/a"}).data()
    (fact,) = data["facts"]
    assert len(fact[5]) == EVIDENCE_SHOWN and fact[6] == EVIDENCE_SHOWN + 7
    assert len(data["sentences"]) == EVIDENCE_SHOWN
