"""Who held which post when: dated observations of ``holds`` facts made into tenures.

Each holds fact is observed at a date (the meeting's, else the article's: ``observation_date``)
and may state a change: ``start`` (任命…为, 当选为, 聘任, 担任), ``end`` (免去…职务, 不再担任) or
``former`` (原院长: ended before that date). A tenure of (person, post) runs from its first
start, stated or first observed, to its end: stated, or, for a post one person holds at a time
(院长, 党委书记), inferred from the next holder's start. An open tenure is a current holding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from kg.lexicon import load_lexicon
from kg.model import ArticleFacts, Relation

if TYPE_CHECKING:  # the store dates its evidence with observation_date
    from kg.evidence import EvidenceRecord
    from kg.store import GraphStore

START, END, FORMER = "start", "end", "former"  # a holds fact's ``change`` qualifier
_ORDER = {START: 0, "": 1, FORMER: 2, END: 3}  # on one date: a start before what follows it


def observation_date(item: ArticleFacts) -> str:
    """When an article's holds facts were true: its meeting's date where it reports one meeting
    with a date, else the date it was published ("" when neither is known)."""
    dates = {f.qualifier("date") for f in item.facts if f.relation == Relation.HELD} - {""}
    if len(dates) == 1:
        (meeting,) = dates
        if len(meeting) >= len(item.article.published[:10]):  # no less precise than the dateline
            return meeting
    return item.article.published[:10]


@dataclass(slots=True)
class Tenure:
    start: str = ""  # ISO date (or year-month, year); "" when unknown
    start_by: str = ""  # "stated" (an appointment), "observed" (first seen in office), ""
    end: str = ""  # "" while open
    end_by: str = ""  # "stated" (a removal), "former" (原…), "inferred" (the next holder), ""
    last_seen: str = ""  # the last date it was observed in office
    observations: int = 0  # evidence records behind it, dated or not

    @property
    def is_open(self) -> bool:
        return not self.end_by

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def tenures_of(evidence: Iterable[EvidenceRecord]) -> list[Tenure]:
    """The tenures one person's observations of one post make, in date order."""
    records = list(evidence)
    dated = sorted((e for e in records if e.date), key=lambda e: (e.date, _ORDER[e.change]))
    found: list[Tenure] = []
    current: Tenure | None = None
    for e in dated:
        date, change = e.date, e.change
        if change in (END, FORMER):
            if current is not None:
                current.end, current.end_by = date, "stated" if change == END else FORMER
                current.observations += 1
                found.append(current)
                current = None
            elif found and not found[-1].is_open:
                found[-1].observations += 1  # the same end again (原院长 in a later story)
            else:  # known only to have ended
                found.append(Tenure(end=date, end_by="stated" if change == END else FORMER, observations=1))
            continue
        if current is None:
            current = Tenure(date, "stated" if change == START else "observed", last_seen=date)
        current.last_seen = max(current.last_seen, date)  # a start while in office: re-elected
        current.observations += 1
    if current is not None:
        found.append(current)
    undated = len(records) - len(dated)
    if undated:
        if found:
            found[-1].observations += undated
        else:
            found.append(Tenure(observations=undated))
    return found


def single_holder(title: str) -> bool:
    """院长, 党委书记, 医务科科长: one holder at a time. 副院长, 院长助理, 党委委员: several."""
    if any(mark in title for mark in ("副", "助理", "委员", "成员", "代理")) and not title.endswith(
        "主任委员"
    ):
        return False
    return any(title.endswith(head) for head in load_lexicon("single_holder_posts"))


def _infer_ends(holders: list[tuple[str, Tenure]]) -> None:
    """An open tenure of a single-holder post ends no later than the next holder's start."""
    for person, tenure in holders:
        if not tenure.is_open or not tenure.last_seen:
            continue
        later = [t.start for p, t in holders if p != person and t.start > tenure.last_seen]
        if later:
            tenure.end, tenure.end_by = min(later), "inferred"


def annotate(store: GraphStore, posts: Iterable[str] | None = None) -> None:
    """Put each holds edge's tenures (``tenures``) and whether it is held now (``current``) on
    it; ``posts``: the holds edges of those only (a post's tenures read all of its holders')."""
    by_post: dict[str, list[tuple[str, Tenure]]] = {}
    edges: list[tuple[dict[str, Any], list[Tenure]]] = []
    holdings: Iterable[tuple[str, str, str, dict[str, Any]]] = (
        store.edges(Relation.HOLDS)
        if posts is None
        else (
            (person, post, Relation.HOLDS, keyed[Relation.HOLDS])
            for post in sorted(posts)
            for person, keyed in sorted(store.pred[post].items())
            if Relation.HOLDS in keyed
        )
    )
    for person, post, _, data in holdings:
        found = tenures_of(data["evidence"])
        edges.append((data, found))
        by_post.setdefault(post, []).extend((person, t) for t in found if t.start)
    for post, holders in by_post.items():
        if single_holder(store.label(post)):
            _infer_ends(holders)
    for data, found in edges:
        data["tenures"] = [t.as_dict() for t in found]
        data["current"] = any(t.is_open for t in found)


@dataclass(frozen=True, slots=True)
class TenureRow:
    """One tenure with its person, post and organisation: a line of ``kg timeline``."""

    person: str  # node ids
    post: str
    organisation: str  # "" where the post names none
    tenure: Tenure


def tenure_rows(store: GraphStore, person: str | None = None) -> Iterator[TenureRow]:
    """Every tenure, or one person's, in the order of their holds edges."""
    if person is None:
        post_org = {post: org for post, org, _, _ in store.edges(Relation.POST_IN)}
        holds: Iterator[tuple[str, str, str, dict[str, Any]]] = store.edges(Relation.HOLDS)
    else:
        out = store.succ[person]
        posts = [post for post in sorted(out) if Relation.HOLDS in out[post]]
        post_org = {
            p: o for p in posts for o in sorted(store.succ[p]) if Relation.POST_IN in store.succ[p][o]
        }
        holds = ((person, post, Relation.HOLDS, out[post][Relation.HOLDS]) for post in posts)
    for holder, post, _, data in holds:
        for t in data.get("tenures", []):
            yield TenureRow(holder, post, post_org.get(post, ""), Tenure(**t))


_HEADS = ("院长", "主任", "局长", "厅长", "所长", "站长", "理事长", "会长", "主席", "董事长", "社长")


def post_rank(title: str) -> int:
    """Where a post stands in a leadership table: secretary, head, other single posts (总会计师),
    deputy secretary, deputies, the rest (院领导, 委员)."""
    if single_holder(title):
        if "书记" in title:
            return 0
        return 1 if title in _HEADS or title == "执行院长" else 2
    if "副书记" in title:
        return 3
    return 4 if "副" in title else 5


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """A line of an organisation's leadership over time, or of a person's career (labels)."""

    post: str
    person: str
    organisation: str
    tenure: Tenure


def labelled(store: GraphStore, row: TenureRow) -> TimelineRow:
    """A tenure row with its nodes' labels in place of their ids."""
    org = store.label(row.organisation) if row.organisation else ""
    return TimelineRow(store.label(row.post), store.label(row.person), org, row.tenure)


def table_order(row: TimelineRow) -> tuple[str, int, str, str, str]:
    """Organisation, post rank, post, start, person: how a leadership table reads. A tenure with
    no start sorts after the dated ones of its post."""
    return row.organisation, post_rank(row.post), row.post, row.tenure.start or "9999", row.person


def timeline(store: GraphStore, name: str) -> tuple[list[str], list[TimelineRow]]:
    """The tenures at every organisation, or of every person, that ``name`` names (its label or
    an alias; else any label containing it): (the nodes found, their rows in table order)."""
    wanted = {"organisation", "person"}
    nodes = [
        n
        for n, d in store.nodes()
        if d["type"] in wanted and (d["label"] == name or name in d.get("aliases", []))
    ]
    if not nodes:
        nodes = [n for n, d in store.nodes() if d["type"] in wanted and name and name in d["label"]]
    chosen = set(nodes)
    rows = [labelled(store, r) for r in tenure_rows(store) if r.person in chosen or r.organisation in chosen]
    return nodes, sorted(rows, key=table_order)
