"""pytest fixtures for generated systems and the runtime's own tests.

Import them into a ``conftest.py``::

    from specloom_runtime.pytest_plugin import nats_server, transport  # noqa: F401

- ``nats_server`` (session): a real nats-server (:class:`LocalNatsServer`) on a free port of
  127.0.0.1 with a token and JetStream, stopped at the end of the session even when tests fail.
  Each pytest-xdist worker starts its own.
- ``transport``: parametrised ``in-process`` / ``nats``; a function returning a new, not yet
  started :class:`~specloom_runtime.transport.Transport` (what ``System(bus=...)`` and the
  ``check_*`` helpers of :mod:`specloom_runtime.testing` take). The nats-server starts only when
  a ``nats`` test runs; without the ``nats`` extra those tests are skipped, saying why.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .natsserver import LocalNatsServer
from .transport import Transport, connect

__all__ = ["TRANSPORTS", "nats_server", "transport"]

TRANSPORTS = ("in-process", "nats")


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNatsServer]:
    if importlib.util.find_spec("nats") is None:
        pytest.skip("the NATS transport is not installed: pip install 'specloom-runtime[nats]'")
    server = LocalNatsServer(data_dir=Path(tmp_path_factory.mktemp("nats")))
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> Callable[[str], Transport]:
    """``factory(system)`` -> a fresh transport of this test's kind for package ``system``."""
    if request.param == "in-process":
        return lambda system: connect(None, system=system)
    server: LocalNatsServer = request.getfixturevalue("nats_server")
    return lambda system: connect(server.url, system=system, token=server.token)
