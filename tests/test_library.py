"""The library API: kg.build returns whole objects, every time; the README's example runs."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest

import kg
from tests.conftest import CORPUS

README = Path(__file__).resolve().parents[1] / "README.md"


def _complete(result: kg.BuildResult) -> None:
    assert isinstance(result.graph, nx.MultiDiGraph)
    assert result.graph.number_of_edges() > 100 and len(result.facts) > 100 and len(result.entities) > 50
    assert all(item.article.text for item in result.corpus.articles)


def test_build_twice_in_one_process_is_complete_both_times(tmp_path: Path) -> None:
    first = kg.build(CORPUS, tmp_path / "out", formats=("ttl",))
    second = kg.build(CORPUS, tmp_path / "out", formats=("ttl",))
    _complete(first)
    _complete(second)
    assert second.up_to_date and second.cache_hits == 5
    assert nx.utils.graphs_equal(first.graph, second.graph)
    assert sorted(first.graph.edges(keys=True)) == sorted(second.graph.edges(keys=True))
    _complete(kg.build(CORPUS))  # and with no output folder at all


def test_the_readme_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = re.search(r"## Library\n\n```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert code is not None
    shutil.copytree(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), "README.md", "exec"), {})
    printed = capsys.readouterr().out.split()
    assert int(printed[0]) > 50 and int(printed[1]) > 100 and "facts," in printed
    assert not os.path.exists(tmp_path / "exports")  # no output folder asked for, none written
