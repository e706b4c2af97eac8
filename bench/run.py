"""Build the bundled corpus and print how long each stage takes against raw jieba on the same text.

    python bench/run.py [CORPUS] [--repeat N]

Figures are ratios against a reference measured in the same run (jieba.posseg and jieba.lcut
over the same cleaned text, one core), since these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kg.exporters import EXPORTERS, get_exporter
from kg.pipeline import corpus_files, read_corpus
from kg.resolve import resolve
from kg.store import GraphStore
from kg.text.load import load_article, read_metadata
from kg.text.segment import _tagger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=Path("corpus"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = corpus_files(args.corpus)
    meta = read_metadata(args.corpus)
    texts = [load_article(p, meta.get(p.name)).text for p in files]
    chars = sum(map(len, texts))
    tagger = _tagger()
    tagger.tokenizer.initialize()

    def best(fn: object) -> float:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fn()  # type: ignore[operator]  # a zero-argument callable
            times.append(time.perf_counter() - start)
        return min(times)

    posseg = best(lambda: [list(tagger.cut(t, HMM=True)) for t in texts])
    lcut = best(lambda: [tagger.tokenizer.lcut(t) for t in texts])
    extract = best(lambda: read_corpus(files, root=args.corpus))
    corpus = read_corpus(files, root=args.corpus)
    resolution = resolve(corpus.articles)
    graph = best(lambda: GraphStore.from_facts(corpus.articles, resolution))
    store = GraphStore.from_facts(corpus.articles, resolution)
    rows = [
        ("jieba.posseg (reference)", posseg),
        ("jieba.lcut", lcut),
        ("load + extract", extract),
        ("resolve + graph", best(lambda: resolve(corpus.articles)) + graph),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, (_, name) in EXPORTERS.items():
            rows.append(
                (f"export {fmt}", best(lambda fmt=fmt, name=name: get_exporter(fmt)(store, Path(tmp) / name)))
            )
    print(f"{len(texts)} articles, {chars:,} characters, best of {args.repeat}")
    print(f"{'stage':<28}{'seconds':>10}{'× posseg':>10}")
    for stage, seconds in rows:
        print(f"{stage:<28}{seconds:>10.3f}{seconds / posseg:>10.2f}")
    total = sum(s for name, s in rows[2:])
    print(f"{'whole build':<28}{total:>10.3f}{total / posseg:>10.2f}")


if __name__ == "__main__":
    main()
