"""Near-duplicate stories (kg/text/dedupe.py): the same story reposted with another header or
footer is one story; the verdict on each pair compared is kept, so that a rebuild compares
again only the pairs a changed article is in."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build import build
from kg.model import Article
from kg.text import dedupe
from kg.text.dedupe import near_duplicate_groups

STORY = (
    "本报讯 三月五日下午,东湖区人民医院召开二〇二四年度党风廉政建设工作会议。院长陈立明主持会议,"
    "党委书记王海燕作工作报告,全体中层干部参加会议。会议指出,要以高质量党建引领医院高质量发展,"
    "全年门诊量力争突破八十万人次,三级手术占比提高到百分之四十。会议要求各科室压实责任,"
    "抓好医疗质量安全核心制度落实,持续改善患者就医体验。"
)
OTHER = (
    "本报讯 四月十二日上午,西岭县卫生健康委员会召开全县基层卫生工作推进会。主任刘志强出席会议并讲话,"
    "副主任张慧主持会议。会议部署了家庭医生签约服务和基层医疗机构能力提升等重点任务,"
    "要求年内实现乡镇卫生院远程会诊全覆盖。"
)


def _articles() -> list[Article]:
    return [
        Article(
            "a.txt",
            "东湖区人民医院召开党风廉政建设工作会议",
            "东湖区人民医院召开党风廉政建设工作会议\n" + STORY,
        ),
        Article(
            "b.txt",
            "转载:党风廉政建设工作会议召开",
            "转载:党风廉政建设工作会议召开\n" + STORY + "(来源:东湖区人民医院)",
        ),
        Article("c.txt", "西岭县召开基层卫生工作推进会", "西岭县召开基层卫生工作推进会\n" + OTHER),
        Article("d.txt", "东湖区人民医院召开会议", "东湖区人民医院召开会议\n" + STORY[:60] + OTHER),
    ]


def test_kept_verdicts_give_the_same_stories_without_comparing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _articles()
    verdicts: dict[bytes, bool] = {}
    first = near_duplicate_groups(articles, verdicts=verdicts)
    assert first == near_duplicate_groups(articles)
    assert first["b.txt"] == "a.txt" and first["c.txt"] == "c.txt"
    assert True in verdicts.values()  # the repost was compared exactly, and said similar

    def compared(article: Article) -> None:
        raise AssertionError(f"{article.id} compared again")

    monkeypatch.setattr(dedupe, "shingles", compared)
    assert near_duplicate_groups(articles, verdicts=dict(verdicts)) == first


def test_a_verdict_is_for_the_pair_as_it_reads() -> None:
    """A changed title or text is another pair: its kept verdict is not taken for it."""
    articles = _articles()
    verdicts: dict[bytes, bool] = {}
    near_duplicate_groups(articles, verdicts=verdicts)
    lying = dict.fromkeys(verdicts, False)  # every pair compared before, said apart
    assert near_duplicate_groups(articles, verdicts=lying)["b.txt"] == "b.txt"  # the verdicts are read
    edited = [*articles[:1], Article("b.txt", "转载", "转载\n" + STORY + "(来源:本院)"), *articles[2:]]
    assert near_duplicate_groups(edited, verdicts=dict(lying))["b.txt"] == "a.txt"


def test_a_rebuild_keeps_the_verdicts_its_articles_still_need(tmp_path: Path) -> None:
    """The build's cache keeps a verdict for each pair compared; the next build reads them and
    keeps those it asked for; a verdict for articles no longer there is dropped."""
    from kg.cache import FactCache

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for article in _articles():
        (corpus / article.id).write_text(article.text, encoding="utf-8")
    out = tmp_path / "out"
    first = build(corpus, out, formats=("json",))
    assert first.corpus.near_duplicates
    cache = FactCache(out / ".kg-cache" / "facts.sqlite")
    kept = cache._db.execute("SELECT key, same FROM similar").fetchall()
    cache.close()
    assert kept and {same for _, same in kept} <= {0, 1}
    shutil.copy(corpus / "a.txt", tmp_path / "a.txt")
    (corpus / "a.txt").unlink()
    (corpus / "b.txt").unlink()
    build(corpus, out, formats=("json",))
    cache = FactCache(out / ".kg-cache" / "facts.sqlite")
    after = cache._db.execute("SELECT key, same FROM similar").fetchall()
    cache.close()
    assert len(after) < len(kept)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 12), st.integers(0, 2**32), st.integers(1, 3))
def test_shared_buckets_are_the_rows_agreeing_on_a_band(count: int, seed: int, spread: int) -> None:
    """Every band's buckets, found by sorting, are exactly the groups of two or more rows with
    that band's values equal, each ascending (few values, so rows share bands often)."""
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, spread + 1, size=(count, dedupe._PERMUTATIONS), dtype=np.uint64)
    rows = dedupe._PERMUTATIONS // dedupe._BANDS
    expected: dict[tuple[int, bytes], list[int]] = {}
    for i in range(count):
        for band in range(dedupe._BANDS):
            expected.setdefault((band, matrix[i, band * rows : (band + 1) * rows].tobytes()), []).append(i)
    wanted = sorted(tuple(m) for m in expected.values() if len(m) > 1)
    assert sorted(tuple(m) for m in dedupe.shared_buckets(matrix)) == wanted
