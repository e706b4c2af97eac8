"""Property tests: whatever a JSON, JSONL, HTML or metadata file holds, and whatever a file is
named, loading gives articles or reasons and the exports parse — never an exception."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.model import Article, Skipped
from kg.pipeline import load_file
from kg.text.load import read_metadata

STORY = "3月3日上午,江北市第一人民医院召开院务工作会议。党委书记钱文涛讲话,院长陈思远主持会议。"
FIXTURE = [HealthCheck.function_scoped_fixture]

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.just(STORY),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "title", "date", "id", "url", "articles", "x"]), inner, max_size=5
        )
    ),
    max_leaves=12,
)


def _loads_cleanly(path: Path) -> list[Article | Skipped]:
    out = list(load_file(path))
    assert out and all(isinstance(x, (Article, Skipped)) for x in out)
    for x in out:
        if isinstance(x, Article):
            x.text.encode("utf-8")  # every export can write it: no lone surrogate
            x.id.encode("utf-8")
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=FIXTURE)
@given(value=_json_values)
def test_any_json_loads_or_says_why(tmp_path: Path, value: object) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8", errors="surrogatepass")
    _loads_cleanly(path)


@settings(max_examples=120, deadline=None, suppress_health_check=FIXTURE)
@given(lines=st.lists(_json_values.map(lambda v: json.dumps(v)) | st.text(max_size=40), max_size=6))
def test_any_jsonl_loads_or_says_why(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", errors="surrogatepass"))
    _loads_cleanly(path)


_tags = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='content'>",
        "</div>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<title>",
        "</title>",
        "<br>",
        "&amp;",
        "&#0;",
        "<h1>",
    ]
)


@settings(max_examples=120, deadline=None, suppress_health_check=FIXTURE)
@given(parts=st.lists(_tags | st.text(max_size=20) | st.just(STORY), max_size=12))
def test_any_html_loads_or_says_why(tmp_path: Path, parts: list[str]) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(("<html><body>" + "".join(parts)).encode("utf-8", errors="surrogatepass"))
    _loads_cleanly(path)


@settings(max_examples=120, deadline=None, suppress_health_check=FIXTURE)
@given(
    lines=st.lists(
        _json_values.map(lambda v: json.dumps(v)) | st.binary(max_size=30).map(lambda b: b.decode("latin-1")),
        max_size=6,
    )
)
def test_any_metadata_is_read_line_by_line(tmp_path: Path, lines: list[str]) -> None:
    (tmp_path / "metadata.jsonl").write_bytes("\n".join(lines).encode("utf-8", errors="surrogatepass"))
    table, unused = read_metadata(tmp_path)
    assert all(isinstance(v, dict) for v in table.values())
    assert all(isinstance(s, Skipped) for s in unused)


_name_chars = st.characters(exclude_characters="/\x00", exclude_categories=["Cs"])


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURE)
@given(stem=st.text(alphabet=_name_chars, min_size=1, max_size=20))
def test_any_file_name_builds_and_its_exports_parse(tmp_path_factory: object, stem: str) -> None:
    from rdflib import Dataset, Graph

    from kg.build import build

    root = tmp_path_factory.mktemp("names")  # type: ignore[attr-defined]
    corpus = root / "corpus"
    corpus.mkdir()
    name = stem + ".txt"
    try:
        (corpus / name).write_text("院务会\n" + STORY, encoding="utf-8")
    except OSError:
        return  # a name this file system refuses (too long, reserved)
    if stem in (".", "..") or not (corpus / name).is_file():
        return
    result = build(corpus, root / "out", formats=("ttl", "trig", "json"))
    assert [a.article.id for a in result.corpus.articles] == [os.fsdecode(os.fsencode(name))]
    Graph().parse(root / "out" / "graph.ttl", format="turtle")
    Dataset().parse(root / "out" / "graph.trig", format="trig")
    json.loads((root / "out" / "graph.json").read_text(encoding="utf-8"))
