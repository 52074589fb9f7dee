"""The whole pipeline for ``generate`` and ``check``: load -> validate -> model -> render -> write.

A fingerprint of every input (spec files, templates, generator version and options) is kept in the
manifest; when it matches and every output file still has its recorded hash, nothing is rendered.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import SpecloomError, display_path
from .load.files import spec_files
from .write import ChangeSet, Manifest, apply_changes, plan_changes, update_scaffolds
from .write.extras import extra_files
from .write.manifest import sha256
from .write.safe_io import output_lock, read_bytes, safe_target, sweep_temporaries
from .write.scaffold import ScaffoldReport

if TYPE_CHECKING:
    from .render.outputs import ScaffoldSpec

# The no-op path (fingerprint, manifest, file hashes) imports neither jsonschema nor the
# renderer: ``validate`` and ``render`` are imported when a render is needed.


@dataclass
class Options:
    specs: Path
    out: Path
    impl_root: Path
    templates: Path | None = None
    force: bool = False
    use_cache: bool = True
    vendor_runtime: bool = False  # a copy of specloom_runtime beside the package
    # Told the stage a long run is in ("validating", "rendering", "writing"): progress display.
    progress: Callable[[str], None] | None = None
    types_job: Any = None  # a datamodel-code-generator child started early (prestart_types)

    def stage(self, name: str) -> None:
        if self.progress is not None:
            self.progress(name)


@dataclass
class Outcome:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    short_circuit: bool = False
    rendered: int | None = None  # files of units (modules, contracts, ...) rendered afresh
    renderable: int = 0  # units in all
    fresh: tuple[str, ...] = ()  # the files rendered afresh
    changes: ChangeSet | None = None
    scaffold: ScaffoldReport = field(default_factory=ScaffoldReport)
    extra: list[str] = field(default_factory=list)  # files in the output specloom did not write
    extra_removed: bool = False  # (--force) and they were deleted


def _generator_files() -> list[Path]:
    root = Path(__file__).resolve().parent
    return sorted(p for p in root.rglob("*") if p.suffix in (".py", ".json", ".jinja"))


@functools.cache
def _tool_digest() -> str:
    """Hash of the generator's code, its built-in templates and the libraries that shape output.

    Hashing ~100 files and reading package metadata costs more than the rest of a no-op run, so
    the digest is cached under a key made of the files' stats (path, size, mtime, inode) and of
    the mtimes of the ``sys.path`` folders (an install or upgrade changes them).
    """
    from .cache import cache_dir
    from .dists import version
    from .render.environment import builtin_templates
    from .render.runtime_lib import runtime_paths, runtime_source

    tpl = builtin_templates()
    groups = [
        ("generator", Path(__file__).resolve().parent, _generator_files()),
        # templates/project is the copier template of `specloom init`: it shapes no output here.
        (
            "templates",
            tpl,
            sorted(
                p
                for p in tpl.rglob("*")
                if p.is_file() and p.relative_to(tpl).parts[0] != "project"
            ),
        ),
        # The runtime library: its version goes into the generated pyproject.toml, its files
        # into a --vendor-runtime output.
        ("runtime", runtime_source(), runtime_paths()),
    ]
    key = hashlib.sha256(f"specloom {__version__}\n".encode())
    for name, root, paths in groups:
        for p in paths:
            st = p.stat()
            rel = p.relative_to(root).as_posix()
            key.update(f"{name}:{rel}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}\n".encode())
    for entry in filter(None, sys.path):  # not "" (the working folder changes too often)
        with contextlib.suppress(OSError):
            key.update(f"{entry}:{os.stat(entry).st_mtime_ns}\n".encode())
    cached = cache_dir() / "tool" / key.hexdigest()
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = cached.read_text("ascii").strip()
        if len(text) == 64:
            return text
    h = hashlib.sha256(f"specloom {__version__}\n".encode())
    for dist in ("datamodel-code-generator", "ruff", "pydantic"):
        h.update(f"{dist} {version(dist)}\n".encode())
    for name, root, paths in groups:
        for p in paths:
            h.update(f"{name}:{p.relative_to(root).as_posix()}\n".encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    digest = h.hexdigest()
    with contextlib.suppress(OSError):  # a read-only cache only costs time
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(digest, "ascii")
        os.replace(tmp, cached)
    return digest


def fingerprint(opts: Options) -> str:
    """Hash of everything output depends on: specs, templates, generator code, options."""
    h = hashlib.sha256()
    h.update(f"tool {_tool_digest()}\n".encode())
    rel_impl = os.path.relpath(opts.impl_root.resolve(), opts.out.resolve())
    h.update(f"impl={rel_impl}\n".encode())
    h.update(f"vendor_runtime={opts.vendor_runtime}\n".encode())
    groups = [("specs", opts.specs, spec_files(opts.specs))]
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


@dataclass
class Rendering:
    """What a render produced (or the output pack held): files, scaffolds, and counts."""

    files: dict[str, str]
    scaffolds: dict[str, ScaffoldSpec]
    rendered: int | None = None  # files rendered afresh (None: not counted)
    renderable: int = 0
    fresh: tuple[str, ...] = ()  # which ones


OUTPUT_PACKS_KEPT = 4  # whole outputs kept by fingerprint (a watch session makes one per save)


def _output_key(opts: Options, fp: str) -> str:
    """The output pack's name: the fingerprint, and where the specs sit relative to the output
    (headers name spec files relative to the project root)."""
    where = os.path.relpath(opts.specs.resolve(), opts.out.resolve())
    return hashlib.sha256(f"{fp}\n{where}\n{opts.specs.resolve().name}".encode()).hexdigest()


def prestart_types(opts: Options) -> None:
    """Start datamodel-code-generator's child now, first thing, when the run will likely need
    it (the types cache is empty or off): its ~0.45 s import then overlaps everything else."""
    from .render.types_module import TypesJob, take_early

    if opts.types_job is None:
        opts.types_job = take_early()  # started by the console script, before its imports
    if opts.types_job is None and TypesJob.worth_prestarting(opts.use_cache):
        opts.types_job = TypesJob().prestart()


def _cancel_types(opts: Options) -> None:
    if opts.types_job is not None:
        opts.types_job.cancel()
        opts.types_job = None


def render(opts: Options, fp: str | None = None) -> Rendering:
    """Validate and render; with ``fp`` (the input fingerprint) and the cache on, a whole output
    rendered before from the same inputs is read from its pack instead (no validation, no
    rendering, no formatting: the inputs are the ones that rendered cleanly then)."""
    from .packs import load_pack

    key = _output_key(opts, fp) if fp and opts.use_cache and not opts.templates else None
    if key is not None:
        packed = load_pack("output", key)
        if packed is not None:
            _cancel_types(opts)
            return _unpack(packed)
    # Likely cache miss: start datamodel-code-generator's process now (unless the CLI did, first
    # thing), so that its import overlaps validation and rendering; it is killed if the specs
    # fail or the cache answers.
    prestart_types(opts)
    from .render.types_module import TypesJob

    types_job, opts.types_job = opts.types_job or TypesJob(), None
    try:
        rendering = _render(opts, types_job, units=_tool_digest() if opts.use_cache else None)
    finally:
        types_job.cancel()
    if key is not None:
        from .packs import save_pack

        save_pack("output", key, _pack(rendering), keep=OUTPUT_PACKS_KEPT)
    if fp and opts.use_cache:
        _save_scaffolds(opts, fp, rendering.scaffolds)
    return rendering


def _pack(r: Rendering) -> tuple[Any, ...]:
    return (r.files, _pack_scaffolds(r.scaffolds), r.renderable)


def _pack_scaffolds(scaffolds: Mapping[str, ScaffoldSpec]) -> dict[str, Any]:
    # every field of the ScaffoldSpec (a field left out comes back as its default on a pack hit:
    # hooks lost that way once made implemented legacy accessors look unused)
    return {
        rel: {
            f.name: dict(v) if isinstance(v := getattr(s, f.name), Mapping) else v
            for f in dataclasses.fields(s)
        }
        for rel, s in scaffolds.items()
    }


def _unpack_scaffolds(packed: Mapping[str, Any]) -> dict[str, ScaffoldSpec]:
    from .render.outputs import ScaffoldSpec

    return {rel: ScaffoldSpec(**fields) for rel, fields in packed.items()}


def _unpack(packed: tuple[Any, ...]) -> Rendering:
    files, scaffolds, renderable = packed
    return Rendering(files, _unpack_scaffolds(scaffolds), rendered=0, renderable=renderable)


def _render(opts: Options, types_job: Any, units: str | None) -> Rendering:
    from .render.project import render_system
    from .validate import validate_specs

    opts.stage("validating")
    result = validate_specs(opts.specs)
    if not result.ok:
        raise SpecloomError("the specs have errors; nothing was written", result.errors)
    opts.stage("rendering")
    assert result.spec is not None
    rel_impl = os.path.relpath(opts.impl_root.resolve(), opts.out.resolve())
    unit_pack = hashlib.sha256(str(opts.out.resolve()).encode()).hexdigest()[:32]
    rendered = render_system(
        result.spec,
        user_templates=str(opts.templates) if opts.templates else None,
        impl_root=Path(rel_impl).as_posix(),
        use_cache=opts.use_cache,
        types_job=types_job,
        vendor_runtime=opts.vendor_runtime,
        units=(unit_pack, units) if units else None,
        view=result.view,
    )
    return Rendering(
        rendered.files,
        rendered.scaffolds,
        rendered.rendered,
        rendered.renderable,
        rendered.fresh,
    )


def generate(opts: Options) -> Outcome:
    _tool_digest.cache_clear()  # once per run (a watch runs many), not once per use
    try:
        return _generate(opts)
    finally:
        _cancel_types(opts)  # a child started early and never used is not left behind


def _generate(opts: Options) -> Outcome:
    start = time.perf_counter()
    _check_folders(opts)
    fp = fingerprint(opts)
    manifest = Manifest.load(opts.out)
    if (
        not opts.force
        and manifest.fingerprint == fp
        and outputs_intact(opts.out, manifest)
        and all((opts.impl_root / rel).is_file() for rel in manifest.scaffolds)
    ):
        outcome = Outcome(unchanged=len(manifest.files), short_circuit=True)
        outcome.extra = extra_files(opts.out, set(manifest.files) | set(manifest.pending))
        outcome.seconds = time.perf_counter() - start
        return outcome
    rendering = render(opts, fp)
    files, scaffolds = rendering.files, rendering.scaffolds
    _check_impl_folders(opts, scaffolds)
    report = ScaffoldReport()

    def write_scaffolds() -> None:  # before the manifest: a run killed here is not complete
        nonlocal report
        sweep_temporaries(opts.impl_root, scaffolds)
        report = update_scaffolds(opts.impl_root, scaffolds)

    opts.stage("writing")
    with output_lock(opts.out):
        for rel in scaffolds:  # a symlinked implementation file fails now, before any write
            safe_target(opts.impl_root, rel)
        plan = plan_changes(opts.out, files)
        apply_changes(
            opts.out,
            files,
            plan,
            force=opts.force,
            fingerprint=fp,
            generator=__version__,
            before_manifest=write_scaffolds,
            scaffolds=list(scaffolds),
        )
    outcome = Outcome(
        written=sum(c.new is not None for c in plan.changes),
        removed=sum(c.new is None for c in plan.changes),
        unchanged=len(plan.unchanged),
        changes=plan,
        scaffold=report,
        extra=plan.extra,
        extra_removed=opts.force,
        rendered=rendering.rendered,
        renderable=rendering.renderable,
        fresh=rendering.fresh,
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
            unchanged=len(manifest.files),
            short_circuit=True,
            scaffold=_impl_report(opts, fp),
            seconds=time.perf_counter() - start,
            extra=extra_files(opts.out, set(manifest.files) | set(manifest.pending)),
        )
    rendering = render(opts, fp)
    files, scaffolds = rendering.files, rendering.scaffolds
    plan = plan_changes(opts.out, files)
    outcome = Outcome(unchanged=len(plan.unchanged), changes=plan, extra=plan.extra)
    outcome.scaffold = update_scaffolds(opts.impl_root, scaffolds, write=False)
    outcome.seconds = time.perf_counter() - start
    return outcome


def _impl_report(opts: Options, fp: str) -> ScaffoldReport:
    """The implementations compared with their scaffolds (signature drift, orphaned files),
    without rendering the output: implementation files are no input of the fingerprint.

    The implementation files are read every time; what they are compared with (the scaffolds of
    these inputs) is kept by the input fingerprint (:func:`_scaffolds_key`), saved by every
    render and by this on a miss, which validates and builds the view."""
    from .packs import load_pack

    packed = load_pack("scaffolds", _scaffolds_key(opts, fp)) if opts.use_cache else None
    if isinstance(packed, dict):
        specs = _unpack_scaffolds(packed)
    else:
        from .diff.adapters import served_versions
        from .model.view import build_view
        from .render.project import plain_scaffolds
        from .validate import validate_specs

        result = validate_specs(opts.specs)
        if not result.ok or result.spec is None:
            return ScaffoldReport()
        specs = plain_scaffolds(
            result.view or build_view(result.spec, served_versions(result.spec)),
            str(opts.templates) if opts.templates else None,
        )
        if opts.use_cache:
            _save_scaffolds(opts, fp, specs)
    return update_scaffolds(opts.impl_root, specs, write=False)


SCAFFOLD_PACKS_KEPT = 16


def _scaffolds_key(opts: Options, fp: str) -> str:
    """The scaffolds' cache key: the input fingerprint (specs, templates including --templates,
    generator, implementation folder relative to the output) and where specs and output are."""
    return hashlib.sha256(f"{_output_key(opts, fp)}\n{opts.out.resolve()}".encode()).hexdigest()


def _save_scaffolds(opts: Options, fp: str, specs: Mapping[str, ScaffoldSpec]) -> None:
    """The scaffolds of these inputs, for ``check``'s drift report (formatted or not: the report
    compares names and signatures only)."""
    from .packs import save_pack

    key = _scaffolds_key(opts, fp)
    save_pack("scaffolds", key, _pack_scaffolds(specs), keep=SCAFFOLD_PACKS_KEPT)


def _refuse_inside(out: Path, folder: Path, what: str, *, both_ways: bool = False) -> None:
    """Output inside an input folder (or, ``both_ways``, an input inside the output) is refused:
    generate would write into what it reads, and remove what it does not know there."""
    o, f = out.resolve(), folder.resolve()
    if o == f or o.is_relative_to(f) or (both_ways and f.is_relative_to(o)):
        raise SpecloomError(
            f"the output folder {display_path(out)} is inside {what} {display_path(folder)}; "
            "choose an -o outside the inputs"
        )


def _check_impl_folders(opts: Options, scaffolds: Any) -> None:
    """The implementation packages (impl/) are inputs too: never an output folder, nor in one."""
    for top in sorted({rel.split("/", 1)[0] for rel in scaffolds}):
        _refuse_inside(opts.out, opts.impl_root / top, "the implementation package", both_ways=True)


def _check_folders(opts: Options) -> None:
    specs, out = opts.specs.resolve(), opts.out.resolve()
    if out == specs or specs.is_relative_to(out):
        raise SpecloomError(
            f"the output folder {display_path(opts.out)} would contain the specs; choose another -o"
        )
    _refuse_inside(opts.out, opts.specs, "the spec folder")
    if opts.templates is not None:
        _refuse_inside(opts.out, opts.templates, "the templates folder", both_ways=True)
    if opts.out.is_symlink():
        raise SpecloomError(f"the output folder {display_path(opts.out)} is a symbolic link")
