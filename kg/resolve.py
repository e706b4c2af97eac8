"""One node per real entity: mentions across articles resolved to stable entities.

- Organisations: 市二医院 = 市第二人民医院 = 景德镇市第二人民医院 (same short form in one
  article); a name that only makes sense in its article (市卫健委, 院) stays there, a
  name with its place (景德镇市第二人民医院, 国务院) is one node across the corpus.
- People: the same name with a post in the same organisation is one person; a name with
  no organisation is one person per article (two 王冰 in two hospitals are two people).
- Posts: one per (organisation, title). Meetings: one per (organiser, name, date).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.extractors.genre import org_type
from kg.ids import normalise, stable_id
from kg.model import ArticleFacts, Entity, Mention, NodeType, Relation

_NUMERAL_HOSPITAL = re.compile(r"第([一二三四五六七八九十]{1,3})人民医院$")
_NUMERAL_SHORT = re.compile(r"(?<=[市县区])([一二三四五六七八九十]{1,3})院$")
# A place opens with its own name, never a level word (市委市政府 holds no place 市委市).
_NOT_A_LEVEL_WORD = r"(?![市省县区州全本我该])"
_LEVEL = r"(?:自治区|省|市|县|区|州)"
_PLACE = re.compile(rf"^(?P<place>{_NOT_A_LEVEL_WORD}[\u4e00-\u9fff]{{2,5}}?{_LEVEL})(?P<rest>.+)$")
_WHOLE_PLACE = re.compile(rf"^{_NOT_A_LEVEL_WORD}[\u4e00-\u9fff]{{1,5}}{_LEVEL}$")
_RELATIVE = re.compile(r"^(?:市|省|县|区|州|院|委|局|镇|乡|全市|本市|我市)")
_SYNONYMS = (
    ("卫生健康委员会", "卫健委"),
    ("卫生和计划生育委员会", "卫健委"),
    ("卫生健康委", "卫健委"),
    ("卫生计生委", "卫健委"),
    ("卫计委", "卫健委"),
    ("卫生健康局", "卫健局"),
    ("人民政府", "政府"),
)


def short_form(name: str) -> str:
    """The form two names of one organisation share: 景德镇市第二人民医院 → 市二医院."""
    return _place_and_short_form(name)[1]


def place_of(name: str) -> str:
    """The place a name opens with (遵义市 of 遵义市卫健委), "" when it names none (市卫健委)."""
    return _place_and_short_form(name)[0]


def _place_and_short_form(name: str) -> tuple[str, str]:
    """Where a name's place ends, decided once for ``short_form`` and ``place_of``."""
    name = normalise(name)
    for long, short in _SYNONYMS:
        if name.endswith(long):
            name = name[: -len(long)] + short
    name = _NUMERAL_HOSPITAL.sub(r"\1医院", name)
    name = _NUMERAL_SHORT.sub(r"\1医院", name)  # 市二院 = 市二医院
    m = _PLACE.match(name)
    if m and len(m["rest"]) >= 2:
        return m["place"], m["place"][-1] + m["rest"]
    return "", name


def is_relative(name: str) -> bool:
    """市卫健委, 院: a name whose referent depends on the article it is in."""
    # 镇江市, 乡宁县, 州 of 贵州: a level word opening a place name is the place's, not a reference.
    if _PLACE.match(name) or _WHOLE_PLACE.match(name):
        return False
    return bool(_RELATIVE.match(name)) or (short_form(name) == name and len(name) <= 4)


# Why names of one article were put on one node (the merge report gives these).
SAME_SHORT_FORM = "same short form in one article (市二医院 = 景德镇市第二人民医院)"
NAME_WITHOUT_ENDING = "a name lacking only the other's ending (湖南航天 = 湖南航天医院)"
INTRODUCED_ABBREVIATION = "a short name the article introduces (以下简称…)"

# (article, type, name normalised, "organisation|organiser" the extractor gave): what a
# mention's entity is kept under in Resolution.ids, as resolving gives it and entity_of asks.
MentionKey = tuple[str, NodeType, str, str]


def mention_key(m: Mention) -> MentionKey:
    return (m.article_id, m.type, normalise(m.text), m.attr("org") + "|" + m.attr("organiser"))


@dataclass(slots=True)
class Resolution:
    entities: dict[str, Entity] = field(default_factory=dict)
    # What one article's names mean, kept per article so that a build that only exports can let
    # an article's tables go once its facts are in the graph (resolve_article's ``keep``).
    org_of: dict[str, dict[str, str]] = field(default_factory=dict)  # article → org text → entity id
    written: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # article → entity → names used
    ids: dict[str, dict[MentionKey, str]] = field(default_factory=dict)  # article → mention key → entity
    # Why names became one node, and where: what the merge report (merges.json) is made of.
    reasons: dict[str, set[str]] = field(default_factory=dict)  # entity → reasons
    articles: dict[str, set[str]] = field(default_factory=dict)  # entity → articles naming it
    person_org: dict[str, str] = field(default_factory=dict)  # person → the organisation keying them
    # Article → (subject, object) entity of each of its facts, in order ("" where an end does not
    # resolve): what ``entity_of`` would give, worked out once, as resolving found them.
    ends: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # When a list: what resolving an article does to what outlives it (entities, reasons,
    # articles, person_org), in order, as plain tuples: ``replay`` does it again without the
    # article's facts (a rebuild keeps each article's in the cache).
    journal: list[Effect] | None = None

    def fact_ends(self, item: ArticleFacts) -> list[tuple[str, str]]:
        """(subject, object) entity of each of the article's facts, in order."""
        found = self.ends.get(item.article.id)
        if found is None or len(found) != len(item.facts):  # facts resolved elsewhere
            found = [(entity_of(self, f.subject), entity_of(self, f.object)) for f in item.facts]
        return found

    def org_id(self, article_id: str, text: str) -> str:
        return self.org_of.get(article_id, {}).get(normalise(text), "")

    def label(self, entity_id: str) -> str:
        entity = self.entities.get(entity_id)
        return entity.label if entity else ""

    def written_label(self, article_id: str, entity_id: str) -> str:
        """The shortest name the article itself writes for an entity (市二医院), as gold files do."""
        names = self.written.get(article_id, {}).get(entity_id)
        return min(names, key=lambda n: (len(n), n)) if names else self.label(entity_id)


# One thing resolving an article did to what outlives it: ("add", entity, type, name, attrs),
# ("reasons", entity, reasons), ("article", entity) or ("person_org", person, organisation).
Effect = tuple[Any, ...]


def replay(resolution: Resolution, article_id: str, effects: Iterable[Effect]) -> None:
    """Do again what resolving the article did to what outlives it (``Resolution.journal``)."""
    entities, articles = resolution.entities, resolution.articles
    for effect in effects:
        kind = effect[0]
        if kind == "add":
            _, entity_id, node_type, name, attrs = effect
            # Most adds name an entity as an earlier article did (10k articles: 225,000 adds):
            # found to change nothing before an add is made of them.
            if not _adds_nothing(entities.get(entity_id), name, attrs):
                _add(resolution, entity_id, NodeType(node_type), name, **dict(attrs))
        elif kind == "article":
            # Not setdefault: that would make an empty set for every effect, and few are new.
            found = articles.get(effect[1])
            if found is None:
                articles[effect[1]] = {article_id}
            else:
                found.add(article_id)
        elif kind == "reasons":
            resolution.reasons.setdefault(effect[1], set()).update(effect[2])
        elif kind == "person_org":
            resolution.person_org[effect[1]] = effect[2]
        else:
            raise ValueError(f"not a resolution effect: {kind!r}")


def _note(resolution: Resolution, *effect: Any) -> None:
    if resolution.journal is not None:
        resolution.journal.append(effect)


def _adds_nothing(old: Entity | None, name: str, attrs: Collection[tuple[str, str]]) -> bool:
    """Whether adding ``name`` and ``attrs`` to the entity ``old`` would build it again the same:
    a name it has, and no attribute it lacks (an entity's first value of an attribute stays)."""
    if old is None or (name and name != old.label and name not in old.aliases):
        return False
    if not attrs:
        return True
    held = {key for key, _ in old.attrs}
    return all(not value or key in held for key, value in attrs)


def _add(resolution: Resolution, entity_id: str, node_type: NodeType, name: str, **attrs: str) -> None:
    _note(resolution, "add", entity_id, str(node_type), name, tuple(attrs.items()))
    old = resolution.entities.get(entity_id)
    if _adds_nothing(old, name, attrs.items()):
        return
    names = {name} if name else set()
    if old is not None:
        names |= {old.label, *old.aliases}
        merged_attrs = dict(old.attrs)
        for key, value in attrs.items():
            merged_attrs.setdefault(key, value) if value else None
    else:
        merged_attrs = {k: v for k, v in attrs.items() if v}
    # The label is the shortest name that identifies it across the corpus: 景德镇市第二人民医院
    # over 市二医院, which every city has; 湖南省卫生健康委 over …委员会.
    anchored = [n for n in names if node_type is not NodeType.ORGANISATION or not is_relative(n)] or list(
        names
    )
    label = min(anchored, key=lambda n: (len(n), n)) if anchored else ""
    if node_type is NodeType.ORGANISATION:
        # Its kind (hospital, government, party …) is decided here, once, from the name it goes by.
        merged_attrs.pop("kind", None)
        if kind := org_type(label):
            merged_attrs["kind"] = kind
    resolution.entities[entity_id] = Entity(
        entity_id, node_type, label, frozenset(names - {label}), tuple(sorted(merged_attrs.items()))
    )


def _resolve_orgs(item: ArticleFacts, resolution: Resolution) -> None:
    """The organisations one article names, each on its node."""
    names: set[str] = set()
    for fact in item.facts:
        for m in (fact.subject, fact.object):
            if m.type is NodeType.ORGANISATION and m.text:
                names.add(normalise(m.text))
            if m.type in (NodeType.POST, NodeType.MEETING):
                for key in ("org", "organiser"):
                    if m.attr(key):
                        names.add(normalise(m.attr(key)))
    if item.home_org:
        names.add(normalise(item.home_org))
    clusters: dict[str, set[str]] = defaultdict(set)
    for name in names:
        clusters[short_form(name)].add(name)
    # Names written where no fact was read (市六医院全体干部职工…) still join as aliases.
    for name in map(normalise, item.org_names):
        if short_form(name) in clusters:
            clusters[short_form(name)].add(name)
    _apart_by_place(clusters, place_of(item.home_org) if item.home_org else "")
    why: dict[str, set[str]] = defaultdict(set)  # cluster → how its names came together
    for short, members in clusters.items():
        if len(members) > 1:
            why[short].add(SAME_SHORT_FORM)
    # 湖南航天 beside 湖南航天医院: a name that lacks only the other's ending is its short form.
    for short in sorted(clusters, key=len):
        if org_type(short) or short not in clusters:
            continue
        longer = [
            o
            for o in clusters
            if o != short and o.startswith(short) and org_type(o) and len(o) - len(short) <= 4
        ]
        if len(longer) == 1:
            clusters[longer[0]] |= clusters.pop(short)
            why[longer[0]] |= {NAME_WITHOUT_ENDING, *why.pop(short, ())}
    # 温州市第一人民医院(以下简称“温州一院”): the article says the two are one. A short name
    # no fact or organisation mention uses is an alias only, never the name facts are given by.
    introduced: set[str] = set()
    for full, abbreviation in item.abbreviations:
        home = next((k for k, m in clusters.items() if normalise(full) in m), None)
        if home is None:
            continue
        own = next((k for k, m in clusters.items() if normalise(abbreviation) in m), None)
        if own is not None and own != home:
            clusters[home] |= clusters.pop(own)
            why[home] |= why.pop(own, set())
        clusters[home].add(normalise(abbreviation))
        why[home].add(INTRODUCED_ABBREVIATION)
        if own is None:
            introduced.add(normalise(abbreviation))
    for short, members in sorted(clusters.items()):
        # 原佛山市第一人民医院 beside 佛山市第一人民医院: "the former …", no name of its own.
        former = {n for n in members if n.startswith("原") and n[1:] in members}
        anchored = sorted((n for n in members - former if not is_relative(n)), key=lambda n: (-len(n), n))
        key = anchored[0] if anchored else f"{item.scope}#{short}"
        entity_id = stable_id(NodeType.ORGANISATION, key)
        reasons = tuple(sorted(why.get(short, ())))
        resolution.reasons.setdefault(entity_id, set()).update(reasons)
        resolution.articles.setdefault(entity_id, set()).add(item.article.id)
        _note(resolution, "reasons", entity_id, reasons)
        _note(resolution, "article", entity_id)
        org_of = resolution.org_of.setdefault(item.article.id, {})
        written = resolution.written.setdefault(item.article.id, {})
        for name in sorted(members):
            org_of[name] = entity_id
            if name not in former:
                if name not in introduced:
                    written.setdefault(entity_id, set()).add(name)
                _add(resolution, entity_id, NodeType.ORGANISATION, name)


def _apart_by_place(clusters: dict[str, set[str]], home_place: str) -> None:
    """Names sharing a short form that open with two places name two bodies: 遵义市卫健委 and
    湘潭市卫健委 in one story (a visit, a meeting of several cities) are two commissions, each
    its own cluster, under its longest name. A name with no place (市卫健委) goes with the names
    of the article's own place (its home organisation's), else stays a cluster of its own."""
    for short in list(clusters):
        by_place: dict[str, set[str]] = defaultdict(set)
        for name in clusters[short]:
            by_place[place_of(name)].add(name)
        placeless = by_place.pop("", set())
        if len(by_place) < 2:
            continue
        del clusters[short]
        for place, names in by_place.items():
            clusters[max(names, key=lambda n: (len(n), n))] = names | (
                placeless if place == home_place else set()
            )
        if placeless and home_place not in by_place:
            clusters[short] = placeless


def resolve(articles: Iterable[ArticleFacts]) -> Resolution:
    """Entities for every mention in every article, taken in the order of their ids."""
    resolution = Resolution()
    for item in sorted(articles, key=lambda a: a.article.id):
        resolve_article(resolution, item)
    return resolution


def resolve_article(
    resolution: Resolution, item: ArticleFacts, *, keep: bool = True
) -> list[tuple[str, str]]:
    """One article's mentions on their entities, its organisations first: the (subject, object)
    entity of each of its facts. Articles come in the order of their ids (an entity's first
    attribute wins); each article reads only its own names' tables and the shared entities, so
    a corpus can be resolved article by article as it streams past. Without ``keep``, the
    article's own tables (its names, its mentions' ids, its facts' ends) are let go afterwards:
    entities and what the merge report reads stay."""
    aid = item.article.id
    scope = item.scope
    _resolve_orgs(item, resolution)
    # A person is keyed by the organisation of their first post in the article.
    person_org: dict[str, str] = {}
    for fact in item.facts:
        if fact.relation is Relation.HOLDS and fact.object.attr("org"):
            person_org.setdefault(fact.subject.text, resolution.org_id(aid, fact.object.attr("org")))
    ends = [
        (
            _resolve_mention(resolution, aid, scope, fact.subject, person_org),
            _resolve_mention(resolution, aid, scope, fact.object, person_org),
        )
        for fact in item.facts
    ]
    if keep:
        resolution.ends[aid] = ends
    else:
        for table in (resolution.org_of, resolution.written, resolution.ids):
            table.pop(aid, None)
    return ends


def _resolve_mention(
    resolution: Resolution, aid: str, scope: str, m: Mention, person_org: dict[str, str]
) -> str:
    """The mention's entity ("" for an organisation the text does not name), made on first sight:
    an id, once given, never changes, so it is what ``entity_of`` gives after resolving."""
    key = mention_key(m)
    ids = resolution.ids.setdefault(aid, {})
    found = ids.get(key)
    if found is not None:
        return found
    if m.type is NodeType.ORGANISATION and not m.text:
        return ""
    if m.type is NodeType.ORGANISATION:
        entity_id = resolution.org_id(aid, m.text)
        ids[key] = entity_id
        return entity_id
    if m.type is NodeType.PERSON:
        org_id = person_org.get(m.text, "")
        entity_id = stable_id(NodeType.PERSON, m.text, org_id or scope)
        _add(resolution, entity_id, NodeType.PERSON, m.text)
        resolution.articles.setdefault(entity_id, set()).add(aid)
        resolution.person_org[entity_id] = org_id
        _note(resolution, "article", entity_id)
        _note(resolution, "person_org", entity_id, org_id)
    elif m.type is NodeType.POST:
        org_id = resolution.org_id(aid, m.attr("org")) if m.attr("org") else ""
        # A post of no known organisation is its article's (副院长 of one story is not of the next).
        entity_id = stable_id(NodeType.POST, org_id or f"scope:{scope}", m.text)
        _add(resolution, entity_id, NodeType.POST, m.text, org=org_id)
    elif m.type is NodeType.MEETING:
        org_id = resolution.org_id(aid, m.attr("organiser")) if m.attr("organiser") else scope
        entity_id = stable_id(NodeType.MEETING, org_id, m.text, m.attr("date"))
        _add(resolution, entity_id, NodeType.MEETING, m.text, date=m.attr("date"), place=m.attr("place"))
    elif m.type is NodeType.TARGET:
        entity_id = stable_id(NodeType.TARGET, scope, m.text)
        _add(resolution, entity_id, NodeType.TARGET, m.text)
    else:  # document
        entity_id = stable_id(NodeType.DOCUMENT, m.text)
        _add(resolution, entity_id, NodeType.DOCUMENT, m.text)
    ids[key] = entity_id
    return entity_id


def entity_of(resolution: Resolution, m: Mention) -> str:
    """The entity id of a mention ("" for an organisation the text does not name)."""
    return resolution.ids.get(m.article_id, {}).get(mention_key(m), "")
