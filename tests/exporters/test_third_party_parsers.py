"""Every RDF export reads the same in tools this project did not write: pyoxigraph, rdflib and
(where installed, as in CI) Debian's rapper give equal triple counts, on the bundled corpus,
the dev articles and a corpus of hostile file names."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph

import kg
from tests.conftest import CORPUS
from tests.test_resolve import DEV

FORMATS = {
    "graph.ttl": ("turtle", ox.RdfFormat.TURTLE),
    "graph.trig": ("trig", ox.RdfFormat.TRIG),
    "graph.nq": ("nquads", ox.RdfFormat.N_QUADS),
}
RAPPER = shutil.which("rapper")
WRITTEN = ("ttl", "trig", "nquads")
HOSTILE = [
    "news 01.txt",
    "会议 新闻<1>.txt",
    'a"b{c}|d^e`f.txt',
    "back\\slash#1.txt",
    "百分号%2 tab\there%.txt",
]


def _counts(out: Path) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for name, (rdflib_format, ox_format) in FORMATS.items():
        path = out / name
        found = {"oxigraph": sum(1 for _ in ox.parse(path=str(path), format=ox_format))}
        graph: Graph = Dataset() if rdflib_format != "turtle" else Graph()
        graph.parse(path, format=rdflib_format)
        found["rdflib"] = len(set(graph.quads())) if isinstance(graph, Dataset) else len(graph)
        if RAPPER:
            done = subprocess.run(
                [RAPPER, "-c", "-i", rdflib_format, str(path)], capture_output=True, text=True, check=True
            )
            found["rapper"] = int(re.search(r"returned (\d+) triples", done.stderr).group(1))  # type: ignore[union-attr]
        counts[name] = found
    return counts


def _agree(out: Path) -> None:
    counts = _counts(out)
    for name, found in counts.items():
        assert len(set(found.values())) == 1 and min(found.values()) > 0, (name, found)
    assert counts["graph.trig"]["oxigraph"] == counts["graph.nq"]["oxigraph"]


@pytest.mark.parametrize("corpus", ["corpus", "dev"])
def test_every_export_parses_alike_everywhere(corpus: str, tmp_path: Path) -> None:
    folder = CORPUS if corpus == "corpus" else DEV
    if not folder.is_dir():
        pytest.skip("the dev articles are not beside this checkout")
    kg.build(folder, tmp_path, formats=WRITTEN)
    _agree(tmp_path)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    corpus.mkdir()
    for name, source in zip(HOSTILE, sorted(CORPUS.glob("*.txt")), strict=True):  # five articles
        shutil.copyfile(source, corpus / name)
    yield corpus


def test_hostile_file_names_give_exports_every_parser_reads(hostile: Path, tmp_path: Path) -> None:
    result = kg.build(hostile, tmp_path, formats=WRITTEN)
    assert len(result.corpus.articles) == len(HOSTILE)
    _agree(tmp_path)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=' <>"{}|\\^`%#?中文\n\t', min_size=1, max_size=8))
def test_any_file_name_gives_a_turtle_that_parses(tmp_path: Path, stem: str) -> None:
    corpus = tmp_path / "c"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir()
    name = stem.replace("/", "_") + ".txt"
    (corpus / name).write_text("市人民医院召开会议\n2022-03-01\n院长王建国主持会议。\n", encoding="utf-8")
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    kg.build(corpus, out, formats=("ttl", "nquads"))
    assert sum(1 for _ in ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)) > 0
    assert sum(1 for _ in ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)) > 0


def test_the_turtle_is_what_rdflib_reads_back_and_writes_again(tmp_path: Path) -> None:
    from rdflib.compare import isomorphic

    kg.build(CORPUS, tmp_path, formats=("ttl",))
    first = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    again = Graph().parse(data=first.serialize(format="turtle"), format="turtle")
    assert len(first) > 1000 and isomorphic(first, again)
    assert set(ox.parse(path=str(tmp_path / "graph.ttl"), format=ox.RdfFormat.TURTLE)) == set(
        ox.parse(input=again.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    )


@pytest.mark.parametrize("corpus", ["corpus", "dev"])
def test_offsets_point_into_the_source_file_a_reader_opens(corpus: str, tmp_path: Path) -> None:
    from kg.text.load import decode
    from kg.vocab import KG, PROV, SCHEMA

    folder = CORPUS if corpus == "corpus" else DEV
    if not folder.is_dir():
        pytest.skip("the dev articles are not beside this checkout")
    kg.build(folder, tmp_path, formats=("ttl",))
    g = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    sources: dict[str, str] = {}
    checked = 0
    for statement in g.subjects(KG.sentenceStart, None):
        name = str(g.value(g.value(statement, PROV.wasDerivedFrom), SCHEMA.identifier))
        if name not in sources:
            sources[name] = decode((folder / name).read_bytes()).text
        start, end = (
            int(str(g.value(statement, KG.sentenceStart))),
            int(str(g.value(statement, KG.sentenceEnd))),
        )
        assert sources[name][start:end] == str(g.value(statement, KG.sentence)), (name, start)
        checked += 1
    assert checked > 200


def test_the_dataset_describes_itself(tmp_path: Path) -> None:
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kg.exporters.rdf import DATASET

    result = kg.build(CORPUS, tmp_path, formats=("ttl",))
    g = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    void = "http://rdfs.org/ns/void#"
    dataset = URIRef(DATASET)
    assert (dataset, RDF.type, URIRef(void + "Dataset")) in g
    described = set(g.triples((dataset, None, None)))
    partitions = {p for _, _, p in g.triples((dataset, URIRef(void + "classPartition"), None))}
    own = len(described) + sum(len(set(g.triples((p, None, None)))) for p in partitions)
    assert int(str(g.value(dataset, URIRef(void + "triples")))) == len(g) - own
    counts = result.store.counts()["nodes"]
    assert int(str(g.value(dataset, URIRef(void + "documents")))) == counts["article"]
    assert len(partitions) == len(counts) + 2  # honours and credentials beside the posts
