"""Implementation of module infrastructure (Infrastructure).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from typing import Any, Literal

from orchestra.modules.infrastructure import InfrastructureBase
from orchestra.runtime import stub
from orchestra.types import Health, Resource


class InfrastructureImpl(InfrastructureBase):
    """Infrastructure"""

    @stub
    async def provision(
        self, kind: Literal["service", "volume", "network"], name: str, spec: dict[str, Any] = {}
    ) -> Resource:
        """Provision a service, volume or network

        Creates the resource and returns it (status provisioning or ready). Spec by kind:
        service {image, ports?, env?}, volume {size_mb}, network {}."""
        raise NotImplementedError

    @stub
    async def get_resource(self, name: str) -> Resource | None:
        """Get a resource by name"""
        raise NotImplementedError

    @stub
    async def release(self, name: str) -> bool:
        """Release (remove) a resource"""
        raise NotImplementedError

    @stub
    async def get_health(self) -> Health:
        """Health of the infrastructure and of each resource"""
        raise NotImplementedError
