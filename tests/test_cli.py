"""The kg command: every subcommand has help and runs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from tests.conftest import CORPUS, QUERIES

GOLD = Path(__file__).resolve().parent / "data" / "mini_gold.jsonl"


@pytest.mark.parametrize("command", ["build", "eval", "query"])
def test_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 5


def test_build_prints_a_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(CORPUS), "--out", str(tmp_path), "--format", "ttl"])
    assert result.exit_code == 0, result.output
    assert "articles read: 5, skipped: 0" in result.output
    assert "person" in result.output and "holds" in result.output
    assert (tmp_path / "graph.ttl").exists() and not (tmp_path / "graph.html").exists()
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["read"] == 5


def test_build_reports_bad_files_and_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(
        "城南区人民医院召开2023年度工作会议\n3月5日,城南区人民医院召开2023年度工作会议。院长欧阳明远主持会议。",
        encoding="utf-8",
    )
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "copy.txt").write_text((corpus / "good.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["build", str(corpus), "--out", str(tmp_path / "out"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert "empty.txt: empty file" in result.output
    assert "good.txt: duplicate of copy.txt" in result.output


def test_build_fails_when_nothing_can_be_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "could be read" in result.output and "binary" in result.output


def test_eval_table_and_json(tmp_path: Path) -> None:
    table = CliRunner().invoke(cli, ["eval", "--gold", str(GOLD), str(CORPUS)])
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0].split()[:4] == ["type", "gold", "pred", "match"]
    out = CliRunner().invoke(cli, ["eval", "--gold", str(GOLD), str(CORPUS), "--json"])
    scores = json.loads(out.output)
    assert scores["holds"]["gold"] == 3 and scores["holds"]["matched"] == 2
    assert scores["held"]["date_accuracy"] == 1.0


def test_eval_points_at_a_malformed_gold_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"article": "a.txt", "type": "holds", "person": "x", "post": "y", "org": ""}\n{oops\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["eval", "--gold", str(bad), str(CORPUS)])
    assert result.exit_code == 1
    assert "bad.jsonl:2:" in result.output


def test_query_formats(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["build", str(CORPUS), "--out", str(tmp_path), "--format", "ttl"])
    query = QUERIES / "dashboard_counts.rq"
    table = CliRunner().invoke(cli, ["query", str(tmp_path / "graph.ttl"), str(query)])
    assert table.exit_code == 0 and "(9 rows)" in table.output  # seven kinds, honours, credentials
    as_csv = CliRunner().invoke(cli, ["query", str(tmp_path / "graph.ttl"), str(query), "--format", "csv"])
    assert as_csv.output.splitlines()[0] == "kind,count"


def test_query_error_is_one_line(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["build", str(CORPUS), "--out", str(tmp_path), "--format", "ttl"])
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ", encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", str(tmp_path / "graph.ttl"), str(bad)])
    assert result.exit_code == 1 and "does not parse" in result.output
    assert "bad.rq" in result.output
    assert re.search(r"\d+:\d+|line", result.output), "the message says where"


def test_console_script_flushes_and_exits_with_the_commands_code(tmp_path: Path) -> None:
    """``python -m kg`` ends with os._exit (no teardown of a big graph): what it printed must
    still reach a pipe, and its exit code must still be the command's."""
    import subprocess
    import sys

    run = [sys.executable, "-m", "kg", "build"]
    ok = subprocess.run(
        [*run, str(CORPUS), "--out", str(tmp_path / "out"), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("articles read: 5, skipped: 0\n") and "wrote: " in ok.stdout
    (tmp_path / "empty").mkdir()
    failed = subprocess.run([*run, str(tmp_path / "empty")], capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    assert "no .txt, .html, .jsonl or .json articles" in failed.stderr


def test_timings_name_every_stage_and_the_parts_fit_inside_the_whole(tmp_path: Path) -> None:
    args = ["build", str(CORPUS), "--out", str(tmp_path), "-j", "1", "--no-cache", "--timings"]
    result = CliRunner().invoke(cli, [*args, "--format", "ttl", "--format", "json"])
    assert result.exit_code == 0, result.output
    stages = {m[1]: float(m[2]) for m in re.finditer(r"^  (\S.*?)\s+([\d.]+) s$", result.output, re.M)}
    for stage in ("read files", "load+extract", "dedupe", "resolve", "graph", "export ttl", "export json"):
        assert stage in stages, result.output
    # No POS tagging line when every run was tagged before in this process (remembered cuts).
    parts = (
        stages["of which load+clean"]
        + stages.get("of which POS tagging", 0.0)
        + stages["of which target model"]
    )
    assert parts <= stages["load+extract"]  # printed to the hundredth: five articles may load in 0.00 s


def test_query_csv_never_hands_a_spreadsheet_a_formula(tmp_path: Path) -> None:
    """A name read from an article such as =HYPERLINK(…) reaches CSV as text, not as a formula."""
    import csv
    import io

    from kg.query import Table, format_table

    table = Table(["name", "n"], [['=HYPERLINK("http://x")', "-3.5"], ["@SUM(A1)", "+7"], ["-cmd|x", "院长"]])
    rows = list(csv.reader(io.StringIO(format_table(table, "csv"))))
    assert rows[1:] == [['\'=HYPERLINK("http://x")', "-3.5"], ["'@SUM(A1)", "+7"], ["'-cmd|x", "院长"]]


def test_an_unknown_extractor_and_an_unwritable_output_are_one_line_errors(tmp_path: Path) -> None:
    bogus = CliRunner().invoke(
        cli, ["build", str(CORPUS), "--out", str(tmp_path / "a"), "--only", "holds,bogus"]
    )
    assert bogus.exit_code == 1 and "no extractor bogus" in bogus.output and "Traceback" not in bogus.output
    # An output folder that cannot be made (a file stands in its way; as root, a read-only
    # folder would not stop us): the OS's reason and the path, on one line.
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(CORPUS), "--out", str(tmp_path / "file" / "out")])
    assert result.exit_code == 1 and "Not a directory" in result.output
    assert str(tmp_path / "file") in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["query", "{ttl}", str(QUERIES / "dashboard_counts.rq")],
        ["load", "{ttl}", "--store", "{tmp}/store"],
        ["export", "{json}", "--format", "neo4j", "--out", "{tmp}/out"],
        ["validate", "{ttl}"],
        ["serve", "{ttl}", "--port", "0"],
    ],
    ids=lambda a: a[0],
)
def test_a_file_that_does_not_parse_is_a_one_line_error(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "bad.ttl").write_text("garbage <<< not turtle\n", encoding="utf-8")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    filled = [a.format(ttl=tmp_path / "bad.ttl", json=tmp_path / "bad.json", tmp=tmp_path) for a in args]
    result = CliRunner().invoke(cli, filled)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_build_lists_every_file_and_folder_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = CliRunner().invoke(
        cli, ["build", str(CORPUS), "--out", str(out), "--format", "html", "--format", "ttl"]
    )
    assert first.exit_code == 0, first.output
    listed = next(line for line in first.output.splitlines() if line.startswith("wrote: "))[
        len("wrote: ") :
    ].split(", ")
    names = {Path(p).name for p in listed}
    assert {"graph.html", "index.html", "views", "graph.ttl", "report.json", "merges.json"} <= names
    assert all(Path(p).exists() for p in listed)
    again = CliRunner().invoke(
        cli, ["build", str(CORPUS), "--out", str(out), "--format", "html", "--format", "ttl"]
    )
    assert "up to date" in again.output  # the site's pages are stamped: nothing to redo
    shutil.rmtree(out / "views")
    third = CliRunner().invoke(
        cli, ["build", str(CORPUS), "--out", str(out), "--format", "html", "--format", "ttl"]
    )
    assert "up to date" not in third.output and (out / "views").is_dir()  # a deleted views/ is rebuilt
