"""Options more than one command takes."""

from __future__ import annotations

from pathlib import Path

import click

TRAINING = click.option(
    "--train",
    "training",
    multiple=True,
    nargs=2,
    type=click.Path(exists=True, path_type=Path),
    metavar="GOLD CORPUS",
    help="A gold file and the corpus that holds its articles, to fit the target model on (repeatable).",
)
JOBS = click.option(
    "-j", "--jobs", type=int, default=0, help="Worker processes for extraction [default: every core]."
)
