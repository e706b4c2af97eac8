"""The vectorised POS Viterbi gives exactly jieba's answers."""

from __future__ import annotations

import re
import sys

import jieba.posseg
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text.viterbi import HmmCutter, PosViterbi
from tests.conftest import CORPUS

ORIGINAL = sys.modules["jieba.posseg.viterbi"].viterbi
TABLES = (jieba.posseg.char_state_tab_P, jieba.posseg.start_P, jieba.posseg.trans_P, jieba.posseg.emit_P)
FAST = PosViterbi(*TABLES)

# Names, common words, rare characters, and characters jieba's model has never seen.
ALPHABET = "王李张欧阳朱菁华谭家驹明远建平书记院长会议召开医院卫健委的了在和是要强调𠀋䶮鿏龘"


def test_every_unknown_run_of_the_corpus_decodes_as_jieba_decodes_it() -> None:
    runs = set()
    for path in CORPUS.glob("*.txt"):
        runs |= set(re.findall(r"[\u4e00-\u9fd5]{1,12}", path.read_text(encoding="utf-8")))
    assert len(runs) > 500
    for run in sorted(runs):
        assert FAST(run) == ORIGINAL(run, *TABLES), run


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=10))
def test_random_runs_decode_as_jieba_decodes_them(run: str) -> None:
    assert FAST(run) == ORIGINAL(run, *TABLES)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET + "DRG2019.x", min_size=1, max_size=12))
def test_unknown_stretches_are_cut_as_jieba_cuts_them(stretch: str) -> None:
    # jieba's private __cut_detail, the reference for the HmmCutter that stands in for it
    detail = jieba.posseg.dt._POSTokenizer__cut_detail
    assert HmmCutter(jieba.posseg).cut(stretch) == [(p.word, p.flag) for p in detail(stretch)]
