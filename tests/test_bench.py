"""The benchmark's own reading of a corpus: what its reference times is what the build reads."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmark_reads_the_corpus_as_the_build_does() -> None:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    texts = module.cleaned_texts(ROOT / "corpus")
    assert len(texts) == 5 and all(len(t) > 1000 for t in texts)
