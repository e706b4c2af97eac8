"""Article texts live on disk, not in the build's heap, and read back the same, in forked
export workers too."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.textstore import ArticleTexts


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


_LEAVE = """
import os, signal, sys
from kg.textstore import ArticleTexts
texts = ArticleTexts()
texts.update_many({"a.txt": "正文" * 1000})
assert texts["a.txt"] == "正文" * 1000
if sys.argv[1] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
os._exit(0)  # as every kg command ends: no finalizers, no atexit
"""


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_nothing_is_left_on_disk_however_the_process_ends(tmp_path: Path, how: str) -> None:
    """The texts file has no name: a build ended by os._exit or SIGKILL leaves no 88 MB behind."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", _LEAVE, how], env=env, capture_output=True, timeout=120)
    assert done.returncode == (-signal.SIGKILL if how == "kill" else 0), done.stderr.decode()
    assert list(tmp_path.iterdir()) == []


def test_a_pickled_copy_carries_the_texts() -> None:
    texts = ArticleTexts()
    texts.update_many({"a.txt": "正文", "b.txt": "另一篇"})
    texts.update_many({"a.txt": "改过的正文"})  # written again: the new text wins
    copy = pickle.loads(pickle.dumps(texts))
    assert isinstance(copy, ArticleTexts) and dict(copy) == {"a.txt": "改过的正文", "b.txt": "另一篇"}
    assert copy.digest("a.txt") == texts.digest("a.txt") != b""
    assert dict(pickle.loads(pickle.dumps(ArticleTexts()))) == {}


def test_a_built_store_keeps_its_texts_on_disk(built: tuple[object, object]) -> None:
    store = built[0].store  # type: ignore[attr-defined]
    assert isinstance(store.texts, ArticleTexts) and len(store.texts) == 5
    for article in store.texts:
        text = store.texts[article]
        assert all(
            text[e.start : e.end] == e.sentence
            for *_, d in store.edges()
            for e in d["evidence"]
            if e.article == article
        )
    assert store.texts._file is not None
    written = os.fstat(store.texts._file.fileno()).st_size
    assert written == sum(len(store.texts[a].encode()) for a in store.texts) > 0
