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
        assert list(cutter.cut(run)) == _jieba(run), run


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=24))
def test_random_runs_are_cut_as_jieba_cuts_them(text: str) -> None:
    for m in BLOCK.finditer(text):
        assert list(_run_cutter().cut(m.group())) == _jieba(m.group())


def test_the_tagger_knows_the_tags_jieba_reads_and_the_genre_words() -> None:
    import jieba.posseg

    from kg.lexicon import load_lexicon, load_table

    ours = _run_cutter().word_tag  # its tag table was copied from jieba's default tokenizer
    fresh = jieba.posseg.POSTokenizer(_tagger().tokenizer).word_tag_tab  # read from dict.txt again
    genre = {*load_table("post_titles"), *load_lexicon("post_modifiers")}
    assert {k: v for k, v in ours.items() if k not in genre} == {
        k: v for k, v in fresh.items() if k not in genre
    }
    assert all(ours[word] == "n" for word in genre)


def test_releasing_the_tagger_frees_it_without_the_cycle_collector() -> None:
    import gc
    import weakref

    from kg.text.segment import release_tagger

    cutter, tagger = weakref.ref(_run_cutter()), weakref.ref(_tagger())
    gc.disable()  # the build lets go of the dictionary without a full collection (a second at 10k)
    try:
        release_tagger()
        assert cutter() is None and tagger() is None
    finally:
        gc.enable()
