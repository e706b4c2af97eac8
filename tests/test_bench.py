"""The benchmark's own reading of a corpus: what its reference times is what the build reads."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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
