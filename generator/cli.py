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
    from .validate.schema import SCHEMA_FILES, schema_for

    if kind:
        click.echo(json.dumps(schema_for(kind), indent=2))
        return
    bundle = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://specloom.dev/schema/1/spec.json",
        "title": "any specloom spec file",
        "anyOf": [{"$ref": schema_for(k)["$id"]} for k in SCHEMA_FILES[:4]],
        "$defs": {k: schema_for(k) for k in SCHEMA_FILES},
    }
    click.echo(json.dumps(bundle, indent=2))


@main.command()
@SPECS_ARG
@handle_errors
def plan(specs: Path) -> None:
    """Print the build plan as Markdown: phases, independence matrix, critical path, graph.

    \b
    Example:
      specloom plan specs > PLAN.md
    """
    from .plan import render_plan

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
    )


@main.command()
@SPECS_ARG
@OUT_OPT
@IMPL_OPT
@TEMPLATES_OPT
@click.option("--force", is_flag=True, help="Overwrite generated files that were edited by hand.")
@click.option("--no-cache", is_flag=True, help="Do not reuse cached shared-type models.")
@handle_errors
def generate(
    specs: Path,
    out: Path | None,
    impl_root: Path | None,
    templates: Path | None,
    force: bool,
    no_cache: bool,
) -> None:
    """Validate, render and write the system; only changed files are written.

    Implementation scaffolds (impl/<module>.py) are created once and never overwritten; stubs
    for new contract methods are appended to them.

    \b
    Examples:
      specloom generate specs
      specloom generate specs -o build/generated --templates my-templates
    """
    from .errors import display_path
    from .pipeline import generate as run

    opts = _options(specs, out, impl_root, templates, force, not no_cache)
    outcome = run(opts)
    for line in outcome.scaffold.lines():
        click.echo(line, err=True)
    note = " (up to date)" if outcome.short_circuit else ""
    click.echo(
        f"{display_path(opts.out)}: {outcome.written} written, {outcome.unchanged} unchanged, "
        f"{outcome.removed} removed in {outcome.seconds:.2f}s{note}"
    )


@main.command()
@SPECS_ARG
@OUT_OPT
@IMPL_OPT
@TEMPLATES_OPT
@click.option("--quiet", "-q", is_flag=True, help="No diff, only the summary line.")
@handle_errors
def check(
    specs: Path, out: Path | None, impl_root: Path | None, templates: Path | None, quiet: bool
) -> None:
    """CI drift check: exit 1 with a unified diff when the output is stale or hand-edited.

    Writes nothing.

    \b
    Example:
      specloom check specs || (echo "run: specloom generate specs" && exit 1)
    """
    from .errors import display_path
    from .pipeline import check as run

    opts = _options(specs, out, impl_root, templates)
    outcome = run(opts)
    label = display_path(opts.out)
    changes = outcome.changes.changes if outcome.changes else []
    if not changes:
        return
    if not quiet:
        click.echo(outcome.changes.diff(label) if outcome.changes else "", nl=False)
    edited = [c.path for c in changes if c.edited]
    stale = len(changes) - len(edited)
    msg = f"{label} is out of date: {stale} file(s) stale"
    if edited:
        shown = ", ".join(edited[:5]) + (", ..." if len(edited) > 5 else "")
        msg += f", {len(edited)} edited by hand ({shown})"
    click.secho(msg + "; run `specloom generate`", fg="red", err=True)
    sys.exit(1)
