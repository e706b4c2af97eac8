"""Tenures as W3C ORG memberships with OWL-Time intervals (kg/tenures.py makes them).

    res:membership/… a org:Membership ; org:member <person> ; org:organization <org> ;
        org:role kgpost:院长-concept ; kg:post <post> ; org:memberDuring res:membership/…/during ;
        kg:startedBy "stated" ; kg:endedBy "inferred" ; kg:inferred true ; kg:lastObserved "…"^^xsd:date ; kg:observations 3 .
    res:membership/…/during a time:Interval ; time:hasBeginning …/start ; time:hasEnd …/end .
    res:membership/…/start a time:Instant ; time:inXSDDate "2019-04-10"^^xsd:date .

Every such triple is about no one article: it goes in the default graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from rdflib import XSD
from rdflib.namespace import RDF

from kg.distinctions import distinction
from kg.ids import BASE, iri
from kg.store import GraphStore
from kg.tenures import Tenure, tenure_rows
from kg.vocab import KG, ORG, TIME, date_datatype, post_concept

Term = Any  # str (an IRI) or rdf.Lit; typed loosely to keep this module a leaf of rdf.py
_TYPE = str(RDF.type)


# How an instant is placed, by how precise its date is (vocab.date_datatype).
_PLACED_BY = {
    str(XSD.date): str(TIME.inXSDDate),
    str(XSD.gYearMonth): str(TIME.inXSDgYearMonth),
    str(XSD.gYear): str(TIME.inXSDgYear),
}


def membership_iri(person: str, post: str, tenure: Tenure) -> str:
    key = "\x1f".join((person, post, tenure.start, "" if tenure.start else tenure.end))
    return f"{BASE}membership/{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def membership_blocks(
    store: GraphStore, lit: Any, person: str | None = None
) -> Iterator[tuple[str, list[tuple[str, Term]]]]:
    """(subject, its (predicate, object) pairs) for every membership, interval and instant, or
    for one person's. ``lit`` makes a literal (rdf.Lit), passed in so that this module does not
    import rdf.py."""
    for row in tenure_rows(store, person):
        person, post, tenure = row.person, row.post, row.tenure
        if distinction(store.label(post)):
            continue  # an honour or a degree is held, not served in: no tenure
        m = membership_iri(person, post, tenure)
        pairs: list[tuple[str, Term]] = [
            (_TYPE, str(ORG.Membership)),
            (str(ORG.member), iri(person)),
            (str(ORG.role), str(post_concept(store.label(post)))),
            (str(KG.post), iri(post)),
            (str(KG.observations), lit(str(tenure.observations), datatype=str(XSD.integer))),
        ]
        if row.organisation:
            pairs.append((str(ORG.organization), iri(row.organisation)))
        if tenure.last_seen:
            pairs.append(
                (str(KG.lastObserved), lit(tenure.last_seen, datatype=str(date_datatype(tenure.last_seen))))
            )
        if tenure.start_by:
            pairs.append((str(KG.startedBy), lit(tenure.start_by)))
        if tenure.end_by:
            pairs.append((str(KG.endedBy), lit(tenure.end_by)))
        if tenure.end_by == "inferred":
            pairs.append((str(KG.inferred), lit("true", datatype=str(XSD.boolean))))
        instants = [(TIME.hasBeginning, "start", tenure.start), (TIME.hasEnd, "end", tenure.end)]
        known = [(p, name, value) for p, name, value in instants if value]
        if known:
            during = f"{m}/during"
            pairs.append((str(ORG.memberDuring), during))
            interval: list[tuple[str, Term]] = [(_TYPE, str(TIME.Interval))]
            for predicate, name, value in known:
                instant = f"{m}/{name}"
                interval.append((str(predicate), instant))
                datatype = str(date_datatype(value))
                yield (
                    instant,
                    [(_TYPE, str(TIME.Instant)), (_PLACED_BY[datatype], lit(value, datatype=datatype))],
                )
            yield during, interval
        yield m, pairs
