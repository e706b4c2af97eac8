"""kg/rekey.py: a rebuild's store keys worked out where its change reached equal the keys worked
out whole, after every kind of change a day's news makes, and after one that reaches a node no
changed article names (a single-holder post's earlier holder)."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from kg.build import BuildResult, build_store
from kg.cache import FactCache
from kg.exporters.sections import StoreKeys, description_digests, node_digests, section_keys
from kg.model import Relation
from kg.rekey import KeptKeys, keep, patched, touched
from kg.resident import Resident
from kg.store import GraphStore
from tests.test_identity import _make_corpus


def _whole(store: GraphStore) -> StoreKeys:
    digests, descriptions = node_digests(store), description_digests(store)
    return StoreKeys(digests, section_keys(store, digests, descriptions), descriptions)


def _read(corpus: Path, cache: FactCache) -> BuildResult:
    return build_store(corpus, cache=cache, release=True, resident=Resident())


def _kept(result: BuildResult) -> KeptKeys:
    assert result.sources is not None
    kept = keep(result.store, _whole(result.store), result.sources)
    assert kept is not None
    return kept


def _assert_patched_is_whole(last: KeptKeys, result: BuildResult) -> StoreKeys:
    assert result.sources is not None
    keys = patched(last, result.store, result.sources)
    assert keys is not None
    whole = _whole(result.store)
    for name in ("digests", "descriptions", "sections"):
        found, expected = getattr(keys, name), getattr(whole, name)
        assert found == expected, name
        assert list(found) == list(expected), name  # in the order a whole walk gives
    return keys


def test_patched_keys_are_the_whole_keys_after_a_day_of_changes(tmp_path: Path) -> None:
    _make_corpus().write(tmp_path, 150, 11)  # type: ignore[attr-defined]
    corpus = tmp_path / "corpus"
    with closing(FactCache(tmp_path / "facts.sqlite")) as cache:
        first = _read(corpus, cache)
        last = _kept(first)
        for seed in (1, 2, 3):
            # New, rewritten, corrected, deleted, renamed and reflowed files.
            _make_corpus().change(corpus, 0.06, seed)  # type: ignore[attr-defined]
            now = _read(corpus, cache)
            assert now.sources is not None
            keys = _assert_patched_is_whole(last, now)
            reached = touched(last, now.store, now.sources)
            changed = {n for n, d in keys.digests.items() if last.digests.get(n) != d}
            assert changed and changed <= reached
            assert len(reached) < len(now.store.node_data) / 2  # what it is for: not the whole graph
            last = keep(now.store, keys, now.sources)  # type: ignore[assignment]
            assert last is not None


_HOSPITAL = "青山市人民医院"
# Appointed in 2020, seen in office in 2021; a new 院长 appointed in 2022 ends that tenure
# (inferred), in an article that never names the first. The third is worded apart from the
# first, so that it is not its near-duplicate (which would change the first).
HEADS = [
    (
        "a1.txt",
        f"{_HOSPITAL}召开干部大会",
        f"2020年3月2日,{_HOSPITAL}召开干部大会。会议宣布,任命王建国为{_HOSPITAL}院长。",
    ),
    (
        "a2.txt",
        f"{_HOSPITAL}召开年度工作会议",
        f"2021年1月8日,{_HOSPITAL}召开年度工作会议。{_HOSPITAL}院长王建国主持会议并讲话。",
    ),
    (
        "a3.txt",
        f"{_HOSPITAL}新任院长见面会召开",
        f"2022年6月1日上午,市卫生健康委在{_HOSPITAL}宣布干部任职决定:李华明同志任{_HOSPITAL}院长。",
    ),
]


def _article(path: Path, title: str, text: str) -> None:
    path.write_text(f"{title}\n{text}\n", encoding="utf-8")


def test_a_new_head_reaches_the_last_head_no_changed_article_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HEADS: the third article ends the tenure the first two make, naming neither its holder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, title, text in HEADS[:2]:
        _article(corpus / name, title, text)
    with closing(FactCache(tmp_path / "facts.sqlite")) as cache:
        last = _kept(_read(corpus, cache))
        _article(corpus / HEADS[2][0], *HEADS[2][1:])
        now = _read(corpus, cache)
        store = now.store
        first_head = next(n for n, d in store.node_data.items() if d["label"] == "王建国")
        assert "a3.txt" not in store.node_data[first_head]["articles"]
        assert now.sources is not None
        assert [a for a, key in now.sources.keys.items() if last.sources.keys.get(a) != key] == ["a3.txt"]
        holdings = [
            d for keyed in store.succ[first_head].values() for r, d in keyed.items() if r == Relation.HOLDS
        ]
        assert [d["tenures"][-1]["end_by"] for d in holdings] == ["inferred"]
        _assert_patched_is_whole(last, now)
        # Without the holders of single-holder posts, the first head keeps a stale digest.
        monkeypatch.setattr("kg.rekey._holders", lambda store, posts=None: {})
        last.holders = {}
        assert now.sources is not None
        stale = patched(last, store, now.sources)
        assert stale is not None and stale.digests[first_head] != _whole(store).digests[first_head]
