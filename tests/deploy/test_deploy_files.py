"""The deployment files under generated/deploy/ pass real validators, and spec strings stay data.

- Kubernetes manifests: ``kubernetes-validate --strict`` for the pinned Kubernetes version (the
  package ships the API schemas, so this runs offline).
- Compose file: ``check-jsonschema`` with the Compose Specification schema it ships
  (``vendor.compose-spec``).
- Dockerfile: parsed with ``dockerfile-parse``; every COPY source exists in the project.

No image is built and nothing is started: there is no Docker engine or cluster here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from dockerfile_parse import DockerfileParser

from generator.model.deploy import KUBERNETES_VERSION

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "generated" / "deploy"
KUBE = DEPLOY / "kubernetes"
BIN = Path(sys.executable).parent
MODULES = sorted(p.stem for p in (ROOT / "specs" / "modules").glob("*.yaml"))


def _tool(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / name), *map(str, args)], capture_output=True, text=True, timeout=120
    )


def _docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text("utf-8")) if d is not None]


def _manifests(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.name != "kustomization.yaml")


def test_kubernetes_manifests_pass_kubernetes_validate_strict() -> None:
    files = _manifests(KUBE)
    assert len(files) == 2 + len(MODULES)
    done = _tool("kubernetes-validate", "--strict", "-k", KUBERNETES_VERSION, "--quiet", *files)
    assert done.returncode == 0, done.stdout + done.stderr


def test_kubernetes_validate_rejects_a_broken_manifest(tmp_path: Path) -> None:
    docs = _docs(KUBE / "modules" / "agent-02-database.yaml")
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(deployment))
    done = _tool("kubernetes-validate", "--strict", "-k", KUBERNETES_VERSION, broken)
    assert done.returncode != 0


def test_compose_file_passes_the_compose_specification_schema(tmp_path: Path) -> None:
    done = _tool(
        "check-jsonschema", "--builtin-schema", "vendor.compose-spec", DEPLOY / "compose.yaml"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    compose["services"]["nats"]["helthcheck"] = {}
    broken = tmp_path / "compose.yaml"
    broken.write_text(yaml.safe_dump(compose))
    done = _tool("check-jsonschema", "--builtin-schema", "vendor.compose-spec", broken)
    assert done.returncode != 0


def test_compose_has_nats_jetstream_every_module_the_gateway_volumes_and_secrets() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert "--jetstream" in services["nats"]["command"]
    agents = {f"agent-{m.replace('_', '-')}" for m in MODULES}
    assert set(services) == {"nats", "gateway"} | agents
    for agent in agents:
        service = services[agent]
        assert service["command"][:2] == ["serve", service["command"][1]]
        assert service["depends_on"] == {"nats": {"condition": "service_healthy"}}
        assert "healthcheck" in service and service["secrets"]
        volume = service["volumes"][0].split(":")[0]
        assert volume in compose["volumes"]
    assert services["agent-02-database"]["command"][1] == "database"
    assert services["gateway"]["command"][0] == "gateway"
    assert set(compose["secrets"]) == {"orchestra-secrets"}


def test_each_module_has_configmap_claim_deployment_and_service_with_probes() -> None:
    kustomization = yaml.safe_load((KUBE / "kustomization.yaml").read_text())
    listed = {KUBE / r for r in kustomization["resources"]}
    assert listed == set(_manifests(KUBE))
    for path in sorted((KUBE / "modules").glob("*.yaml")):
        kinds = {d["kind"]: d for d in _docs(path)}
        assert set(kinds) == {"ConfigMap", "PersistentVolumeClaim", "Deployment", "Service"}
        pod = kinds["Deployment"]["spec"]["template"]["spec"]
        [container] = pod["containers"]
        assert container["args"][0] == "serve"
        assert {"readinessProbe", "livenessProbe"} <= set(container)
        assert container["resources"]["requests"]
        assert container["securityContext"]["runAsNonRoot"] is True
        assert {v["name"]: v for v in pod["volumes"]}["secrets"]["secret"]["secretName"] == (
            "orchestra-secrets"
        )
        assert container["envFrom"] == [
            {"configMapRef": {"name": kinds["ConfigMap"]["metadata"]["name"]}}
        ]
    database = _docs(KUBE / "modules" / "agent-02-database.yaml")[0]
    assert database["data"]["ORCHESTRA_DATABASE_VOLUME"] == "database-data"


def test_dockerfile_parses_and_copies_only_what_exists() -> None:
    parser = DockerfileParser(fileobj=(DEPLOY / "Dockerfile").open("rb"))
    instructions = [(i["instruction"], i["value"]) for i in parser.structure]
    froms = [v for k, v in instructions if k == "FROM"]
    assert froms == ["python:3.11-slim AS build", "python:3.11-slim"]
    assert ("USER", "10001") in instructions
    assert ("ENTRYPOINT", '["python", "-m", "orchestra"]') in instructions
    for kind, value in instructions:
        if kind == "COPY" and "--from" not in value:
            source = value.split()[0]
            assert (ROOT / source).exists(), source
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split("\n")
    assert "secrets" in ignore and ".orchestra" in ignore


HOSTILE = 'Evil "title"\n$(rm -rf /) `x` \\ {{ }}: - [a] # b\u00e9\u202e'


def test_hostile_spec_strings_stay_data(tmp_path: Path) -> None:
    project = tmp_path / "notes"
    shutil.copytree(ROOT / "examples" / "notes" / "specs", project / "specs")
    system = yaml.safe_load((project / "specs" / "system.yaml").read_text())
    system["system"]["title"] = HOSTILE
    (project / "specs" / "system.yaml").write_text(yaml.safe_dump(system))
    module_path = project / "specs" / "modules" / "02-notes.yaml"
    module = yaml.safe_load(module_path.read_text())
    module["config"]["properties"]["id_prefix"]["default"] = HOSTILE
    module_path.write_text(yaml.safe_dump(module))
    done = subprocess.run(
        [str(BIN / "specloom"), "generate", "specs"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    deploy = project / "generated" / "deploy"
    compose = yaml.safe_load((deploy / "compose.yaml").read_text())
    env = compose["services"]["agent-02-notes"]["environment"]
    assert yaml.safe_load(env["NOTES_NOTES_ID_PREFIX"]) == HOSTILE or (
        env["NOTES_NOTES_ID_PREFIX"] == HOSTILE
    )
    config = _docs(deploy / "kubernetes" / "modules" / "agent-02-notes.yaml")[0]
    assert config["data"] == {"NOTES_NOTES_ID_PREFIX": env["NOTES_NOTES_ID_PREFIX"]}
    labels = [line for line in (deploy / "Dockerfile").read_text().splitlines() if "title=" in line]
    assert len(labels) == 1 and re.search(r"(?<!\\)\$", labels[0]) is None, labels
    parser = DockerfileParser(fileobj=(deploy / "Dockerfile").open("rb"))
    title = parser.labels["org.opencontainers.image.title"]
    assert title.startswith('Evil "title" \\$(rm -rf /)'), title  # one word, $ escaped
    for path in _manifests(deploy / "kubernetes"):
        _docs(path)  # parses
    done = _tool(
        "kubernetes-validate",
        "--strict",
        "-k",
        KUBERNETES_VERSION,
        "--quiet",
        *_manifests(deploy / "kubernetes"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    done = _tool(
        "check-jsonschema", "--builtin-schema", "vendor.compose-spec", deploy / "compose.yaml"
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", ["notes_", "a" * 70])
def test_a_system_name_that_is_no_dns_label_is_a_clear_error(tmp_path: Path, name: str) -> None:
    project = tmp_path / "p"
    shutil.copytree(ROOT / "examples" / "notes" / "specs", project / "specs")
    system = yaml.safe_load((project / "specs" / "system.yaml").read_text())
    system["system"]["name"] = name
    system["system"]["package"] = "notes"
    (project / "specs" / "system.yaml").write_text(yaml.safe_dump(system))
    done = subprocess.run(
        [str(BIN / "specloom"), "generate", "specs"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "not a DNS label" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
