"""The benchmark's own reading of a corpus: what its reference times is what the build reads."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> Any:
    """A script of bench/, imported as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _bench() -> Any:
    return _script("run")


def test_the_benchmark_reads_the_corpus_as_the_build_does() -> None:
    texts = _bench().cleaned_texts(ROOT / "corpus")
    assert len(texts) == 5 and all(len(t) > 1000 for t in texts)


def test_a_watched_build_that_says_much_is_timed_to_its_end(tmp_path: Path) -> None:
    """A build whose output is more than a pipe holds (every record of a file skipped, a line
    each) while its memory is watched: it ends, and its lines are read."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(sorted((ROOT / "corpus").glob("*.txt"))[0], corpus)
    (corpus / "records.jsonl").write_text("[1]\n" * 3_000, encoding="utf-8")  # not records: skipped
    found = _bench().run_build(corpus, tmp_path / "out", 1, watch_memory=True, every=0.2)
    assert found["read"] == 1 and found["peak_rss_mb"] > 10 and found["wall"] > 0


def _page_changes() -> Any:
    return _script("page_changes")


def _page(
    meta: dict[str, Any], facts: list[Any], sizes: dict[str, int], tenures: list[Any]
) -> dict[str, Any]:
    return {
        "nodes": [[n, 0.0, 0.0, size] for n, size in sizes.items()],
        "meta": meta,
        "facts": facts,
        "tenures": tenures,
    }


def test_page_changes_says_what_made_a_page_differ() -> None:
    why = _page_changes().why_changed
    meta = {"person/a": ["person", "甲"], "meeting/m": ["meeting", "会"]}
    before = _page(meta, [["person/a", "meeting/m", "attended"]], {"person/a": 10, "meeting/m": 8}, [])
    more = {**meta, "meeting/n": ["meeting", "另一会"]}
    assert why(before, _page(more, before["facts"], {"person/a": 10, "meeting/m": 8}, [])) == "other members"
    evidence = [["person/a", "meeting/m", "attended", "", "", [[0, "x.txt", 1, 9, "r"]]]]
    assert why(before, _page(meta, evidence, {"person/a": 10, "meeting/m": 8}, [])) == "facts"
    assert why(before, _page(meta, before["facts"], {"person/a": 14, "meeting/m": 8}, [])) == "drawn sizes"
    renamed = {**meta, "meeting/m": ["meeting", "新会"]}
    tenure = [["院长", "person/a", "甲", "医院", "2020", "", "", "", 1]]
    found = why(before, _page(renamed, before["facts"], {"person/a": 10, "meeting/m": 8}, tenure))
    assert found == "members' names, tenures"


def test_page_changes_renders_every_entity_page_of_a_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    pages = _page_changes().page_data(corpus, tmp_path / "facts.sqlite")
    assert pages and all(node.split("/")[0] in ("person", "organisation") for node in pages)
    assert all(data["meta"] and node in data["meta"] for node, data in pages.items())
