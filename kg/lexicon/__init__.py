"""Dictionaries of the genre, kept as data files beside this module.

Each file: one entry a line (or several separated by spaces), ``#`` starts a comment,
an optional TAB-separated second column carries a value (an organisation type, say).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources


@cache
def load_table(name: str) -> dict[str, str]:
    """``{entry: value}`` from ``lexicon/NAME.txt``; value is "" where there is none."""
    text = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if "\t" in line:
            key, value = line.split("\t", 1)
            table[key.strip()] = value.strip()
        else:
            for key in line.split():
                table[key] = ""
    return table


def load_lexicon(name: str) -> frozenset[str]:
    return frozenset(load_table(name))


def alternation(words: frozenset[str] | dict[str, str]) -> str:
    """A regex alternation, longest first so that 党委副书记 wins over 书记."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
