"""The run cutter gives exactly jieba.posseg's tokens, with the genre's words added."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text.jieba_tagger import JiebaTagger
from kg.text.segment import BLOCK
from kg.text.tagger import tagger
from tests.conftest import CORPUS

# Names, posts, organisation endings, digits and letters, rare and unseen characters.
ALPHABET = "王李张欧阳明远建平党委副书记院长会议召开市人民医院卫健委的了在和是要强调DRG2019𠀋䶮鿏龘"


def _jieba_tagger() -> JiebaTagger:
    found = tagger()
    assert isinstance(found, JiebaTagger)
    return found


def _jieba(run: str) -> list[tuple[str, str]]:
    return _jieba_tagger().reference(run)  # jieba.posseg's own cut, nothing patched


def test_every_run_of_the_corpus_is_cut_as_jieba_cuts_it() -> None:
    runs = {
        m.group() for path in CORPUS.glob("*.txt") for m in BLOCK.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(runs) > 1000
    cutter = tagger()
    for run in sorted(runs):
        assert list(cutter.cut_run(run)) == _jieba(run), run


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=24))
def test_random_runs_are_cut_as_jieba_cuts_them(text: str) -> None:
    for m in BLOCK.finditer(text):
        assert list(tagger().cut_run(m.group())) == _jieba(m.group())


def test_the_tagger_knows_the_tags_jieba_reads_and_the_genre_words() -> None:
    import jieba.posseg

    from kg.lexicon import load_lexicon, load_table

    ours = _jieba_tagger().runs.word_tag  # its tag table was copied from jieba's default tokenizer
    fresh = jieba.posseg.POSTokenizer(_jieba_tagger().posseg.tokenizer).word_tag_tab  # from dict.txt again
    genre = {*load_table("post_titles"), *load_lexicon("post_modifiers")}
    assert {k: v for k, v in ours.items() if k not in genre} == {
        k: v for k, v in fresh.items() if k not in genre
    }
    assert all(ours[word] == "n" for word in genre)


def test_releasing_the_tagger_frees_it_without_the_cycle_collector() -> None:
    import gc
    import weakref

    from kg.text.tagger import release_tagger

    loaded = weakref.ref(_jieba_tagger())
    dictionary = weakref.ref(_jieba_tagger().runs)
    gc.disable()  # the build lets go of the dictionary without a full collection (a second at 10k)
    try:
        release_tagger()
        assert loaded() is None and dictionary() is None
    finally:
        gc.enable()


def test_jieba_is_used_as_it_ships() -> None:
    import sys

    import jieba.posseg

    tagger()
    assert jieba.posseg.viterbi is sys.modules["jieba.posseg.viterbi"].viterbi  # not replaced


def test_another_tagger_can_take_jiebas_place() -> None:
    from kg.model import Article
    from kg.text import tagger as module
    from kg.text.segment import segment

    class OneCharacterTagger:
        def cut_run(self, run: str) -> list[tuple[str, str]]:
            return [(c, "x") for c in run]

        def reference(self, text: str) -> list[tuple[str, str]]:
            return self.cut_run(text)

    module.use_tagger(OneCharacterTagger)
    try:
        doc = segment(Article(id="a", title="", text="院长讲话。"))
        assert [t.text for t in doc.tokens(doc.sentences[0])] == ["院", "长", "讲", "话", "。"]
    finally:
        module.use_tagger(module.jieba_tagger)
    assert isinstance(tagger(), JiebaTagger)
