"""The ``specloom`` command line. The only module that prints or exits.

Exit codes: 0 success, 1 the specs or the output are wrong, 2 usage error.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import Diagnostic, Severity, SpecloomError, format_diagnostics

F = TypeVar("F", bound=Callable[..., Any])

SPECS_ARG = click.argument(
    "specs", type=click.Path(file_okay=False, path_type=Path), default="specs", required=False
)
FORMAT_OPT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for GitHub Actions annotations.",
)


def handle_errors(fn: F) -> F:
    """Turn the tool's errors into one clean message and an exit code; never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SpecloomError as exc:
            if exc.diagnostics:
                click.echo(format_diagnostics(exc.diagnostics, "text"), err=True)
            click.secho(f"error: {exc.message}", fg="red", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback
            if os.environ.get("SPECLOOM_DEBUG"):
                raise
            click.secho(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "this is a bug in specloom; rerun with SPECLOOM_DEBUG=1 for the traceback",
                fg="red",
                err=True,
            )
            sys.exit(70)

    return wrapper  # type: ignore[return-value]


def _report(diags: list[Diagnostic], fmt: str) -> None:
    if fmt == "json":
        click.echo(format_diagnostics(diags, "json"))
    elif diags:
        click.echo(format_diagnostics(diags, fmt), err=fmt == "text")


def load_valid(specs: Path, fmt: str = "text") -> Any:
    """Validate and return the spec set, or report and exit 1."""
    from .validate import validate_specs

    result = validate_specs(specs)
    if not result.ok:
        _report(result.diagnostics, fmt)
        sys.exit(1)
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    if warnings and fmt == "text":
        click.echo(format_diagnostics(warnings, "text"), err=True)
    return result.spec


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="specloom")
def main() -> None:
    """specloom: generate a typed, mocked, tested Python system from YAML specs.

    \b
    Typical use:
      specloom validate specs          check every spec file, all errors at once
      specloom generate specs          write generated/ (only files that changed)
      specloom check specs             CI: fail when generated/ is stale
      specloom plan specs              phases, independence matrix, Mermaid graph
    """


@main.command()
@SPECS_ARG
@FORMAT_OPT
@handle_errors
def validate(specs: Path, fmt: str) -> None:
    """Validate a spec folder: JSON Schema plus semantic checks.

    Prints every problem as `path:line:col: error[CODE]: message`; nothing when clean.

    \b
    Examples:
      specloom validate specs
      specloom validate specs --format github   # annotations in GitHub Actions
    """
    from .validate import validate_specs

    result = validate_specs(specs)
    _report(result.diagnostics, fmt)
    sys.exit(0 if result.ok else 1)


@main.command()
@click.argument(
    "kind",
    type=click.Choice(["system", "module", "contract", "types", "jsonschema-subset"]),
    required=False,
)
@handle_errors
def schema(kind: str | None) -> None:
    """Print the JSON Schema of a spec kind (all kinds as one bundle when no KIND).

    \b
    Examples:
      specloom schema contract > contract.schema.json
      specloom schema            # bundle, for editors' yaml-language-server
    """
    from .validate.schema import schema_document

    # Each resolves on its own (no reference to another file).
    click.echo(json.dumps(schema_document(kind), indent=2))


@main.group("export")
def export_group() -> None:
    """Write the spec set in another format (OpenAPI, AsyncAPI, JSON Schema) to stdout or -o."""


def _emit(doc: Any, out: Path | None, fmt: str) -> None:
    """Print or write an exported document (JSON, or YAML with --format yaml)."""
    if fmt == "yaml":
        import yaml

        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    else:
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, "utf-8")
        click.echo(f"wrote {out}")


EXPORT_OUT = click.option(
    "-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Write to this file instead of stdout.",
)  # fmt: skip
EXPORT_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["json", "yaml"]), default="json", show_default=True
)


@export_group.command("jsonschema")
@SPECS_ARG
@EXPORT_OUT
@EXPORT_FORMAT
@handle_errors
def export_jsonschema_cmd(specs: Path, out: Path | None, fmt: str) -> None:
    """The shared types as one JSON Schema 2020-12 document ($defs, refs rewired)."""
    from .interop.jsonschema_out import export_jsonschema

    _emit(export_jsonschema(load_valid(specs)), out, fmt)


@export_group.command("asyncapi")
@SPECS_ARG
@EXPORT_OUT
@EXPORT_FORMAT
@handle_errors
def export_asyncapi_cmd(specs: Path, out: Path | None, fmt: str) -> None:
    """The NATS subjects (requests, replies, events) as an AsyncAPI 3.0 document."""
    from .interop.asyncapi_out import export_asyncapi

    _emit(export_asyncapi(load_valid(specs)), out, fmt)


@main.group("import")
def import_group() -> None:
    """Turn existing API documents and schemas (OpenAPI, JSON Schema) into spec files."""


# --- specloom export openapi (gateway lane) ------------------------------------------------------


@export_group.command("openapi")
@SPECS_ARG
@click.option(
    "-o",
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE (YAML when it ends in .yaml or .yml) instead of stdout.",
)
@click.option(
    "--contract",
    "contracts",
    multiple=True,
    metavar="NAME@MAJOR",
    help="Only this provided contract version (repeatable) [default: every provided one].",
)
@handle_errors
def export_openapi(specs: Path, out_file: Path | None, contracts: tuple[str, ...]) -> None:
    """The provided contracts as an OpenAPI 3.1 document (what the gateway serves).

    One operation per method: `POST /api/<contract>/v<major>/<method>` with the parameters as
    JSON body, or the method's `http: {method, path}` mapping. Shared types are
    components.schemas (the same JSON Schema); declared errors are problem+json responses.

    \b
    Examples:
      specloom export openapi specs -o openapi.json
      specloom export openapi specs --contract Database@1 -o database.yaml
    """
    from .errors import UsageError, did_you_mean
    from .interop.openapi_out import build_openapi, provided_contracts

    spec = load_valid(specs)
    known = [c.key for c in provided_contracts(spec)]
    for key in contracts:
        if key not in known:
            hint = did_you_mean(key, known) or "provided: " + ", ".join(known)
            raise UsageError(f"no module provides {key!r}; {hint}")
    document = build_openapi(spec, contracts or None)
    if out_file is not None and out_file.suffix in (".yaml", ".yml"):
        import yaml

        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    else:
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if out_file is None:
        click.echo(text, nl=False)
        return
    try:
        out_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {out_file}: {exc.strerror or exc}") from None
    click.echo(f"{out_file}: OpenAPI {document['openapi']}, {len(document['paths'])} paths")


@main.command()
@SPECS_ARG
@handle_errors
def plan(specs: Path) -> None:
    """Print the build plan as Markdown: phases, independence matrix, critical path, graph.

    \b
    Example:
      specloom plan specs > PLAN.md
    """
    from .render.plan import render_plan

    spec = load_valid(specs)
    click.echo(render_plan(spec), nl=False)


def elapsed(start: float) -> str:
    return f"{time.perf_counter() - start:.2f}s"


OUT_OPT = click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder [default: 'generated' next to SPECS].",
)
IMPL_OPT = click.option(
    "--impl-root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding the implementation package (impl/) [default: the folder of SPECS].",
)
VENDOR_OPT = click.option(
    "--vendor-runtime",
    is_flag=True,
    help="Write a copy of the runtime library (specloom_runtime/) beside the package instead of "
    "depending on specloom-runtime.",
)
TEMPLATES_OPT = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of templates overriding built-in ones at the same relative paths.",
)


def _options(
    specs: Path,
    out: Path | None,
    impl_root: Path | None,
    templates: Path | None,
    force: bool = False,
    use_cache: bool = True,
    vendor_runtime: bool = False,
) -> Any:
    from .errors import UsageError
    from .pipeline import Options

    if not specs.is_dir():
        raise UsageError(f"spec folder {specs} does not exist")
    root = specs.resolve().parent
    return Options(
        specs=specs,
        out=out or root / "generated",
        impl_root=impl_root or root,
        templates=templates,
        force=force,
        use_cache=use_cache,
        vendor_runtime=vendor_runtime,
    )


@main.command()
@SPECS_ARG
@OUT_OPT
@IMPL_OPT
@TEMPLATES_OPT
@VENDOR_OPT
@click.option("--force", is_flag=True, help="Overwrite generated files that were edited by hand.")
@click.option("--no-cache", is_flag=True, help="Do not reuse cached shared-type models.")
@click.option(
    "--watch", is_flag=True, help="Regenerate on every change of SPECS or --templates (Ctrl-C)."
)
@click.option("--quiet", "-q", is_flag=True, help="Only the summary line: no progress, no notes.")
@handle_errors
def generate(
    specs: Path,
    out: Path | None,
    impl_root: Path | None,
    templates: Path | None,
    vendor_runtime: bool,
    force: bool,
    no_cache: bool,
    watch: bool,
    quiet: bool,
) -> None:
    """Validate, render and write the system; only changed files are written.

    Implementation scaffolds (impl/<module>.py) are created once and never overwritten; stubs
    for new contract methods are appended to them. On a terminal a run longer than a second
    shows its progress; the summary is one line.

    With --watch it stays running: every save of a spec file (or of a template under
    --templates) regenerates, with one line per run; a run that fails prints its errors and the
    watch goes on. Ctrl-C stops it.

    \b
    Examples:
      specloom generate specs
      specloom generate specs -o build/generated --templates my-templates
      specloom generate specs --watch
    """
    from . import console
    from .pipeline import generate as run
    from .pipeline import prestart_types

    opts = _options(specs, out, impl_root, templates, force, not no_cache, vendor_runtime)
    if not watch:
        prestart_types(opts)  # first thing: datamodel-code-generator's import overlaps the rest
    if watch:
        console.watch(opts, quiet)
        return
    with console.progress(opts, quiet):
        outcome = run(opts)
    console.show_outcome(opts, outcome, quiet)


def _some(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


@main.command()
@SPECS_ARG
@OUT_OPT
@IMPL_OPT
@TEMPLATES_OPT
@VENDOR_OPT
@click.option("--quiet", "-q", is_flag=True, help="No diff, only the summary line.")
@handle_errors
def check(
    specs: Path,
    out: Path | None,
    impl_root: Path | None,
    templates: Path | None,
    vendor_runtime: bool,
    quiet: bool,
) -> None:
    """CI drift check: exit 1 with a unified diff when the output is stale or hand-edited.

    Writes nothing.

    \b
    Example:
      specloom check specs || (echo "run: specloom generate specs" && exit 1)
    """
    from .errors import display_path
    from .pipeline import check as run

    opts = _options(specs, out, impl_root, templates, vendor_runtime=vendor_runtime)
    outcome = run(opts)
    label = display_path(opts.out)
    changes = outcome.changes.changes if outcome.changes else []
    extra = outcome.extra
    for line in outcome.scaffold.impl_lines():
        click.echo(line, err=True)
    if outcome.scaffold.drift:  # an implementation no longer fits its contract: fail like drift
        n = len(outcome.scaffold.drift)
        click.secho(f"{n} implementation file(s) drifted from their contracts", fg="red", err=True)
    if not changes and not extra:
        sys.exit(1 if outcome.scaffold.drift else 0)
    if not quiet and changes:
        click.echo(outcome.changes.diff(label) if outcome.changes else "", nl=False)
    if changes:
        edited = [c.path for c in changes if c.edited]
        stale = len(changes) - len(edited)
        msg = f"{label} is out of date: {stale} file(s) stale"
        if edited:
            shown = ", ".join(edited[:5]) + (", ..." if len(edited) > 5 else "")
            msg += f", {len(edited)} edited by hand ({shown})"
        click.secho(msg + "; run `specloom generate`", fg="red", err=True)
    if outcome.extra:
        click.secho(
            f"{label} has {len(outcome.extra)} file(s) specloom did not write: "
            f"{_some(outcome.extra)}; remove them or run `specloom generate --force`",
            fg="red",
            err=True,
        )
    sys.exit(1)


# --- specloom fill -------------------------------------------------------------------------------


@main.command()
@click.argument("modules", nargs=-1, metavar="[MODULE]...")
@click.option(
    "--specs",
    type=click.Path(file_okay=False, path_type=Path),
    default="specs",
    show_default=True,
    help="Spec folder.",
)
@OUT_OPT
@IMPL_OPT
@TEMPLATES_OPT
@click.option(
    "--method",
    "methods",
    multiple=True,
    metavar="NAME",
    help="Fill only this method (NAME or MODULE.NAME); repeatable.",
)
@click.option("--model", default=None, help="Ollama model [default: llm.model of system.yaml].")
@click.option(
    "--host",
    envvar="OLLAMA_HOST",
    default=None,
    help="Ollama server [default: $OLLAMA_HOST, else http://127.0.0.1:11434].",
)
@click.option(
    "--attempts", type=click.IntRange(min=1), default=3, show_default=True, help="Tries per stub."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=300.0,
    show_default=True,
    help="Seconds to wait for one answer of the model.",
)
@click.option(
    "--test-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=120.0,
    show_default=True,
    help="Seconds one contract-test run of a candidate may take.",
)
@click.option("--dry-run", is_flag=True, help="Print the diff of each file; write nothing.")
@click.option(
    "--no-cache", is_flag=True, help="Ask the model even when an answer is cached (still stored)."
)
@click.option(
    "--sandbox",
    "sandbox_level",
    type=click.Choice(["auto", "bwrap", "unshare"]),
    default="auto",
    show_default=True,
    help="OS sandbox of candidate code; auto: the strongest that works here.",
)
@click.option(
    "--allow-unsandboxed",
    is_flag=True,
    help="Run candidate code even when this machine offers no OS sandbox (see above).",
)
@handle_errors
def fill(
    modules: tuple[str, ...],
    specs: Path,
    out: Path | None,
    impl_root: Path | None,
    templates: Path | None,
    methods: tuple[str, ...],
    model: str | None,
    host: str | None,
    attempts: int,
    timeout: float,
    test_timeout: float,
    dry_run: bool,
    no_cache: bool,
    sandbox_level: str,
    allow_unsandboxed: bool,
) -> None:
    """Draft the @stub methods of impl/<module>.py with a local LLM (Ollama).

    For each stub (modules in dependency order, methods in file order) the model gets the
    contract (signature, schemas, declared errors), the examples calling the method, the module
    brief and the current file. Its answer must define exactly that method with the same
    signature; it is spliced into a copy and the module's generated contract tests run on it.
    Failures go back into the next prompt, up to --attempts. The examples calling the method
    must run: one that calls another stub first cannot check it (fill that one first). Only a
    candidate that passes is written; a stub that fails keeps its bytes. A report table goes to
    stdout, progress to stderr; exit 1 unless every requested stub was filled.

    Answers are cached in <project>/.specloom/fill-cache by model and prompt. Ollama is only
    contacted for an answer the cache lacks, so a replay works offline; when it is needed and
    unreachable, or lacks the model, the run stops with one line (files already written stay).
    --dry-run: each module is tested against the files on disk, so a consumer is checked
    against its providers' current code, not their drafts. `specloom generate` must be current.

    Candidate code is untrusted: it runs only in a harness process, on a throwaway copy of the
    generated package and impl/, and the verdict is computed in specloom's own process from the
    results the harness reports. The harness gets an allow-listed environment (no tokens or
    credentials), CPU/memory/file-size/time limits, and the strongest OS sandbox found at run
    time: bubblewrap (bwrap: read-only file system except its scratch folder, no network, no
    capabilities), else `unshare` (user/mount/net/PID namespaces, mounts read-only except the
    scratch folder, no network), else none, in which case fill refuses to run unless
    --allow-unsandboxed is given. The protection used is printed on stderr and under the report.

    \b
    Examples:
      specloom fill                          every stub of every module
      specloom fill store --method put       one method
      specloom fill notes --model qwen2.5-coder:14b --host http://gpu-box:11434
      specloom fill --dry-run                show the diffs, write nothing
    """
    from .fill import FillError
    from .fill.context import load_project
    from .fill.engine import FillResult, format_report
    from .fill.session import FillSettings, fill_project, unchecked_notes

    opts = _options(specs, out, impl_root, templates)
    project = load_project(opts.specs, opts.out, opts.impl_root, opts.templates)
    settings = FillSettings(
        modules=modules,
        methods=methods,
        model=model,
        host=host,
        attempts=attempts,
        timeout=timeout,
        test_timeout=test_timeout,
        dry_run=dry_run,
        use_cache=not no_cache,
        sandbox=sandbox_level,
        allow_unsandboxed=allow_unsandboxed,
    )
    results: list[FillResult] = []
    sandboxes: list[str] = []
    try:
        fill_project(
            project,
            settings,
            progress=lambda message: click.echo(message, err=True),
            on_diff=lambda diff: click.echo(diff, nl=False),
            results=results,
            sandboxes=sandboxes,
        )
    except FillError as exc:
        if results:
            click.echo("\n".join([format_report(results), *sandboxes]))
        raise SpecloomError(str(exc)) from None
    if not any(r.outcome != "skipped" for r in results):
        click.echo("nothing to fill: no selected @stub method left")
        return
    click.echo(format_report(results))
    for note in unchecked_notes(project, results):
        click.echo(note)
    click.echo(sandboxes[0])
    if any(r.outcome == "failed" for r in results):
        sys.exit(1)


@main.command()
@click.argument("old", type=click.Path(path_type=Path), required=False)
@click.argument("new", type=click.Path(path_type=Path), required=False)
@click.option(
    "--against",
    metavar="GIT_REF",
    help="Compare the spec folder (OLD's place: SPECS, default 'specs') with itself at GIT_REF.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
@click.option("--ignore", multiple=True, metavar="RULE", help="Accept every finding of RULE.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Exit 1 on breaking changes only, or on warnings too.",
)
@click.option("--rules", "list_rules", is_flag=True, help="List every rule and exit.")
@handle_errors
def diff(
    old: Path | None,
    new: Path | None,
    against: str | None,
    fmt: str,
    ignore: tuple[str, ...],
    fail_on: str,
    list_rules: bool,
) -> None:
    """Report every change between two spec sets, classified by named rules.

    Exit 1 when a breaking change keeps its major version (the rule, the contract and method and
    the file:line in NEW are printed); exit 0 for compatible changes and proper version bumps.
    Accept a deliberate break with a `breaking: [{rule, reason}]` entry in the contract (or the
    method) in NEW; see docs/diff-rules.md for the rules.

    \b
    Examples:
      specloom diff old-specs specs            two folders
      specloom diff --against HEAD specs       the folder against its last commit
      specloom diff --against main --format json
      specloom diff --rules                    every rule with its severity
    """
    from .diff import RULES
    from .diff.folders import diff_against, diff_folders
    from .errors import UsageError

    if list_rules:
        for rule in RULES.values():
            click.echo(f"{rule.id:<28} {rule.level.value:<8} {rule.description}")
        return
    if against is not None:
        if new is not None:
            raise UsageError("with --against give one spec folder, not two")
        report = diff_against(against, old or Path("specs"), ignore=ignore)
    else:
        if old is None or new is None:
            raise UsageError("give two spec folders (OLD NEW), or --against GIT_REF [SPECS]")
        for folder in (old, new):
            if not folder.is_dir():
                raise UsageError(f"spec folder {folder} does not exist")
        report = diff_folders(old, new, ignore=ignore)
    if fmt == "json":
        click.echo(report.to_json(fail_on))
    else:
        click.echo(report.format_text())
    failing = report.failing(fail_on)
    if failing and fmt == "text":
        first = failing[0]
        what = "breaking change(s)" if fail_on == "error" else "breaking change(s) or warning(s)"
        where = first.location(report.old_prefix)
        click.secho(
            f"error: {len(failing)} {what} without a new major version; first: {first.rule} "
            f"in {first.subject} at {where}",
            fg="red",
            err=True,
        )
    sys.exit(report.exit_code(fail_on))


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--defaults", is_flag=True, help="Take the default of every question --data does not answer."
)
@click.option(
    "--data",
    "-d",
    "data",
    multiple=True,
    metavar="NAME=VALUE",
    help="Answer a question of the template (repeatable), e.g. -d package_name=shop.",
)
@click.option("--overwrite", is_flag=True, help="Render into a folder that is not empty.")
@click.option(
    "--template",
    metavar="SRC",
    default=None,
    help="Copier template (path or git URL) [default: the one shipped with specloom].",
)
@click.option("--vcs-ref", metavar="REF", default=None, help="Tag or commit of a git template.")
@click.option("--no-git", is_flag=True, help="Do not run `git init` in the new project.")
@handle_errors
def init(
    directory: Path,
    defaults: bool,
    data: tuple[str, ...],
    overwrite: bool,
    template: str | None,
    vcs_ref: str | None,
    no_git: bool,
) -> None:
    """Start a project in DIRECTORY from specloom's copier template, then generate it.

    Asks the template's questions (project and package name, description, Python version,
    Ollama model, starter specs: "minimal" or the twelve-module "orchestra", where specloom is
    installed from), renders the project, and runs the first `specloom generate`, so that
    `make test` passes in it right away. Keep it current with the template by `copier update`.

    \b
    Examples:
      specloom init my-system
      specloom init my-system --defaults
      specloom init shop --defaults -d package_name=shop -d starter=orchestra
      specloom init svc --defaults --template git+https://example.org/tpl.git --vcs-ref v2
    """
    from .errors import display_path
    from .init import init_project, parse_data

    result = init_project(
        directory,
        data=parse_data(data),
        defaults=defaults,
        overwrite=overwrite,
        template=template,
        vcs_ref=vcs_ref,
        git=not no_git,
    )
    answers = result.answers
    where = display_path(result.path)
    click.echo(
        f"created {where}: package {answers.get('package_name')}, "
        f"starter {answers.get('starter')}" + (", git repository" if result.git_initialized else "")
    )
    click.echo(result.generate_summary)
    click.echo(f"next: cd {where} && make test")


def _write_import(result: Any, out: Path, force: bool) -> None:
    """Write imported spec files under ``out`` (refusing to replace files unless --force), then
    list what could not be carried over."""
    import yaml

    from .errors import UsageError, display_path

    targets = {out / rel: data for rel, data in result.files.items()}
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise UsageError(f"{display_path(existing[0])} exists; use --force to replace it")

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True  # spec files people read: no &anchors / *aliases

    for path, data in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(text, "utf-8")
    for note in result.notes:
        click.echo(f"warning: {note}", err=True)
    click.echo(
        f"wrote {len(targets)} spec file(s) to {display_path(out)}"
        + (f"; {len(result.notes)} note(s) above" if result.notes else "")
    )


IMPORT_OUT = click.option(
    "-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default="specs",
    show_default=True, help="Spec folder to write into.",
)  # fmt: skip
IMPORT_FORCE = click.option("--force", is_flag=True, help="Replace spec files that exist.")


@import_group.command("openapi")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@IMPORT_OUT
@IMPORT_FORCE
@handle_errors
def import_openapi_cmd(file: Path, out: Path, force: bool) -> None:
    """An OpenAPI 3.0/3.1 document (YAML or JSON) becomes a spec folder.

    Tags become contracts, operations methods, components.schemas shared types, and each
    method gets an example; anything that cannot be carried over is listed as a warning.

    \b
    Example:
      specloom import openapi petstore.yaml -o specs && specloom generate specs
    """
    from .errors import UsageError
    from .interop.jsonschema_in import read_document
    from .interop.openapi_in import import_openapi

    if not file.is_file():
        raise UsageError(f"{file} does not exist")
    _write_import(import_openapi(read_document(file), source=file.name), out, force)


@import_group.command("jsonschema")
@click.argument("source", type=click.Path(path_type=Path))
@IMPORT_OUT
@IMPORT_FORCE
@handle_errors
def import_jsonschema_cmd(source: Path, out: Path, force: bool) -> None:
    """JSON Schema files (a FILE or every .json/.yaml in a DIR) become shared types files.

    Each file's root and its $defs/definitions become types; $refs between them (local, to
    other files, by $id) are rewired to #/types/Name.

    \b
    Example:
      specloom import jsonschema schemas/ -o specs
    """
    from .interop.jsonschema_in import import_jsonschema

    _write_import(import_jsonschema(source), out, force)


# --- specloom fmt (generator/fmt) ----------------------------------------------------------------


@main.command("fmt")
@click.argument(
    "specs", type=click.Path(exists=True, path_type=Path), default="specs", required=False
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file is not formatted.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the unified diff of each change.")
@handle_errors
def fmt_command(specs: Path, check: bool, show_diff: bool) -> None:
    """Rewrite spec files in the canonical key order, keeping comments, quotes and styles.

    The order is the spec format's (`specloom schema`): e.g. contract, version, description,
    methods; in a method summary, params, returns, errors; in a data schema type, constraints,
    then docs. Names you choose (methods, params, types, properties) keep your order. A file is
    only rewritten when the result loads to exactly the same data; formatting twice changes
    nothing. SPECS is a spec folder or one file.

    \b
    Examples:
      specloom fmt specs
      specloom fmt --check specs          CI: exit 1 when a file would change
      specloom fmt --check --diff specs/contracts/shop.v1.yaml
    """
    from .fmt import format_folder

    result = format_folder(specs, write=not check)
    if result.diagnostics:
        click.echo(format_diagnostics(result.diagnostics, "text"), err=True)
    if show_diff:
        for text in result.diffs:
            click.echo(text, nl=False)
    verb = "would reformat" if check else "reformatted"
    for shown in result.changed:
        click.echo(f"{verb} {shown}", err=True)
    click.echo(
        f"{len(result.changed)} file(s) {verb}, {result.unchanged} already formatted"
        + (f", {len(result.diagnostics)} not formatted" if result.diagnostics else "")
    )
    sys.exit(1 if result.diagnostics or (check and result.changed) else 0)


# --- specloom lint (generator/lint) --------------------------------------------------------------


@main.command("lint")
@SPECS_ARG
@FORMAT_OPT
@click.option("--rules", "list_rules", is_flag=True, help="List every rule and exit.")
@handle_errors
def lint_command(specs: Path, fmt: str, list_rules: bool) -> None:
    """Check good practice in a valid spec set: rules with IDs, like buf lint.

    Configure in system.yaml: `lint: {enable: [DEFAULT, MODULE_BRIEF], except: [ERROR_EXAMPLE],
    ignore: [contracts/legacy/], ignore_only: {PARAM_DESCRIPTION: [contracts/old.v1.yaml]}}`.
    Exit 1 on any finding (or when the specs do not validate).

    \b
    Examples:
      specloom lint specs
      specloom lint specs --format github   # annotations in GitHub Actions
      specloom lint --rules
    """
    from .lint import lint_spec, rules_table

    if list_rules:
        click.echo(rules_table())
        return
    spec = load_valid(specs, fmt)
    diags = lint_spec(spec, specs)
    _report(diags, fmt)
    if diags and fmt == "text":
        click.echo(f"{len(diags)} lint finding(s)", err=True)
    sys.exit(1 if diags else 0)
