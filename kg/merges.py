"""The merge report: why names became one node, and which look-alikes were kept apart.

A user asking "why is this one hospital?" or "why are these two 张勇?" reads merges.json:

- ``merged``: every node named in more than one article or by more than one name, with the
  reasons (the same full name; the same name and organisation; a short form the article
  introduces …) and the articles;
- ``kept_apart``: every person name on more than one node, with each node's organisation: the
  same name is never enough to merge two people.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kg.model import NodeType
from kg.resolve import Resolution

ACROSS_ORGANISATION = "the same full name in more than one article"
ACROSS_PERSON = "the same name holding a post in the same organisation"
APART_ORGANISATION = "a post in another organisation"
APART_NO_ORGANISATION = "no organisation known: kept to the article"
MAX_ARTICLES_LISTED = 20  # a node named in thousands of articles lists the first few


def merge_report(resolution: Resolution) -> dict[str, Any]:
    merged: list[dict[str, Any]] = []
    by_name: dict[str, list[str]] = defaultdict(list)
    for entity_id, entity in sorted(resolution.entities.items()):
        if entity.type not in (NodeType.PERSON, NodeType.ORGANISATION):
            continue
        articles = sorted(resolution.articles.get(entity_id, ()))
        reasons = set(resolution.reasons.get(entity_id, ()))
        if len(articles) > 1:
            reasons.add(ACROSS_PERSON if entity.type is NodeType.PERSON else ACROSS_ORGANISATION)
        if entity.type is NodeType.PERSON:
            by_name[entity.label].append(entity_id)
        if reasons and (len(articles) > 1 or entity.aliases):
            merged.append(
                {
                    "id": entity_id,
                    "type": str(entity.type),
                    "label": entity.label,
                    "names": sorted({entity.label, *entity.aliases}),
                    "reasons": sorted(reasons),
                    "article_count": len(articles),
                    "articles": articles[:MAX_ARTICLES_LISTED],
                }
            )
    kept_apart = [
        {
            "name": name,
            "nodes": [
                {
                    "id": entity_id,
                    "organisation": resolution.label(org)
                    if (org := resolution.person_org.get(entity_id))
                    else "",
                    "why": APART_ORGANISATION if org else APART_NO_ORGANISATION,
                    "article_count": len(resolution.articles.get(entity_id, ())),
                }
                for entity_id in ids
            ],
        }
        for name, ids in sorted(by_name.items())
        if len(ids) > 1
    ]
    return {
        "counts": {
            "merged": len(merged),
            "merged_organisations": sum(1 for m in merged if m["type"] == str(NodeType.ORGANISATION)),
            "merged_people": sum(1 for m in merged if m["type"] == str(NodeType.PERSON)),
            "kept_apart": len(kept_apart),
        },
        "merged": merged,
        "kept_apart": kept_apart,
    }
