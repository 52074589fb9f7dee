"""The deployment view: every document under ``generated/deploy/`` as plain data, computed here.

One container image serves every module; the module is chosen by the command
(``python -m <package> serve <module> --nats URL``). From the system view this builds the
Compose file, the Kubernetes manifests (a kustomize base: per module a ConfigMap of its settings,
a PersistentVolumeClaim for its data dir, a Deployment and a Service; NATS with JetStream; the
gateway) and the values the Dockerfile needs. Templates only dump these structures (YAML through
``yaml.safe_dump``, so every spec string is quoted by the YAML emitter, never pasted).

Names: Kubernetes and Compose names are the modules' bus addresses (``agent-02-database``), the
system name with ``_`` as ``-``; each is checked against the DNS label rule (RFC 1123), and a
name that does not fit is an error, not silently rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import Diagnostic, SpecloomError
from ..names import dns_label_problem
from .view import ModuleView, SystemView

KUBERNETES_VERSION = "1.33.0"  # the API version the manifests are validated against
PYTHON_IMAGE = "python:3.11-slim"
NATS_IMAGE = "nats:2.10-alpine"
NATS_PORT = 4222
NATS_MONITOR_PORT = 8222
METRICS_PORT = 9464
GATEWAY_PORT = 8000
APP_DIR = "/app"
UID = 10001


@dataclass(frozen=True)
class DeployView:
    system: str  # DNS-safe system name
    package: str
    impl_package: str
    title: str
    version: str
    image: str  # repository:tag
    data_dir: str
    secrets_dir: str
    kubernetes_version: str
    compose: dict[str, Any]
    kustomization: dict[str, Any]
    nats: list[dict[str, Any]]
    gateway: list[dict[str, Any]]
    modules: dict[str, list[dict[str, Any]]]  # file stem (agent) -> documents
    dockerfile: dict[str, Any] = field(default_factory=dict)
    dockerignore: list[str] = field(default_factory=list)


def _dns(name: str, what: str, origin: str) -> str:
    """``name``, checked (validate checks it too: E_IDENTIFIER, located)."""
    problem = dns_label_problem(name, what)
    if problem:
        raise SpecloomError(
            "cannot build the deployment files", [Diagnostic(origin, 1, 1, "deploy-name", problem)]
        )
    return name


def _settings(m: ModuleView) -> dict[str, str]:
    """A module's settings with a default, as their environment variables' text."""
    return {f.env: f.env_default for f in m.config if not f.required and f.env_default != "null"}


def build_deploy(view: SystemView) -> DeployView:
    system = _dns(view.name.replace("_", "-"), "the system name", "system.yaml")
    tag = view.version.replace("+", "-")
    image = f"{system}:{tag}"
    data_dir = f"/var/lib/{system}"
    secrets_dir = f"/run/secrets/{system}"
    nats_url = f"nats://nats:{NATS_PORT}"
    secret = f"{system}-secrets"
    agents = {m.name: _dns(m.agent, "the agent id", m.file) for m in view.modules}
    common_env = {
        "SPECLOOM_IMPL_ROOT": APP_DIR,
        "SPECLOOM_DATA_DIR": data_dir,
        "SPECLOOM_SECRETS_DIR": secrets_dir,
        "SPECLOOM_METRICS_PORT": str(METRICS_PORT),
        "SPECLOOM_METRICS_ADDR": "0.0.0.0",  # probes and scrapers come from outside the pod
        "SPECLOOM_LOG_FORMAT": "json",
    }
    modules = {
        agents[m.name]: _kube_module(m, agents[m.name], system, image, nats_url, secret, common_env)
        for m in view.modules
    }
    gateway = _kube_gateway(system, image, nats_url, secret, common_env)
    nats = _kube_nats(system)
    kustomization = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "labels": [{"pairs": {"app.kubernetes.io/part-of": system}, "includeSelectors": False}],
        "resources": ["nats.yaml", "gateway.yaml", *[f"modules/{a}.yaml" for a in modules]],
        "images": [{"name": system, "newTag": tag}],
    }
    return DeployView(
        system=system,
        package=view.package,
        impl_package=view.impl_package,
        title=view.title,
        version=view.version,
        image=image,
        data_dir=data_dir,
        secrets_dir=secrets_dir,
        kubernetes_version=KUBERNETES_VERSION,
        compose=_compose(view, agents, system, image, nats_url, common_env),
        kustomization=kustomization,
        nats=nats,
        gateway=gateway,
        modules=modules,
        dockerfile={
            "python_image": PYTHON_IMAGE,
            "app_dir": APP_DIR,
            "uid": UID,
            "package": view.package,
            "impl_package": view.impl_package,
            "data_dir": data_dir,
            "metrics_port": METRICS_PORT,
            "label_lines": [
                f"{key}={_docker_quote(value)}"
                for key, value in (
                    ("org.opencontainers.image.title", view.title),
                    ("org.opencontainers.image.version", view.version),
                )
            ],
        },
        dockerignore=[
            ".git",
            "**/.venv",
            "**/__pycache__",
            "**/*.pyc",
            "**/.pytest_cache",
            "**/.mypy_cache",
            "**/.ruff_cache",
            "**/.hypothesis",
            ".orchestra",
            f".{system}",
            "secrets",
            "**/.specloom/lock",
        ],
    )


def _docker_quote(text: str) -> str:
    """``text`` as one double-quoted Dockerfile word: control characters and newlines become
    spaces, and the characters Docker treats specially in quotes (``\\ " $``) are escaped."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return '"' + re.sub(r'([\\"$])', r"\\\1", flat) + '"'


# --- Compose -----------------------------------------------------------------------------------


def _http_check(port: int, path: str) -> list[str]:
    probe = (
        f"import urllib.request; urllib.request.urlopen('http://127.0.0.1:{port}{path}', timeout=2)"
    )
    return ["CMD", "python", "-c", probe]


def _compose(
    view: SystemView,
    agents: dict[str, str],
    system: str,
    image: str,
    nats_url: str,
    common_env: dict[str, str],
) -> dict[str, Any]:
    secret = f"{system}-secrets"
    healthy = {"nats": {"condition": "service_healthy"}}
    services: dict[str, Any] = {
        "nats": {
            "image": NATS_IMAGE,
            "command": [
                "--jetstream",
                "--store_dir",
                "/data",
                "--http_port",
                str(NATS_MONITOR_PORT),
            ],
            "volumes": ["nats-data:/data"],
            "healthcheck": {
                "test": [
                    "CMD",
                    "wget",
                    "-q",
                    "--spider",
                    f"http://127.0.0.1:{NATS_MONITOR_PORT}/healthz",
                ],
                "interval": "5s",
                "timeout": "3s",
                "retries": 10,
            },
            "restart": "unless-stopped",
        }
    }
    build = {"context": "../..", "dockerfile": "generated/deploy/Dockerfile"}
    for m in view.modules:
        agent = agents[m.name]
        services[agent] = {
            "image": image,
            "build": build,
            "command": ["serve", m.name, "--nats", nats_url],
            "environment": {**common_env, **_settings(m)},
            "volumes": [f"{agent}-data:{common_env['SPECLOOM_DATA_DIR']}"],
            "secrets": [{"source": secret, "target": common_env["SPECLOOM_SECRETS_DIR"]}],
            "depends_on": healthy,
            "healthcheck": {
                "test": _http_check(METRICS_PORT, "/metrics"),
                "interval": "10s",
                "timeout": "3s",
                "retries": 5,
                "start_period": "10s",
            },
            "restart": "unless-stopped",
        }
    services["gateway"] = {
        "image": image,
        "command": ["gateway", "--port", str(GATEWAY_PORT), "--nats", nats_url],
        "environment": dict(common_env),
        "secrets": [{"source": secret, "target": common_env["SPECLOOM_SECRETS_DIR"]}],
        "ports": [f"{GATEWAY_PORT}:{GATEWAY_PORT}"],
        "depends_on": healthy,
        "healthcheck": {
            "test": _http_check(GATEWAY_PORT, "/metrics"),
            "interval": "10s",
            "timeout": "3s",
            "retries": 5,
            "start_period": "10s",
        },
        "restart": "unless-stopped",
    }
    volumes: dict[str, Any] = {"nats-data": {}}
    volumes.update({f"{agents[m.name]}-data": {} for m in view.modules})
    return {
        "name": system,
        "services": services,
        "volumes": volumes,
        "secrets": {secret: {"file": "../../secrets"}},
    }


# --- Kubernetes --------------------------------------------------------------------------------


def _labels(name: str, system: str, component: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/instance": f"{system}-{name}",
        "app.kubernetes.io/component": component,
    }


def _container_security() -> dict[str, Any]:
    return {
        "runAsNonRoot": True,
        "runAsUser": UID,
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
    }


def _probe(port: str, path: str, delay: int) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": port},
        "initialDelaySeconds": delay,
        "periodSeconds": 10,
        "timeoutSeconds": 3,
        "failureThreshold": 3,
    }


def _deployment(
    name: str,
    labels: dict[str, str],
    container: dict[str, Any],
    volumes: list[dict[str, Any]],
    *,
    recreate: bool,
) -> dict[str, Any]:
    selector = {"app.kubernetes.io/name": labels["app.kubernetes.io/name"]}
    spec: dict[str, Any] = {
        "replicas": 1,
        "selector": {"matchLabels": selector},
        "template": {
            "metadata": {"labels": labels},
            "spec": {"containers": [container], "volumes": volumes},
        },
    }
    if recreate:  # a ReadWriteOnce volume: the old pod goes before the new one comes
        spec["strategy"] = {"type": "Recreate"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": spec,
    }


def _service(name: str, labels: dict[str, str], ports: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "selector": {"app.kubernetes.io/name": labels["app.kubernetes.io/name"]},
            "ports": [{"name": port, "port": number, "targetPort": port} for port, number in ports],
        },
    }


def _claim(name: str, labels: dict[str, str], size: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "labels": labels},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}},
    }


def _env_list(env: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in env.items()]


def _kube_module(
    m: ModuleView,
    agent: str,
    system: str,
    image: str,
    nats_url: str,
    secret: str,
    common_env: dict[str, str],
) -> list[dict[str, Any]]:
    labels = _labels(agent, system, "module")
    config = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": f"{agent}-config", "labels": labels},
        "data": _settings(m),
    }
    container = {
        "name": "module",
        "image": image,
        "args": ["serve", m.name, "--nats", nats_url],
        "ports": [{"name": "metrics", "containerPort": METRICS_PORT}],
        "env": _env_list(common_env),
        "envFrom": [{"configMapRef": {"name": f"{agent}-config"}}],
        "volumeMounts": [
            {"name": "data", "mountPath": common_env["SPECLOOM_DATA_DIR"]},
            {"name": "secrets", "mountPath": common_env["SPECLOOM_SECRETS_DIR"], "readOnly": True},
        ],
        "readinessProbe": _probe("metrics", "/metrics", 3),
        "livenessProbe": _probe("metrics", "/metrics", 15),
        "resources": {
            "requests": {"cpu": "50m", "memory": "96Mi"},
            "limits": {"memory": "512Mi"},
        },
        "securityContext": _container_security(),
    }
    volumes = [
        {"name": "data", "persistentVolumeClaim": {"claimName": f"{agent}-data"}},
        {"name": "secrets", "secret": {"secretName": secret}},
    ]
    return [
        config,
        _claim(f"{agent}-data", labels, "1Gi"),
        _deployment(agent, labels, container, volumes, recreate=True),
        _service(agent, labels, [("metrics", METRICS_PORT)]),
    ]


def _kube_gateway(
    system: str, image: str, nats_url: str, secret: str, common_env: dict[str, str]
) -> list[dict[str, Any]]:
    labels = _labels("gateway", system, "gateway")
    container = {
        "name": "gateway",
        "image": image,
        "args": ["gateway", "--port", str(GATEWAY_PORT), "--nats", nats_url],
        "ports": [{"name": "http", "containerPort": GATEWAY_PORT}],
        "env": _env_list(common_env),
        "volumeMounts": [
            {"name": "secrets", "mountPath": common_env["SPECLOOM_SECRETS_DIR"], "readOnly": True}
        ],
        "readinessProbe": _probe("http", "/metrics", 3),
        "livenessProbe": _probe("http", "/metrics", 15),
        "resources": {
            "requests": {"cpu": "50m", "memory": "128Mi"},
            "limits": {"memory": "512Mi"},
        },
        "securityContext": _container_security(),
    }
    volumes = [{"name": "secrets", "secret": {"secretName": secret}}]
    return [
        _deployment("gateway", labels, container, volumes, recreate=False),
        _service("gateway", labels, [("http", GATEWAY_PORT)]),
    ]


def _kube_nats(system: str) -> list[dict[str, Any]]:
    labels = _labels("nats", system, "message-bus")
    container = {
        "name": "nats",
        "image": NATS_IMAGE,
        "args": ["--jetstream", "--store_dir", "/data", "--http_port", str(NATS_MONITOR_PORT)],
        "ports": [
            {"name": "client", "containerPort": NATS_PORT},
            {"name": "monitor", "containerPort": NATS_MONITOR_PORT},
        ],
        "volumeMounts": [{"name": "data", "mountPath": "/data"}],
        "readinessProbe": _probe("monitor", "/healthz", 2),
        "livenessProbe": _probe("monitor", "/healthz", 10),
        "resources": {
            "requests": {"cpu": "100m", "memory": "128Mi"},
            "limits": {"memory": "1Gi"},
        },
    }
    volumes = [{"name": "data", "persistentVolumeClaim": {"claimName": "nats-data"}}]
    return [
        _claim("nats-data", labels, "2Gi"),
        _deployment("nats", labels, container, volumes, recreate=True),
        _service("nats", labels, [("client", NATS_PORT), ("monitor", NATS_MONITOR_PORT)]),
    ]
