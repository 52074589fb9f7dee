"""Fixtures of the ``specloom init`` tests: real projects made by the real CLI, once per module."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from initkit import specloom  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: installs from the network; takes tens of seconds")


@pytest.fixture(scope="module")
def new_project(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., Path]]:
    """``new_project(name, *init_args)``: a project made by ``specloom init --defaults``.

    Made once per module and arguments; tests that change a project make their own.
    """
    made: dict[tuple[str, ...], Path] = {}

    def factory(name: str, *args: str) -> Path:
        key = (name, *args)
        if key not in made:
            path = tmp_path_factory.mktemp("init") / name
            specloom("init", path, "--defaults", *args)
            made[key] = path
        return made[key]

    yield factory
