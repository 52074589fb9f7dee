"""Fixtures of the HTTP edge tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from httpkit import Server, env_for, serve, token  # noqa: E402


@pytest.fixture
def notes_env(tmp_path: Path) -> dict[str, str]:
    return env_for("notes", tmp_path / "data")


@pytest.fixture
def notes_gateway(notes_env: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    with serve("notes", ["gateway"], notes_env, tmp_path) as server:
        yield server


@pytest.fixture
def notes_token(notes_env: dict[str, str]) -> str:
    return token("notes", notes_env)


@pytest.fixture
def notes_mock(notes_env: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    with serve("notes", ["mock", "--http"], notes_env, tmp_path) as server:
        yield server
