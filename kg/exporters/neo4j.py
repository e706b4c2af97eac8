"""neo4j/: CSV files for ``neo4j-admin database import`` and a Cypher ``LOAD CSV`` script.

One node file per label, one relationship file per type; every relationship carries its
evidence as parallel arrays (article, sentence, start, end, rule). The same files load
into Kùzu-family embedded databases (Ladybug) with COPY FROM.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from kg.distinctions import distinction
from kg.exporters.atomic import replace_folder
from kg.model import NodeType, Relation
from kg.relations import SPECS
from kg.store import GraphStore

LABELS = {
    NodeType.PERSON: "Person",
    NodeType.ORGANISATION: "Organisation",
    NodeType.POST: "Post",
    NodeType.MEETING: "Meeting",
    NodeType.TARGET: "Target",
    NodeType.DOCUMENT: "Document",
    NodeType.ARTICLE: "Article",
}
# relation → (type, from label, to label); edges run as in the store (kg/relations.py)
TYPES = {r: (spec.neo4j, LABELS[spec.subject], LABELS[spec.object]) for r, spec in SPECS.items()}
NODE_COLUMNS = ["id:ID", "label", "aliases:string[]", "articles:string[]", "date", "place", ":LABEL"]
REL_COLUMNS = [
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "date",
    "articles:string[]",
    "sentences:string[]",
    "starts:int[]",
    "ends:int[]",
    "rules:string[]",
    "observed:string[]",  # HOLDS: the date each sentence observed it at ("" where unknown)
    "current:boolean",  # HOLDS: whether a tenure is still open (kg/tenures.py); empty otherwise
    "since",  # HOLDS: the first tenure's start
    "until",  # HOLDS: the last tenure's end ("" while open)
    "distinction",  # HOLDS of an honour ("award") or a degree or rank ("credential"): not a post
]
# Between the items of an array field. Not neo4j-admin's default ";": sentences hold semicolons,
# and an array item cannot be quoted. The unit separator (U+001F) is in no text the build keeps.
ARRAY = "\x1f"
ARRAY_OPTION = "U+001F"  # how neo4j-admin's --array-delimiter names it
_CYPHER_ARRAY = "'\\u001F'"  # and a Cypher string literal


def _array(values: list[Any]) -> str:
    return ARRAY.join(str(v).replace(ARRAY, " ") for v in values)


def write_files(store: GraphStore, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for node_type, label in LABELS.items():
        with (folder / f"nodes_{label}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(NODE_COLUMNS)
            for node, data in store.nodes(node_type):
                writer.writerow(
                    [
                        node,
                        data["label"],
                        _array(data.get("aliases", [])),
                        _array(data.get("articles", [])),
                        data.get("date", ""),
                        data.get("place", ""),
                        label,
                    ]
                )
    for relation, (rel_type, _, _) in TYPES.items():
        with (folder / f"rels_{rel_type}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(REL_COLUMNS)
            for s, o, _, data in store.edges(relation):
                ev = data["evidence"]
                writer.writerow(
                    [
                        s,
                        o,
                        rel_type,
                        data.get("date", ""),
                        _array([e.article for e in ev]),
                        _array([e.sentence for e in ev]),
                        _array([e.start for e in ev]),
                        _array([e.end for e in ev]),
                        _array([e.rule for e in ev]),
                        _array([e.date for e in ev]) if relation == Relation.HOLDS else "",
                        *_tenure_columns(data),
                        distinction(store.label(o)) if relation == Relation.HOLDS else "",
                    ]
                )
    (folder / "import.sh").write_text(_import_command(), encoding="utf-8")
    (folder / "load.cypher").write_text(_cypher(), encoding="utf-8")


def _tenure_columns(data: dict[str, Any]) -> list[str]:
    tenures = data.get("tenures")
    if not tenures:
        return ["", "", ""]
    return ["true" if data.get("current") else "false", tenures[0]["start"], tenures[-1]["end"]]


def _import_command() -> str:
    nodes = " ".join(f"--nodes={label}=nodes_{label}.csv" for label in LABELS.values())
    rels = " ".join(f"--relationships={t}=rels_{t}.csv" for t, _, _ in TYPES.values())
    return (
        "#!/bin/sh\n# Offline bulk import into an empty Neo4j database (run from this folder).\n"
        # The database name first: from Neo4j 5.19 it must come before the options.
        f"neo4j-admin database import full neo4j --overwrite-destination --array-delimiter={ARRAY_OPTION} "
        f"{nodes} {rels}\n"
    )


def _cypher() -> str:
    lines = [
        "// Load into a running Neo4j: put the CSV files in its import/ folder, then run this script.",
        f"// Array fields are separated by {ARRAY_OPTION}, as import.sh tells neo4j-admin.",
    ]
    for label in LABELS.values():
        lines.append(
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE;"
        )
    for label in LABELS.values():
        lines.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///nodes_{label}.csv' AS row\n"
            f"MERGE (n:{label} {{id: row.`id:ID`}})\n"
            f"SET n.label = row.label, n.aliases = split(coalesce(row.`aliases:string[]`, ''), {_CYPHER_ARRAY}),\n"
            f"    n.articles = split(coalesce(row.`articles:string[]`, ''), {_CYPHER_ARRAY}),\n"
            "    n.date = row.date, n.place = row.place;"
        )
    for rel_type, source, target in TYPES.values():
        lines.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///rels_{rel_type}.csv' AS row\n"
            f"MATCH (a:{source} {{id: row.`:START_ID`}}), (b:{target} {{id: row.`:END_ID`}})\n"
            f"MERGE (a)-[r:{rel_type}]->(b)\n"
            f"SET r.date = row.date, r.articles = split(row.`articles:string[]`, {_CYPHER_ARRAY}),\n"
            f"    r.sentences = split(row.`sentences:string[]`, {_CYPHER_ARRAY}),\n"
            f"    r.starts = [x IN split(row.`starts:int[]`, {_CYPHER_ARRAY}) | toInteger(x)],\n"
            f"    r.ends = [x IN split(row.`ends:int[]`, {_CYPHER_ARRAY}) | toInteger(x)],\n"
            f"    r.rules = split(row.`rules:string[]`, {_CYPHER_ARRAY}),\n"
            f"    r.observed = split(row.`observed:string[]`, {_CYPHER_ARRAY}),\n"
            "    r.current = CASE row.`current:boolean` WHEN 'true' THEN true WHEN 'false' THEN false END,\n"
            "    r.since = row.since, r.until = row.until, r.distinction = row.distinction;"
        )
    return "\n\n".join(lines) + "\n"


def export(store: GraphStore, path: Path) -> None:
    replace_folder(path, lambda folder: write_files(store, folder))


def manifest(folder: Path) -> dict[str, Any]:
    """Node and relationship counts per file, for a quick look."""
    return {p.name: sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in sorted(folder.glob("*.csv"))} | {
        "_format": json.dumps({"array_delimiter": ARRAY})
    }
