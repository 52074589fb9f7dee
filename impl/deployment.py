"""Implementation of module deployment (Deployment).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from orchestra.modules.deployment import DeploymentBase
from orchestra.runtime import stub
from orchestra.types import Deployment


class DeploymentImpl(DeploymentBase):
    """Deployment"""

    @stub
    async def deploy(self, version: str, environment: str) -> Deployment:
        """Deploy a version to an environment

        Runs the test gate, then deploys; the new deployment becomes the environment's current
        one."""
        raise NotImplementedError

    @stub
    async def rollback(self, environment: str) -> Deployment:
        """Roll an environment back to its previous version

        Deploys the version that was current before the current deployment; the replaced
        deployment gets status rolled_back and the new one has rollback_of set to its id."""
        raise NotImplementedError

    @stub
    async def get_deployment_status(self, environment: str) -> Deployment | None:
        """Current deployment of an environment"""
        raise NotImplementedError
