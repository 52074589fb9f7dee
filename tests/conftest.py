"""Session-wide settings of the tool's own tests."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


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
