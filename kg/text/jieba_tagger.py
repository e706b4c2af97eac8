"""jieba's part-of-speech tagger with the genre's words, cut run by run (dag.py, viterbi.py).

jieba is used as it ships: nothing in its modules is patched, and its private methods are not
called. ``reference`` is jieba's own ``posseg`` cut, which the tests hold the fast path to.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kg.lexicon import load_lexicon, load_table
from kg.text.dag import RunCutter
from kg.text.viterbi import HmmCutter


class JiebaTagger:
    def __init__(self) -> None:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        # Posts as single words keep "党委书记王培安" from fusing a title into a name.
        for word in (*load_table("post_titles"), *load_lexicon("post_modifiers")):
            tokenizer.add_word(word, freq=20000, tag="n")
        default = jieba.posseg.dt  # made when jieba.posseg is imported: it has read the same tags
        if tokenizer.dictionary != default.tokenizer.dictionary:
            self.posseg = jieba.posseg.POSTokenizer(tokenizer)
        else:
            # POSTokenizer(tokenizer) would parse dict.txt's 350,000 tags again (0.4 s of every start).
            self.posseg = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
            self.posseg.tokenizer = tokenizer
            self.posseg.word_tag_tab = dict(default.word_tag_tab)
        self.runs = RunCutter(self.posseg, HmmCutter(jieba.posseg))  # loads the dictionary

    def cut_run(self, run: str) -> Sequence[tuple[str, str]]:
        return self.runs.cut(run)

    def reference(self, text: str) -> list[tuple[str, str]]:
        return [(p.word, p.flag) for p in self.posseg.cut(text, HMM=True)]
