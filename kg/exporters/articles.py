"""The explorer's article pages: each article's cleaned text with every fact read from it, so a
reader can check a fact against its sentence in context.

views/article.html#<article id> loads the article from views/articles/<shard>.js, a script (a page
opened from file:// may load scripts, not fetch files). The shard is the first hex digits of the
FNV-1a hash of the id's UTF-8 bytes, which view.js computes the same way.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from kg.exporters.jsontext import assemble, encoded
from kg.exporters.sections import SectionWriter, StoreKeys, Unchanged, digest
from kg.exporters.shards import ShardRecord, write_shard
from kg.exporters.site import COMPOSED, Site, label_sources
from kg.model import NodeType
from kg.store import FEW_ARTICLES, EvidenceByArticle, FewArticlesEvidence, GraphStore
from kg.textstore import digest_of

ARTICLE_PAGE = "article.html"
ARTICLE_SHARDS = "articles"


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def article_shard(article_id: str, chars: int) -> str:
    return f"{fnv1a(article_id):08x}"[:chars]


def article_link(article_id: str) -> str:
    """An article's page, relative to views/."""
    return f"{ARTICLE_PAGE}#{article_id}"


Stated = list[tuple[int, int, str, str, str, str]]  # (start, end, subject, object, relation, rule)


def stated_in(
    index: EvidenceByArticle | FewArticlesEvidence, article: str, with_text: bool
) -> tuple[Stated, dict[str, str]]:
    """The article's facts in text order; and, when the store does not hold its text (one read
    back from graph.json: ``with_text`` false), its sentences by start, which stand in for it."""
    facts: Stated = []
    sentences: dict[str, str] = {}
    for s, o, relation, _, evidence in index.of(article):
        for e in evidence:
            facts.append((e.start, e.end, s, o, relation, e.rule))
            if not with_text:
                sentences[str(e.start)] = e.sentence
    facts.sort()
    return facts, sentences


def article_record(
    site: Site, data: dict[str, Any], found: Stated, sentences: dict[str, str]
) -> dict[str, Any]:
    """{title, published, source, text, sentences, facts, meta}: ``facts`` as [subject, object,
    relation, start, end, rule], in text order, and ``meta`` the nodes they name, as entity pages
    list them. ``text`` is empty when the store holds no texts (one read back from graph.json):
    the page then shows the sentences alone."""
    named = sorted({n for f in found for n in f[2:4]})
    return {
        "title": data["label"],
        "published": data.get("published", ""),
        "source": data.get("source", ""),
        "text": site.store.texts.get(data["identifier"], ""),
        "sentences": sentences,
        # One encoding for the list: ``assemble`` would otherwise walk every fact.
        "facts": encoded([[s, o, relation, start, end, rule] for start, end, s, o, relation, rule in found]),
        "meta": {n: site.meta_json(n) for n in named},
    }


def _record_key(
    site: Site, keys: StoreKeys, node: str, found: Stated, sentences: dict[str, str]
) -> tuple[bytes, list[str]]:
    """What an article's record is made from: the article (title, line map, text), its facts,
    and the nodes they name with those their labels name. Returned with the nodes it read."""
    store = site.store
    named = sorted({n for f in found for n in f[2:4]})
    shown = sorted({*named, *(m for n in named for m in site.label_sources(n))})
    parts = [
        keys.descriptions[node],
        digest_of(store.texts, store.node_data[node]["identifier"]),
        found,
        sentences,
        [keys.descriptions[n] for n in shown],
    ]
    return digest(marshal.dumps(parts, 2)), [node, *shown]


class _Record:
    """One article's record, its facts listed once for its key and its text, and only if asked."""

    def __init__(
        self,
        site: Site,
        keys: StoreKeys,
        index: Callable[[], EvidenceByArticle | FewArticlesEvidence],
        node: str,
        data: dict[str, Any],
    ) -> None:
        self.site, self.keys, self.index, self.node, self.data = site, keys, index, node, data
        self._facts: tuple[Stated, dict[str, str]] | None = None

    def facts(self) -> tuple[Stated, dict[str, str]]:
        if self._facts is None:
            identifier = self.data["identifier"]
            self._facts = stated_in(self.index(), identifier, identifier in self.site.store.texts)
        return self._facts

    def key(self) -> tuple[bytes, list[str]]:
        return _record_key(self.site, self.keys, self.node, *self.facts())

    def text(self) -> str:
        return _encoded_record(self.site, self.data, *self.facts())


class RecordInputs(Mapping[str, bytes]):
    """What an article's record reads of each node, for ``Unchanged``: of the nodes its facts
    name, their descriptions (an organisation named in a changed article keeps its description,
    and the records of the other articles naming it keep their keys), a meeting's or post's with
    the nodes its label names (``label_sources``, found by its edges); of its article, the
    article's description, its text's digest and its facts' (``GraphStore.fact_digests``). A
    store without fact digests (read back from graph.json) is read by node digests instead,
    which cover every edge, with the article's text digest beside its node's."""

    def __init__(self, store: GraphStore, keys: StoreKeys) -> None:
        self._store, self._keys = store, keys
        self._by_description = bool(store.fact_digests)

    def __getitem__(self, node: str) -> bytes:
        data = self._store.node_data[node]
        if data["type"] == NodeType.ARTICLE:
            identifier = data["identifier"]
            text = digest_of(self._store.texts, identifier)
            if not self._by_description:
                return digest(self._keys.digests[node] + text)
            facts = self._store.fact_digests.get(identifier, b"-")
            return digest(self._keys.descriptions[node] + text + facts)
        if not self._by_description:
            return self._keys.digests[node]
        if data["type"] in COMPOSED:  # its label names another node, found by its edges
            sources = "\0".join(label_sources(self._store, node)).encode()
            return digest(self._keys.descriptions[node] + b"\0" + sources)
        return self._keys.descriptions[node]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys.digests)

    def __len__(self) -> int:
        return len(self._keys.digests)


def _encoded_record(site: Site, data: dict[str, Any], found: Stated, sentences: dict[str, str]) -> str:
    return assemble(article_record(site, data, found, sentences))


def write_articles(
    site: Site, folder: Path, keys: StoreKeys, memo: SectionWriter, previous: Path | None = None
) -> None:
    """views/articles/<shard>.js for every article, each record from ``memo`` when its key is
    there, each shard from ``previous`` (the views/ replaced) when its records are as they were;
    a shard at a time, so that only one shard's records are held."""
    store = site.store
    by_shard: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for node, data in store.nodes(NodeType.ARTICLE):
        by_shard.setdefault(article_shard(data["identifier"], site.article_chars), []).append((node, data))
    shards = folder / ARTICLE_SHARDS
    shards.mkdir()
    # A record that read no changed node (nor text) keeps its key: its facts are not even listed.
    unchanged = Unchanged(memo, RecordInputs(store, keys), keys)
    needing_facts = [
        data["identifier"] for node, data in store.nodes(NodeType.ARTICLE) if unchanged.key(node) is None
    ]

    @cache
    def index() -> EvidenceByArticle | FewArticlesEvidence:  # only once a record needs its facts
        # A few records (a rebuild's): their facts found article by article; else one walk of every edge.
        if store.fact_digests and len(needing_facts) * FEW_ARTICLES <= len(site.articles):
            return FewArticlesEvidence(store, needing_facts)
        return EvidenceByArticle(store)

    for shard, articles in sorted(by_shard.items()):
        listed: list[ShardRecord] = []
        for node, data in sorted(articles, key=lambda a: str(a[1]["identifier"])):
            record = _Record(site, keys, index, node, data)
            listed.append((data["identifier"], unchanged.keyed(node, record.key), record.text))
        name = f"{shard}.js"
        write_shard(
            shards / name, "kgArticles", listed, memo, previous / ARTICLE_SHARDS / name if previous else None
        )
    unchanged.save()
