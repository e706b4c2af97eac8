"""A wall-clock budget per article: a pathological file becomes a skip with a reason, never a hang.

Every stage is near-linear in the text (tests/extractors/test_linear_time.py), so an article
that takes many times what its length predicts is stuck, not slow. The budget is a timer signal,
which Python delivers between bytecodes: it works in a process's main thread (the build's own, a
worker process's) and is left off elsewhere (a thread of a Dask worker).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BASE_SECONDS = 30.0  # what any article may take: imports and dictionaries warm up on the first
CHARS_PER_SECOND = 20_000  # a fifth of the build's measured pace (~100k characters/s a core)


class OverBudget(Exception):
    """An article took longer than its budget."""


def budget_for(chars: int) -> float:
    return BASE_SECONDS + chars / CHARS_PER_SECOND


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise OverBudget inside the block once ``seconds`` of wall clock have passed."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # nobody else's timer running
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise OverBudget(f"took longer than its {seconds:.0f} s budget")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
