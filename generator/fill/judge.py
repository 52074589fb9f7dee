"""The verdict on a candidate, computed in specloom's own process from what the harness reports.

:class:`Harness` talks to the sandboxed harness process (:mod:`generator.fill.harness`) over its
stdin/stdout: one JSON request, one JSON reply. :func:`replay_examples` drives every example of
the contracts a module provides through it, step by step: the arguments (with ``{$var}``
placeholders resolved from earlier results) go in, a raw result or a raised error comes back, and
this module compares it with the example (exact or ``match: subset``, like the generated contract
tests) and checks it against the method's return schema. The candidate never runs here, so it
cannot touch the comparison: the worst it can do is answer, die, hang or talk nonsense, and each
of those fails it.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from pydantic_core import SchemaError, SchemaValidator, core_schema

MAX_REPLY = 32 << 20  # bytes of one reply line


class HarnessFailed(Exception):
    """The harness process did not answer properly (died, exited, timed out, spoke garbage)."""


class HarnessTimeout(HarnessFailed):
    pass


class ImportFailed(HarnessFailed):
    pass


@dataclass
class Harness:
    """One running harness process (use as a context manager: it is always killed)."""

    command: Sequence[str]
    env: Mapping[str, str]
    cwd: Path
    timeout: float
    log: Path  # its stderr
    preexec: Callable[[], None] | None = None
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _seq: int = field(default=0, init=False)
    _timed_out: bool = field(default=False, init=False)
    _timer: threading.Timer | None = field(default=None, init=False)

    def __enter__(self) -> Harness:
        with open(self.log, "wb") as err:
            self._process = subprocess.Popen(
                list(self.command),
                cwd=self.cwd,
                env=dict(self.env),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                start_new_session=True,
                preexec_fn=self.preexec,  # noqa: PLW1509 (only setrlimit calls)
            )
        self._timer = threading.Timer(self.timeout, self._expire)
        self._timer.daemon = True
        self._timer.start()
        hello = self._read()
        info = hello.get("hello")
        if not isinstance(info, dict):
            raise HarnessFailed(f"the harness said {_short(hello)} instead of hello")
        if info.get("ok") is not True:
            raise ImportFailed(str(info.get("error", "")))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._kill()

    def _expire(self) -> None:
        self._timed_out = True
        self._kill()

    def _kill(self) -> None:
        process = self._process
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for stream in (process.stdin, process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        process.wait()

    def request(self, op: str, **fields: Any) -> dict[str, Any]:
        """Send one request; its reply (without ``seq``), or :class:`HarnessFailed`."""
        process = self._process
        assert process is not None and process.stdin is not None
        self._seq += 1
        line = json.dumps({"seq": self._seq, "op": op, **fields}, ensure_ascii=True) + "\n"
        try:
            process.stdin.write(line.encode("ascii"))
            process.stdin.flush()
        except (OSError, ValueError):
            self._check_timeout()
            raise HarnessFailed(self._ended()) from None
        reply = self._read()
        if reply.get("seq") != self._seq:
            raise HarnessFailed(f"the harness answered out of sequence: {_short(reply)}")
        reply.pop("seq")
        if "unserialisable" in reply:
            raise HarnessFailed(f"the result is not JSON: {reply['unserialisable']}")
        return reply

    def _read(self) -> dict[str, Any]:
        process = self._process
        assert process is not None and process.stdout is not None
        try:
            raw = process.stdout.readline(MAX_REPLY)
        except (OSError, ValueError):
            raw = b""
        self._check_timeout()
        if not raw:
            raise HarnessFailed(self._ended())
        if not raw.endswith(b"\n"):
            raise HarnessFailed("the harness sent an overlong or unterminated reply")
        try:
            reply = json.loads(raw)
        except ValueError:
            raise HarnessFailed(f"the harness sent garbage: {_short(raw[:200])}") from None
        if not isinstance(reply, dict):
            raise HarnessFailed(f"the harness sent garbage: {_short(reply)}")
        return reply

    def _check_timeout(self) -> None:
        if self._timed_out:
            raise HarnessTimeout(f"stopped after {self.timeout:g} s")

    def _ended(self) -> str:
        process = self._process
        code = process.poll() if process is not None else None
        if code is None and process is not None:
            try:
                code = process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                code = None
        if code is not None and code < 0:
            return f"the process running the candidate was killed by signal {-code}"
        if code is not None and code > 128:  # a sandbox passes its child's death on this way
            return f"the process running the candidate was killed by signal {code - 128}"
        if code is not None:
            return f"the process running the candidate exited early (exit {code})"
        return "the process running the candidate stopped answering"

    def stderr(self, limit: int = 6000) -> str:
        try:
            with open(self.log, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                size = handle.tell()
                handle.seek(max(0, size - limit))
                return handle.read().decode("utf-8", "replace")
        except OSError:
            return ""


# --- comparing results with examples ------------------------------------------------------------
#
# One meaning everywhere: when the runtime library (specloom_runtime) is installed, as
# `make setup` does, its own helpers compare (the same code the generated contract tests and
# mocks use: $var paths, matchers); the plain versions below are the fallback without it. They
# run here, in specloom's process: the candidate's copy of the runtime is another process's.


class Unbound(Exception):
    pass


@functools.cache
def _runtime() -> tuple[Any, Callable[[Any], Any]] | None:
    """``(specloom_runtime.mock, specloom_runtime.matchers.example_value)``, or None when the
    runtime library is not installed."""
    try:
        from specloom_runtime import mock
        from specloom_runtime.matchers import example_value
    except ImportError:
        return None
    return mock, example_value


def resolve_vars(value: Any, bindings: Mapping[str, Any]) -> Any:
    """``{"$var": name}`` placeholders replaced by bound values."""
    runtime = _runtime()
    if runtime is not None:
        try:
            return runtime[0].resolve_vars(value, bindings)
        except Exception as exc:  # the runtime's private "unbound" error
            raise Unbound(str(exc)) from None
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("$var"), str):
            if value["$var"] not in bindings:
                raise Unbound(value["$var"])
            return copy.deepcopy(bindings[value["$var"]])
        return {k: resolve_vars(v, bindings) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_vars(v, bindings) for v in value]
    return value


def concrete(value: Any) -> Any:
    """Arguments as sent: a matcher stands for its example (identity without matchers)."""
    runtime = _runtime()
    if runtime is not None:
        return runtime[1](value)
    return value


def json_equal(actual: Any, expected: Any) -> bool:
    """Equality of JSON values (``True`` is not ``1``; ``1`` equals ``1.0``)."""
    runtime = _runtime()
    if runtime is not None:
        return bool(runtime[0].json_equal(actual, expected))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and actual == expected
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(json_equal(actual[k], v) for k, v in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(json_equal(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return bool(actual == expected)


def json_subset(actual: Any, expected: Any) -> bool:
    """Like :func:`json_equal`, but an expected object only needs its own keys present."""
    runtime = _runtime()
    if runtime is not None:
        return bool(runtime[0].json_subset(actual, expected))
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and json_subset(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(json_subset(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return json_equal(actual, expected)


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- replaying examples ----------------------------------------------------------------------


@dataclass(frozen=True)
class ExampleRun:
    """What happened to one example: ``passed``, ``failed``, ``pending`` or ``skipped``."""

    stem: str  # the contract test file's stem, e.g. test_key_value_v1
    name: str
    status: str
    message: str = ""
    replayed: int = 0


@dataclass(frozen=True)
class ContractExamples:
    """A contract version the module provides, as the judge needs it."""

    key: str
    stem: str
    examples: Sequence[Mapping[str, Any]]
    returns: Mapping[str, Mapping[str, Any] | None]  # method -> return schema (None: null)


class ExampleFailed(Exception):
    pass


@functools.cache
def _pattern_validator(pattern: str) -> SchemaValidator | None:
    try:
        return SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))
    except SchemaError:
        return None  # lookaround or backreferences: the Rust engine cannot run it


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """``pattern`` in linear time (Rust regex, like the generated models), so a result crafted
    against a backtracking-prone pattern cannot stall the judge; patterns the Rust engine cannot
    run fall back to Python's ``re``."""
    if not validator.is_type(instance, "string"):
        return
    rust = _pattern_validator(pattern)
    if rust is not None:
        try:
            rust.validate_python(instance)
            return
        except Exception:
            yield ValidationError(f"{instance!r} does not match {pattern!r}")
            return
    if re.search(pattern, instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


class ResultChecker:
    """Return values against their method's schema (``#/types/Name`` resolved)."""

    def __init__(self, types: Mapping[str, Mapping[str, Any]]) -> None:
        self.types = {name: dict(schema) for name, schema in types.items()}
        self._validators: dict[int, Any] = {}

    def problem(self, value: Any, schema: Mapping[str, Any] | None) -> str | None:
        if schema is None:
            return None if value is None else "expected no result (null)"
        cached = self._validators.get(id(schema))
        if cached is None or cached[0] is not schema:  # an id is only unique while alive
            cached = self._validators[id(schema)] = (
                schema,
                _Validator({**schema, "types": self.types}),
            )
        try:
            error = next(iter(cached[1].iter_errors(value)), None)
        except Exception as exc:  # a schema jsonschema cannot apply: say so, do not pass
            return f"cannot check against the return schema: {exc}"
        if error is None:
            return None
        where = "".join(f"[{p!r}]" for p in error.absolute_path)
        return f"{where + ': ' if where else ''}{error.message}"


def replay_examples(
    harness: Harness,
    contracts: Sequence[ContractExamples],
    module: str,
    pending: Sequence[str],
    checker: ResultChecker,
) -> list[ExampleRun]:
    """Every example of ``contracts`` against the candidate, each in a fresh system."""
    runs = []
    for contract in contracts:
        for example in contract.examples:
            runs.append(_replay_one(harness, contract, example, module, pending, checker))
    return runs


def _replay_one(
    harness: Harness,
    contract: ContractExamples,
    example: Mapping[str, Any],
    module: str,
    pending: Sequence[str],
    checker: ResultChecker,
) -> ExampleRun:
    name = str(example["name"])
    steps = list(example["steps"])
    started = harness.request("start", key=contract.key)
    if started.get("mode") != "impl":
        reason = str(started.get("reason", ""))
        return ExampleRun(contract.stem, name, "skipped", f"{module}: {reason}")
    if started.get("served_by_mock") is True:
        why = f"pending: {module} serves {contract.key} with its mock (a serve_ stub is left)"
        return ExampleRun(contract.stem, name, "pending", why)
    ready = next((i for i, step in enumerate(steps) if step["call"] in pending), None)
    try:
        _replay_steps(harness, contract, name, steps if ready is None else steps[:ready], checker)
    except ExampleFailed as exc:
        return ExampleRun(contract.stem, name, "failed", str(exc))
    finally:
        harness.request("stop")
    if ready is not None:
        left = sorted(pending)
        message = (
            f"pending: {len(left)} stub(s) left in {module}: {', '.join(left)} "
            f"(replayed {ready} of {len(steps)} steps)"
        )
        return ExampleRun(contract.stem, name, "pending", message, ready)
    return ExampleRun(contract.stem, name, "passed", replayed=len(steps))


def _replay_steps(
    harness: Harness,
    contract: ContractExamples,
    name: str,
    steps: Sequence[Mapping[str, Any]],
    checker: ResultChecker,
) -> None:
    bindings: dict[str, Any] = {}
    for number, step in enumerate(steps, start=1):
        method = str(step["call"])
        try:
            args = concrete(resolve_vars(step.get("with", {}), bindings))
        except Unbound as exc:
            raise ExampleFailed(f"example {name!r}, step {number}: unbound ${exc}") from None
        where = f"example {name!r}, step {number} ({method}({_short(args)}))"
        reply = harness.request("call", method=method, args=args)
        error = reply.get("error")
        if error is not None and not isinstance(error, dict):
            raise HarnessFailed(f"the harness sent garbage: {_short(reply)}")
        if "result" not in reply and error is None:
            raise HarnessFailed(f"the harness sent garbage: {_short(reply)}")
        if "raises" in step:
            if error is None:
                got = _short(reply["result"])
                raise ExampleFailed(f"{where}: expected {step['raises']}, got result {got}")
            code, declared = error.get("code"), error.get("declared") is True
            if code == step["raises"] and declared:
                continue
            detail = "" if declared else f": {error.get('message', '')}"
            raise ExampleFailed(f"{where}: expected {step['raises']}, got {code}{detail}")
        if error is not None:
            raise ExampleFailed(f"{where}: raised {error.get('code')}: {error.get('message', '')}")
        value = reply["result"]
        problem = checker.problem(value, contract.returns.get(method))
        if problem is not None:
            raise ExampleFailed(f"{where}: the result breaks the return schema: {problem}")
        if "returns" in step:
            try:
                expected = resolve_vars(step["returns"], bindings)
            except Unbound as exc:
                raise ExampleFailed(f"{where}: unbound ${exc}") from None
            subset = step.get("match") == "subset"
            same = json_subset(value, expected) if subset else json_equal(value, expected)
            if not same:
                how = "to contain" if subset else "to be"
                raise ExampleFailed(
                    f"{where}: expected result {how} {_short(expected)}, got {_short(value)}"
                )
        if "bind" in step:
            bindings[str(step["bind"])] = value


def report(runs: Sequence[ExampleRun]) -> str:
    """The runs as test output (``E`` lines carry the failures, as pytest's would)."""
    lines = []
    for run in runs:
        lines.append(f"{run.status.upper():8} {run.stem}::{run.name}")
        if run.status in ("failed", "skipped") and run.message:
            lines.append(f"E   {run.message}")
    counts = {s: sum(r.status == s for r in runs) for s in ("passed", "failed", "pending")}
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no examples")
    return "\n".join(lines)


__all__ = [
    "ContractExamples",
    "ExampleRun",
    "Harness",
    "HarnessFailed",
    "HarnessTimeout",
    "ImportFailed",
    "ResultChecker",
    "json_equal",
    "json_subset",
    "replay_examples",
    "report",
    "resolve_vars",
]
