"""Render ``deploy/``: the Dockerfile, the Compose file and the Kubernetes kustomize base.

The documents are built as data by :mod:`generator.model.deploy`; the templates under
``templates/deploy/`` lay them out, and YAML goes through :func:`to_yaml` (``yaml.safe_dump``),
so a spec string is always a quoted YAML scalar, never YAML syntax.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..model.deploy import build_deploy
from ..model.view import SystemView
from .environment import environment


def _dumper(base: Any) -> Any:
    """Block style, keys in the order built, long strings unwrapped, no anchors or aliases."""

    class Dumper(base):  # type: ignore[misc, valid-type]
        def ignore_aliases(self, data: Any) -> bool:
            return True

    Dumper.add_representer(str, _str)
    return Dumper


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


# libyaml's emitter is 5x the pure-Python one (~2.5 s of 4,000 documents at 1,000 modules) and
# writes the same bytes for printable-ASCII strings, but not for all (an empty key, a NEL, CR or
# an astral character are written another way): a document with another string, or a PyYAML
# without libyaml, goes through the pure one (tests/generate/test_gen_deploy_yaml.py).
PURE_DUMPER = _dumper(yaml.SafeDumper)
_FAST_DUMPER = _dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper))
_PLAIN_ASCII = re.compile(r"[\x20-\x7e]+\Z")


def _plain(value: Any) -> bool:
    """Every string of ``value`` (keys too) is non-empty printable ASCII."""
    if isinstance(value, str):
        return _PLAIN_ASCII.match(value) is not None
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return True


def to_yaml(value: Any, dumper: Any = None) -> str:
    if dumper is None:
        dumper = _FAST_DUMPER if _plain(value) else PURE_DUMPER
    text = yaml.dump(
        value,
        Dumper=dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=2**16,
    )
    return text.rstrip("\n")


def render_deploy(
    view: SystemView, user_templates: str | None, render: Any, unit: Any = None
) -> dict[str, str]:
    """``{path under the output folder: text}`` of every deployment file. ``unit``: how a file
    of one module is rendered (the unit cache of ``project``: its key is what the file shows)."""
    environment(user_templates).filters.setdefault("to_yaml", to_yaml)
    d = build_deploy(view)
    out = {
        "deploy/README.md": render("deploy/README.md.jinja", d=d),
        "deploy/Dockerfile": render("deploy/Dockerfile.jinja", d=d),
        "deploy/Dockerfile.dockerignore": render("deploy/Dockerfile.dockerignore.jinja", d=d),
        "deploy/compose.yaml": render("deploy/compose.yaml.jinja", d=d),
        "deploy/kubernetes/kustomization.yaml": render(
            "deploy/kubernetes/kustomization.yaml.jinja", d=d
        ),
    }
    documents = {
        "nats.yaml": ("NATS with JetStream (one server, its store on a volume).", d.nats),
        "gateway.yaml": ("The HTTP gateway: a caller of the bus like any other.", d.gateway),
    }
    for agent, docs in d.modules.items():
        documents[f"modules/{agent}.yaml"] = (
            f"Module {agent}: its settings, data volume, Deployment and metrics Service.",
            docs,
        )
    template = "deploy/kubernetes/documents.yaml.jinja"
    for rel, (what, docs) in documents.items():
        path = f"deploy/kubernetes/{rel}"
        if unit is not None and rel.startswith("modules/"):  # the template reads only these
            out[path] = unit(path, template, what=what, docs=docs)
        else:
            out[path] = render(template, d=d, what=what, docs=docs)
    return out
