"""person –holds→ post –post_in→ organisation.

市卫健委党组书记、主任朱菁华 → holds(朱菁华, 党组书记 @ 市卫健委), holds(朱菁华, 主任 @ 市卫健委)
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.extractors.genre import lexicon, post_head
from kg.extractors.mentions import evidence, mention
from kg.extractors.people import PersonPosts, PostPart, analyse_people, home_org
from kg.extractors.resolve_local import resolve_org
from kg.lexicon import load_table
from kg.model import Fact, NodeType, Relation
from kg.tenures import END, FORMER, START
from kg.text.segment import SegmentedArticle


def _org_for(doc: SegmentedArticle, occurrence: PersonPosts, part: PostPart) -> str:
    lex = lexicon()
    if part.org:
        return resolve_org(doc, part.org, part.post_span.start)
    head = post_head(part.post)
    if lex.heads.get(head):
        return lex.heads[head]  # 市长 → 市政府
    if not part.inherits or head in lex.academic or head == "总书记":
        return ""
    home = home_org(doc)
    if occurrence.rule == "holds.name_title":
        # 张将院长 in a hospital's own news is its 院长; 吴建平书记 in a speech may be anyone's.
        return home if home and _fits_home(part.post, home) else ""
    # 党委书记王培安 in a hospital's own report: the hospital's post.
    return home


def _fits_home(post: str, home: str) -> bool:
    kinds = load_table("post_home_kinds")
    head = max((h for h in kinds if post.endswith(h)), key=len, default="")
    endings = kinds.get(head, "").split()
    return "*" in endings or any(home.endswith(e) for e in endings)


def _qualifiers(occurrence: PersonPosts, part: PostPart) -> tuple[tuple[str, str], ...]:
    """former for 原…, 免去, 不再担任; and the change the text states (kg/tenures.py)."""
    if occurrence.rule == "holds.appointment":
        return (("change", END), ("former", "true")) if part.former else (("change", START),)
    return (("change", FORMER), ("former", "true")) if part.former else ()


def extract(doc: SegmentedArticle) -> Iterator[Fact]:
    people = analyse_people(doc)
    # Full posts first, so that 张将书记 adds nothing where 党委书记张将 was read.
    occurrences = sorted(people.occurrences, key=lambda o: o.rule == "holds.name_title")
    held_posts: dict[str, set[str]] = {}
    for occurrence in occurrences:
        posts = held_posts.setdefault(occurrence.name, set())
        if occurrence.rule == "holds.name_title":
            head = occurrence.parts[0].post
            if any(post.endswith(head) for post in posts):
                continue
        person = mention(doc, NodeType.PERSON, occurrence.name, occurrence.span)
        for part in occurrence.parts:
            org = _org_for(doc, occurrence, part)
            posts.add(part.post)
            post = mention(
                doc, NodeType.POST, part.post, part.post_span, org=org, former="true" if part.former else ""
            )
            ev = evidence(doc, occurrence.sentence, occurrence.rule)
            yield Fact(Relation.HOLDS, person, post, ev, _qualifiers(occurrence, part))
            if org:
                org_span = part.org_span or part.post_span
                yield Fact(Relation.POST_IN, post, mention(doc, NodeType.ORGANISATION, org, org_span), ev)
