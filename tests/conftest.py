"""Fixtures of every test folder: ``tests/`` on ``sys.path`` (for ``kit``) and one private
specloom cache per session, i.e. per pytest-xdist worker: ``SPECLOOM_CACHE_DIR`` points into the
worker's own temporary folder for this process and every subprocess it starts."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kit  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = tmp_path_factory.mktemp("specloom-cache")
    kit.CACHE[:] = [cache]
    before = os.environ.get("SPECLOOM_CACHE_DIR")
    os.environ["SPECLOOM_CACHE_DIR"] = str(cache)
    try:
        yield cache
    finally:
        if before is None:
            os.environ.pop("SPECLOOM_CACHE_DIR", None)
        else:
            os.environ["SPECLOOM_CACHE_DIR"] = before


@pytest.fixture(autouse=True, scope="session")
def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Flagship implementations started by any test (and their subprocesses) keep their files in
    a temporary data dir, never in the repository's .orchestra/."""
    path = tmp_path_factory.mktemp("specloom-data")
    old = os.environ.get("SPECLOOM_DATA_DIR")
    os.environ["SPECLOOM_DATA_DIR"] = str(path)
    try:
        yield path
    finally:
        if old is None:
            os.environ.pop("SPECLOOM_DATA_DIR", None)
        else:
            os.environ["SPECLOOM_DATA_DIR"] = old
