"""What a resident process carries from one build to the next, where the change did not reach, is
what it would work out afresh: the explorer's node and fact JSON (kg/exporters/site.py) and each
article's TriG key from what describes it (kg/rekey.py), after every kind of change a day's news
makes and after a new head ends the last one's tenure in an article that does not name him."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from kg.build import BuildResult, build_store
from kg.cache import FactCache
from kg.exporters.html import whole_graph
from kg.exporters.members import org_members, person_members
from kg.exporters.rdfwrite import described_keys
from kg.exporters.sections import Change, StoreKeys, install_keys, release_keys
from kg.exporters.site import Site, carrying
from kg.model import NodeType, Relation
from kg.rekey import KeptKeys, keep, patched
from kg.resident import Resident
from tests.test_identity import _make_corpus
from tests.test_rekey import HEADS, _article, _whole


def _pages(site: Site) -> dict[str, str]:
    """Every entity page's data and the whole graph's, as JSON."""
    store = site.store
    found = {}
    for node in sorted(site.pages):
        kind = store.node_data[node]["type"]
        members = org_members(store, node) if kind == NodeType.ORGANISATION else person_members(store, node)
        found[node] = str(site.page_data(members, members, focus=node).json)
    found["whole graph"] = str(whole_graph(site, limit=20)[0].json)
    return found


def _kept(result: BuildResult) -> tuple[StoreKeys, KeptKeys]:
    """The store's keys worked out whole, with its articles' TriG keys, and what a resident
    keeps of them."""
    assert result.sources is not None
    keys = _whole(result.store)
    keys.described = described_keys(result.store, keys)
    kept = keep(result.store, keys, result.sources)
    assert kept is not None
    return keys, kept


def _builds(tmp_path: Path, corpus: Path, changes: list[Callable[[], None]]) -> None:
    """Build ``corpus`` in a resident process, then again after each change, checking what each
    build carried from the last against what a new Site and whole keys give."""
    resident = Resident()
    with closing(FactCache(tmp_path / "facts.sqlite")) as cache, carrying():
        first = build_store(corpus, cache=cache, release=True, resident=resident)
        keys, last = _kept(first)
        install_keys(first.store, keys)
        site = Site(first.store)
        site.carry_over(keys)  # keys worked out whole: nothing to take, everything to keep
        site.fill()
        site.hand_over(keys)
        for change in changes:
            change()
            now = build_store(corpus, cache=cache, release=True, resident=resident)
            store = now.store
            assert now.sources is not None and store.patch is not None  # patched
            found = patched(last, store, now.sources)
            assert found is not None and found.change is not None
            # Every article's TriG key, as worked out whole.
            assert found.described == described_keys(store, found)
            install_keys(store, found)
            carried = Site(store)
            carried.carry_over(found)
            assert carried._facts  # something was carried: what the test is for
            whole = Site(store)
            # Every entry carried is what a new Site works out (those of nodes and edges since
            # gone are let go), before any page asks for one.
            for node, meta in carried._meta.items():
                assert node in store.node_data and meta == whole.meta_json(node), node
            for node, listing in carried._listings.items():
                assert node in store.node_data and listing == whole.listing(node), node
            for (s, o, relation), fact in carried._facts.items():
                data = store.succ[s][o][relation]
                assert fact == whole.fact_json(s, o, relation, data), (s, o, relation)
            assert _pages(carried) == _pages(whole)
            # What pages read of the whole store, carried with the change's nodes worked out again.
            assert carried.degree == whole.degree == dict(store.graph.degree())
            assert (carried.articles, carried.article_nodes) == (whole.articles, whole.article_nodes)
            assert carried.pages == whole.pages
            carried.fill()
            carried.hand_over(found)
            last = keep(store, found, now.sources)  # type: ignore[assignment]
        release_keys()


def test_what_is_carried_is_what_is_worked_out_after_a_day_of_changes(tmp_path: Path) -> None:
    _make_corpus().write(tmp_path, 150, 17)  # type: ignore[attr-defined]
    corpus = tmp_path / "corpus"
    made = _make_corpus()

    def change(seed: int) -> Callable[[], None]:
        # New, rewritten, corrected, deleted, renamed and reflowed files.
        return lambda: made.change(corpus, 0.06, seed)  # type: ignore[attr-defined]

    _builds(tmp_path, corpus, [change(1), change(2)])


def test_what_is_carried_follows_a_tenure_ended_by_an_article_naming_another(tmp_path: Path) -> None:
    """HEADS: the third article ends the first head's tenure, and with it what his holding
    carries (``current``) into the graphs of the two articles that name him."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, title, text in HEADS[:2]:
        _article(corpus / name, title, text)

    def appoint() -> None:
        _article(corpus / HEADS[2][0], *HEADS[2][1:])

    _builds(tmp_path, corpus, [appoint])
    # The holding whose ``current`` the third article ends is among what the patch said changed.
    resident = Resident()
    with closing(FactCache(tmp_path / "facts2.sqlite")) as cache:
        (corpus / HEADS[2][0]).unlink()
        build_store(corpus, cache=cache, release=True, resident=resident)
        appoint()
        store = build_store(corpus, cache=cache, release=True, resident=resident).store
    head = next(n for n, d in store.node_data.items() if d["label"] == "王建国")
    held = [(head, post) for post, keyed in store.succ[head].items() if Relation.HOLDS in keyed]
    assert held and store.patch is not None and set(held) <= store.patch.carried


def test_a_post_carried_shows_its_organisations_new_name(tmp_path: Path) -> None:
    """A post's label names its organisation and a meeting's its organiser (``display_label``):
    an organisation the change touched makes the JSON of its posts and meetings again, though
    they were not touched themselves."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, title, text in HEADS[:2]:
        _article(corpus / name, title, text)
    with closing(FactCache(tmp_path / "facts.sqlite")) as cache, carrying():
        store = build_store(corpus, cache=cache, release=True).store
        last = _whole(store)
        site = Site(store)
        site.carry_over(last)
        site.fill()
        site.hand_over(last)
        post = next(n for n, d in store.node_data.items() if d["type"] == NodeType.POST)
        (org,) = [o for o, keyed in store.succ[post].items() if Relation.POST_IN in keyed]
        store.node_data[org]["label"] = "青山医院"  # as if a changed article had named it so
        # A meeting's label names its organiser, the other way along an edge.
        meeting = next(n for n, d in store.node_data.items() if d["type"] == NodeType.MEETING)
        (organiser,) = [s for s, keyed in store.pred[meeting].items() if Relation.HELD in keyed]
        store.node_data[organiser]["label"] = "青山医院"
        keys = _whole(store)
        keys.change = Change(last.generation, frozenset({org, organiser}))
        carried = Site(store)
        carried.carry_over(keys)
        assert carried._facts  # the post's facts are carried: it was not touched
        assert "青山医院" in str(carried.meta_json(post))
        assert carried.meta_json(post) == Site(store).meta_json(post)
        assert "青山医院" in carried.listing(post)[1]  # the whole graph's search index
        assert carried.listing(post) == Site(store).listing(post)
        assert meeting not in {org, organiser} and "青山医院" in str(carried.meta_json(meeting))
        assert carried.meta_json(meeting) == Site(store).meta_json(meeting)
