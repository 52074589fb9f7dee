"""Implementation of module infrastructure (Infrastructure): a registry of local resources.

What it does:

- Every resource (service, volume, network) is an in-memory record; names are unique across
  kinds. Provisioning is synchronous, so a provisioned resource is ``ready`` at once.
- A spec is checked before anything is created (InvalidSpec): service ``{image, ports?, env?}``,
  volume ``{size_mb}``, network ``{}``; unknown keys are refused.
- Volumes: when ``data_dir`` is set explicitly (``ORCHESTRA_INFRASTRUCTURE_DATA_DIR``), a volume
  is the folder ``<data_dir>/<name>``, created on provision (an existing folder is reused, so
  its data survives a restart) and deleted with its content on release; its endpoint is the
  folder's absolute path. With the default setting nothing is written to disk: the volume is
  only a record, with endpoint ``memory://<namespace>/<name>``.
- Services are recorded, not started: with the local runtime the developer runs them, and the
  endpoint says where they are expected (``127.0.0.1:<first port>``; null without ports).
  Networks have no endpoint.

Limits: only the ``local`` runtime is implemented; with ``docker`` or ``kubernetes`` provision
raises ProvisioningFailed and get_health reports the runtime unhealthy. The registry is not
persisted: records last as long as the process.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Literal

from orchestra.contracts.infrastructure_v1 import InvalidSpec, ProvisioningFailed, ResourceExists
from orchestra.modules.infrastructure import InfrastructureBase
from orchestra.types import Health, Resource

Kind = Literal["service", "volume", "network"]


class InfrastructureImpl(InfrastructureBase):
    """Infrastructure: resources as in-memory records, volumes optionally as folders."""

    _resources: dict[str, Resource]

    async def on_start(self) -> None:
        self._resources = {}

    @property
    def _volume_root(self) -> Path | None:
        """The folder holding volumes, or None when volumes are kept in memory only."""
        if "data_dir" not in self.config.model_fields_set:
            return None
        return Path(self.config.data_dir).resolve()

    async def provision(self, kind: Kind, name: str, spec: dict[str, Any] = {}) -> Resource:
        """Provision a service, volume or network

        Creates the resource and returns it (status provisioning or ready). Spec by kind:
        service {image, ports?, env?}, volume {size_mb}, network {}."""
        if name in self._resources:
            existing = self._resources[name].kind
            raise ResourceExists(f"a {existing} named {name!r} exists", {"name": name})
        _check_spec(kind, spec)
        if self.config.runtime != "local":
            raise ProvisioningFailed(
                f"the {self.config.runtime} runtime is not implemented (only local)",
                {"runtime": self.config.runtime},
            )
        resource = Resource(
            name=name,
            kind=kind,
            status="ready",
            spec=dict(spec),
            endpoint=self._create(kind, name, spec),
        )
        self._resources[name] = resource
        return resource

    def _create(self, kind: Kind, name: str, spec: dict[str, Any]) -> str | None:
        """Create the resource on the local runtime and return its endpoint."""
        if kind == "service":
            ports = spec.get("ports") or []
            return f"127.0.0.1:{ports[0]}" if ports else None
        if kind == "network":
            return None
        root = self._volume_root
        if root is None:
            return f"memory://{self.config.namespace}/{name}"
        folder = root / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProvisioningFailed(
                f"cannot create the folder of volume {name!r}: {exc.strerror}",
                {"path": str(folder)},
            ) from None
        return str(folder)

    async def get_resource(self, name: str) -> Resource | None:
        """Get a resource by name"""
        return self._resources.get(name)

    async def release(self, name: str) -> bool:
        """Release (remove) a resource"""
        resource = self._resources.pop(name, None)
        if resource is None:
            return False
        root = self._volume_root
        if resource.kind == "volume" and root is not None and (root / name).is_dir():
            shutil.rmtree(root / name)
        return True

    async def get_health(self) -> Health:
        """Health of the infrastructure and of each resource"""
        runtime_ok = self.config.runtime == "local"
        components = {f"runtime:{self.config.runtime}": "healthy" if runtime_ok else "unhealthy"}
        for name, resource in self._resources.items():
            components[name] = {"ready": "healthy", "provisioning": "degraded"}.get(
                resource.status, "unhealthy"
            )
        ranks = ["healthy", "degraded", "unhealthy"]
        status = max(components.values(), key=ranks.index)
        return Health.model_validate(
            {
                "status": status,
                "components": components,
                "details": {
                    "runtime": self.config.runtime,
                    "namespace": self.config.namespace,
                    "resources": len(self._resources),
                    "volumes_on_disk": self._volume_root is not None,
                },
            }
        )


def _check_spec(kind: Kind, spec: dict[str, Any]) -> None:
    """Raise InvalidSpec unless ``spec`` fits ``kind``."""
    allowed = {"service": {"image", "ports", "env"}, "volume": {"size_mb"}, "network": set()}
    unknown = sorted(set(spec) - allowed[kind])
    if unknown:
        raise InvalidSpec(f"unknown {kind} spec key(s): {', '.join(unknown)}", {"keys": unknown})
    if kind == "service":
        image = spec.get("image")
        if not isinstance(image, str) or not image:
            raise InvalidSpec("a service needs an image (non-empty string)", {"key": "image"})
        ports = spec.get("ports", [])
        if not isinstance(ports, list) or not all(_is_int(p, 1, 65535) for p in ports):
            raise InvalidSpec("ports must be a list of port numbers 1..65535", {"key": "ports"})
        env = spec.get("env", {})
        if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
            raise InvalidSpec("env must be an object of strings", {"key": "env"})
    elif kind == "volume" and not _is_int(spec.get("size_mb"), 1, None):
        raise InvalidSpec("a volume needs size_mb (integer >= 1)", {"key": "size_mb"})


def _is_int(value: object, low: int, high: int | None) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= low
        and (high is None or value <= high)
    )
