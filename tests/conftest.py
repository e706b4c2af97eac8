from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.build import BuildResult, build

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
QUERIES = ROOT / "queries"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden from the current build."
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuildResult, Path]]:
    """The bundled corpus built once for the session: (result, export folder)."""
    out = tmp_path_factory.mktemp("exports")
    yield build(CORPUS, out), out
