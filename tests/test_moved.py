"""Files read before under another name or spacing: their facts are taken over from the cache, as
extracting them again would give them (kg/moved.py), and the exports are a cold build's."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.pipeline
from kg.build import build
from kg.cli import cli
from kg.exporting import differing_exports
from kg.model import ArticleFacts
from kg.moved import spacing_free_digest, taken_over, with_id
from kg.pipeline import extract_article, load_file
from tests.conftest import CORPUS

DEV = CORPUS.parent.parent / "shared" / "dev" / "articles"


def _articles() -> list[Path]:
    return sorted(CORPUS.glob("*.txt")) + sorted(DEV.glob("*.txt"))


@pytest.mark.parametrize("path", _articles(), ids=lambda p: p.name)
def test_facts_taken_over_are_those_extracted_under_the_new_name(path: Path) -> None:
    data = path.read_bytes()
    before = next(load_file(path, data=data, name=path.name))
    after = next(load_file(path, data=b"\r\n\n" + data.replace(b"\n", b"\r\n"), name=f"moved/{path.name}"))
    assert not isinstance(before, kg.model.Skipped) and not isinstance(after, kg.model.Skipped)
    assert after.line_map != before.line_map  # the raw offsets moved; extraction does not read them
    extracted = extract_article(before)
    assert extracted.facts, path.name
    taken = with_id(extracted, after)
    fresh = extract_article(after)
    assert taken.facts == fresh.facts
    assert all(f.evidence.article_id == after.id == f.subject.article_id for f in taken.facts)
    assert (taken.home_org, taken.org_names, taken.abbreviations) == (
        fresh.home_org,
        fresh.org_names,
        fresh.abbreviations,
    )


def test_an_article_that_reads_otherwise_is_not_taken_over() -> None:
    """Lines joined: the same bytes but for spacing, and another text (one paragraph, not two)."""
    two = "市卫生健康委员会召开工作会议\n2024年3月1日,市卫生健康委员会召开工作会议。\n主任王明主持会议。\n"
    one = two.replace("。\n主任", "。主任")
    assert spacing_free_digest(two.encode()) == spacing_free_digest(one.encode())
    path = Path("a.txt")
    first = next(load_file(path, data=two.encode(), name="a.txt"))
    second = next(load_file(path, data=one.encode(), name="b.txt"))
    assert isinstance(first, kg.model.Article) and isinstance(second, kg.model.Article)
    assert first.text != second.text
    before = [(extract_article(first), b"")]
    assert taken_over(before, [second]) is None
    assert taken_over(before, [replace(first, id="b.txt")]) is not None
    assert taken_over(before, []) is None  # another number of articles


def test_a_corpus_moved_into_folders_is_not_extracted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "corpus"
    shutil.copytree(CORPUS, work)
    out = tmp_path / "out"
    first = build(work, out)
    assert first.taken_over == 0
    texts = sorted(work.glob("*.txt"))
    (work / "2021").mkdir()
    for path in texts[:3]:
        path.rename(work / "2021" / path.name)
    texts[3].write_bytes(b"\n" + texts[3].read_bytes())  # reflowed: a blank line first
    kept = texts[4].read_text(encoding="utf-8")
    texts[4].write_text(kept + "院长王明主持会议。\n", encoding="utf-8")  # corrected: read again

    extracted: list[str] = []

    def counted(article: kg.model.Article, **kwargs: object) -> ArticleFacts:
        extracted.append(article.id)
        return extract_article(article, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.pipeline, "extract_article", counted)
    again = build(work, out)
    assert again.taken_over == 4
    assert extracted == [texts[4].name]
    monkeypatch.undo()
    cold = build(work, tmp_path / "cold", cache=False)
    assert again.counts == cold.counts
    assert differing_exports(out, tmp_path / "cold") == []


def test_kg_build_says_how_many_files_it_took_over(tmp_path: Path) -> None:
    work = tmp_path / "corpus"
    shutil.copytree(CORPUS, work)
    command = ["build", str(work), "--out", str(tmp_path / "out"), "--format", "ttl"]
    first = CliRunner().invoke(cli, command)
    assert first.exit_code == 0, first.output
    assert "moved:" not in first.output
    # Into a folder: its metadata record (title, date) is found by its file name still. The
    # renamed one has none now, so its article reads otherwise: it is extracted.
    moved, renamed = sorted(work.glob("*.txt"))[:2]
    (work / "2021").mkdir()
    moved.rename(work / "2021" / moved.name)
    renamed.rename(work / f"renamed-{renamed.name}")
    again = CliRunner().invoke(cli, command)
    assert again.exit_code == 0, again.output
    assert "moved: 1 files read before under another name" in again.output


def test_an_entry_read_back_in_another_shape_is_not_taken_over(tmp_path: Path) -> None:
    """The cache is read back as data: an entry found by a file's bytes that holds no facts of
    the model's shape means the file is extracted, as if none were found."""
    from kg.cache import FactCache, alike_key
    from kg.moved import spacing_free_digest
    from kg.pipeline import Read
    from kg.text.load import MAX_BYTES

    work = tmp_path / "corpus"
    work.mkdir()
    story = sorted(CORPUS.glob("*.txt"))[0]
    data = story.read_bytes()
    cache = FactCache(tmp_path / "out" / ".kg-cache" / "facts.sqlite")
    options: dict[str, object] = {"only": [], "max_bytes": MAX_BYTES}
    crafted = [Read("no facts here", b"")]  # type: ignore[arg-type]  # what a damaged cache may hold
    cache.put("elsewhere", crafted, [], None, alike_key(spacing_free_digest(data), options))  # type: ignore[arg-type]
    cache.commit()
    cache.close()
    (work / story.name).write_bytes(data)
    built = build(work, tmp_path / "out", formats=("ttl",))
    assert built.taken_over == 0 and not built.corpus.skipped and built.corpus.fact_counts[story.name] > 0
