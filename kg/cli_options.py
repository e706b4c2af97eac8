"""Options more than one command takes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.exporters import DEFAULT_FORMATS, EXPORTERS

if TYPE_CHECKING:
    from kg.engine import Engine

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


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What `kg build` and `kg watch` both take: where the exports go, which, and what is read."""

    out: Path
    formats: tuple[str, ...]
    only: list[str]
    max_bytes: int
    jobs: int  # 0: every core

    def engine(self, name: str = "local", scheduler: str | None = None) -> Engine:
        from kg.engine import make_engine

        return make_engine(name, jobs=self.jobs or None, scheduler=scheduler)

    @property
    def export_jobs(self) -> int:
        from kg.engine import available_cores

        return self.jobs or available_cores()


def build_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options of ``BuildOptions``, given to ``command`` as one, ``options``."""

    @functools.wraps(command)
    def given(
        *args: Any, out: Path, formats: tuple[str, ...], only: str, max_bytes: int, jobs: int, **rest: Any
    ) -> None:
        extractors = [o for o in only.split(",") if o]
        options = BuildOptions(out, formats or DEFAULT_FORMATS, extractors, max_bytes, jobs)
        command(*args, options=options, **rest)

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
        given = option(given)
    return given
