"""Implementation of module deployment (Deployment): gated deployments, history and rollback.

What it does:

- Deployments to one environment are serialized (one lock per environment); different
  environments proceed in parallel. Only the configured ``environments`` are accepted.
- deploy runs the gate first, unless ``require_tests`` is false: Testing@1.run_suite of
  ``gate_suite`` over all modules, then get_report until the run is no longer running. A gate
  that does not pass is TestsFailed (details: run id, status, failures) and deploys nothing.
- Rolling out a version provisions its service through Infrastructure@1 (name
  ``orchestra-<deployment id>``, image ``orchestra:<version>``), then releases the service of
  the deployment it replaces and makes the new one current (status succeeded). When the
  infrastructure refuses, the deployment is kept in the history with status failed and the
  current one stays.
- rollback rolls out again the version that was current before the current deployment (without
  the gate: that version passed it already), marks the replaced deployment rolled_back and sets
  rollback_of; a further rollback goes one deployment further back.
- Deployment ids are ``<environment>-<n>``.

- The history and the current deployment of each environment are the file
  ``deployment/history.json`` in the system's data dir (``$SPECLOOM_DATA_DIR``, else
  ``.orchestra/``), replaced atomically after every change, so a restart keeps them (rollback
  works across restarts).

Limits: a "release" is a service of the infrastructure module, not a build artefact; on the
local runtime no process is started for it (the infrastructure module records the service and
reports it ready only while something listens on its port).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from orchestra.contracts.deployment_v1 import NothingToRollback, TestsFailed, UnknownEnvironment
from orchestra.modules.deployment import DeploymentBase
from orchestra.types import Deployment
from specloom_runtime import SpecloomError

logger = logging.getLogger(__name__)

Status = Literal["pending", "running", "succeeded", "failed", "rolled_back"]


def data_dir() -> Path:
    """The system's data dir: ``$SPECLOOM_DATA_DIR``, else ``.orchestra/`` in the project root."""
    configured = os.environ.get("SPECLOOM_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / ".orchestra"


@dataclass
class Release:
    """One deployment and what it needs to be rolled back."""

    id: str
    version: str
    environment: str
    status: Status
    rollback_of: str | None
    previous: str | None  # the deployment that was current when this one was made
    service: str

    def deployment(self) -> Deployment:
        return Deployment(
            id=self.id,
            version=self.version,
            environment=self.environment,
            status=self.status,
            rollback_of=self.rollback_of,
        )


class DeploymentImpl(DeploymentBase):
    """Deployment: a gated pipeline over Testing@1 and Infrastructure@1."""

    _history: dict[str, Release]
    _current: dict[str, str]
    _locks: dict[str, asyncio.Lock]

    async def on_start(self) -> None:
        self._history, self._current = {}, {}
        self._locks = {env: asyncio.Lock() for env in self.config.environments}
        self._file = data_dir() / "deployment" / "history.json"
        self._file.parent.mkdir(parents=True, exist_ok=True)
        if self._file.is_file():
            saved = json.loads(self._file.read_text("utf-8"))
            self._history = {row["id"]: Release(**row) for row in saved["history"]}
            self._current = dict(saved["current"])

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
            return release.deployment()

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
            return release.deployment()

    async def get_deployment_status(self, environment: str) -> Deployment | None:
        """Current deployment of an environment"""
        current = self._history.get(self._current.get(self._known(environment), ""))
        return None if current is None else current.deployment()

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
        """Provision ``version``, replace the current deployment's service, record it."""
        number = 1 + sum(r.environment == environment for r in self._history.values())
        deployment_id = f"{environment}-{number}"
        release = Release(
            deployment_id,
            version,
            environment,
            "running",
            rollback_of,
            previous,
            f"orchestra-{deployment_id}",
        )
        self._history[deployment_id] = release
        infrastructure = self.deps.infrastructure
        spec = {
            "image": f"orchestra:{version}",
            "env": {"ORCHESTRA_ENVIRONMENT": environment, "ORCHESTRA_VERSION": version},
        }
        try:
            await infrastructure.provision("service", release.service, spec)
        except SpecloomError as exc:
            logger.warning("deployment %s failed: %s", deployment_id, exc)
            release.status = "failed"
            self._save()
            return release
        replaced = self._history.get(self._current.get(environment, ""))
        if replaced is not None:
            await infrastructure.release(replaced.service)
        release.status = "succeeded"
        self._current[environment] = deployment_id
        self._save()
        return release
