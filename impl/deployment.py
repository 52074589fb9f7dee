"""Implementation of module deployment (Deployment): releases run as real processes, with
history and rollback.

What it does:

- Deployments to one environment are serialized (one lock per environment); different
  environments proceed in parallel. Only the configured ``environments`` are accepted.
- deploy runs the gate first, unless ``require_tests`` is false: Testing@1.run_suite of
  ``gate_suite`` over all modules, then get_report until the run is no longer running. A gate
  that does not pass is TestsFailed (details: run id, status, failures) and deploys nothing.
- A version is a release folder ``deployment/releases/<version>/`` in the system's data dir: the
  first deploy of a version records the code it runs (a copy of the generated package, its docs
  and the ``impl`` package, plus ``release.json``); later deploys and rollbacks of that version
  run the recorded copy, so a rollback really runs the previous code.
- Rolling out a deployment starts one process per module of ``modules``: ``python -m orchestra
  --nats URL serve MODULE`` from the release folder, a child of this module's process (it gets
  SIGTERM when this process dies: no orphans). Each process is a service of Infrastructure@1
  (``orchestra-<deployment id>-<module>``, image ``orchestra:<version>``), whose reserved port
  becomes the process's ``/metrics`` port, so the infrastructure reports it ready only while it
  runs. The processes of an environment share its data folder (the Infrastructure@1 volume
  ``orchestra-<environment>-data``), so data outlives versions. Once every new process printed
  ``ready`` the replaced deployment's processes are stopped (drained) and their services
  released; then the new one is current (succeeded). A process that does not get ready within
  ``ready_timeout_s``, or a refusal of the infrastructure, fails the deployment (kept in the
  history with status failed; what it started is stopped; the current one stays).
- NATS: ``nats_url`` when set; else each environment has a nats-server of its own (started at
  its first deployment, data and ``url`` file with the token in
  ``deployment/environments/<environment>/nats/``), so staging and production do not share
  queue groups.
- rollback rolls out again the version that was current before the current deployment (without
  the gate: that version passed it already), marks the replaced deployment rolled_back and sets
  rollback_of; a further rollback goes one deployment further back.
- get_deployment_status (and deploy, rollback) lists the deployment's processes as they are
  now: module, pid, alive, version, metrics endpoint.
- A deployed process that exits on its own (a crash, a kill) is started again from the same
  release folder, with the same environment and port, after a backoff of 1 s that doubles up to
  30 s (back to 1 s once a process ran 30 s); each exit and restart is a log line, and ``health``
  counts the restarts. Until it is ready again it is ``alive: false``. With ``restart_on_exit:
  false`` a process that died stays ``alive: false`` until the next deploy or rollback.
- The history and the current deployment of each environment are the file
  ``deployment/history.json`` in the system's data dir (``$SPECLOOM_DATA_DIR``, else
  ``.orchestra/``), replaced atomically after every change. When this module starts again it
  starts the processes of each environment's current deployment again (their version's release
  folder); when it stops, it stops them and the nats-servers it started.
- Deployment ids are ``<environment>-<n>``. ``health`` shows each environment's current
  deployment and how many of its processes run (``staging: staging-3 1.0.0, 1/1 processes
  alive``, then ``, 2 restarts`` when there were any).

Limits: one machine (local processes); no health-based automatic rollback.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import json
import logging
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from orchestra.contracts.deployment_v1 import NothingToRollback, TestsFailed, UnknownEnvironment
from orchestra.modules.deployment import DeploymentBase
from orchestra.system import MODULES
from orchestra.types import Deployment, DeploymentProcessesItem
from specloom_runtime import SpecloomError
from specloom_runtime.natsserver import LocalNatsServer
from specloom_runtime.supervisor import ManagedProcess

logger = logging.getLogger(__name__)

Status = Literal["pending", "running", "succeeded", "failed", "rolled_back"]
PACKAGE = DeploymentBase.__module__.split(".")[0]  # the generated package: "orchestra"
DRAIN_SECONDS = 5.0
RESTART_FIRST, RESTART_MAX, RESTART_STABLE = 1.0, 30.0, 30.0  # seconds
_COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".specloom")


def data_dir() -> Path:
    """The system's data dir: ``$SPECLOOM_DATA_DIR``, else ``.orchestra/`` in the project root."""
    configured = os.environ.get("SPECLOOM_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / ".orchestra"


@dataclass
class Release:
    """One deployment and what it needs to be rolled back and observed."""

    id: str
    version: str
    environment: str
    status: Status
    rollback_of: str | None
    previous: str | None  # the deployment that was current when this one was made
    modules: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)  # Infrastructure@1 services it holds

    @classmethod
    def load(cls, row: dict[str, Any]) -> Release:
        row = dict(row)
        old = row.pop("service", None)  # history files written before processes were started
        if old is not None and "services" not in row:
            row["services"] = [old]
        return cls(**row)

    def deployment(self, processes: list[DeploymentProcessesItem] | None = None) -> Deployment:
        values: dict[str, Any] = {
            "id": self.id,
            "version": self.version,
            "environment": self.environment,
            "status": self.status,
            "rollback_of": self.rollback_of,
        }
        if processes is not None:
            values["processes"] = processes
        return Deployment(**values)


@dataclass
class Launched:
    """A running process of a deployment; ``make`` builds its process again (for a restart)."""

    module: str
    version: str
    process: ManagedProcess
    metrics: str | None
    make: Callable[[], ManagedProcess]
    restarts: int = 0
    retired: bool = False
    keeper: asyncio.Task[None] | None = None


class DeploymentImpl(DeploymentBase):
    """Deployment: a gated pipeline over Testing@1 and Infrastructure@1 that runs processes."""

    _history: dict[str, Release]
    _current: dict[str, str]
    _locks: dict[str, asyncio.Lock]
    _running: dict[str, list[Launched]]
    _servers: dict[str, LocalNatsServer]

    async def on_start(self) -> None:
        self._history, self._current, self._running, self._servers = {}, {}, {}, {}
        self._locks = {env: asyncio.Lock() for env in self.config.environments}
        self._root = data_dir() / "deployment"
        self._file = self._root / "history.json"
        self._file.parent.mkdir(parents=True, exist_ok=True)
        if self._file.is_file():
            saved = json.loads(self._file.read_text("utf-8"))
            self._history = {row["id"]: Release.load(row) for row in saved["history"]}
            self._current = dict(saved["current"])
        for environment, deployment_id in sorted(self._current.items()):
            release = self._history.get(deployment_id)
            if release is None or environment not in self._locks:
                continue
            try:  # this process stopped, and its children with it: start them again
                await self._launch(release, self._root / "releases" / release.version)
            except (SpecloomError, RuntimeError, OSError) as exc:
                logger.warning("could not restart deployment %s: %s", deployment_id, exc)
            self._save()

    async def on_stop(self) -> None:
        launched = [item for items in self._running.values() for item in items]
        self._running = {}
        await _stop_all(launched, DRAIN_SECONDS)
        for server in self._servers.values():
            server.stop()
        self._servers = {}

    async def health_detail(self) -> str:
        """The current deployment of each environment and how many of its processes run."""
        parts = []
        for environment in self.config.environments:
            release = self._history.get(self._current.get(environment, ""))
            if release is not None:
                launched = self._running.get(release.id, [])
                alive = sum(item.process.alive for item in launched)
                count = len(release.modules)
                restarts = sum(item.restarts for item in launched)
                again = f", {restarts} restart{'s' * (restarts != 1)}" if restarts else ""
                parts.append(
                    f"{environment}: {release.id} {release.version}, "
                    f"{alive}/{count} processes alive{again}"
                )
        return "; ".join(parts) or "nothing deployed"

    def _save(self) -> None:
        rows = [asdict(release) for release in self._history.values()]
        temp = self._file.with_suffix(".tmp")
        temp.write_text(json.dumps({"history": rows, "current": self._current}, indent=1), "utf-8")
        os.replace(temp, self._file)

    async def deploy(self, version: str, environment: str) -> Deployment:
        """Deploy a version to an environment

        Runs the test gate, then deploys; the new deployment becomes the environment's current
        one."""
        async with self._lock(environment):
            if self.config.require_tests:
                await self._gate()
            current = self._current.get(environment)
            release = await self._roll_out(environment, version, previous=current, rollback_of=None)
            return self._observed(release)

    async def rollback(self, environment: str) -> Deployment:
        """Roll an environment back to its previous version

        Deploys the version that was current before the current deployment; the replaced
        deployment gets status rolled_back and the new one has rollback_of set to its id."""
        async with self._lock(environment):
            current = self._history.get(self._current.get(environment, ""))
            if current is None or current.previous is None:
                raise NothingToRollback(
                    f"{environment} has no earlier deployment", {"environment": environment}
                )
            target = self._history[current.previous]
            release = await self._roll_out(
                environment, target.version, previous=target.previous, rollback_of=current.id
            )
            if release.status == "succeeded":
                current.status = "rolled_back"
                self._save()
            return self._observed(release)

    async def get_deployment_status(self, environment: str) -> Deployment | None:
        """Current deployment of an environment"""
        current = self._history.get(self._current.get(self._known(environment), ""))
        return None if current is None else self._observed(current)

    def _observed(self, release: Release) -> Deployment:
        """The deployment with its processes as they are now."""
        launched = {item.module: item for item in self._running.get(release.id, [])}
        if release.status != "succeeded" and not launched:
            return release.deployment()
        processes = []
        for module in release.modules:
            item = launched.get(module)
            processes.append(
                DeploymentProcessesItem(
                    module=module,
                    pid=None if item is None else item.process.pid,
                    alive=item is not None and item.process.alive,
                    version=release.version,
                    metrics=None if item is None else item.metrics,
                )
            )
        return release.deployment(processes)

    def _known(self, environment: str) -> str:
        """``environment``, or UnknownEnvironment when it is not a configured one."""
        if environment not in self._locks:
            raise UnknownEnvironment(
                f"{environment!r} is not a configured environment",
                {"environments": list(self.config.environments)},
            )
        return environment

    def _lock(self, environment: str) -> asyncio.Lock:
        return self._locks[self._known(environment)]

    async def _gate(self) -> None:
        """Run the gate suite and wait for its end; TestsFailed unless it passed."""
        testing, suite = self.deps.testing, self.config.gate_suite
        run_id = await testing.run_suite(suite, [])
        delay = 0.005
        while (
            report := await testing.get_report(run_id)
        ) is not None and report.status == "running":
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)
        if report is None or report.status != "passed":
            status = "missing" if report is None else report.status
            failures = [] if report is None else [f.model_dump() for f in report.failures]
            raise TestsFailed(
                f"the {suite} gate did not pass ({status}); nothing was deployed",
                {"run_id": run_id, "status": status, "failures": failures},
            )

    async def _roll_out(
        self, environment: str, version: str, *, previous: str | None, rollback_of: str | None
    ) -> Release:
        """Start ``version``'s processes, then retire the current deployment; record it."""
        number = 1 + sum(r.environment == environment for r in self._history.values())
        deployment_id = f"{environment}-{number}"
        release = Release(
            deployment_id,
            version,
            environment,
            "running",
            rollback_of,
            previous,
            modules=list(self.config.modules),
        )
        self._history[deployment_id] = release
        try:
            folder = await asyncio.to_thread(self._release_folder, version)
            await self._launch(release, folder)
        except (SpecloomError, RuntimeError, OSError) as exc:
            logger.warning("deployment %s failed: %s", deployment_id, exc)
            release.status = "failed"
            self._save()
            return release
        replaced = self._history.get(self._current.get(environment, ""))
        if replaced is not None:
            await self._retire(replaced)
        release.status = "succeeded"
        self._current[environment] = deployment_id
        self._save()
        return release

    def _release_folder(self, version: str) -> Path:
        """The release folder of ``version``; recorded from the running code at its first
        deployment (a copy: later edits of the project do not change a released version)."""
        folder = self._root / "releases" / version
        if (folder / "release.json").is_file():
            return folder
        package = importlib.import_module(PACKAGE)
        package_dir = Path(package.__file__ or "").resolve().parent
        impl_dir = Path(__file__).resolve().parent
        temp = folder.with_name(f".{version}.{secrets.token_hex(4)}")
        try:
            shutil.copytree(package_dir, temp / "generated" / PACKAGE, ignore=_COPY_IGNORE)
            docs = package_dir.parent / "docs"
            if docs.is_dir():
                shutil.copytree(docs, temp / "generated" / "docs", ignore=_COPY_IGNORE)
            shutil.copytree(impl_dir, temp / impl_dir.name, ignore=_COPY_IGNORE)
            recorded = {
                "version": version,
                "package": PACKAGE,
                "package_version": getattr(package, "__version__", None),
                "copied_from": [str(package_dir), str(impl_dir)],
            }
            (temp / "release.json").write_text(json.dumps(recorded, indent=1), "utf-8")
            if folder.exists():  # a copy interrupted before its release.json was written
                shutil.rmtree(folder)
            os.replace(temp, folder)
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        return folder

    async def _launch(self, release: Release, folder: Path) -> None:
        """Start the release's processes from ``folder``; all ready, or none left running."""
        if not (folder / "release.json").is_file():
            raise RuntimeError(f"the release folder of {release.version} is missing: {folder}")
        known = {d.name for d in MODULES}
        unknown = sorted(set(release.modules) - known)
        if unknown:
            raise RuntimeError(f"no module(s) {', '.join(unknown)} in {PACKAGE}")
        infrastructure = self.deps.infrastructure
        for name in release.services:  # left over from a run of this process that stopped
            with contextlib.suppress(SpecloomError):
                await infrastructure.release(name)
        release.services = []
        url, token = self._nats_for(release.environment)
        data = await self._data_folder(release.environment)
        logs = self._root / "environments" / release.environment / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        launched: list[Launched] = []
        try:
            for module in release.modules:
                service = f"orchestra-{release.id}-{module.replace('_', '-')}"[:63].rstrip("-")
                spec = {
                    "image": f"{PACKAGE}:{release.version}",
                    "env": {
                        "ORCHESTRA_ENVIRONMENT": release.environment,
                        "ORCHESTRA_VERSION": release.version,
                    },
                }
                if await infrastructure.get_resource(service) is not None:
                    await infrastructure.release(service)
                resource = await infrastructure.provision("service", service, spec)
                release.services.append(service)
                ports = resource.spec.get("ports") if isinstance(resource.spec, dict) else None
                port = ports[0] if isinstance(ports, list) and ports else None
                port = port if isinstance(port, int) and 0 < port < 65536 else None
                env = self._child_env(release, data, token, port)
                argv = [sys.executable, "-m", PACKAGE, "--nats", url, "serve", module]
                make = functools.partial(
                    ManagedProcess,
                    [*argv, "--drain-seconds", str(DRAIN_SECONDS)],
                    env=env,
                    cwd=folder / "generated",
                    log_path=logs / f"{release.id}-{module}.log",
                )
                process = make()
                await process.start(self.config.ready_timeout_s)
                metrics = None if port is None else f"127.0.0.1:{port}"
                launched.append(Launched(module, release.version, process, metrics, make))
        except BaseException:
            await _stop_all(launched, 1.0)
            for name in release.services:
                with contextlib.suppress(SpecloomError):
                    await infrastructure.release(name)
            release.services = []
            raise
        self._running[release.id] = launched
        if self.config.restart_on_exit:
            for item in launched:
                item.keeper = asyncio.ensure_future(self._keep_running(release, item))

    async def _keep_running(self, release: Release, item: Launched) -> None:
        """Start ``item``'s process again whenever it exits while its deployment runs."""
        delay = RESTART_FIRST
        while True:
            started = time.monotonic()
            code = await item.process.wait()
            if item.retired:
                return
            if time.monotonic() - started > RESTART_STABLE:
                delay = RESTART_FIRST
            logger.warning(
                "%s: %s process %s exited (code %s); starting it again in %g s",
                release.id,
                item.module,
                item.process.pid,
                code,
                delay,
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, RESTART_MAX)
            if item.retired:
                return
            process = item.make()
            item.restarts += 1
            try:  # until it is ready, status shows the process that died
                await process.start(self.config.ready_timeout_s)
            except (RuntimeError, OSError) as exc:
                logger.warning("%s: %s did not start again: %s", release.id, item.module, exc)
                continue
            except BaseException:  # stopped for good while starting
                await process.stop(1.0)
                raise
            item.process = process
            logger.warning("%s: %s is ready again (pid %s)", release.id, item.module, process.pid)

    async def _retire(self, release: Release) -> None:
        """Stop a replaced deployment's processes (drained) and release its services."""
        launched = self._running.pop(release.id, [])
        await _stop_all(launched, DRAIN_SECONDS)
        for name in release.services:
            with contextlib.suppress(SpecloomError):
                await self.deps.infrastructure.release(name)
        release.services = []

    def _nats_for(self, environment: str) -> tuple[str, str | None]:
        """The NATS URL the environment's processes join, and the token to give them."""
        if self.config.nats_url:
            return self.config.nats_url, None
        server = self._servers.get(environment)
        if server is None:
            folder = self._root / "environments" / environment / "nats"
            server = LocalNatsServer(data_dir=folder)
            server.start()
            self._servers[environment] = server
            url_file = folder / "url"
            url_file.write_text(f"nats://{server.token}@127.0.0.1:{server.port}\n", "utf-8")
            url_file.chmod(0o600)
        return server.url, server.token

    async def _data_folder(self, environment: str) -> Path:
        """The environment's data folder: the endpoint of its Infrastructure@1 volume (made at
        its first deployment), else ``deployment/environments/<environment>/data``."""
        name = f"orchestra-{environment}-data"[:63].rstrip("-")
        infrastructure = self.deps.infrastructure
        volume = await infrastructure.get_resource(name)
        if volume is None:
            volume = await infrastructure.provision("volume", name, {"size_mb": 1024})
        endpoint = Path(volume.endpoint) if volume.endpoint else None
        if endpoint is not None and endpoint.is_absolute() and endpoint.is_dir():
            return endpoint
        fallback = self._root / "environments" / environment / "data"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback

    def _child_env(
        self, release: Release, data: Path, token: str | None, port: int | None
    ) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
        env.update(
            SPECLOOM_DATA_DIR=str(data),
            ORCHESTRA_ENVIRONMENT=release.environment,
            ORCHESTRA_VERSION=release.version,
        )
        if token is not None:
            env["SPECLOOM_NATS_TOKEN"] = token
        if port is not None:
            env["SPECLOOM_METRICS_PORT"] = str(port)
        return env


async def _stop_all(launched: list[Launched], drain_seconds: float) -> None:
    """Stop the processes for good: no restart, then drained (SIGTERM, later SIGKILL)."""
    for item in launched:
        item.retired = True
        if item.keeper is not None:
            item.keeper.cancel()
    await asyncio.gather(
        *(item.process.stop(drain_seconds) for item in launched), return_exceptions=True
    )
    keepers = [item.keeper for item in launched if item.keeper is not None]
    await asyncio.gather(*keepers, return_exceptions=True)


# The release folder holds the code (not SPECLOOM_IMPL_ROOT); the process's own port and NATS.
_NOT_INHERITED = frozenset(
    {"SPECLOOM_IMPL_ROOT", "SPECLOOM_METRICS_PORT", "SPECLOOM_NATS_URL", "SPECLOOM_NATS_TOKEN"}
)
