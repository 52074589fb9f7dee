"""The whole pipeline for ``generate`` and ``check``: load -> validate -> model -> render -> write.

A fingerprint of every input (spec files, templates, generator version and options) is kept in the
manifest; when it matches and every output file still has its recorded hash, nothing is rendered.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import SpecloomError, display_path
from .load.files import spec_files
from .validate import validate_specs
from .write import ChangeSet, Manifest, apply_changes, plan_changes, update_scaffolds
from .write.manifest import sha256
from .write.safe_io import output_lock, read_bytes
from .write.scaffold import ScaffoldReport


@dataclass
class Options:
    specs: Path
    out: Path
    impl_root: Path
    templates: Path | None = None
    force: bool = False
    use_cache: bool = True


@dataclass
class Outcome:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    short_circuit: bool = False
    changes: ChangeSet | None = None
    scaffold: ScaffoldReport = field(default_factory=ScaffoldReport)


def _generator_files() -> list[Path]:
    root = Path(__file__).resolve().parent
    return sorted(p for p in root.rglob("*") if p.suffix in (".py", ".json", ".jinja"))


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "-"


def fingerprint(opts: Options) -> str:
    """Hash of everything output depends on: specs, templates, generator code, options."""
    from .render.environment import builtin_templates

    h = hashlib.sha256()
    h.update(f"specloom {__version__}\n".encode())
    for dist in ("datamodel-code-generator", "ruff", "pydantic"):
        h.update(f"{dist} {_version(dist)}\n".encode())
    rel_impl = os.path.relpath(opts.impl_root.resolve(), opts.out.resolve())
    h.update(f"impl={rel_impl}\n".encode())
    groups = [
        ("specs", opts.specs, spec_files(opts.specs)),
        ("generator", Path(__file__).parent, _generator_files()),
    ]
    tpl = builtin_templates()
    groups.append(("templates", tpl, sorted(p for p in tpl.rglob("*") if p.is_file())))
    if opts.templates:
        groups.append(
            ("user", opts.templates, sorted(p for p in opts.templates.rglob("*") if p.is_file()))
        )
    for name, root, paths in groups:
        for p in paths:
            h.update(f"{name}:{p.relative_to(root).as_posix()}\n".encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def outputs_intact(out: Path, manifest: Manifest) -> bool:
    if not manifest.files:
        return False
    for rel, digest in manifest.files.items():
        data = read_bytes(out, rel)
        if data is None or sha256(data) != digest:
            return False
    return True


def render(opts: Options) -> tuple[dict[str, str], dict, object]:
    from .render.project import render_system

    result = validate_specs(opts.specs)
    if not result.ok:
        raise SpecloomError("the specs have errors; nothing was written", result.errors)
    assert result.spec is not None
    rel_impl = os.path.relpath(opts.impl_root.resolve(), opts.out.resolve())
    rendered = render_system(
        result.spec,
        user_templates=str(opts.templates) if opts.templates else None,
        impl_root=Path(rel_impl).as_posix(),
        use_cache=opts.use_cache,
    )
    return rendered.files, rendered.scaffolds, rendered.view


def generate(opts: Options) -> Outcome:
    start = time.perf_counter()
    _check_folders(opts)
    fp = fingerprint(opts)
    manifest = Manifest.load(opts.out)
    if not opts.force and manifest.fingerprint == fp and outputs_intact(opts.out, manifest):
        outcome = Outcome(unchanged=len(manifest.files), short_circuit=True)
        outcome.seconds = time.perf_counter() - start
        return outcome
    files, scaffolds, _ = render(opts)
    with output_lock(opts.out):
        plan = plan_changes(opts.out, files)
        apply_changes(
            opts.out, files, plan, force=opts.force, fingerprint=fp, generator=__version__
        )
        report = update_scaffolds(opts.impl_root, scaffolds)
    outcome = Outcome(
        written=sum(c.new is not None for c in plan.changes),
        removed=sum(c.new is None for c in plan.changes),
        unchanged=len(plan.unchanged),
        changes=plan,
        scaffold=report,
    )
    outcome.seconds = time.perf_counter() - start
    return outcome


def check(opts: Options) -> Outcome:
    """Compare without writing: a ChangeSet with what is stale or edited."""
    start = time.perf_counter()
    fp = fingerprint(opts)
    manifest = Manifest.load(opts.out)
    if manifest.fingerprint == fp and outputs_intact(opts.out, manifest):
        return Outcome(
            unchanged=len(manifest.files), short_circuit=True, seconds=time.perf_counter() - start
        )
    files, scaffolds, _ = render(opts)
    plan = plan_changes(opts.out, files)
    outcome = Outcome(unchanged=len(plan.unchanged), changes=plan)
    outcome.scaffold = update_scaffolds(opts.impl_root, scaffolds, write=False)
    outcome.seconds = time.perf_counter() - start
    return outcome


def _check_folders(opts: Options) -> None:
    specs, out = opts.specs.resolve(), opts.out.resolve()
    if out == specs or specs.is_relative_to(out):
        raise SpecloomError(
            f"the output folder {display_path(opts.out)} would contain the specs; choose another -o"
        )
    if opts.out.is_symlink():
        raise SpecloomError(f"the output folder {display_path(opts.out)} is a symbolic link")
