"""Files read before under another name, or with their lines broken or spaced otherwise: their
articles' facts are taken over from the fact cache rather than extracted again.

A corpus sorted into folders, a file renamed, a page scraped again with a blank line more: the
article's id changes (an id is the file's path) or its raw offsets do, so its file's cache key
changes, and a build would extract it again (8 ms an article; a corpus moved into folders, a
whole cold build). Extraction reads only an article's title, text, date and source, and copies
its id into each mention and evidence (``extract_article``). So a file whose bytes, less ASCII
spacing, are those of a file read before is loaded (a millisecond), and when each of its
articles has the title, text, date and source of that file's, the earlier facts are taken with
the new id. The digest only finds the candidate; the comparison decides.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from kg.model import Article, ArticleFacts, Fact, Mention, Skipped

_SPACING = b" \t\r\n"  # never inside a character in UTF-8, GBK, GB18030 or Big5


def spacing_free_digest(data: bytes) -> bytes:
    """What finds a file read before: its bytes' digest, ASCII spaces and line breaks left out."""
    return hashlib.sha256(data.translate(None, _SPACING)).digest()


def _read_alike(old: Article, new: Article) -> bool:
    """Whether extraction reads the same from both: all but the id, the line map and the encoding."""
    return (old.title, old.text, old.published, old.source) == (
        new.title,
        new.text,
        new.published,
        new.source,
    )


def with_id(facts: ArticleFacts, article: Article) -> ArticleFacts:
    """``facts`` as extracting ``article`` would give them: read from an article that differs
    from it only where extraction does not look (``_read_alike``), given its id."""
    new = article.id
    mentions: dict[int, Mention] = {}  # a mention in several facts stays one object

    def moved(mention: Mention) -> Mention:
        found = mentions.get(id(mention))
        if found is None:
            found = mentions[id(mention)] = replace(mention, article_id=new)
        return found

    out: list[Fact] = [
        replace(
            fact,
            subject=moved(fact.subject),
            object=moved(fact.object),
            evidence=replace(fact.evidence, article_id=new),
        )
        for fact in facts.facts
    ]
    return ArticleFacts(article, out, facts.home_org, facts.org_names, facts.abbreviations)


def taken_over(
    before: Sequence[Skipped | tuple[ArticleFacts, bytes]], loaded: Sequence[Article | Skipped]
) -> list[ArticleFacts] | None:
    """The facts of each article ``loaded`` from a file, taken over from what a file read before
    gave (``before``: its entry, in order); None where anything differs, or either skipped
    something: then the file is extracted."""
    if len(before) != len(loaded):
        return None
    out = []
    for old, new in zip(before, loaded, strict=True):
        if isinstance(old, Skipped) or isinstance(new, Skipped) or not _read_alike(old[0].article, new):
            return None
        out.append(with_id(old[0], new))
    return out
