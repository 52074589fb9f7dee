"""``specloom generate --watch``: regenerate whenever a spec file or a user template changes.

Changes are collected by watchfiles and debounced (an editor's save is often several events);
each batch runs one ``pipeline.generate``. A run that fails (bad YAML, a spec error, an edited
output file) is reported and the watch goes on; only Ctrl-C (KeyboardInterrupt) ends it. The
output folder is not watched, so writing it never triggers a run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import SpecloomError, display_path
from .pipeline import Options, Outcome, generate

DEBOUNCE_MS = 200
_SPEC_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class WatchRun:
    """One regeneration: what changed, and its outcome or its error."""

    changed: tuple[str, ...]
    outcome: Outcome | None = None
    error: SpecloomError | None = None


def watched(opts: Options) -> list[Path]:
    """The folders whose changes trigger a run: the specs, and the user templates if any."""
    return [opts.specs, *([opts.templates] if opts.templates else [])]


def _relevant(opts: Options) -> Callable[[object, str], bool]:
    from watchfiles import DefaultFilter

    default = DefaultFilter()
    templates = opts.templates.resolve() if opts.templates else None

    def keep(change: object, path: str) -> bool:
        if not default(change, path):  # type: ignore[arg-type]
            return False
        if templates is not None and Path(path).resolve().is_relative_to(templates):
            return True
        return path.endswith(_SPEC_SUFFIXES)

    return keep


def run_once(opts: Options, changed: Sequence[str] = ()) -> WatchRun:
    """One generate; a SpecloomError is returned, not raised."""
    try:
        return WatchRun(tuple(changed), outcome=generate(opts))
    except SpecloomError as exc:
        return WatchRun(tuple(changed), error=exc)


def watch(
    opts: Options,
    report: Callable[[WatchRun], None],
    *,
    ready: Callable[[list[Path]], None] = lambda _: None,
    runner: Callable[[Options, Sequence[str]], WatchRun] | None = None,
    debounce_ms: int = DEBOUNCE_MS,
) -> None:
    """Generate once, then again after each batch of changes, until KeyboardInterrupt.

    ``ready`` is called once the watcher is active: a change made after it is seen."""
    from watchfiles import watch as watch_changes

    run = runner or run_once
    report(run(opts, ()))
    folders = watched(opts)
    announced = False
    for changes in watch_changes(
        *folders,
        watch_filter=_relevant(opts),
        debounce=debounce_ms,
        rust_timeout=300,
        yield_on_timeout=True,  # the first (empty) yield says the watcher is set up
        raise_interrupt=True,
    ):
        if not announced:
            announced = True
            ready(folders)
        if not changes:
            continue
        names = sorted({display_path(Path(p)) for _, p in changes})
        report(run(opts, names))


__all__ = ["DEBOUNCE_MS", "WatchRun", "run_once", "watch", "watched"]
