"""graph.trig: the same statements with one named graph per article.

Each graph is written with the canonical Turtle writer and the graphs are placed in
sorted order, so the same corpus gives the same bytes (rdflib's TriG writer orders
graphs by hash).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kg.exporters.atomic import atomic_write
from kg.exporters.rdf import PREFIXES, new_graph, quads
from kg.ids import BASE
from kg.store import GraphStore


def graph_iri(article_id: str) -> URIRef:
    return URIRef(f"{BASE}graph/{article_id}")


def graphs(store: GraphStore) -> dict[str, Graph]:
    """Article id ("" for the default graph) → its triples."""
    by_article: dict[str, Graph] = defaultdict(new_graph)
    for article, triple in quads(store):
        by_article[article].add(triple)
    return dict(by_article)


def to_dataset(store: GraphStore) -> Dataset:
    ds = new_graph(Dataset)
    assert isinstance(ds, Dataset)
    for article, g in graphs(store).items():
        target = ds.graph(graph_iri(article)) if article else ds.default_graph
        for triple in g:
            target.add(triple)
    return ds


def _body(g: Graph) -> str:
    text = g.serialize(format="longturtle", canon=True)
    lines = [line for line in text.splitlines() if not line.startswith(("@prefix", "PREFIX"))]
    return "\n".join("    " + line if line else "" for line in lines).strip("\n")


def export(store: GraphStore, path: Path) -> None:
    rdf_prefixes = {
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    }
    prefixes = {**rdf_prefixes, **{k: str(v) for k, v in PREFIXES.items()}}
    with atomic_write(path) as out:
        for prefix, ns in sorted(prefixes.items()):
            out.write(f"PREFIX {prefix}: <{ns}>\n")
        for article, g in sorted(graphs(store).items()):
            out.write("\n")
            if article:
                out.write(f"<{graph_iri(article)}> {{\n{_body(g)}\n}}\n")
            else:
                out.write(f"{{\n{_body(g)}\n}}\n")
