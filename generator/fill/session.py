"""One ``specloom fill`` run over a project: choose modules and methods, fill each file.

The CLI parses options and prints; this module decides what to fill and runs ``fill_file`` over
every chosen module (providers first). Errors that the user caused are ``UsageError`` or
``SpecloomError`` with one line; the fill machinery's own errors are ``FillError``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpecloomError, UsageError, did_you_mean, display_path
from ..model.view import ModuleView
from .context import FillProject
from .engine import FillResult, fill_file
from .llm import check_server, normalize_host
from .runner import ContractRunner
from .sandbox import Sandbox, require
from .stubs import find_stubs


@dataclass(frozen=True)
class FillSettings:
    """What the user asked for (the CLI's options)."""

    modules: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    model: str | None = None
    host: str | None = None
    attempts: int = 3
    timeout: float = 300.0
    test_timeout: float = 120.0
    dry_run: bool = False
    use_cache: bool = True
    sandbox: str = "auto"  # "auto", "bwrap" or "unshare"
    allow_unsandboxed: bool = False


def _suggest(name: str, known: Sequence[str]) -> str:
    hint = did_you_mean(name, list(known))
    return f"; {hint}" if hint else f" (known: {', '.join(known)})"


def choose(project: FillProject, settings: FillSettings) -> tuple[list[ModuleView], str]:
    """The modules to fill (dependency order) and the model; ``UsageError`` for a bad name."""
    known = [m.name for m in project.view.modules]
    for name in settings.modules:
        if name not in known:
            raise UsageError(f"unknown module {name!r}{_suggest(name, known)}")
    chosen = project.ordered(settings.modules)
    names = sorted({meth.name for m in chosen for c in m.provides for meth in c.methods})
    for entry in settings.methods:
        module_name, _, method_name = entry.rpartition(".")
        if module_name and module_name not in known:
            raise UsageError(f"unknown module {module_name!r} in --method {entry}")
        if method_name not in names:
            raise UsageError(f"unknown method {method_name!r}{_suggest(method_name, names)}")
    model = settings.model or project.view.model
    if not model:
        raise UsageError("no model: pass --model or set llm.model in system.yaml")
    return chosen, model


def fill_project(
    project: FillProject,
    settings: FillSettings,
    *,
    progress: Callable[[str], None],
    on_diff: Callable[[str], None],
    results: list[FillResult],
    sandboxes: list[str] | None = None,
) -> list[FillResult]:
    """Fill every chosen module's stubs; results are appended to ``results`` as they come, so
    the caller can still report them when a ``FillError`` stops the run. Candidates run in the
    sandbox chosen before the first one (``sandbox.require``: a ``FillError`` when there is
    none and that was not allowed); its ``sandbox: ...`` line goes to ``progress`` and
    ``sandboxes``."""
    chosen, model = choose(project, settings)
    checked: list[str] = []

    def before_ask() -> None:
        if not checked:
            progress(f"checking Ollama at {normalize_host(settings.host)} for {model} ...")
            checked.append(check_server(settings.host, model, timeout=min(settings.timeout, 10.0)))

    sandbox: Sandbox | None = None
    for m in chosen:
        path = Path(display_path(project.impl_file(m.name)))  # diffs show a short path
        if not path.is_file():
            raise SpecloomError(f"{display_path(path)} is missing; run `specloom generate`")
        if not find_stubs(path.read_text(encoding="utf-8")):
            continue
        if sandbox is None:
            sandbox = require(settings.allow_unsandboxed, settings.sandbox)
            line = f"sandbox: {sandbox.summary}"
            progress(line)
            if sandboxes is not None:
                sandboxes.append(line)
        results += fill_file(
            path,
            project.contexts(m),
            ContractRunner(project, m, timeout=settings.test_timeout, sandbox=sandbox),
            model=model,
            host=settings.host,
            attempts=settings.attempts,
            timeout=settings.timeout,
            cache_dir=project.cache_dir,
            use_cache=settings.use_cache,
            dry_run=settings.dry_run,
            only_methods=set(settings.methods) or None,
            module=m.name,
            progress=progress,
            on_diff=on_diff,
            before_ask=before_ask,
        )
    return results


def unchecked_notes(project: FillProject, results: list[FillResult]) -> list[str]:
    """A note for each filled method that no contract example calls."""
    return [
        f"note: no contract example calls {r.module}.{r.method}; it was only checked to "
        "import and keep the other examples passing"
        for r in results
        if r.outcome == "filled"
        and not project.examples_calling(project.module(r.module), r.method)
    ]
