"""`kg eval` and `kg train`: scoring against gold files, fitting the target model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli_options import JOBS, TRAINING

if TYPE_CHECKING:
    from kg.tenures import TimelineRow


@click.command("eval")
@click.option(
    "--gold",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Gold facts, JSON Lines as shared/gold/FORMAT.md describes.",
)
@click.argument("corpus", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option(
    "--errors", is_flag=True, help="List every missed, spurious and wrong fact (with --json: included)."
)
@TRAINING
@click.option(
    "--floor",
    "floors",
    multiple=True,
    metavar="TYPE=F1",
    help="Exit 1 when TYPE's F1 (or micro's) falls below F1: a regression guard (repeatable).",
)
@click.option(
    "--identity",
    "identity_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Also score who is who: B-cubed precision/recall of persons and organisations against "
    "an identity file (bench/make_corpus.py writes one).",
)
@click.option(
    "--tenures",
    "tenure_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Also score tenures (who held which post from when to when) against a tenure file "
    "(bench/make_corpus.py writes one): P/R/F1 and start/end year accuracy.",
)
@click.option(
    "--min-precision",
    type=click.FloatRange(0, 1),
    default=None,
    help="Exit 1 when any type's precision falls below this: recall bought with noise fails too.",
)
@JOBS
def eval_(
    gold: Path,
    corpus: Path,
    as_json: bool,
    errors: bool,
    training: tuple[tuple[Path, Path], ...],
    floors: tuple[str, ...],
    identity_file: Path | None,
    tenure_file: Path | None,
    min_precision: float | None,
    jobs: int,
) -> None:
    """Score the facts extracted from CORPUS against a GOLD file: P/R/F1 per type.

    With --train, the target model is refitted for each article of the training sets
    without that article (leave-one-article-out), so that no score is of a model that
    has seen the article it reads.

    \b
        kg eval --gold ../shared/gold/seeds.jsonl corpus/
        kg eval --gold ../shared/gold/dev.jsonl ../shared/dev/articles \\
                --train ../shared/gold/dev.jsonl ../shared/dev/articles --floor micro=0.8
    """
    from kg.build import build_store
    from kg.engine import LocalEngine, available_cores
    from kg.evaluate import TYPES, load_gold, micro, predictions, report_json, report_table, score
    from kg.identity import identity_json, identity_table, load_identity, score_identity
    from kg.tenure_eval import load_tenures, predicted_tenures, score_tenures, tenure_json, tenure_table

    wanted: dict[str, float] = {}
    for floor in floors:
        kind, _, value = floor.partition("=")
        if kind not in (*TYPES, "micro"):
            raise click.BadParameter(f"{kind!r} is no fact type", param_hint="--floor")
        try:
            wanted[kind] = float(value)
        except ValueError:
            raise click.BadParameter(f"{floor!r}: expected TYPE=F1", param_hint="--floor") from None
    gold_records = load_gold(gold)
    named = load_identity(identity_file) if identity_file else []
    gold_tenures = load_tenures(tenure_file) if tenure_file else []
    result = build_store(corpus, engine=LocalEngine(jobs or available_cores()))
    if training:
        from kg.train import examples, leave_one_out

        leave_one_out(result.corpus.articles, examples(training))
    predicted = predictions(result.corpus.articles, result.resolution)
    scores = score(gold_records, predicted, {a.article.id for a in result.corpus.articles})
    identity = score_identity(named, result.resolution) if identity_file else {}
    tenures = score_tenures(gold_tenures, predicted_tenures(result.store)) if tenure_file else None
    if as_json:
        data = report_json(scores, errors=errors)
        if identity:
            data["identity"] = identity_json(identity)
        if tenures is not None:
            data["tenures"] = tenure_json(tenures)
            if errors:
                data["tenures"]["errors"] = tenures.errors
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        click.echo(report_table(scores))
        if identity:
            click.echo(identity_table(identity))
        if tenures is not None:
            click.echo(tenure_table(tenures))
        if errors:
            for kind, ts in scores.items():
                for error in ts.errors:
                    click.echo(f"{kind}\t" + json.dumps(error, ensure_ascii=False))
            for error in tenures.errors if tenures is not None else []:
                click.echo("tenure\t" + json.dumps(error, ensure_ascii=False))
    every = {**scores, "micro": micro(scores)}
    below = [f"{k} {every[k].f1:.3f} < {v}" for k, v in wanted.items() if every[k].f1 < v]
    if min_precision is not None:
        below += [
            f"{k} precision {ts.precision:.3f} < {min_precision}"
            for k, ts in every.items()
            if ts.predicted and ts.precision < min_precision
        ]
    if below:
        raise click.ClickException("below the floor: " + ", ".join(below))


@click.command()
@TRAINING
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the model [default: the one the package ships].",
)
def train(training: tuple[tuple[Path, Path], ...], out: Path | None) -> None:
    """Fit the target model on gold files and the corpora that hold their articles.

    \b
        kg train --train ../shared/gold/seeds.jsonl corpus \\
                 --train ../shared/gold/dev.jsonl ../shared/dev/articles
    """
    from kg.train import default_model_path
    from kg.train import train as fit_and_save

    if not training:
        raise click.UsageError("name at least one --train GOLD CORPUS")
    path = out or default_model_path()
    model = fit_and_save(training, path)
    click.echo(f"wrote {path}: {len(model.weights)} features")


@click.command()
@click.argument("name")
@click.option(
    "--graph",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path("exports/graph.json"),
    show_default=True,
    help="The node-link graph a build wrote.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def timeline(name: str, graph: Path, as_json: bool) -> None:
    """An organisation's leadership over time, or a person's career: post, person, from, to,
    how the end is known, evidence count.

    \b
        kg timeline 滨江市人民医院
        kg timeline 吕方舟 --graph exports/graph.json
    """
    from kg.errors import KgError
    from kg.store import GraphStore
    from kg.tenures import timeline as rows_of

    found, rows = rows_of(GraphStore.from_node_link(graph), name)
    if not found:
        raise KgError(f"no organisation or person named {name!r} in {graph}")
    if as_json:
        click.echo(json.dumps([_row_json(r) for r in rows], ensure_ascii=False, indent=1))
        return
    click.echo("\t".join(("organisation", "post", "person", "from", "to", "ended by", "evidence")))
    for r in rows:
        t = r.tenure
        to = t.end or ("(open, last seen " + t.last_seen + ")" if t.last_seen else "")
        click.echo(
            "\t".join((r.organisation, r.post, r.person, t.start or "?", to, t.end_by, str(t.observations)))
        )


def _row_json(row: TimelineRow) -> dict[str, object]:
    return {"organisation": row.organisation, "post": row.post, "person": row.person, **row.tenure.as_dict()}
