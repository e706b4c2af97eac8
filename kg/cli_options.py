"""Options more than one command takes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from kg.exporters import DEFAULT_FORMATS, EXPORTERS

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


F = TypeVar("F", bound=Callable[..., object])


def build_options(command: F) -> F:
    """What `kg build` and `kg watch` both take: where the exports go, which, and what is read."""
    for option in reversed(
        (
            click.option(
                "--out",
                type=click.Path(file_okay=False, path_type=Path),
                default=Path("exports"),
                show_default=True,
                help="Folder the exports are written to.",
            ),
            click.option(
                "--format",
                "formats",
                multiple=True,
                type=click.Choice(list(EXPORTERS)),
                help=f"Only these formats; repeatable [default: {' '.join(DEFAULT_FORMATS)}].",
            ),
            click.option(
                "--only", default="", help="Only these extractors, comma-separated (holds,held,roles,…)."
            ),
            click.option(
                "--max-bytes",
                type=int,
                default=5 * 1024 * 1024,
                show_default=True,
                help="Skip files larger than this.",
            ),
            JOBS,
        )
    ):
        command = option(command)
    return command
