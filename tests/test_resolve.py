"""Resolution: which names depend on their article (市卫健委, 院), which name one entity, and why."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from kg.build import build_store
from kg.merges import ACROSS_PERSON, merge_report
from kg.model import ArticleFacts, Relation
from kg.pipeline import extract_article
from kg.resolve import (
    INTRODUCED_ABBREVIATION,
    Resolution,
    entity_of,
    is_relative,
    replay,
    resolve,
    resolve_article,
    short_form,
)
from kg.text.clean import clean

# fmt: off
CASES = [
    ("市卫健委", True), ("院", True), ("县人民医院", True), ("市二医院", True), ("区卫生健康局", True),
    ("全市", True), ("我市", True),
    # a level character that opens a place name: 镇江市, 乡宁县, 镇远县, 州 in 郑州市 never opens one
    ("镇江市中心医院", False), ("镇江市卫健委", False), ("乡宁县人民医院", False), ("镇远县卫生健康局", False),
    ("江北市第一人民医院", False), ("平川市", False),
]
# fmt: on


@pytest.mark.parametrize(("name", "relative"), CASES)
def test_relative_names(name: str, relative: bool) -> None:
    assert is_relative(name) is relative


def test_a_post_of_no_known_organisation_is_its_articles() -> None:
    # Two stories, each with a 副局长 of no organisation it names (in a hospital's news 局长 is not its).
    items = [
        extract_article(clean(name, f"{hospital}召开2023年度工作会议\n{person}副局长出席会议。"))
        for name, hospital, person in (
            ("a.txt", "城南区人民医院", "苗立新"),
            ("b.txt", "城北区人民医院", "卜文涛"),
        )
    ]
    resolution = resolve(items)
    posts = {
        entity_of(resolution, f.object)
        for item in items
        for f in item.facts
        if f.relation is Relation.HOLDS and f.object.text == "副局长"
    }
    assert len(posts) == 2 and "" not in posts


def test_a_name_lacking_only_the_ending_is_the_same_organisation() -> None:
    text = (
        "江西赣能医院召开2023年度工作会议\n3月5日,江西赣能医院召开2023年度工作会议。"
        "赣能控股集团有限公司董事、江西赣能工会主席罗文山致辞。"
    )
    resolution = resolve([extract_article(clean("a.txt", text))])
    short, full = resolution.org_id("a.txt", "江西赣能"), resolution.org_id("a.txt", "江西赣能医院")
    assert short and short == full
    entity = resolution.entities[full]
    assert entity.label == "江西赣能医院" and "江西赣能" in entity.aliases
    # the company named beside it stays itself
    assert resolution.org_id("a.txt", "赣能控股集团有限公司") not in ("", full)


def _resolved(*stories: tuple[str, str]) -> tuple[list[ArticleFacts], Resolution]:
    items = [extract_article(clean(name, text)) for name, text in stories]
    return items, resolve(items)


def _person(items: list[ArticleFacts], resolution: Resolution, article: str, name: str) -> str:
    item = next(i for i in items if i.article.id == article)
    found = {entity_of(resolution, f.subject) for f in item.facts if f.subject.text == name}
    assert len(found) == 1, found
    return found.pop()


def test_a_short_name_the_article_introduces_is_the_same_organisation() -> None:
    text = (
        "沙洲市第三人民医院召开2024年工作会议\n3月5日,沙洲市第三人民医院(以下简称“沙洲三院”)召开2024年工作会议。"
        "沙洲三院党委书记韦德明主持会议。"
    )
    _, resolution = _resolved(("a.txt", text))
    full, short = resolution.org_id("a.txt", "沙洲市第三人民医院"), resolution.org_id("a.txt", "沙洲三院")
    assert full and short == full
    assert "沙洲三院" in {resolution.entities[full].label, *resolution.entities[full].aliases}
    report = merge_report(resolution)
    merged = next(m for m in report["merged"] if m["id"] == full)
    assert INTRODUCED_ABBREVIATION in merged["reasons"]


def test_a_level_word_opens_no_place_and_the_former_name_is_no_alias() -> None:
    text = (
        "青川县人民医院召开2024年工作会议\n3月5日,青川县人民医院召开2024年工作会议。"
        "会议传达了市委市政府的部署。原青川县人民医院院长宁志远作报告。"
    )
    _, resolution = _resolved(("a.txt", text))
    assert short_form("市委市政府") == "市委市政府" and short_form("青川县人民医院") == "县人民医院"
    hospital = resolution.entities[resolution.org_id("a.txt", "青川县人民医院")]
    assert not any(name.startswith("原") for name in hospital.aliases)


def test_a_full_name_and_its_numbered_short_forms_are_one_hospital() -> None:
    text = (
        "铜陵市第二人民医院召开2024年工作会议\n3月5日,铜陵市第二人民医院召开2024年工作会议。"
        "市二院党委书记韦德明主持会议,市第二人民医院院长祁文远作报告。"
    )
    _, resolution = _resolved(("a.txt", text))
    ids = {resolution.org_id("a.txt", n) for n in ("铜陵市第二人民医院", "市二院", "市第二人民医院")}
    assert len(ids) == 1 and "" not in ids
    entity = resolution.entities[ids.pop()]
    assert entity.label == "铜陵市第二人民医院" and {"市二院", "市第二人民医院"} <= entity.aliases


STORY = (
    "{hospital}召开2024年工作会议\n3月5日,{hospital}召开2024年工作会议。{hospital}党委书记{name}主持会议。"
)


def test_one_person_across_articles_homonyms_apart() -> None:
    items, resolution = _resolved(
        ("a.txt", STORY.format(hospital="沙洲市第三人民医院", name="韦德明")),
        ("b.txt", STORY.format(hospital="沙洲市第三人民医院", name="韦德明")),
        ("c.txt", STORY.format(hospital="青川县人民医院", name="韦德明")),
    )
    a, b, c = (_person(items, resolution, x, "韦德明") for x in ("a.txt", "b.txt", "c.txt"))
    assert a == b != c
    report = merge_report(resolution)
    merged = next(m for m in report["merged"] if m["id"] == a)
    assert merged["article_count"] == 2 and ACROSS_PERSON in merged["reasons"]
    apart = next(k for k in report["kept_apart"] if k["name"] == "韦德明")
    assert {n["organisation"] for n in apart["nodes"]} == {"沙洲市第三人民医院", "青川县人民医院"}


DEV = Path(__file__).resolve().parents[2] / "shared" / "dev" / "articles"
# Read by hand: every name of one organisation in the bundled and dev articles, and no person twice.
EXPECTED_MERGES = {
    "corpus": [{"湖南航天", "湖南航天医院"}, {"市二医院", "市第二人民医院", "景德镇市第二人民医院"}],
    "dev": [{"县第十七届人民政府", "平江县第十七届人民政府"}, {"魏县卫健局", "魏县卫生健康局"}],
}


@pytest.mark.parametrize("corpus", ["corpus", "dev"])
def test_the_merges_of_the_real_articles_are_the_ones_read_by_hand(corpus: str) -> None:
    folder = Path(__file__).resolve().parents[1] / "corpus" if corpus == "corpus" else DEV
    if not folder.is_dir():
        pytest.skip("the dev articles are not beside this checkout")
    report = merge_report(build_store(folder).resolution)
    merged = [frozenset(m["names"]) for m in report["merged"]]
    assert len(merged) == len(set(merged)) and set(merged) == set(map(frozenset, EXPECTED_MERGES[corpus]))
    assert report["kept_apart"] == []


@pytest.mark.parametrize("corpus", ["corpus", "dev"])
def test_every_name_an_article_writes_for_an_organisation_is_a_label_of_its_node(
    corpus: str, tmp_path: Path
) -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDFS, SKOS

    from kg.exporters import get_exporter
    from kg.ids import iri

    folder = Path(__file__).resolve().parents[1] / "corpus" if corpus == "corpus" else DEV
    if not folder.is_dir():
        pytest.skip("the dev articles are not beside this checkout")
    result = build_store(folder)
    get_exporter("ttl")(result.store, tmp_path / "graph.ttl")
    graph = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    checked = 0
    org_of = [(name, entity) for names in result.resolution.org_of.values() for name, entity in names.items()]
    for name, entity in org_of:
        if name.startswith("原") and name[1:] in {n for n, _ in org_of}:
            continue  # 原…: "the former", no name of its own
        node = URIRef(iri(entity))
        if (node, None, None) not in graph:
            continue  # an organisation no fact kept (a name written in passing)
        labels = {str(o) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(node, p)}
        assert name in labels, (name, labels)
        checked += 1
    assert checked >= 10


def test_the_ends_resolving_found_are_what_entity_of_gives(corpus_dir: Path) -> None:
    """The graph takes each fact's ends as resolving found them: the same as asking afterwards,
    for every fact of the bundled corpus and of two dev articles (reposts, relative names)."""
    items = build_store(corpus_dir).corpus.articles
    dev = sorted((corpus_dir.parent.parent / "shared" / "dev" / "articles").glob("*.txt"))[:2]
    items += [extract_article(clean(p.name, p.read_text(encoding="utf-8"))) for p in dev]
    resolution = resolve(items)
    asked = 0
    for item in items:
        ends = resolution.fact_ends(item)
        assert ends == [
            (entity_of(resolution, f.subject), entity_of(resolution, f.object)) for f in item.facts
        ]
        asked += len(ends)
    assert asked > 100 and resolution.ends  # ends kept as resolved, not worked out again
    assert any(s == "" or o == "" for item in items for s, o in resolution.fact_ends(item))


def test_replaying_what_resolving_did_gives_the_same_resolution(corpus_dir: Path) -> None:
    """What outlives an article's resolution (entities, merge reasons, articles, a person's
    organisation), done again from its journal alone in another resolution, article by article
    in id order, is what resolving the facts gave: a rebuild replays unchanged articles."""
    items = build_store(corpus_dir).corpus.articles
    dev = sorted((corpus_dir.parent.parent / "shared" / "dev" / "articles").glob("*.txt"))[:4]
    items += [extract_article(clean(p.name, p.read_text(encoding="utf-8"))) for p in dev]
    resolved, replayed = Resolution(), Resolution()
    for item in sorted(items, key=lambda i: i.article.id):
        resolved.journal = []
        resolve_article(resolved, item, keep=False)
        replay(replayed, item.article.id, resolved.journal)
    assert len(resolved.entities) > 50
    assert replayed.entities == resolved.entities
    assert replayed.reasons == resolved.reasons and any(resolved.reasons.values())
    assert replayed.articles == resolved.articles
    assert replayed.person_org == resolved.person_org and any(resolved.person_org.values())
    with pytest.raises(ValueError, match="not a resolution effect"):
        replay(replayed, "a", [("forget", "x")])


def test_an_entity_keeps_each_attributes_first_value_and_every_name_its_articles_give() -> None:
    """An entity is a fold over its articles in id order: a later article adds names it lacked
    and values for attributes it lacked, never another value for one it has; an add that gives
    nothing new leaves it as it was."""
    resolution = Resolution()
    meeting = "meeting/0123456789abcdef"

    def add(article: str, name: str, place: str) -> None:
        effect = ("add", meeting, "meeting", name, (("date", "2024-03-01"), ("place", place)))
        replay(resolution, article, [effect])

    add("a.txt", "院务会", "")
    assert dict(resolution.entities[meeting].attrs) == {"date": "2024-03-01"}
    add("b.txt", "院务会", "三楼会议室")
    first = resolution.entities[meeting]
    assert dict(first.attrs) == {"date": "2024-03-01", "place": "三楼会议室"}
    add("c.txt", "院务会", "门诊楼会议室")
    assert resolution.entities[meeting] is first  # nothing new: the same entity, not a copy
    add("d.txt", "院长办公会院务会", "门诊楼会议室")
    entity = resolution.entities[meeting]
    assert entity.label == "院务会" and entity.aliases == {"院长办公会院务会"}
    assert dict(entity.attrs)["place"] == "三楼会议室"


def test_two_places_names_sharing_a_short_form_are_two_bodies() -> None:
    """A visit: two cities' first hospitals and health commissions in one story. Each place's
    names are one body; a name with no place is the home hospital's city's."""
    text = (
        "沙洲市第一人民医院接待青原市第一人民医院考察团\n5月8日,青原市第一人民医院考察团来沙洲市第一人民医院交流。"
        "沙洲市卫健委副主任韦德明、青原市卫健委副主任祁文远出席座谈会。"
        "市一医院党委书记宁志远主持座谈会,市卫健委有关处室负责人参加。"
    )
    _, resolution = _resolved(("a.txt", text))
    org = partial(resolution.org_id, "a.txt")
    assert org("沙洲市第一人民医院") != org("青原市第一人民医院")
    assert org("沙洲市卫健委") != org("青原市卫健委")
    assert org("市一医院") == org("沙洲市第一人民医院")  # the article's own city
    assert org("市卫健委") == org("沙洲市卫健委")
    visitor = resolution.entities[org("青原市卫健委")]
    assert visitor.label == "青原市卫健委" and not visitor.aliases


def test_a_name_with_no_place_beside_two_others_places_stays_its_own() -> None:
    """Neither place is the home organisation's: 市卫健委 is told apart from both, as a name
    that only makes sense in its article."""
    text = (
        "沙洲日报社举办健康论坛\n5月8日,沙洲日报社举办健康论坛。"
        "青原市卫健委副主任祁文远、江北市卫健委副主任韦德明出席论坛。市卫健委有关处室负责人参加。"
    )
    _, resolution = _resolved(("a.txt", text))
    org = partial(resolution.org_id, "a.txt")
    named = {org("青原市卫健委"), org("江北市卫健委"), org("市卫健委")}
    assert len(named) == 3 and "" not in named
