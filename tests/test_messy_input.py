"""Messy real-world input: clear reasons, nothing lost, nothing half-written."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.build import build
from kg.errors import InputError
from kg.model import Relation
from kg.pipeline import extract_article
from kg.text.clean import clean
from kg.text.load import load_article
from tests.conftest import CORPUS


def story(hospital: str, chair: str, speaker: str, day: int) -> str:
    return (
        f"{hospital}召开第{day}次院务工作会议\n"
        f"3月{day}日上午,{hospital}召开第{day}次院务工作会议。党委书记{speaker}讲话,院长{chair}主持会议。\n"
        f"{speaker}强调,要力争年内通过三级甲等医院评审,确保医疗质量安全。\n"
    )


GOOD = {
    "utf8.txt": ("江北市第一人民医院", "陈思远", "钱文涛", 3),
    "gbk.txt": ("江南市中心医院", "黄晓梅", "邓子健", 4),
    "bom.txt": ("河西县人民医院", "孙丽娜", "冯立群", 5),
    "utf16.txt": ("河东区中医院", "高志强", "赵立新", 6),
    "page.html": ("城北区妇幼保健院", "欧阳明远", "司马文涛", 8),
}


def write_corpus(root: Path) -> None:
    for name, args in GOOD.items():
        text = story(*args)
        path = root / name
        if name == "utf8.txt":
            path.write_text(text, encoding="utf-8")
        elif name == "gbk.txt":
            path.write_bytes(text.encode("gbk"))
        elif name == "bom.txt":
            path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
        elif name == "utf16.txt":
            path.write_bytes(text.encode("utf-16"))
        elif name == "page.html":
            title, body = text.split("\n", 1)
            paragraphs = "".join(f"<p>{line}</p>" for line in body.splitlines())
            path.write_text(
                f"<!DOCTYPE html><html><head><title>{title}</title>"
                "<script>var menu = ['首页', '医院概况'];</script></head><body>"
                "<ul class='nav'><li><a href='/'>首页</a></li><li><a href='/news'>新闻中心</a></li></ul>"
                f"<div class='content'><h1>{title}</h1><div class='date'>发布时间:2023-03-09</div>{paragraphs}</div>"
                "<div class='footer'>版权所有 咨询电话:0731-88888888</div></body></html>",
                encoding="utf-8",
            )
    sub = root / "scraped"
    sub.mkdir()
    records = [
        {
            "title": "江北市第二人民医院召开第9次院务工作会议",
            "date": "2023-03-10",
            "url": "https://example.org/a",
            "text": story("江北市第二人民医院", "何伟东", "罗晓峰", 9),
        },
        {"title": "无正文", "date": "2023-03-10"},
    ]
    (sub / "feed.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n{broken\n", encoding="utf-8"
    )
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (root / "english.txt").write_text("Hospital news, but in English only.", encoding="utf-8")
    (root / "huge.txt").write_text(
        story("江北市第三人民医院", "陈思远", "钱文涛", 3) * 20000, encoding="utf-8"
    )
    (root / "utf8_copy.txt").write_bytes((root / "utf8.txt").read_bytes())
    # The same story reposted with another headline, dateline and footer.
    repost = "转载:" + story(*GOOD["utf8.txt"]).replace("\n", "\n来源:江北日报\n", 1) + "责任编辑:王某\n"
    (root / "z_repost.txt").write_text(repost, encoding="utf-8")


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("messy")
    corpus = root / "corpus"
    corpus.mkdir()
    write_corpus(corpus)
    out = root / "out"
    build(corpus, out, formats=("ttl", "json"), max_bytes=1_000_000)
    return corpus, out, json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_every_good_article_is_read_with_its_facts(messy: tuple[Path, Path, dict[str, Any]]) -> None:
    _, out, report = messy
    read = {r["file"]: r for r in report["read"]}
    for name in GOOD:
        assert name in read, name
    assert read["gbk.txt"]["encoding"] == "gb18030"
    assert read["utf16.txt"]["encoding"] == "utf-16"
    assert read["bom.txt"]["encoding"] == "utf-8-sig"
    assert read["page.html"]["published"] == "2023-03-09"
    assert "scraped/feed.jsonl#1" in read  # known by its path under the corpus folder
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    people = {n["label"] for n in graph["nodes"] if n["type"] == "person"}
    for _, chair, speaker, _ in GOOD.values():
        assert {chair, speaker} <= people
    assert {"何伟东", "罗晓峰"} <= people
    assert "首页" not in json.dumps(graph, ensure_ascii=False)


def test_every_bad_file_has_its_reason(messy: tuple[Path, Path, dict[str, Any]]) -> None:
    _, _, report = messy
    reasons = {Path(s["file"]).name: s["reason"] for s in report["skipped"]}
    assert reasons["empty.txt"] == "empty file"
    assert "white space" in reasons["blank.txt"]
    assert "binary" in reasons["image.txt"]
    assert "no Chinese" in reasons["english.txt"]
    assert "limit" in reasons["huge.txt"]
    assert "duplicate of utf8.txt" in reasons["utf8_copy.txt"]
    feed = [s["reason"] for s in report["skipped"] if s["file"].endswith("feed.jsonl")]
    assert any("line 2" in r and "text" in r for r in feed) and any(
        "line 3" in r and "JSON" in r for r in feed
    )


def test_a_repost_is_merged_with_evidence_from_both(messy: tuple[Path, Path, dict[str, Any]]) -> None:
    _, out, report = messy
    read = {r["file"]: r for r in report["read"]}
    assert read["z_repost.txt"]["same_story_as"] == "utf8.txt"
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    held = [
        e
        for e in graph["links"]
        if e["key"] == Relation.HELD and "第3次院务工作会议" in json.dumps(e, ensure_ascii=False)
    ]
    assert len(held) == 1
    assert {ev["article"] for ev in held[0]["evidence"]} == {"utf8.txt", "z_repost.txt"}


def test_the_build_never_touches_the_corpus(tmp_path: Path) -> None:
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in CORPUS.rglob("*") if p.is_file()}
    build(CORPUS, tmp_path / "out", formats=("ttl",))
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in CORPUS.rglob("*") if p.is_file()}
    assert before == after


def _a_corpus_and_old_exports(tmp_path: Path, copies: int) -> tuple[Path, Path, dict[str, str]]:
    """``copies`` of the bundled corpus, and an output folder holding an earlier build's exports
    (marked, so that a test can tell old from new) and its report."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(copies):
        for src in sorted(CORPUS.glob("*.txt")):
            (corpus / f"{i:03d}_{src.name}").write_text(
                src.read_text(encoding="utf-8") + f"\n第{i}号稿件。", encoding="utf-8"
            )
    out = tmp_path / "out"
    out.mkdir()
    previous = {
        name: f"previous {name}\n" for name in ("graph.ttl", "graph.trig", "graph.json", "graph.html")
    }
    for name, text in previous.items():
        (out / name).write_text(text, encoding="utf-8")
    (out / "report.json").write_text("{}", encoding="utf-8")
    return corpus, out, previous


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_build_killed_while_exporting_leaves_the_previous_exports_whole(tmp_path: Path, how: int) -> None:
    corpus, out, previous = _a_corpus_and_old_exports(tmp_path, 60)  # exporting takes a moment
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob(".*.tmp")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, how)
    proc.wait()
    assert proc.returncode in (-how, 128 + how), "the build finished before it could be killed"
    for name, text in previous.items():
        assert (out / name).read_text(encoding="utf-8") == text, f"{name} was half-written"
    # No report beside exports it does not describe: the killed build had taken the old one away.
    assert not (out / "report.json").exists()
    if how == signal.SIGTERM:
        assert not list(out.glob(".*.tmp")), "a terminated build cleans up after itself"
    # The next build cleans up what the killed one left and writes everything.
    build(CORPUS, out, formats=("ttl",))
    assert not list(out.glob(".*.tmp"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_random_bytes_never_crash_the_loader(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    try:
        article = load_article(path)
    except InputError:
        return
    extract_article(article)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
    | st.text(
        alphabet="党委书记院长主持会议召开讲话出席王李张欧阳明远市卫健委医院、,。《》“”「」1234年月日要力争确保",
        max_size=300,
    )
)
def test_random_text_never_crashes_the_extractors(text: str) -> None:
    article = clean("x.txt", text)
    item = extract_article(article)
    for fact in item.facts:
        assert 0 <= fact.evidence.sentence.start <= fact.evidence.sentence.end <= len(article.text)


def test_a_second_build_into_the_same_folder_refuses_while_the_first_runs(tmp_path: Path) -> None:
    from kg.errors import KgError

    out = tmp_path / "out"
    out.mkdir()
    # Another process holds the lock, as a running build does.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from kg.lock import output_lock\n"
            "with output_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(KgError, match=rf"another build \(pid {holder.pid}\) is writing into"):
            build(CORPUS, out, formats=("ttl",))
    finally:
        holder.kill()
        holder.wait()
    build(CORPUS, out, formats=("ttl",))  # once it is let go (its process gone), a build goes ahead
    assert (out / "graph.ttl").is_file()


def _complete(path: Path) -> bool:
    """Whether an export is whole: it parses (Turtle, TriG, JSON) or ends its document (HTML)."""
    from rdflib import Dataset, Graph

    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".ttl":
            Graph().parse(data=text, format="turtle")
        elif path.suffix == ".trig":
            Dataset().parse(data=text, format="trig")
        elif path.suffix == ".json":
            json.loads(text)
        else:
            return text.rstrip().endswith("</html>")
    except Exception:  # any parse error: not whole
        return False
    return True


# Where to kill: before any export is begun, or while each one is being written.
STAGES = {
    "extraction": None,
    "ttl": ".graph.ttl.",
    "trig": ".graph.trig.",
    "json": ".graph.json.",
    "html": ".views.",
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_build_killed_at_any_stage_is_followed_by_a_good_build(tmp_path: Path, stage: str) -> None:
    corpus, out, previous = _a_corpus_and_old_exports(tmp_path, 30)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "-j", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    prefix = STAGES[stage]
    deadline = time.monotonic() + 180
    if prefix is None:
        while not (out / ".kg-cache").exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.5)  # well inside reading 150 articles, before any export
        assert not list(out.glob(".*.tmp"))
    else:
        while (
            not [p for p in out.glob(".*.tmp") if p.name.startswith(prefix)]
            and proc.poll() is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    for name, text in previous.items():  # each export the old one, or a whole new one
        assert (out / name).read_text(encoding="utf-8") == text or _complete(out / name), name
    assert not (out / "report.json").exists()  # no report beside exports it does not describe
    result = build(CORPUS, out)  # the next build cleans up and writes one consistent set
    assert not list(out.glob(".*.tmp")) and (out / "report.json").is_file()
    assert all(_complete(out / name) for name in previous) and result.counts["read"] == 5
