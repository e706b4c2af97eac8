"""Seconds spent in a stage, summed over its calls in this process: for ``kg build --timings``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class StageClock:
    """Where a stage runs in many small calls (an article, a run of text), each call adds to it."""

    seconds: float = 0.0


LOADING = StageClock()  # bytes → cleaned article: decoding, HTML, boilerplate, dateline
TAGGING = StageClock()  # jieba POS tagging of the runs extractors ask about
TARGET_MODEL = StageClock()  # clause features and the target model's labels
