"""``specloom init``: a new project from the copier template in ``templates/project``.

copier does the templating, the questions and their validation (its API, ``run_copy``); this module
only prepares its inputs and finishes the project afterwards:

1. defaults that only the running specloom knows: where it was installed from (so the project's
   ``make setup`` can install the same specloom) and where its pre-commit hooks live;
2. copier renders the template (the "minimal" starter specs are part of it);
3. the "orchestra" starter's modules, contracts and types are copied from the flagship specs that
   ship with specloom (the template keeps no copy of them);
4. ``.specloom/schema.json``, the schema each spec file names for editors, is written;
5. the first ``specloom generate`` runs, so ``make test`` passes in the new project right away;
6. ``git init``, which ``copier update`` needs later (no commit is made).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import yaml

from . import __version__
from .errors import SpecloomError, UsageError, display_path
from .render.environment import builtin_templates

SCHEMA_FILE = ".specloom/schema.json"
MODELINE = "# yaml-language-server: $schema="
STARTER_FOLDERS = ("types", "contracts", "modules")


@dataclass
class InitResult:
    """What ``init_project`` made."""

    path: Path
    answers: dict[str, Any]
    generate_summary: str
    scaffold_lines: list[str]
    git_initialized: bool


def template_dir() -> Path:
    """The copier template shipped with specloom."""
    return builtin_templates() / "project"


def orchestra_specs() -> Path:
    """The flagship spec set: ``specs/`` of a checkout, or its copy inside the installed package."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "starters" / "orchestra", here.parent / "specs"):
        if (candidate / "system.yaml").is_file() and (candidate / "modules").is_dir():
            return candidate
    raise SpecloomError(f"the orchestra starter specs were not found next to {here}")


def _direct_url() -> dict[str, Any]:
    """PEP 610 record of where this specloom was installed from ({} for an index install)."""
    try:
        text = metadata.distribution("specloom").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return {}
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _file_path(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


def specloom_source() -> str:
    """This specloom as pip can install it again: a local path, ``git+URL@commit`` or a version.

    A checkout (editable or not) or a wheel file gives its path; a VCS install gives its URL and
    commit; an install from an index gives ``specloom==VERSION``.
    """
    info = _direct_url()
    url = str(info.get("url", ""))
    vcs = info.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and url:
        return f"git+{url}@{vcs.get('commit_id', '')}".rstrip("@")
    path = _file_path(url) if url else None
    if path is not None and path.exists():
        return str(path)
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "generator").is_dir():
        return str(checkout)
    return f"specloom=={__version__}"


def _git(*args: str, cwd: Path | None = None) -> str | None:
    """Output of a git command, or None when git is missing or the command fails."""
    if shutil.which("git") is None:
        return None
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def precommit_source(source: str) -> tuple[str, str]:
    """Git repository and rev of specloom's ``.pre-commit-hooks.yaml``; ("", "") when unknown."""
    if source.startswith("git+"):
        url, _, rev = source[4:].rpartition("@")
        if url and "/" not in rev:
            return url, rev
        return source[4:], f"v{__version__}"
    path = Path(source)
    if path.is_dir() and (path / ".pre-commit-hooks.yaml").is_file():
        top = _git("rev-parse", "--show-toplevel", cwd=path)
        head = _git("rev-parse", "HEAD", cwd=path)
        if top and head and Path(top).resolve() == path.resolve():
            return str(path), head
    return "", ""


def parse_data(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs from the command line."""
    data: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--data takes NAME=VALUE, not {pair!r}")
        data[name.strip()] = value
    return data


def _questions(template: Path) -> list[str] | None:
    """Names of the template's questions (None when they cannot be read, e.g. a git URL).

    specloom's template keeps them in ``questions.yml``, which its ``copier.yml`` includes.
    """
    config = template / "questions.yml"
    if not config.is_file():
        config = template / "copier.yml"
    if not config.is_file():
        return None
    try:
        data = yaml.safe_load(config.read_text("utf-8"))
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    return [
        k
        for k, v in data.items()
        if not k.startswith("_") and isinstance(v, dict) and v.get("when") is not False
    ]


def _check_target(dst: Path, overwrite: bool) -> None:
    if dst.exists() and not dst.is_dir():
        raise UsageError(f"{display_path(dst)} exists and is not a folder")
    if dst.is_dir() and any(dst.iterdir()) and not overwrite:
        raise UsageError(
            f"{display_path(dst)} is not empty; choose a new folder, or pass --overwrite to "
            "render the template over what is there"
        )


def _run_copier(
    template: str,
    dst: Path,
    *,
    data: dict[str, str],
    user_defaults: dict[str, str],
    defaults: bool,
    overwrite: bool,
    vcs_ref: str | None,
) -> None:
    from copier import run_copy
    from copier.errors import CopierError

    try:
        run_copy(
            template,
            dst,
            data=data,
            user_defaults=user_defaults,
            defaults=defaults,
            overwrite=overwrite,
            vcs_ref=vcs_ref,
            quiet=True,
            unsafe=False,
        )
    except ValueError as exc:  # copier reports a failed validator or choice this way
        found = re.search(r"question '(\w+)'|for '(\w+)'", str(exc))
        name = next((g for g in found.groups() if g), "NAME") if found else "NAME"
        raise UsageError(f"{exc} (answer it with --data {name}=VALUE)") from None
    except CopierError as exc:
        raise SpecloomError(f"copier: {exc}") from None


def _read_answers(dst: Path) -> dict[str, Any]:
    path = dst / ".copier-answers.yml"
    try:
        answers = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecloomError(f"the template left no readable {path.name}: {exc}") from None
    if not isinstance(answers, dict):
        raise SpecloomError(f"{path.name} of the new project is not a mapping")
    return answers


def with_modeline(text: str, spec_file: Path, project: Path) -> str:
    """``text`` starting with the yaml-language-server line that points at the editor schema."""
    if text.startswith(MODELINE):
        return text
    rel = os.path.relpath(project / SCHEMA_FILE, spec_file.parent)
    return f"{MODELINE}{Path(rel).as_posix()}\n{text}"


def copy_orchestra(project: Path) -> list[Path]:
    """Copy the flagship's types, contracts and modules into ``project/specs``.

    ``system.yaml`` is not copied: the template renders it from the answers (name = package).
    """
    source = orchestra_specs()
    written = []
    for folder in STARTER_FOLDERS:
        for src in sorted((source / folder).rglob("*.yaml")):
            dst = project / "specs" / src.relative_to(source)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_text(with_modeline(src.read_text("utf-8"), dst, project), "utf-8")
            written.append(dst)
    return written


def schema_text() -> str:
    """Exactly what ``specloom schema`` prints."""
    from .validate.schema import schema_document

    return json.dumps(schema_document(), indent=2) + "\n"


def write_schema(project: Path) -> Path:
    path = project / SCHEMA_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), "utf-8")
    return path


def _git_init(project: Path) -> bool:
    if _git("rev-parse", "--is-inside-work-tree", cwd=project) is not None:
        return False  # already in a repository (a monorepo, or --overwrite of a project)
    return _git("init", "-q", str(project)) is not None


def init_project(
    dst: Path,
    *,
    data: dict[str, str] | None = None,
    defaults: bool = False,
    overwrite: bool = False,
    template: str | None = None,
    vcs_ref: str | None = None,
    git: bool = True,
) -> InitResult:
    """Render the template into ``dst``, add the starter specs and generate the system."""
    from .pipeline import Options, generate

    data = dict(data or {})
    _check_target(dst, overwrite)
    src = template or str(template_dir())
    local = Path(src)
    if local.is_dir():
        src = str(local.resolve())
        known = _questions(local)
        unknown = sorted(set(data) - set(known or data))
        if unknown:
            raise UsageError(
                f"--data names no question of the template: {', '.join(unknown)} "
                f"(questions: {', '.join(known or [])})"
            )
    if not defaults and not sys.stdin.isatty():
        raise UsageError(
            "no terminal to ask the template's questions on; pass --defaults "
            "(and --data NAME=VALUE for the answers to set)"
        )
    source = specloom_source()
    repo, rev = precommit_source(source)
    user_defaults = {"specloom_source": source, "precommit_repo": repo}
    if rev:
        user_defaults["precommit_rev"] = rev
    _run_copier(
        src,
        dst,
        data=data,
        user_defaults=user_defaults,
        defaults=defaults,
        overwrite=overwrite,
        vcs_ref=vcs_ref,
    )
    answers = _read_answers(dst)
    if answers.get("starter") == "orchestra":
        copy_orchestra(dst)
    write_schema(dst)
    root = dst.resolve()
    # From the project root, as `make generate` runs it: generated files name their spec by the
    # path shown, so `specloom check specs` there finds them identical.
    with contextlib.chdir(root):
        outcome = generate(Options(specs=Path("specs"), out=root / "generated", impl_root=root))
    summary = (
        f"{display_path(dst / 'generated')}: {outcome.written} written, "
        f"{outcome.unchanged} unchanged, {outcome.removed} removed in {outcome.seconds:.2f}s"
    )
    initialized = _git_init(dst) if git else False
    return InitResult(dst, answers, summary, outcome.scaffold.lines(), initialized)
