"""jieba.posseg's cut of one run of Han characters, letters and digits, with less Python per character.

jieba builds a DAG of dictionary words over the run (``get_DAG``), finds the most probable
route through it (``calc``), and hands stretches of single characters outside the
dictionary to its HMM (names). Those steps are a quarter of the extraction. This does the
same steps with the same dictionary and the same floating-point sums, in the same order:
each word's weight ``log(freq) - log(total)`` is worked out once per word rather than at
every position it could start, and ties on the route go to the longer word, as jieba's
``max`` over ``(score, end)`` tuples sends them. The HMM part is jieba's, vectorised in
viterbi.py. Tests compare the tokens with jieba.posseg's on the corpus and on random text.
"""

from __future__ import annotations

from math import log
from typing import Any

from kg.text.viterbi import HmmCutter

_MEMO_RUNS = 1 << 15  # runs remembered; the memo starts over when full


class RunCutter:
    """Cuts runs as ``POSTokenizer.cut`` cuts a text that is one run (``re_han_internal``)."""

    def __init__(self, pos_tokenizer: Any, hmm: HmmCutter) -> None:
        tokenizer = pos_tokenizer.tokenizer
        tokenizer.check_initialized()
        pos_tokenizer.makesure_userdict_loaded()
        self.freq: dict[str, int] = tokenizer.FREQ
        self.word_tag: dict[str, str] = pos_tokenizer.word_tag_tab
        self.log_total = log(tokenizer.total)
        self.unknown = log(1) - self.log_total  # a lone character outside the dictionary
        self.hmm = hmm  # for stretches of single characters outside the dictionary (names)
        self._weight: dict[str, float] = {}
        # The same runs come back article after article (会议强调, a hospital's name, its leaders):
        # 61% of the characters tagged in the synthetic corpus had been tagged before. A plain
        # dict, not lru_cache over a bound method: that would be a cycle only the collector frees.
        self._memo: dict[str, tuple[tuple[str, str], ...]] = {}

    def cut(self, run: str) -> tuple[tuple[str, str], ...]:
        """(word, tag) pairs, as jieba.posseg yields them for this run."""
        cut = self._memo.get(run)
        if cut is None:
            if len(self._memo) >= _MEMO_RUNS:
                self._memo.clear()
            cut = self._memo[run] = self._cut(run)
        return cut

    def route(self, run: str) -> list[int]:
        """For each start, the end (exclusive) of the word the best route takes from there."""
        n = len(run)
        freq, weights, log_total = self.freq, self._weight, self.log_total
        score = [0.0] * (n + 1)
        ends = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            best = None
            best_end = k
            i = k
            frag = run[k]
            found = False
            while True:
                f = freq.get(frag)
                if f is None:
                    break
                if f:
                    found = True
                    w = weights.get(frag)
                    if w is None:
                        w = weights[frag] = log(f) - log_total
                    s = w + score[i + 1]
                    if best is None or s >= best:  # a tie goes to the later (longer) word
                        best, best_end = s, i
                i += 1
                if i >= n:
                    break
                frag = run[k : i + 1]
            if not found:  # no word starts here: the character alone, as jieba's DAG puts it
                best, best_end = self.unknown + score[k + 1], k
            score[k] = best  # type: ignore[assignment]
            ends[k] = best_end + 1
        return ends

    def _cut(self, run: str) -> tuple[tuple[str, str], ...]:
        ends = self.route(run)
        tags = self.word_tag
        out: list[tuple[str, str]] = []
        x = 0
        buf = ""
        n = len(run)
        while x < n:
            y = ends[x]
            if y - x == 1:
                buf += run[x]
            else:
                if buf:
                    self._flush(buf, out)
                    buf = ""
                word = run[x:y]
                out.append((word, tags.get(word, "x")))
            x = y
        if buf:
            self._flush(buf, out)
        return tuple(out)

    def _flush(self, buf: str, out: list[tuple[str, str]]) -> None:
        tags = self.word_tag
        if len(buf) == 1:
            out.append((buf, tags.get(buf, "x")))
        elif not self.freq.get(buf):
            out.extend(self.hmm.cut(buf))
        else:
            out.extend((c, tags.get(c, "x")) for c in buf)
