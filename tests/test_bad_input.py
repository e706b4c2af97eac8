"""Each kind of broken file an independent probe found (issue #18, item 2 and 5): none stops the
build, a damaged one is read with what it holds, a hopeless one is skipped with its reason."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from kg.build import build

STORY = (
    "江北市第一人民医院召开院务工作会议\n"
    "3月3日上午,江北市第一人民医院召开院务工作会议。党委书记钱文涛讲话,院长陈思远主持会议。\n"
)
FACTS = 7  # what the clean story gives: held, 2 holds, 2 post_in, spoke, presided


def _jsonl(*records: str) -> bytes:
    return "".join(r + "\n" for r in records).encode("utf-8")


def _record(text: str, title: str = "院务会") -> str:
    return json.dumps({"title": title, "text": text}, ensure_ascii=False)


def _variant(n: int) -> str:
    """The story at another hospital, so that no two files are the same text."""
    return STORY.replace("第一", f"第{'二三四五六七八九十'[n % 9]}").replace("院务", "院务" + "新" * (n // 9))


def _traditional(text: str) -> str:
    import zhconv

    converted: str = zhconv.convert(text, "zh-hant")
    return converted


# name → (bytes, what must happen: "read" with every fact of the story, or a reason it was skipped)
CASES: dict[str, tuple[bytes, str]] = {
    "top_level_number.json": (json.dumps({"articles": 5}).encode(), "expected a list of articles"),
    "null.json": (b"null", "expected a list of articles"),
    "deep.json": (b"[" * 200_000 + b"]" * 200_000, "nested too deep"),
    "huge_integer.json": (('{"text": "x", "n": ' + "9" * 5000 + "}").encode(), "not usable JSON"),
    "bom_then_gbk.txt": (codecs.BOM_UTF8 + _variant(0).encode("gbk"), "read"),
    "surrogate.jsonl": (_jsonl(_record(_variant(1)).replace("院务会", "\\ud800院务会")), "read"),
    "one_bad_byte.txt": (_variant(2).encode()[:41] + b"\xff" + _variant(2).encode()[41:], "read"),
    "truncated.txt": (_variant(3).encode()[:-2], "read"),
    "line_separator.jsonl": (_jsonl(_record(_variant(4) + "\u2028更多内容")), "read"),
    "nul_line.jsonl": (_jsonl(_record(_variant(5))) + b"\x00\x00\n" + _jsonl(_record(_variant(6))), "read"),
    "utf16_no_bom.txt": (_variant(7).encode("utf-16-le"), "read"),
    "one_line.txt": (_variant(8).replace("\n", "").encode(), "read"),
    # traditional Chinese: in Big5, and in UTF-8 (a Hong Kong page)
    "big5.txt": (_traditional(_variant(9)).encode("big5"), "read"),
    "traditional.txt": (_traditional(_variant(10)).encode("utf-8"), "read"),
    "traditional.jsonl": (_jsonl(_record(_traditional(_variant(11)), title="院務會議")), "read"),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("bad")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, (data, _) in CASES.items():
        (corpus / name).write_bytes(data)
    (corpus / os.fsdecode(b"bad_\xff_name.txt")).write_bytes(STORY.encode())
    (corpus / "metadata.jsonl").write_bytes(b'{"file": "one_line.txt", "date": "2023-03-03"}\n{broken\n')
    build(corpus, root / "out", formats=("ttl", "json", "html"))
    return json.loads((root / "out" / "report.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_broken_file(report: dict[str, list[dict[str, object]]], name: str) -> None:
    expected = CASES[name][1]
    read = {str(r["file"]).split("#")[0]: r for r in report["read"]}
    skipped = [str(s["reason"]) for s in report["skipped"] if Path(str(s["file"])).name == name]
    if expected == "read":
        assert name in read, skipped
        assert read[name]["facts"] == FACTS, read[name]
    else:
        assert name not in read and any(expected in reason for reason in skipped), skipped


def test_a_damaged_utf8_file_says_how_many_bytes_were_replaced(
    report: dict[str, list[dict[str, object]]],
) -> None:
    encodings = {str(r["file"]): str(r["encoding"]) for r in report["read"]}
    assert "replaced" in encodings["one_bad_byte.txt"] and "replaced" in encodings["truncated.txt"]


def test_a_nul_spoils_its_line_only(report: dict[str, list[dict[str, object]]]) -> None:
    assert {str(r["file"]) for r in report["read"]} >= {"nul_line.jsonl#1", "nul_line.jsonl#3"}
    assert any("line 2: NUL" in str(s["reason"]) for s in report["skipped"])


def test_a_file_name_that_is_not_utf8_and_a_bad_metadata_line_are_reasons_not_failures(
    report: dict[str, list[dict[str, object]]],
) -> None:
    reasons = {str(s["file"]).rsplit("/", 1)[-1]: str(s["reason"]) for s in report["skipped"]}
    assert "not valid UTF-8" in reasons["bad_\ufffd_name.txt"]
    assert "metadata line not used" in reasons["metadata.jsonl:2"]
    dates = {str(r["file"]): str(r["published"]) for r in report["read"]}
    assert dates["one_line.txt"] == "2023-03-03"  # its good metadata line still counts


def test_a_site_folder_left_by_a_killed_build_is_cleared(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    (out / ".views.x1y2.tmp" / "data").mkdir(parents=True)
    (out / ".views.x1y2.tmp" / "data" / "0.js").write_text("half", encoding="utf-8")
    (out / ".graph.ttl.abc.tmp").write_text("half", encoding="utf-8")
    build(corpus, out, formats=("ttl", "html"))
    assert not list(out.glob(".*.tmp")) and (out / "views").is_dir() and (out / "graph.ttl").is_file()


def test_articles_are_known_by_their_path_and_records_by_their_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for folder, n in (("a", 0), ("b", 1)):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "news.txt").write_text(_variant(n), encoding="utf-8")
    # A record whose own id is another article's file name stays the feed's.
    (corpus / "feed.jsonl").write_bytes(
        _jsonl(json.dumps({"id": "a/news.txt", "title": "t", "text": _variant(2)}, ensure_ascii=False))
    )
    result = build(corpus, tmp_path / "out", formats=("ttl",))
    ids = sorted(item.article.id for item in result.corpus.articles)
    assert ids == ["a/news.txt", "b/news.txt", "feed.jsonl#a/news.txt"]
    from rdflib import Graph

    Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")  # the ids make valid IRIs


def test_a_build_inside_its_corpus_never_reads_its_own_output(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(STORY, encoding="utf-8")
    first = build(corpus, corpus / "exports", formats=("json", "html"))
    (corpus / "exports" / "graph.html").touch()  # nothing changed that matters: still one article
    (corpus / "b.txt").write_text(_variant(0), encoding="utf-8")
    second = build(corpus, corpus / "exports", formats=("json", "html"))
    assert first.counts["read"] == 1 and second.counts["read"] == 2 and not second.corpus.skipped


def test_what_lies_in_the_output_folder_is_left_out_by_its_real_path(tmp_path: Path) -> None:
    """A link into the output folder is left out, and a folder whose name merely begins with
    the output folder's is read."""
    from kg.pipeline import corpus_files

    corpus = tmp_path / "corpus"
    (corpus / "exports").mkdir(parents=True)
    (corpus / "exports-2023").mkdir()
    (corpus / "exports" / "old.txt").write_text(STORY, encoding="utf-8")
    (corpus / "exports-2023" / "kept.txt").write_text(STORY, encoding="utf-8")
    (corpus / "a.txt").write_text(STORY, encoding="utf-8")
    (corpus / "link.txt").symlink_to(corpus / "exports" / "old.txt")
    found = [p.relative_to(corpus).as_posix() for p in corpus_files(corpus, corpus / "exports")]
    assert found == ["a.txt", "exports-2023/kept.txt"]
    assert len(corpus_files(corpus)) == 4  # nothing left out without an output folder


def test_a_stuck_article_is_skipped_within_its_budget_and_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An extractor that never returns (a stand-in for any pathological text) costs the budget,
    then the article is a skip with its reason; the other articles are read."""
    import time

    from kg import budget, extractors
    from kg.engine import LocalEngine

    def stuck(doc: object) -> object:
        if "卡住" in getattr(doc, "text", ""):
            while True:
                time.sleep(0.01)
        return iter(())

    monkeypatch.setattr(budget, "BASE_SECONDS", 0.5)
    monkeypatch.setitem(extractors.EXTRACTORS, "stuck", stuck)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fine.txt").write_text(STORY, encoding="utf-8")
    (corpus / "stuck.txt").write_text(_variant(0) + "会议卡住了。\n", encoding="utf-8")
    clock = time.perf_counter()
    result = build(corpus, tmp_path / "out", formats=("json",), engine=LocalEngine(1))
    assert time.perf_counter() - clock < 20
    assert [item.article.id for item in result.corpus.articles] == ["fine.txt"]
    (reason,) = [s.reason for s in result.corpus.skipped]
    assert "budget" in reason and "stuck" in reason
    (tmp_path / "out" / "graph.json").unlink()  # so that the next build does not stop at "unchanged"
    again = build(corpus, tmp_path / "out", formats=("json",), engine=LocalEngine(1))
    assert again.cache_hits == 1 and len(again.corpus.skipped) == 1  # tried again, not cached
