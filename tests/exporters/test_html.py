"""The HTML explorer opens from files with no network, in a real headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.build import BuildResult
from kg.exporters.html import whole_graph
from kg.exporters.jsontext import encoded, read_data_script
from kg.exporters.members import org_members, person_members
from kg.exporters.site import (
    ENTITY_PAGE,
    STYLE,
    Site,
    display_label,
    node_size,
    page_link,
    shard_chars,
    shard_of,
)
from kg.model import NodeType
from kg.store import GraphStore

Built = tuple[BuildResult, Path]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is missing (.ci/run installs it)"
)


def _pages(out: Path) -> list[Path]:
    views = out / "views"
    return [
        out / "graph.html",
        out / "index.html",
        *sorted(views.glob("*.html")),
        *sorted(views.glob("assets/*")),
    ]


def _data_files(out: Path) -> list[Path]:
    views = out / "views"
    return [views / "catalogue.js", *sorted(views.glob("data/*.js")), *sorted(views.glob("articles/*.js"))]


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
    # The data scripts are a call with base64 text: nothing else, so nothing they could fetch.
    for data in _data_files(built[1]):
        assert re.fullmatch(r'kg(Shard|Articles|Catalogue)\("[A-Za-z0-9+/=]*"\);\n', data.read_text("ascii"))


def test_every_node_has_a_row_in_the_index_linked_to_a_page_that_shows_it(built: Built) -> None:
    result, out = built
    store = result.store
    _, catalogue = read_data_script((out / "views" / "catalogue.js").read_text("ascii"))
    rows = {row[0]: (kind["type"], row) for kind in catalogue["kinds"] for row in kind["rows"]}
    assert set(rows) == {n for n, d in store.nodes() if d["type"] != NodeType.ARTICLE}
    for kind in catalogue["kinds"]:
        assert all(len(row) == len(kind["columns"]) + 2 for row in kind["rows"])
    entities = [n for n, d in store.nodes() if d["type"] in (NodeType.ORGANISATION, NodeType.PERSON)]
    for node in entities:
        assert rows[node][1][1] == page_link(node)
        shard = out / "views" / "data" / f"{shard_of(node, shard_chars(len(entities)))}.js"
        record = _shard_file(shard)[node]
        assert record["title"].startswith(store.label(node))
        assert node in record["data"]["meta"]
    # Any other node links to its organisation's (or person's) page, which carries it, selected.
    for node, (_, row) in rows.items():
        if node in entities or not row[1]:
            continue
        owner, selected = re.fullmatch(r"entity\.html#([^&]+)&sel=(.+)", row[1]).groups()  # type: ignore[union-attr]
        assert selected == node
        shard = out / "views" / "data" / f"{shard_of(owner, shard_chars(len(entities)))}.js"
        assert node in _shard_file(shard)[owner]["data"]["meta"]
    # Every page's data is in exactly one shard, and shards hold nothing else.
    in_shards = [n for f in (out / "views" / "data").glob("*.js") for n in _shard_file(f)]
    assert sorted(in_shards) == sorted(entities)


def _shard_file(path: Path) -> dict[str, Any]:
    callback, records = read_data_script(path.read_text(encoding="ascii"))
    assert callback == "kgShard"
    return dict(records)


def test_shards_stay_small_as_pages_grow() -> None:
    for pages in (1, 60, 1_000, 80_000, 1_000_000):
        chars = shard_chars(pages)
        assert pages / 16**chars <= 64 and (chars == 1 or pages / 16 ** (chars - 1) > 64)


def test_past_its_limit_the_whole_graph_draws_organisations_with_their_leaders_and_says_so(
    built: Built,
) -> None:
    store = built[0].store
    site = Site(store)
    page, notice = whole_graph(site, limit=40)
    data = page.data()
    drawn = {n[0] for n in data["nodes"]}
    assert 0 < len(drawn) <= 40
    assert f"{len(drawn)}" in notice and "search" in notice
    undrawn = {row[0] for row in data["index"]}
    assert set(data["meta"]) == drawn and not drawn & undrawn
    assert drawn | undrawn == {n for n, d in store.nodes() if d["type"] != NodeType.ARTICLE}
    # Every kind is drawn, people too, and the best-connected organisation with its leaders.
    kinds = Counter(store.node_data[n]["type"] for n in drawn)
    assert set(kinds) == {
        NodeType.ORGANISATION,
        NodeType.PERSON,
        NodeType.POST,
        NodeType.MEETING,
        NodeType.TARGET,
        NodeType.DOCUMENT,
    }
    degree = dict(store.graph.degree())
    orgs = [n for n, _ in store.nodes(NodeType.ORGANISATION)]
    biggest = max(orgs, key=lambda n: (degree[n], n))
    assert biggest in drawn
    holders = {p for post in store.pred[biggest] for p in store.pred[post] if "holds" in store.succ[p][post]}
    assert holders & drawn
    # Only facts between drawn nodes are carried; the rest are counted, and found on pages.
    assert all(f[0] in drawn and f[1] in drawn for f in data["facts"])
    carried = {n: 0 for n in drawn}
    for f in data["facts"]:
        carried[f[0]] += 1
        carried[f[1]] += 1
    for node in drawn:
        assert carried[node] + data["more"].get(node, 0) == store.graph.degree(node)
    # Every node not drawn is listed as its pages list it, linked to a page that shows it.
    for node, label, *rest in data["index"]:
        assert label == display_label(store, node)
        owner = data["owners"][rest[0]] if rest and rest[0] >= 0 else ""
        assert rest[1:] in ([], [store.node_data[node]["aliases"]])
        kind = store.node_data[node]["type"]
        assert node.startswith(f"{kind}/")  # the page reads the type from the id
        if kind in (NodeType.ORGANISATION, NodeType.PERSON):
            assert owner == ""  # its own page
        elif owner:
            members = (org_members if owner.startswith("organisation/") else person_members)(store, owner)
            assert node in members
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


def _open(browser: Any, path: Path, fragment: str = "") -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    errors: list[str] = []

    def block(route: Any) -> None:
        requests.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^(?!file:).*"), block)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
    return page, requests, errors


def _check_graph_page(page: Any, store: GraphStore, expected_nodes: int, name: str) -> None:
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    assert page.evaluate("window.kgNetwork.body.nodeIndices.length") == expected_nodes
    # Every drawn node has its type's colour and shape, and a tooltip naming it and its type.
    drawn = page.evaluate(
        "window.kgNetwork.body.data.nodes.get().map(n => [n.id, n.color, n.shape, n.title])"
    )
    assert len(drawn) == expected_nodes
    for node, colour, shape, tooltip in drawn:
        data = store.node_data[node]
        assert (colour, shape) == STYLE[data["type"]][:2], node
        assert tooltip.startswith(f"{display_label(store, node)}\n{STYLE[data['type']][2]}"), node
    # The search box lists what matches; Enter picks the first, which the panel shows.
    page.fill("#search", name)
    page.wait_for_selector("#results li[data-id]")
    first = page.locator("#results li[data-id]").first.get_attribute("data-id")
    page.press("#search", "Enter")
    page.wait_for_function(
        f"document.querySelector('#panel-title')?.textContent === {display_label(store, first)!r}"
    )
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == [first]
    # Clicking a drawn node shows the evidence sentence of its facts.
    page.fill("#search", "")
    node_id = page.evaluate("window.kgData.facts[0][0]")
    page.evaluate("document.getElementById('panel').replaceChildren()")
    page.evaluate(
        f"window.kgNetwork.moveTo({{position: window.kgNetwork.getPosition({node_id!r}), scale: 1.0}})"
    )
    xy = page.evaluate(f"window.kgNetwork.canvasToDOM(window.kgNetwork.getPosition({node_id!r}))")
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
    page.wait_for_selector("#panel .evidence")
    sentence = page.locator("#panel .evidence").first.text_content() or ""
    assert sentence in {e.sentence for *_, d in store.edges() for e in d["evidence"]}


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
    page, requests, errors = _open(browser, built[1] / "views" / ENTITY_PAGE, org)
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
    page, requests, errors = _open(browser, built[1] / "views" / ENTITY_PAGE, person)
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    assert page.locator("#panel-title").text_content() == store.label(person)
    _check_graph_page(page, store, len(person_members(store, person)), store.label(person))
    assert requests == [] and errors == []


@needs_chromium
def test_index_page_filters_and_links(browser: Any, built: Built) -> None:
    store = built[0].store
    page, requests, errors = _open(browser, built[1] / "index.html")
    person = next(d["label"] for _, d in store.nodes(NodeType.PERSON))
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    page.click("#kinds button[data-kind='person']")
    page.fill("#filter", person)
    page.wait_for_function(
        "[...document.querySelectorAll('#catalogue tbody td a')].every(a => a.textContent.includes("
        f"{person!r}))"
    )
    visible = page.locator("#catalogue tbody td a").all_text_contents()
    assert person in visible and len(visible) < sum(1 for _ in store.nodes(NodeType.PERSON))
    page.locator(f"#catalogue a:text-is('{person}')").first.click()
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    assert page.locator("#panel-title").text_content() == person
    assert requests == [] and errors == []


def test_a_fact_read_in_many_articles_carries_a_few_sentences_and_where_the_rest_are() -> None:
    from kg.evidence import EvidenceRecord
    from kg.exporters.site import EVIDENCE_SHOWN
    from kg.model import Relation

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
    evidence = fact[5]
    assert len(evidence) == EVIDENCE_SHOWN + 7  # every sentence: where it is …
    assert [e[1] for e in evidence] == [f"{i:03d}.txt" for i in range(EVIDENCE_SHOWN + 7)]
    carried = [e[0] for e in evidence if e[0] != -1]  # … and the text of the first few
    assert len(carried) == EVIDENCE_SHOWN == len(data["sentences"])
    assert [data["sentences"][i] for i in carried] == [f"第{i}句。" for i in range(EVIDENCE_SHOWN)]
    assert all(e[0] == -1 for e in evidence[EVIDENCE_SHOWN:])


def test_a_page_reads_its_members_what_their_labels_name_and_the_articles_it_titles(built: Built) -> None:
    """What a rebuild takes a page's old key by (``Site.page_reads``): its focus whole, its
    members, whose edges make its facts, tenures and layout; the nodes a meeting's or post's
    label names; and the articles whose titles it lists, those of each fact's first records only."""
    from kg.exporters.site import FOCUS
    from kg.store import article_node

    store = built[0].store
    site = Site(store)
    organisation = max(
        (n for n, d in store.nodes(NodeType.ORGANISATION)), key=lambda n: (len(org_members(store, n)), n)
    )
    members = org_members(store, organisation)
    page = site.page_data(members, members, focus=organisation)
    reads = site.page_reads(members, page, organisation)
    listed = set(page.data()["articles"])
    assert listed and page.cited == listed
    named = {n for m in members for n in site.label_sources(m)}
    assert named  # its meetings' organisers and its posts' organisation
    assert reads == {organisation + FOCUS} | members | named | {article_node(a) for a in listed}


def test_every_fact_among_a_pages_members_has_its_focus_or_a_post_or_meeting_at_an_end(
    built: Built,
) -> None:
    """Why a page reads its other members by description and size alone (``PageInputs``): a fact
    it shows joins two members, and one of them is the focus or a post or meeting, read whole."""
    from kg.exporters.site import READ_WHOLE

    store = built[0].store
    site = Site(store)
    pages = 0
    for focus in site.pages:
        kind = store.node_data[focus]["type"]
        members = org_members(store, focus) if kind == NodeType.ORGANISATION else person_members(store, focus)
        for s, o, _, _ in site.edges_among(members):
            ends = [n for n in (s, o) if n == focus or store.node_data[n]["type"] in READ_WHOLE]
            assert ends, (focus, s, o)
        pages += 1
    assert pages > 20


def test_what_a_page_reads_of_a_holder_is_its_description_and_size(built: Built) -> None:
    """A person on an organisation's page is read by description and drawn size: a new fact of
    theirs elsewhere changes their digest, not that; their own page reads them whole."""
    from kg.exporters.sections import release_keys, store_keys
    from kg.exporters.site import FOCUS, PageInputs

    store = built[0].store.__class__(built[0].store.graph.copy())
    site = Site(store)
    person = next(n for n, _ in store.nodes(NodeType.PERSON))
    post = next(n for n, _ in store.nodes(NodeType.POST))
    before = PageInputs(site, store_keys(store))
    read = {name: before[name] for name in (person, person + FOCUS, post)}
    assert len(before) == len(store.node_data) + len(site.pages)
    release_keys()
    record = next(iter(next(iter(next(iter(store.succ[person].values())).values()))["evidence"]))
    store.graph.add_edge(
        person, "meeting/" + "f" * 16, key="attended", relation="attended", evidence=[record]
    )
    store.graph.nodes["meeting/" + "f" * 16].update(type="meeting", label="会议", aliases=[], articles=[])
    after = PageInputs(Site(store), store_keys(store))
    assert after[person + FOCUS] != read[person + FOCUS]  # the person's own page: read whole
    assert after[post] == read[post]
    grown = node_size(site.degree[person] + 1) != node_size(site.degree[person])
    assert (after[person] != read[person]) == grown  # elsewhere: only if drawn bigger
    release_keys()


@needs_chromium
def test_past_its_limit_the_whole_graph_finds_any_node_and_the_page_that_shows_it(
    browser: Any, built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.exporters import html

    store = built[0].store
    monkeypatch.setattr(html, "MAX_WHOLE_NODES", 20)
    html.export(store, tmp_path / "graph.html")
    labels = Counter(d["label"] for _, d in store.nodes())
    index = whole_graph(Site(store))[0].data()["index"]
    node, label = next((r[0], r[1]) for r in index if r[0].startswith("person/") and labels[r[1]] == 1)
    page, requests, errors = _open(browser, tmp_path / "graph.html")
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    assert page.evaluate("window.kgNetwork.body.nodeIndices.length") <= 20
    page.fill("#search", label)
    page.press("#search", "Enter")
    page.wait_for_function(f"document.querySelector('#panel-title')?.textContent === {label!r}")
    page.locator("#panel a.page").click()  # to the person's page, whose data loads from its shard
    page.wait_for_url(f"**#{node}")
    page.wait_for_function(f"document.querySelector('#panel-title')?.textContent === {label!r}")
    assert page.evaluate("window.kgNetwork.body.nodeIndices.length") == len(person_members(store, node))
    # Another entity's page from this one: only the hash changes, and the page follows it.
    org = sorted(m for m in person_members(store, node) if m.startswith("organisation/"))[0]
    page.evaluate(f"window.kgFocus({org!r})")  # the panel shows the organisation already, so
    page.evaluate("window.kgOldPage = true")  # wait for the page the hash change reloads
    page.locator("#panel a.page").click()
    page.wait_for_url(f"**#{org}")
    page.wait_for_function(
        "window.kgOldPage === undefined && document.body.dataset.ready === '1'"
        f" && document.querySelector('#panel-title')?.textContent === {store.label(org)!r}"
    )
    assert page.evaluate("window.kgNetwork.body.nodeIndices.length") == len(org_members(store, org))
    assert requests == [] and errors == []


@needs_chromium
def test_an_entity_page_for_no_entity_says_so(browser: Any, built: Built) -> None:
    page, requests, _ = _open(browser, built[1] / "views" / ENTITY_PAGE, "person/0000000000000000")
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    assert "no page for person/0000000000000000" in (page.locator("#notice").text_content() or "")
    assert requests == []


@needs_chromium
def test_markup_in_the_text_neither_breaks_nor_runs_in_the_page(browser: Any, tmp_path: Path) -> None:
    """</script> and <script> in a sentence stay text (so does <!--, as "<" is never written)."""
    from kg.build import build

    hostile = "</script><script>window.kgPwned=1</script><!--"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # …and in a file name, which the data cites as the article's id
    (corpus / "<!--<script>a.txt").write_text(
        f"城南区人民医院召开安全生产工作会议{hostile}\n3月5日,城南区人民医院召开安全生产工作会议。"
        f"党委书记欧阳明远主持会议{hostile}。\n",
        encoding="utf-8",
    )
    build(corpus, tmp_path / "out", formats=["html"])
    page, requests, errors = _open(browser, tmp_path / "out" / "graph.html")
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=20_000)
    assert page.evaluate(f"JSON.stringify(window.kgData).includes({hostile[:-2]!r})")
    assert page.evaluate("window.kgPwned") is None
    assert page.evaluate("JSON.stringify(window.kgData).includes('<!--<script>a.txt')")
    assert requests == [] and errors == []


def test_the_explorer_is_the_same_when_its_caches_keep_only_the_latest_few(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 100k articles the caches of nodes' JSON and repeated facts drop their oldest entries;
    # the pages must not change with what is still in them.
    import kg.exporters.site as site_module
    from kg.exporters import get_exporter
    from kg.exporting import differing_exports

    result, out = built
    monkeypatch.setattr(site_module, "RECENT", 2)
    site_module.sentence_entry.cache_clear()
    get_exporter("html")(result.store, tmp_path / "graph.html")
    expected = {p.relative_to(out) for p in out.rglob("*") if "views" in p.parts or p.suffix == ".html"}
    assert {p.relative_to(tmp_path) for p in tmp_path.rglob("*")} == expected
    assert not [d for d in differing_exports(out, tmp_path) if d in {str(p) for p in expected}]


@given(
    st.floats(min_value=-1e14, max_value=1e14, allow_nan=False)
    | st.floats(min_value=-2000, max_value=2000).map(lambda v: round(v, 2) + 0.05)
)
def test_a_drawn_position_is_written_as_the_encoder_writes_it_rounded(x: float) -> None:
    """node_json writes "%.1f" where it wrote the JSON of round(x, 1): the same text."""
    site = Site(GraphStore())
    assert json.loads(site.node_json("person/a", x, -x)) == [
        "person/a",
        round(x, 1),
        round(-x, 1),
        node_size(0),
    ]
    assert site.node_json("person/a", x, x) == encoded(["person/a", round(x, 1), round(x, 1), node_size(0)])
