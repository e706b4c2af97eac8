"""The run cutter gives exactly jieba.posseg's tokens, with the genre's words added."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text.segment import BLOCK, _run_cutter, _tagger
from tests.conftest import CORPUS

# Names, posts, organisation endings, digits and letters, rare and unseen characters.
ALPHABET = "王李张欧阳明远建平党委副书记院长会议召开市人民医院卫健委的了在和是要强调DRG2019𠀋䶮鿏龘"


def _jieba(run: str) -> list[tuple[str, str]]:
    return [(p.word, p.flag) for p in _tagger().cut(run, HMM=True)]


def test_every_run_of_the_corpus_is_cut_as_jieba_cuts_it() -> None:
    runs = {
        m.group() for path in CORPUS.glob("*.txt") for m in BLOCK.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(runs) > 1000
    cutter = _run_cutter()
    for run in sorted(runs):
        assert cutter.cut(run) == _jieba(run), run


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=24))
def test_random_runs_are_cut_as_jieba_cuts_them(text: str) -> None:
    for m in BLOCK.finditer(text):
        assert _run_cutter().cut(m.group()) == _jieba(m.group())
