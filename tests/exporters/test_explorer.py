"""The explorer answers an analyst's questions, in a real headless Chromium with every non-file
request aborted: on the bundled corpus and on a 1k-article synthetic world."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg
from kg.exporters.members import anchor, org_members
from kg.exporters.site import ENTITY_PAGE, EVIDENCE_SHOWN, STYLE, Site, display_label
from kg.model import NodeType, Relation
from tests.exporters.test_html import _open, browser, needs_chromium  # noqa: F401  (a fixture)
from tests.test_identity import _make_corpus

Built = tuple[kg.BuildResult, Path]
READY = "document.body.dataset.ready === '1'"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """A 1,000-article synthetic world, built to HTML only."""
    folder = tmp_path_factory.mktemp("explorer-1k")
    _make_corpus().write(folder, 1000, 11)  # type: ignore[attr-defined]
    yield kg.build(folder / "corpus", folder / "out", formats=("html",)), folder / "out"


@pytest.fixture(params=["corpus", "1k"])
def both(request: pytest.FixtureRequest) -> Built:
    """The bundled corpus's build, then the 1k world's."""
    return request.getfixturevalue("built" if request.param == "corpus" else "world")  # type: ignore[no-any-return]


def _drawn(page: Any, kind: str) -> list[str]:
    """The page's drawn nodes of one kind, those with the most facts on the page first."""
    found: list[str] = page.evaluate(
        f"""(() => {{
        const count = {{}};
        for (const f of window.kgData.facts) for (const n of [f[0], f[1]]) count[n] = (count[n] || 0) + 1;
        return window.kgData.nodes.map(n => n[0]).filter(id => id.startsWith({kind + "/"!r}))
          .sort((a, b) => (count[b] || 0) - (count[a] || 0) || (a < b ? -1 : 1));
    }})()"""
    )
    return found


def _ready(page: Any) -> None:
    page.wait_for_function(READY, timeout=30_000)


def _panel_title(page: Any, text: str) -> None:
    page.wait_for_function(f"document.querySelector('#panel-title')?.textContent === {text!r}")


# ---------------------------------------------------------------- 1. people drawn at scale


@needs_chromium
def test_at_1k_the_whole_graph_draws_every_kind_people_too_and_labels_the_largest(
    browser: Any,  # noqa: F811
    world: Built,
) -> None:
    page, requests, errors = _open(browser, world[1] / "graph.html")
    _ready(page)
    kinds = Counter(page.evaluate("window.kgNetwork.body.data.nodes.get().map(n => n.ntype)"))
    assert set(kinds) == {k for k in STYLE if k != NodeType.ARTICLE}
    assert kinds[NodeType.PERSON] >= 100
    # The most important nodes' labels are readable at the zoom that fits the whole graph.
    scale, sizes = page.evaluate(
        "[window.kgNetwork.getScale(),"
        " window.kgImportant.map(id => window.kgNetwork.body.nodes[id].options.font.size)]"
    )
    assert scale < 0.5 and len(sizes) >= 20
    assert all(size * scale >= 13 for size in sizes)
    # Sizes follow degree: of two drawn nodes, the better-connected is never drawn smaller.
    store = world[0].store
    drawn = sorted(
        (store.graph.degree(n), size)
        for n, size in page.evaluate("window.kgNetwork.body.data.nodes.get().map(n => [n.id, n.size])")
    )
    assert [size for _, size in drawn] == sorted(size for _, size in drawn)
    assert drawn[-1][1] > 2 * drawn[0][1]
    assert requests == [] and errors == []


@needs_chromium
def test_the_legend_shows_each_types_shape_and_colour(browser: Any, built: Built) -> None:  # noqa: F811
    page, requests, errors = _open(browser, built[1] / "graph.html")
    _ready(page)
    legend = dict(
        page.evaluate(
            "[...document.querySelectorAll('#type-filters label')].map(l => [l.querySelector('input').value,"
            " [l.querySelector('svg.glyph > *').tagName, l.querySelector('svg.glyph > *').getAttribute('fill')]])"
        )
    )
    tags = {
        "dot": "circle",
        "square": "rect",
        "diamond": "polygon",
        "star": "polygon",
        "triangle": "polygon",
        "box": "rect",
    }
    assert legend == {
        kind: [tags[shape], colour] for kind, (colour, shape, _) in STYLE.items() if kind != NodeType.ARTICLE
    }
    assert len({tuple(v) for v in legend.values()}) == len(legend)  # no two types look alike
    assert requests == [] and errors == []


# ---------------------------------------------------------------- 2. labels that tell apart


def test_meetings_and_posts_are_labelled_with_what_tells_them_apart(world: Built) -> None:
    store = world[0].store
    site = Site(store)
    for kind in (NodeType.MEETING, NodeType.POST):
        nodes = [n for n, _ in store.nodes(kind)]
        names = {store.label(n) for n in nodes}
        labels = {site.label(n) for n in nodes}
        assert len(names) < len(nodes) / 4  # what the text calls them repeats …
        assert len(labels) > 0.9 * len(nodes)  # … the labels tell them apart
    meeting = next(n for n, _ in store.nodes(NodeType.MEETING))
    organiser = next(s for s in store.pred[meeting] if Relation.HELD in store.pred[meeting][s])
    assert display_label(store, meeting) == " · ".join(
        [store.label(meeting), store.label(organiser), store.node_data[meeting]["date"]]
    )


@needs_chromium
def test_search_lists_the_matches_to_pick_from_with_the_keyboard(browser: Any, both: Built) -> None:  # noqa: F811
    store = both[0].store
    site = Site(store)
    matching = [
        n
        for n, d in store.nodes()
        if d["type"] != NodeType.ARTICLE and any("院长" in x for x in [site.label(n), *d.get("aliases", [])])
    ]
    page, requests, errors = _open(browser, both[1] / "graph.html")
    _ready(page)
    page.fill("#search", "院长")
    page.wait_for_selector("#results li[data-id]")
    rows = page.evaluate(
        "[...document.querySelectorAll('#results li[data-id]')]"
        ".map(li => [li.dataset.id, li.querySelector('.result-label').textContent, li.textContent])"
    )
    assert len(rows) == min(50, len(matching)) >= 3  # the first fifty at most, each with its type …
    assert {node for node, _, _ in rows} <= set(matching)
    assert len({label for _, label, _ in rows}) == len(rows)  # … and told apart
    for node, label, text in rows:
        assert label == display_label(store, node) and STYLE[store.node_data[node]["type"]][2] in text
    page.press("#search", "ArrowDown")
    page.press("#search", "ArrowDown")
    assert page.locator("#results li.active").get_attribute("data-id") == rows[2][0]
    page.press("#search", "Enter")
    _panel_title(page, rows[2][1])
    assert page.locator("#results").is_hidden()
    assert requests == [] and errors == []


# ---------------------------------------------------------------- 3. who holds which post


@needs_chromium
def test_an_organisation_lists_its_posts_with_their_holders(browser: Any, both: Built) -> None:  # noqa: F811
    store = both[0].store
    page, requests, errors = _open(browser, both[1] / "graph.html")
    _ready(page)
    org = page.evaluate(
        "window.kgData.nodes.map(n => n[0]).find(id => id.startsWith('organisation/')"
        " && window.kgData.facts.some(f => f[2] === 'post_in' && f[1] === id))"
    )
    page.evaluate(f"window.kgFocus({org!r})")
    page.wait_for_selector("#holders tr[data-post]")
    rows = page.evaluate(
        "[...document.querySelectorAll('#holders tr[data-post]')]"
        ".map(tr => [tr.dataset.post, tr.querySelector('a.other')?.dataset.id || ''])"
    )
    for post, holder in rows:
        assert Relation.POST_IN in store.succ[post][org]
        assert not holder or Relation.HOLDS in store.succ[holder][post]
    assert any(holder for _, holder in rows)
    assert requests == [] and errors == []


@needs_chromium
def test_an_organisation_page_leads_with_its_leaders_then_meetings_newest_first(
    browser: Any,  # noqa: F811
    both: Built,
) -> None:
    store = both[0].store
    org = max(
        (n for n, _ in store.nodes(NodeType.ORGANISATION)),
        key=lambda n: (sum(Relation.HELD in k for k in store.succ[n].values()), store.graph.degree(n), n),
    )
    page, requests, errors = _open(browser, both[1] / "views" / ENTITY_PAGE, org)
    _ready(page)
    _panel_title(page, store.label(org))
    order = page.evaluate(
        "[...document.querySelectorAll('#panel > section, #panel > h3')].map(e => e.id || e.className)"
    )
    assert order[0] == "tenure-section"
    dates = page.evaluate(
        "[...document.querySelectorAll('#panel section.facts')][0].querySelectorAll('.fact a.other').length"
    )
    assert dates > 0
    meetings = page.evaluate(
        "[...[...document.querySelectorAll('#panel section.facts')][0].querySelectorAll('.fact a.other')]"
        ".map(a => a.dataset.id)"
    )
    held = [store.node_data[m].get("date", "") for m in meetings]
    assert all(store.node_data[m]["type"] == NodeType.MEETING for m in meetings)
    assert held == sorted(held, reverse=True)
    assert requests == [] and errors == []


@needs_chromium
def test_a_meeting_panel_leads_with_organiser_chair_speakers_attendees(browser: Any, both: Built) -> None:  # noqa: F811
    store = both[0].store
    page, requests, errors = _open(browser, both[1] / "graph.html")
    _ready(page)
    meeting = _drawn(page, "meeting")[0]
    page.evaluate(f"window.kgFocus({meeting!r})")
    relations = page.evaluate("[...document.querySelectorAll('#panel .fact')].map(f => f.dataset.relation)")
    expected = ["held", "presided", "spoke", "attended", "set_target", "document"]
    seen = [r for r in dict.fromkeys(relations)]
    assert seen == [r for r in expected if r in seen] and seen[0] == "held"
    on_page = page.evaluate(
        f"window.kgData.facts.filter(f => f[0] === {meeting!r} || f[1] === {meeting!r}).length"
    )
    assert len(relations) == on_page and on_page + page.evaluate(
        f"(window.kgData.more || {{}})[{meeting!r}] || 0"
    ) == store.graph.degree(meeting)
    assert requests == [] and errors == []


# ---------------------------------------------------------------- 4. the index


@needs_chromium
def test_the_index_lists_every_kind_sorted_filtered_and_paged(browser: Any, world: Built) -> None:  # noqa: F811
    store = world[0].store
    page, requests, errors = _open(browser, world[1] / "index.html")
    _ready(page)
    tabs = page.evaluate("[...document.querySelectorAll('#kinds button')].map(b => b.dataset.kind)")
    assert sorted(tabs) == sorted(k for k in STYLE if k != NodeType.ARTICLE)
    page.click("#kinds button[data-kind='meeting']")
    meetings = sum(1 for _ in store.nodes(NodeType.MEETING))
    assert page.locator("#catalogue tbody tr").count() == 50 < meetings
    assert f"{meetings} 行" in (page.locator("#page-no").text_content() or "")
    # Sort by date, newest first (a second click), and page on.
    date_column = "#catalogue th[data-column='2']"
    page.click(date_column)
    page.click(date_column)
    first = page.evaluate(
        "[...document.querySelectorAll('#catalogue tbody tr')].map(tr => tr.children[2].textContent)"
    )
    assert first == sorted(first, reverse=True)
    assert first[0] == max(d.get("date", "") for _, d in store.nodes(NodeType.MEETING))
    page.click("#page-next")
    second = page.evaluate(
        "[...document.querySelectorAll('#catalogue tbody tr')].map(tr => tr.children[2].textContent)"
    )
    assert second[0] <= first[-1] and "2 /" in (page.locator("#page-no").text_content() or "")
    # The filter searches every kind: each tab counts its matches.
    hospital = store.label(
        next(
            n
            for n, _ in store.nodes(NodeType.ORGANISATION)
            if any(Relation.HELD in k for k in store.succ[n].values())
        )
    )
    page.fill("#filter", hospital)
    page.wait_for_function("document.querySelector('#page-no').textContent.startsWith(' 1 /')")
    counts = dict(
        page.evaluate(
            "[...document.querySelectorAll('#kinds button')]"
            ".map(b => [b.dataset.kind, +b.textContent.match(/\\((\\d+)\\)$/)[1]])"
        )
    )
    assert counts[NodeType.ORGANISATION] >= 1 and counts[NodeType.MEETING] >= 1 and counts[NodeType.POST] >= 1
    cells = page.evaluate("[...document.querySelectorAll('#catalogue tbody tr')].map(tr => tr.textContent)")
    assert cells and all(hospital in c for c in cells)
    # The tab, sort, page and filter are in the URL: a reload comes back to them.
    page.reload()
    _ready(page)
    assert page.locator("#kinds button[aria-selected='true']").get_attribute("data-kind") == NodeType.MEETING
    assert page.input_value("#filter") == hospital
    # Every row links to a page that shows it: the first meeting's opens with it selected.
    link = page.locator("#catalogue tbody td a").first
    node = page.locator("#catalogue tbody tr").first.get_attribute("data-id")
    link.click()
    _ready(page)
    _panel_title(page, display_label(store, node))
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [node]
    assert requests == [] and errors == []


# ---------------------------------------------------------------- 5. evidence a reader can check


@needs_chromium
def test_evidence_marks_the_mention_and_opens_the_article_at_its_sentence(browser: Any, both: Built) -> None:  # noqa: F811
    store = both[0].store
    person = max((n for n, _ in store.nodes(NodeType.PERSON)), key=lambda n: (store.graph.degree(n), n))
    name = store.label(person)
    page, requests, errors = _open(browser, both[1] / "views" / ENTITY_PAGE, person)
    _ready(page)
    _panel_title(page, name)
    page.wait_for_selector("#panel .evidence mark")
    marks = page.evaluate(
        "[...document.querySelectorAll('#panel .evidence')].map(e => [...e.querySelectorAll('mark')].map(m => m.textContent))"
    )
    assert all(name in found for found in marks)
    # Every evidence sentence of every fact is listed (the panel shows all of them).
    links = page.locator("#panel a.article-link").count()
    assert links == sum(len(d["evidence"]) for s, o, _, d in store.edges() if person in (s, o))
    href = page.locator("#panel a.article-link").first.get_attribute("href")
    article, span = re.fullmatch(r"article\.html#(.+)&s=(\d+-\d+)", href or "").groups()  # type: ignore[union-attr]
    page.locator("#panel a.article-link").first.click()
    page.wait_for_selector(".fact-sentence.wanted")
    _ready(page)
    start, end = map(int, span.split("-"))
    text = store.texts[article]
    assert page.locator(".fact-sentence.wanted").text_content() == text[start:end]
    # The article page shows the whole cleaned text, and lists every fact read from it.
    assert page.locator("#article-text").text_content() == text
    read_here = sum(1 for *_, d in store.edges() for e in d["evidence"] if e.article == article)
    assert page.locator("#article-facts .fact").count() == read_here
    assert article in (page.locator("#article-source").text_content() or "")
    assert requests == [] and errors == []


# ---------------------------------------------------------------- 6. what explorer users expect


@needs_chromium
def test_double_click_expands_a_node_with_neighbours_from_its_page(browser: Any, world: Built) -> None:  # noqa: F811
    store = world[0].store
    page, requests, errors = _open(browser, world[1] / "graph.html")
    _ready(page)
    node = page.evaluate("Object.keys(window.kgData.more).find(id => id.startsWith('person/'))")
    before = set(page.evaluate("window.kgNetwork.body.data.nodes.getIds()"))
    added = page.evaluate(f"window.kgExpand({node!r})")
    after = set(page.evaluate("window.kgNetwork.body.data.nodes.getIds()"))
    neighbours = set(store.succ[node]) | set(store.pred[node])
    assert added > 0 and after - before and (after - before) <= neighbours
    assert (neighbours - {n for n in neighbours if store.node_data[n]["type"] == NodeType.ARTICLE}) <= after
    # The whole graph carries a fact's first few sentences and their count; a page has them all.
    brief = page.evaluate("window.kgData.facts.filter(f => f.length === 7).slice(0, 50)")
    assert brief
    for s, o, relation, *_, evidence, total in brief:
        assert len(evidence) == EVIDENCE_SHOWN < total == len(store.succ[s][o][relation]["evidence"])
    s, o, relation = next(f[:3] for f in brief if f[0].startswith("person/"))
    page.evaluate(f"window.kgExpand({s!r})")
    whole = page.evaluate(
        f"window.kgData.facts.find(f => f[0] === {s!r} && f[1] === {o!r} && f[2] === {relation!r})"
    )
    assert len(whole) == 6 and len(whole[5]) == len(store.succ[s][o][relation]["evidence"])
    # The expansion is part of the view's URL.
    assert "expand=" + node.replace("/", "%2F") in page.url
    assert requests == [] and errors == []


@needs_chromium
def test_a_node_found_by_search_but_not_drawn_can_be_added_to_the_graph(browser: Any, world: Built) -> None:  # noqa: F811
    store = world[0].store
    page, requests, errors = _open(browser, world[1] / "graph.html")
    _ready(page)
    drawn = set(page.evaluate("window.kgNetwork.body.data.nodes.getIds()"))
    meeting = next(
        n
        for n, _ in store.nodes(NodeType.MEETING)
        if n not in drawn
        for organiser in (anchor(store, n),)
        if organiser and (set(store.succ[n]) | set(store.pred[n])) <= org_members(store, organiser)
    )
    page.evaluate(f"window.kgFocus({meeting!r})")
    _panel_title(page, display_label(store, meeting))
    assert "not drawn" in (page.locator("#panel").text_content() or "")
    page.click("#bring")
    page.wait_for_function(f"window.kgNetwork.body.data.nodes.get({meeting!r}) !== null")
    _panel_title(page, display_label(store, meeting))
    # Drawn now, with its facts to the nodes already drawn, from its organiser's page data.
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [meeting]
    assert page.locator("#panel .fact").count() == store.graph.degree(meeting)
    assert requests == [] and errors == []


@needs_chromium
def test_on_an_organisation_page_expanding_a_person_brings_their_other_posts_and_meetings(
    browser: Any,  # noqa: F811
    both: Built,
) -> None:
    store = both[0].store
    org, person, outside = next(
        (org, p, (set(store.succ[p]) | set(store.pred[p])) - members)
        for org, _ in store.nodes(NodeType.ORGANISATION)
        for members in (org_members(store, org),)
        for p in sorted(members)
        if p.startswith("person/") and (set(store.succ[p]) | set(store.pred[p])) - members
    )
    page, requests, errors = _open(browser, both[1] / "views" / ENTITY_PAGE, org)
    _ready(page)
    assert not outside & set(page.evaluate("window.kgNetwork.body.data.nodes.getIds()"))
    page.evaluate(f"window.kgExpand({person!r})")
    assert outside <= set(page.evaluate("window.kgNetwork.body.data.nodes.getIds()"))
    _panel_title(page, store.label(person))
    assert requests == [] and errors == []


@needs_chromium
def test_the_shortest_path_between_two_nodes(browser: Any, both: Built) -> None:  # noqa: F811
    store = both[0].store
    page, requests, errors = _open(browser, both[1] / "graph.html")
    _ready(page)
    # Over the facts the page has loaded (on the whole graph at 1k: those among the drawn nodes).
    undirected: nx.Graph[str] = nx.Graph()
    undirected.add_edges_from(tuple(f[:2]) for f in page.evaluate("window.kgData.facts"))
    component = max(nx.connected_components(undirected), key=lambda c: (len(c), sorted(c)[0]))
    a = sorted(n for n in component if n.startswith("person/"))[0]
    distance = nx.single_source_shortest_path_length(undirected, a)
    b = max((n for n in component if n.startswith("person/")), key=lambda n: (distance[n], n))
    assert distance[b] >= 2
    path = page.evaluate(f"window.kgPath({a!r}, {b!r})")
    assert path[0] == a and path[-1] == b
    assert len(path) == nx.shortest_path_length(undirected, a, b) + 1
    for x, y in itertools.pairwise(path):
        assert y in store.succ[x] or x in store.succ[y]
    assert page.locator("#path li").count() == len(path)
    assert sorted(page.evaluate("window.kgNetwork.getSelectedNodes()")) == sorted(path)
    assert requests == [] and errors == []


@needs_chromium
def test_the_selection_exports_as_csv_and_the_view_as_png(browser: Any, both: Built) -> None:  # noqa: F811
    store = both[0].store
    org = max(
        (n for n, _ in store.nodes(NodeType.ORGANISATION)), key=lambda n: (len(org_members(store, n)), n)
    )
    page, requests, errors = _open(browser, both[1] / "views" / ENTITY_PAGE, f"{org}&sel={org}")
    _ready(page)
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [org]
    with page.expect_download() as download:
        page.click("#export-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = [(s, r, o, e.sentence) for s, o, r, d in store.edges() if org in (s, o) for e in d["evidence"]]
    assert sorted((r["relation"], r["sentence"]) for r in rows) == sorted(
        (r, sent) for _, r, _, sent in expected
    )
    assert {r["subject"] for r in rows} | {r["object"] for r in rows} >= {display_label(store, org)}
    with page.expect_download() as download:
        page.click("#export-png")
    png = Path(download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    assert requests == [] and errors == []


@needs_chromium
def test_the_view_is_in_the_url_and_comes_back_on_reload(browser: Any, both: Built) -> None:  # noqa: F811
    store = both[0].store
    page, requests, errors = _open(browser, both[1] / "graph.html")
    _ready(page)
    person = _drawn(page, "person")[0]
    page.evaluate(f"window.kgFocus({person!r})")
    page.uncheck(".type-filter[value='target']")
    page.uncheck(".relation-filter[value='spoke']")
    page.fill("#date-from", "2021")
    page.fill("#search", store.label(person)[:1])
    page.reload()
    _ready(page)
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [person]
    _panel_title(page, store.label(person))
    assert not page.is_checked(".type-filter[value='target']")
    assert not page.is_checked(".relation-filter[value='spoke']")
    assert page.input_value("#date-from") == "2021"
    assert page.input_value("#search") == store.label(person)[:1]
    shown = page.evaluate(
        "window.kgNetwork.body.nodeIndices.map(id => window.kgNetwork.body.nodes[id].options.ntype)"
    )
    assert "target" not in shown
    # An entity page takes a selection after its id: the index's links to meetings use it.
    org = max(
        (n for n, _ in store.nodes(NodeType.ORGANISATION)), key=lambda n: (len(org_members(store, n)), n)
    )
    meeting = next(m for m in sorted(store.succ[org]) if store.node_data[m]["type"] == NodeType.MEETING)
    page2, requests2, errors2 = _open(browser, both[1] / "views" / ENTITY_PAGE, f"{org}&sel={meeting}")
    _ready(page2)
    _panel_title(page2, display_label(store, meeting))
    assert page2.evaluate("window.kgNetwork.getSelectedNodes()") == [meeting]
    assert requests == requests2 == [] and errors == errors2 == []
