"""The ``kg`` command: parses arguments, calls the library, prints."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli_options import BuildOptions, build_options
from kg.cli_quality import eval_, timeline, train
from kg.errors import KgError
from kg.exporters import EXPORTERS

if TYPE_CHECKING:
    from kg.build import BuildResult

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            # A read-only or full output folder, a file that vanished: one line, not a traceback.
            where = f": {exc.filename}" if exc.filename else ""
            raise click.ClickException(f"{exc.strerror or exc}{where}") from exc
        except (SyntaxError, ValueError) as exc:
            # A GRAPH or JSON file that does not parse (Oxigraph and rdflib raise SyntaxError,
            # json ValueError): what the parser said, on one line; -v shows the traceback.
            if logging.getLogger().isEnabledFor(logging.INFO):
                raise
            said = " ".join(str(exc).split())
            raise click.ClickException(f"cannot read the input ({type(exc).__name__}): {said[:300]}") from exc


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="hospital-kg")
@click.option("-v", "--verbose", is_flag=True, help="Log progress and every skipped file to stderr.")
def cli(verbose: bool) -> None:
    """Build a knowledge graph from Chinese hospital and health-administration meeting news."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(message)s",
        stream=sys.stderr,
    )


@cli.command()
@click.argument("corpus", type=click.Path(exists=True, path_type=Path))
@build_options
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Extract here, or on a dask.distributed cluster (with --scheduler).",
)
@click.option("--scheduler", default=None, help="Dask scheduler address, tcp://host:8786.")
@click.option(
    "--no-cache", is_flag=True, help="Re-extract every article, ignoring and not writing OUT/.kg-cache."
)
@click.option("--timings", is_flag=True, help="Print the seconds each stage took.")
def build(
    corpus: Path, options: BuildOptions, engine: str, scheduler: str | None, no_cache: bool, timings: bool
) -> None:
    """Extract facts from every article in CORPUS and write the graph to OUT.

    \b
        kg build corpus/ --out exports/
        kg build corpus/ --jobs 2
        kg build corpus/ --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from kg.build import build as run_build

    # `kill` (SIGTERM) ends a build as Ctrl-C does: through its finally blocks, so that no
    # temporary file or folder is left behind and the lock is let go.
    signal.signal(signal.SIGTERM, _terminated)

    result = run_build(
        corpus,
        options.out,
        formats=options.formats,
        only=options.only,
        max_bytes=options.max_bytes,
        engine=options.engine(engine, scheduler),
        cache=not no_cache,
        export_jobs=options.export_jobs,
        shed_memory=True,  # the command wants the exports: the facts go once the graph holds them
    )
    _say_built(result, options.out, timings)


def _say_built(result: BuildResult, out: Path, timings: bool) -> None:
    """What `kg build` prints of a build (and `kg watch` of its first)."""
    counts = result.counts
    if result.up_to_date:
        click.echo(f"up to date: nothing changed since the build that wrote {out}")
    click.echo(f"articles read: {counts.get('read', 0)}, skipped: {counts.get('skipped', 0)}")
    for skipped in result.corpus.skipped:
        click.echo(f"  skipped {skipped.path}: {skipped.reason}")
    click.echo("nodes: " + ", ".join(f"{k} {v}" for k, v in counts.get("nodes", {}).items()))
    click.echo("edges: " + ", ".join(f"{k} {v}" for k, v in counts.get("edges", {}).items()))
    if merges := counts.get("merges"):
        click.echo(
            f"merged: {merges['merged_organisations']} organisations, {merges['merged_people']} people"
            f" named more than once; kept apart: {merges['kept_apart']} names on several people"
            " (why: merges.json)"
        )
    if result.cache_hits:
        click.echo(f"cached: {result.cache_hits} files read before with the same bytes were not re-extracted")
    if result.taken_over:
        click.echo(
            f"moved: {result.taken_over} files read before under another name or with other spacing"
            " were not re-extracted"
        )
    click.echo("wrote: " + ", ".join(str(p) for p in result.written))
    if timings:
        _say_timings(result)


def _say_timings(result: BuildResult) -> None:
    """What `--timings` prints of a build: each stage's seconds, peak memory, sections copied."""
    for stage, seconds in result.seconds.items():
        click.echo(f"  {stage:<20}{seconds:8.2f} s")
    for stage, mb in result.peak_mb.items():
        click.echo(f"  peak memory by {stage}: {mb:.0f} MiB")
    for fmt, (reused, sections) in result.reused.items():
        click.echo(f"  {fmt}: {reused:,} of {sections:,} sections copied from the last build")


@cli.command()
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@build_options
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Seconds between checks of the corpus (longer where a check takes long).",
)
@click.option("--timings", is_flag=True, help="Print the seconds each stage of each build took.")
def watch(corpus: Path, options: BuildOptions, interval: float, timings: bool) -> None:
    """Build CORPUS into OUT, then build again whenever its files change, until Ctrl-C.

    Each rebuild reads and extracts only the files that changed: the process keeps what it
    read, and jieba's dictionary, from one build to the next.

    \b
        kg watch corpus/ --out exports/
    """
    from datetime import datetime

    from kg.watch import watch as run_watch

    signal.signal(signal.SIGTERM, _terminated)
    first = True

    def built(result: BuildResult, seconds: float) -> None:
        nonlocal first
        if first:
            _say_built(result, options.out, timings)
            click.echo(f"watching {corpus} (Ctrl-C to stop)")
            first = False
            return
        counts = result.counts
        click.echo(
            f"{datetime.now():%H:%M:%S} rebuilt in {seconds:.2f} s: {counts.get('read', 0)} articles read,"
            f" {counts.get('skipped', 0)} skipped"
        )
        if timings:
            _say_timings(result)

    def failed(error: KgError) -> None:
        click.echo(f"{datetime.now():%H:%M:%S} not built: {error}", err=True)

    try:
        run_watch(
            corpus,
            options.out,
            interval=interval,
            formats=options.formats,
            only=options.only,
            max_bytes=options.max_bytes,
            engine=options.engine(),
            export_jobs=options.export_jobs,
            on_build=built,
            on_error=failed,
        )
    except KeyboardInterrupt:
        click.echo("stopped")


@cli.command()
@click.argument("graph", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("query", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--engine",
    type=click.Choice(["auto", "oxigraph", "rdflib"]),
    default="auto",
    show_default=True,
    help="SPARQL engine: Oxigraph (embedded store) when installed, else rdflib.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
def query(graph: Path, query: Path, engine: str, fmt: str) -> None:
    """Run the SPARQL QUERY file over GRAPH (Turtle or TriG) and print the rows.

    \b
        kg query exports/graph.ttl queries/posts_by_organisation.rq
    """
    from kg.errors import QueryError
    from kg.query import format_table, run_query

    try:
        table = run_query(graph, query.read_text(encoding="utf-8"), engine=engine)
    except QueryError as exc:
        raise QueryError(f"{query}: {exc}") from exc
    click.echo(format_table(table, fmt))


@cli.command()
@click.argument("graph", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "formats",
    multiple=True,
    required=True,
    help="neo4j, graphml, jsonld, ttl, trig, json or html; repeatable.",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("exports"), show_default=True
)
def export(graph: Path, formats: tuple[str, ...], out: Path) -> None:
    """Write other formats from GRAPH.json (the node-link export of kg build), with no re-extraction.

    \b
        kg export exports/graph.json --format neo4j --format graphml --out exports/
    """
    from kg.exporters import get_exporter
    from kg.store import GraphStore

    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise KgError(f"unknown format {', '.join(unknown)}; choose from {', '.join(EXPORTERS)}")
    store = GraphStore.from_node_link(graph)
    for fmt in formats:
        path = out / EXPORTERS[fmt][1]
        get_exporter(fmt)(store, path)
        click.echo(f"wrote {path}")


WARNINGS_SHOWN = 20  # kg validate lists this many warnings, then counts the rest


@cli.command()
@click.argument("graph", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(graph: Path) -> None:
    """Check GRAPH (Turtle or TriG) against the SHACL shapes in ontology/shapes.ttl.

    \b
        kg validate exports/graph.ttl
    """
    from kg.validate import check, load_graph

    violations, warnings = check(load_graph(graph))
    for warning in warnings[:WARNINGS_SHOWN]:
        click.echo(f"warning: {warning}")
    if len(warnings) > WARNINGS_SHOWN:
        click.echo(f"warning: … and {len(warnings) - WARNINGS_SHOWN} more")
    if not violations:
        click.echo(f"{graph}: conforms" + (f" ({len(warnings)} warning(s))" if warnings else ""))
        return
    for violation in violations:
        click.echo(str(violation))
    raise KgError(f"{graph}: {len(violations)} violation(s) of ontology/shapes.ttl")


@cli.command()
@click.argument("graph", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Serve a persistent store made by kg load instead of (or as well as) GRAPH.",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=7878, show_default=True)
@click.option(
    "--allow-origin",
    default="",
    metavar="ORIGIN",
    help="Let web pages from ORIGIN (e.g. http://localhost:3000) read answers (CORS); none by default.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds a query may run; past them it is stopped and the client told (503).",
)
def serve(
    graph: Path | None, store_dir: Path | None, host: str, port: int, allow_origin: str, timeout: float
) -> None:
    """Serve GRAPH as a SPARQL 1.1 endpoint at http://HOST:PORT/sparql.

    \b
        kg serve exports/graph.ttl
        curl 'http://127.0.0.1:7878/sparql' --data-urlencode query@queries/meetings_with_chair.rq
    """
    from kg.serve import QueryProcess, make_server, open_store

    if graph is None and store_dir is None:
        raise KgError("give a GRAPH file or --store DIR")
    if store_dir is not None and graph is not None:
        store = open_store(graph, store_dir)  # load GRAPH into the store once, here
        store.flush()
        del store  # let go of it: the query process opens it read-only
        graph = None
    # Queries run in a child process with its own copy of the store, so one that runs too long
    # can be stopped (Oxigraph cannot cancel a query in this process).
    queries = QueryProcess(graph, store_dir, timeout=timeout)
    server = make_server(queries, host, port, allow_origin=allow_origin)
    click.echo(f"SPARQL endpoint: http://{host}:{server.server_address[1]}/sparql  (Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()
    finally:
        queries.close()


@cli.command()
@click.argument("graph", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder of the persistent Oxigraph store (made if missing).",
)
def load(graph: Path, store_dir: Path) -> None:
    """Bulk-load GRAPH (Turtle, TriG, N-Quads) into a persistent Oxigraph store in DIR.

    \b
        kg load exports/graph.trig --store kgstore/
        kg serve --store kgstore/
    """
    from kg.serve import open_store

    store = open_store(graph, store_dir)
    store.flush()
    click.echo(f"{store_dir}: {len(store):,} quads")


cli.add_command(eval_)
cli.add_command(train)
cli.add_command(timeline)


def main() -> None:
    """The ``kg`` console script: ``cli``, then the process ends without tearing itself down.

    A 10k-article build leaves millions of objects behind; freeing them one by one at exit took
    about 5 s, for memory the system takes back at once. By then every export is written and
    renamed, every file and store closed (commands let go of theirs as they return); only the
    standard streams are left to flush."""
    try:
        cli.main(prog_name="kg")
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (kg … | head): nobody to tell
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
