"""The explorer's article pages: each article's cleaned text with every fact read from it, so a
reader can check a fact against its sentence in context.

views/article.html#<article id> loads the article from views/articles/<shard>.js, a script (a page
opened from file:// may load scripts, not fetch files). The shard is the first hex digits of the
FNV-1a hash of the id's UTF-8 bytes, which view.js computes the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.exporters.jsontext import assemble, data_script, encoded
from kg.exporters.site import Site
from kg.model import NodeType

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


def article_records(site: Site) -> dict[str, dict[str, Any]]:
    """Article id → {title, published, source, text, facts, meta}: ``facts`` as
    [subject, object, relation, start, end, rule], in text order, and ``meta`` the nodes they
    name, as entity pages list them. ``text`` is empty when the store holds no texts (one read
    back from graph.json): the page then shows the sentences alone."""
    store = site.store
    facts: dict[str, list[tuple[int, int, str, str, str, str]]] = {}
    # Without an article's text (a store read back from graph.json), its sentences stand in.
    sentences: dict[str, dict[str, str]] = {}
    with_text = set(store.texts)  # one query, not one per evidence record
    for s, o, relation, data in store.edges():
        for e in data["evidence"]:
            article = e["article"]
            facts.setdefault(article, []).append((e["start"], e["end"], s, o, relation, e["rule"]))
            if article not in with_text:
                sentences.setdefault(article, {})[str(e["start"])] = e["sentence"]
    records: dict[str, dict[str, Any]] = {}
    for _, data in store.nodes(NodeType.ARTICLE):
        article = data["identifier"]
        found = sorted(facts.get(article, []))
        text = store.texts.get(article, "")
        named = sorted({n for f in found for n in f[2:4]})
        records[article] = {
            "title": data["label"],
            "published": data.get("published", ""),
            "source": data.get("source", ""),
            "text": text,
            "sentences": sentences.get(article, {}),
            # One encoding for the list: ``assemble`` would otherwise walk every fact.
            "facts": encoded(
                [[s, o, relation, start, end, rule] for start, end, s, o, relation, rule in found]
            ),
            "meta": {n: site.meta_json(n) for n in named},
        }
    return records


def write_articles(site: Site, folder: Path) -> None:
    """views/articles/<shard>.js for every article."""
    records = article_records(site)
    by_shard: dict[str, dict[str, Any]] = {}
    for article in sorted(records):
        by_shard.setdefault(article_shard(article, site.article_chars), {})[article] = records[article]
    shards = folder / ARTICLE_SHARDS
    shards.mkdir()
    for shard, found in sorted(by_shard.items()):
        (shards / f"{shard}.js").write_text(data_script("kgArticles", assemble(found)), encoding="ascii")
