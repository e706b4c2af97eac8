"""Article texts live on disk, not in the build's heap, and read back the same, in forked
export workers too."""

from __future__ import annotations

import gc
import multiprocessing
import os

import pytest

from kg.textstore import ArticleTexts, _remove


def _read_in_child(texts: ArticleTexts, queue: multiprocessing.Queue[str]) -> None:
    queue.put(texts["b.txt"])


def test_texts_read_back_as_written_here_and_in_a_forked_worker() -> None:
    texts = ArticleTexts()
    assert len(texts) == 0 and list(texts) == [] and texts.get("a.txt") is None
    written = {
        "b.txt": "3月5日,城南区人民医院召开会议。\n党委书记欧阳明远主持。",
        "a.txt": "",
        "c 😀.txt": "x" * 100_000,
    }
    texts.update_many(written)
    assert dict(texts) == written and list(texts) == sorted(written) and len(texts) == 3
    with pytest.raises(KeyError):
        texts["missing.txt"]
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here")
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[str] = context.Queue()
    child = context.Process(target=_read_in_child, args=(texts, queue))
    child.start()
    assert queue.get(timeout=30) == written["b.txt"]
    child.join(30)
    assert child.exitcode == 0
    assert texts["b.txt"] == written["b.txt"]  # the parent's connection still works


def test_the_file_goes_with_the_mapping() -> None:
    texts = ArticleTexts()
    texts.update_many({"a.txt": "正文"})
    folder = texts._path.parent  # type: ignore[union-attr]
    assert folder.is_dir()
    _remove(folder, os.getpid() + 1)  # as a forked worker letting go of its copy would
    assert folder.is_dir()
    del texts
    gc.collect()
    assert not folder.exists()


def test_a_built_store_keeps_its_texts_on_disk(built: tuple[object, object]) -> None:
    store = built[0].store  # type: ignore[attr-defined]
    assert isinstance(store.texts, ArticleTexts) and len(store.texts) == 5
    for article in store.texts:
        text = store.texts[article]
        assert all(
            text[e["start"] : e["end"]] == e["sentence"]
            for *_, d in store.edges()
            for e in d["evidence"]
            if e["article"] == article
        )
    path = store.texts._path
    assert path is not None and os.path.getsize(path) > sum(len(store.texts[a].encode()) for a in store.texts)
