"""What a resident process (``kg watch``) keeps from one build to the next, so that a rebuild does
not read back or work out again what the last one already held: each cached file's outline as
the build held it (its articles without texts or facts), every article's text in one texts file,
what resolving each article did and gave, the last store itself, and its keys.

A `kg build` reads the outline of every file its cache holds (1 s of a 1 % rebuild of 10k
articles) and writes every text out again; a rebuild in a resident process reads the outlines
of the changed files only, and writes only their texts. What is kept is this process's own
memory, never read back from disk: a file's entry key is the digest of its bytes, its metadata
and the code that read it, so the same key is the same outline.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.model import Skipped
from kg.textstore import ArticleTexts

if TYPE_CHECKING:
    from kg.cache import Resolved
    from kg.pipeline import Spilled
    from kg.rekey import KeptKeys, Sources
    from kg.store import GraphStore

Held = list["Skipped | Spilled"]  # a file's entry as a build that spills holds it (pipeline._held)


@dataclass(slots=True)
class Resident:
    held: dict[str, Held] = field(default_factory=dict)  # entry key → its articles, texts let go
    texts: ArticleTexts = field(default_factory=ArticleTexts)
    # Article id → the entry key its text in ``texts`` was written from.
    text_of: dict[str, str] = field(default_factory=dict)
    # What resolving each article did and gave the graph, by its cache key (kg.cache.resolved_key):
    # replayed from here rather than read back and parsed (0.6 s of a 1 % rebuild of 10k articles).
    resolved: dict[str, Resolved] = field(default_factory=dict)
    # The last build's store, with what each article gave it: the next build patches it where
    # its change reached (kg/patch.py) rather than putting every article's facts in a new one.
    last: tuple[GraphStore, Sources] | None = None
    # The last build's store keys, with what each article gave it: the next build works out
    # only those its change reached (kg/rekey.py).
    keys: KeptKeys | None = None

    def entry(self, key: str) -> Held | None:
        """The file's entry as held last time, when ``texts`` still has its articles' texts from
        it (an article that moved to another file and back has another file's text there)."""
        found = self.held.get(key)
        if found is None:
            return None
        for loaded in found:
            if isinstance(loaded, Skipped):
                continue
            article = loaded.facts.article.id
            if self.text_of.get(article) != key or article not in self.texts:
                return None
        return found

    def write_text(self, article: str, text: str, key: str | None) -> None:
        """The article's text, from the entry under ``key`` (None: an entry the cache does not
        keep), unless the texts file has it from that entry already."""
        if key is None or self.text_of.get(article) != key or article not in self.texts:
            self.texts.update_many({article: text})
        if key is None:
            self.text_of.pop(article, None)
        else:
            self.text_of[article] = key

    def retain(self, keys: Collection[str], articles: Collection[str]) -> None:
        """Keep the entries of ``keys`` and the texts of ``articles`` (this build's), nothing else;
        the texts file is written anew once most of it is texts no article has any more."""
        self.held = {key: self.held[key] for key in keys if key in self.held}
        wanted = set(articles)
        for article in [a for a in self.texts if a not in wanted]:
            self.texts.discard(article)
        self.text_of = {a: key for a, key in self.text_of.items() if a in wanted and a in self.texts}
        if self.texts.wasted() > self.texts.used():
            self.texts = self.texts.compacted()
