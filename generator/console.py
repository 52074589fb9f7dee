"""What ``specloom generate`` shows while it runs: the summary line, progress, watch reports.

Commands layer (with ``cli.py``, the only modules that print). Progress appears only on a
terminal, only for a run longer than :data:`PROGRESS_AFTER` seconds, and never with ``--quiet``:
one line on stderr, rewritten in place and erased when the run ends, so what stays on screen is
the same one summary line a pipe gets.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click

from .errors import display_path, format_diagnostics
from .pipeline import Options, Outcome

PROGRESS_AFTER = 1.0  # seconds; $SPECLOOM_PROGRESS_AFTER overrides it (tests use 0)
_SPINNER = "|/-\\"


def summary(opts: Options, outcome: Outcome) -> str:
    """``generated: 3 written, 140 unchanged, 0 removed in 0.41s (6 of 17 files re-rendered)``."""
    note = " (up to date)" if outcome.short_circuit else ""
    if outcome.rendered is not None and outcome.renderable:
        note = f" ({outcome.rendered} of {outcome.renderable} files re-rendered)"
    return (
        f"{display_path(opts.out)}: {outcome.written} written, {outcome.unchanged} unchanged, "
        f"{outcome.removed} removed in {outcome.seconds:.2f}s{note}"
    )


class Progress:
    """A one-line spinner on ``stream`` naming the stage, shown after PROGRESS_AFTER seconds."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.stage = "starting"
        self.started = time.monotonic()
        self._done = threading.Event()
        self._shown = False
        self._thread: threading.Thread | None = None

    def __call__(self, stage: str) -> None:
        self.stage = stage

    def _run(self) -> None:
        after = float(os.environ.get("SPECLOOM_PROGRESS_AFTER") or PROGRESS_AFTER)
        if self._done.wait(after):
            return
        i = 0
        while not self._done.is_set():
            elapsed = time.monotonic() - self.started
            self.stream.write(f"\r{_SPINNER[i % 4]} {self.stage} ... {elapsed:.1f}s\033[K")
            self.stream.flush()
            self._shown = True
            i += 1
            self._done.wait(0.1)

    def start(self) -> None:
        self.started = time.monotonic()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


@contextmanager
def progress(opts: Options, quiet: bool) -> Iterator[Progress]:
    """Progress for one run, wired into ``opts.progress``."""
    shown = Progress(sys.stderr, enabled=not quiet and sys.stderr.isatty())
    opts.progress = shown
    shown.start()
    try:
        yield shown
    finally:
        shown.stop()
        opts.progress = None


def show_outcome(opts: Options, outcome: Outcome, quiet: bool, prefix: str = "") -> None:
    if not quiet:
        for line in outcome.scaffold.lines():
            click.echo(line, err=True)
    click.echo(prefix + summary(opts, outcome))
    if outcome.extra:  # files in generated folders that specloom did not write
        shown = ", ".join(outcome.extra[:5])
        if len(outcome.extra) > 5:
            shown += f" and {len(outcome.extra) - 5} more"
        if outcome.extra_removed:
            click.echo(
                f"removed {len(outcome.extra)} file(s) specloom did not write: {shown}", err=True
            )
        else:
            click.secho(
                f"warning: {len(outcome.extra)} file(s) in {display_path(opts.out)} were not "
                f"written by specloom: {shown}; `specloom check` fails on them, "
                "`specloom generate --force` removes them",
                fg="yellow",
                err=True,
            )


def watch(opts: Options, quiet: bool) -> None:
    """Regenerate on every change until Ctrl-C; one line per run, errors located as usual."""
    from .watch import WatchRun, run_once
    from .watch import watch as watch_loop

    def report(run: WatchRun) -> None:
        stamp = time.strftime("%H:%M:%S")
        what = ""
        if run.changed:
            more = len(run.changed) - 3
            shown = ", ".join(run.changed[:3]) + (f" (+{more})" if more > 0 else "")
            what = f"{shown} changed; "
        if run.error is not None:
            if run.error.diagnostics:
                click.echo(format_diagnostics(run.error.diagnostics, "text"), err=True)
            click.secho(f"[{stamp}] {what}error: {run.error.message}", fg="red", err=True)
            return
        assert run.outcome is not None
        show_outcome(opts, run.outcome, quiet, prefix=f"[{stamp}] {what}")

    def ready(folders: list[Path]) -> None:
        names = ", ".join(display_path(f) for f in folders)
        click.echo(f"watching {names} (Ctrl-C to stop)", err=True)

    def runner(opts: Options, changed: Sequence[str]) -> WatchRun:
        with progress(opts, quiet):
            return run_once(opts, changed)

    try:
        watch_loop(opts, report, ready=ready, runner=runner)
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)
