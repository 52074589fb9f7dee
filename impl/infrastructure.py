"""Implementation of module infrastructure (Infrastructure): local resources, kept on disk.

What it does:

- The registry of resources (service, volume, network; names unique across kinds) is the file
  ``infrastructure/resources.json`` in the system's data dir (``$SPECLOOM_DATA_DIR``, else
  ``.orchestra/``), replaced atomically on every change, so resources survive a restart.
- A spec is checked before anything is created (InvalidSpec): service ``{image, ports?, env?}``,
  volume ``{size_mb}``, network ``{}``; unknown keys are refused.
- Volumes are folders ``<data_dir>/<name>`` (default ``volumes/`` in the data dir), created on
  provision (an existing folder is reused, so its data survives) and deleted with their content
  on release; the endpoint is the folder's absolute path.
- With a NATS server (``nats_url``, else ``SPECLOOM_NATS_URL``: the server this module is served
  on; the token in the URL or ``SPECLOOM_NATS_TOKEN``) a volume may live in JetStream instead:
  spec ``{size_mb, store: kv}`` is a key-value bucket named like the volume, ``store: stream`` a
  stream (subjects ``<namespace>.<name>.>``), both limited to ``size_mb``; the endpoint is
  ``nats://host:port/kv/<name>`` or ``.../stream/<name>`` (never the token). Release deletes
  the bucket or stream; the status is ``ready`` while it exists on the server, else ``failed``.
  Without a server such a volume is ProvisioningFailed.
- Services: ports are real local ports. A service given no ports gets one free port of
  127.0.0.1 reserved for it (found by binding port 0); the endpoint is ``127.0.0.1:<first
  port>``. Services are not started by this module (on the local runtime the supervisor of the
  generated package runs the modules); their status is honest: ``ready`` when something accepts
  connections on the endpoint, else ``provisioning``, checked on every get_resource and
  get_health. Networks have no endpoint.

Limits: only the ``local`` runtime is implemented; with ``docker`` or ``kubernetes`` provision
raises ProvisioningFailed and get_health reports the runtime unhealthy. One infrastructure
process owns the registry file (no locking between replicas).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import nats
import nats.errors
from orchestra.contracts.infrastructure_v1 import InvalidSpec, ProvisioningFailed, ResourceExists
from orchestra.modules.infrastructure import InfrastructureBase
from orchestra.types import Health, Resource

logger = logging.getLogger(__name__)

Kind = Literal["service", "volume", "network"]


def data_dir() -> Path:
    """The system's data dir: ``$SPECLOOM_DATA_DIR``, else ``.orchestra/`` in the project root."""
    configured = os.environ.get("SPECLOOM_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / ".orchestra"


class InfrastructureImpl(InfrastructureBase):
    """Infrastructure: a registry file, volumes as folders, services on real local ports."""

    _resources: dict[str, Resource]

    async def on_start(self) -> None:
        self._nats: Any = None
        self._registry = data_dir() / "infrastructure" / "resources.json"
        self._registry.parent.mkdir(parents=True, exist_ok=True)
        self._resources = {}
        if self._registry.is_file():
            for row in json.loads(self._registry.read_text("utf-8")):
                resource = Resource.model_validate(row)
                self._resources[resource.name] = resource

    async def on_stop(self) -> None:
        if self._nats is not None:
            await self._nats.close()
            self._nats = None

    def _nats_url(self) -> str:
        return self.config.nats_url or os.environ.get("SPECLOOM_NATS_URL", "")

    async def _jetstream(self) -> Any:
        """JetStream of the configured NATS server (connected on first use)."""
        url = self._nats_url()
        if not url:
            raise ProvisioningFailed(
                "a kv or stream volume needs a NATS server: set nats_url (or SPECLOOM_NATS_URL)",
                {"setting": "nats_url"},
            )
        if self._nats is None or self._nats.is_closed:
            token = os.environ.get("SPECLOOM_NATS_TOKEN") or None
            try:
                self._nats = await nats.connect(
                    url,
                    token=None if "@" in url else token,
                    connect_timeout=5,
                    max_reconnect_attempts=1,
                    allow_reconnect=False,
                )
            except (OSError, nats.errors.Error) as exc:
                raise ProvisioningFailed(
                    f"cannot reach NATS at {_public(url)}: {exc}", {"nats": _public(url)}
                ) from None
        return self._nats.jetstream()

    def _save(self) -> None:
        rows = [r.model_dump(mode="json") for r in self._resources.values()]
        temp = self._registry.with_suffix(".tmp")
        temp.write_text(json.dumps(rows, indent=1), "utf-8")
        os.replace(temp, self._registry)

    @property
    def _volume_root(self) -> Path:
        """The folder holding volumes."""
        configured = self.config.data_dir
        return Path(configured).resolve() if configured else data_dir() / "volumes"

    async def _observed(self, resource: Resource) -> Resource:
        """The resource with its status as observed now: a service is ready while its endpoint
        accepts connections, a kv or stream volume while it exists on the NATS server."""
        store = resource.spec.get("store", "folder") if resource.kind == "volume" else None
        if store in ("kv", "stream"):
            status = "ready" if await self._js_exists(store, resource.name) else "failed"
            return resource.model_copy(update={"status": status})
        if resource.kind != "service" or not resource.endpoint:
            return resource
        host, _, port = resource.endpoint.rpartition(":")
        status = "ready" if _listening(host, int(port)) else "provisioning"
        return resource.model_copy(update={"status": status})

    async def _js_exists(self, store: str, name: str) -> bool:
        try:
            js = await self._jetstream()
            await js.stream_info(f"KV_{name}" if store == "kv" else name)
        except (ProvisioningFailed, nats.errors.Error, OSError):
            return False
        return True

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
        spec = dict(spec)
        if kind == "service" and not spec.get("ports"):
            spec["ports"] = [_free_port()]
        resource = Resource(
            name=name,
            kind=kind,
            status="ready",
            spec=spec,
            endpoint=await self._create(kind, name, spec),
        )
        self._resources[name] = resource
        self._save()
        return await self._observed(resource)

    async def _create(self, kind: Kind, name: str, spec: dict[str, Any]) -> str | None:
        """Create the resource on the local runtime and return its endpoint."""
        if kind == "service":
            return f"127.0.0.1:{spec['ports'][0]}"
        if kind == "network":
            return None
        store = spec.get("store", "folder")
        if store != "folder":
            js = await self._jetstream()
            size = spec["size_mb"] * 1024 * 1024
            try:
                if store == "kv":
                    await js.create_key_value(bucket=name, max_bytes=size)
                else:
                    subjects = [f"{self.config.namespace}.{name}.>"]
                    await js.add_stream(name=name, subjects=subjects, max_bytes=size)
            except (nats.errors.Error, OSError) as exc:
                raise ProvisioningFailed(
                    f"NATS refused the {store} {name!r}: {exc}", {"store": store}
                ) from None
            return f"{_public(self._nats_url())}/{store}/{name}"
        folder = self._volume_root / name
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
        resource = self._resources.get(name)
        return None if resource is None else await self._observed(resource)

    async def release(self, name: str) -> bool:
        """Release (remove) a resource"""
        resource = self._resources.pop(name, None)
        if resource is None:
            return False
        self._save()
        root = self._volume_root
        store = resource.spec.get("store", "folder")
        if resource.kind == "volume" and store in ("kv", "stream"):
            try:
                js = await self._jetstream()
                if store == "kv":
                    await js.delete_key_value(name)
                else:
                    await js.delete_stream(name)
            except (ProvisioningFailed, nats.errors.Error, OSError) as exc:
                logger.warning("could not delete the %s %s: %s", store, name, exc)
        elif resource.kind == "volume" and (root / name).is_dir():
            shutil.rmtree(root / name)
        return True

    async def get_health(self) -> Health:
        """Health of the infrastructure and of each resource"""
        runtime_ok = self.config.runtime == "local"
        components = {f"runtime:{self.config.runtime}": "healthy" if runtime_ok else "unhealthy"}
        for name, stored in self._resources.items():
            resource = await self._observed(stored)
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
                    "volumes": str(self._volume_root),
                },
            }
        )


def _check_spec(kind: Kind, spec: dict[str, Any]) -> None:
    """Raise InvalidSpec unless ``spec`` fits ``kind``."""
    allowed = {
        "service": {"image", "ports", "env"},
        "volume": {"size_mb", "store"},
        "network": set(),
    }
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
    elif kind == "volume" and spec.get("store", "folder") not in ("folder", "kv", "stream"):
        raise InvalidSpec("store must be folder, kv or stream", {"key": "store"})


def _is_int(value: object, low: int, high: int | None) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= low
        and (high is None or value <= high)
    )


def _public(url: str) -> str:
    """``nats://host:port`` of a URL, without its token or password."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 4222}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False
