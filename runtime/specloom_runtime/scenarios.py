"""How a mock generalises its examples into a store-like state machine.

An example written with concrete values (``put {key: "note:1", value: V}`` then
``get {key: "note:1"}`` returning ``V``) says more than those values: the ``get`` reads the key
the ``put`` wrote, and answers what it stored. :func:`generalise` finds such links: a value in a
later step's arguments (or in a step's expected result) that equals a value in an earlier
step's arguments (a non-empty string, object or array; numbers and booleans are too often equal
by chance) becomes a variable bound, at run time, to what the caller really passed.

So a mock keeps one *instance* of a scenario per key a caller uses: ``put(A, X)`` then
``get(A)`` answers ``X``; ``get(B)`` continues no instance and is a miss. Instances live per
caller (the calling agent of the request), so interleaved callers never share progress.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .matchers import lookup

__all__ = ["Instance", "Pattern", "generalise", "implicit_bindings", "role"]

Path = tuple[str | int, ...]


def _plain(value: Any) -> bool:
    """A value that can link steps: no variables or matchers inside, not a mere number."""
    if isinstance(value, dict):
        return bool(value) and all(
            not (isinstance(k, str) and k.startswith("$")) and _plain(v) for k, v in value.items()
        )
    if isinstance(value, list):
        return bool(value) and all(_plain(v) for v in value)
    return (
        isinstance(value, str)
        and value != ""
        or isinstance(value, int | float | bool)
        or (value is None)
    )


def _linkable(value: Any) -> bool:
    return (isinstance(value, str) and value != "") or (
        isinstance(value, dict | list) and _plain(value)
    )


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _subvalues(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    yield path, value
    if isinstance(value, dict) and not any(isinstance(k, str) and k.startswith("$") for k in value):
        for k, v in value.items():
            yield from _subvalues(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _subvalues(v, (*path, i))


def _name(step: int, method: str, path: Path) -> str:
    """``@2:put/key``: the argument ``key`` of step 2 (a ``put``)."""
    return f"@{step}:{method}/" + "/".join(map(str, path))


def role(name: str) -> str:
    """``@2:put/key`` -> ``@put/key``: the same argument of the same method in any step, bound
    to the latest value a caller passed there (what a skipped step would have bound)."""
    return "@" + name.split(":", 1)[1] if name.startswith("@") and ":" in name else name


def _replace(value: Any, seen: Mapping[str, str]) -> Any:
    """``value`` with every linkable sub-value seen earlier replaced by its variable."""
    if _linkable(value) and (name := seen.get(_canon(value))) is not None:
        return {"$var": name}
    if isinstance(value, dict) and not any(isinstance(k, str) and k.startswith("$") for k in value):
        return {k: _replace(v, seen) for k, v in value.items()}
    if isinstance(value, dict):  # a matcher or $var: its parts may still link
        return {k: _replace(v, seen) if k != "$var" else v for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, seen) for v in value]
    return value


@dataclass(frozen=True)
class Pattern:
    """One step of a generalised example."""

    step: Mapping[str, Any]  # the step, ``with`` and ``returns`` linked
    captures: tuple[tuple[str, Path], ...]  # (variable, path in the arguments) bound on a match
    dependent: bool  # its arguments use a value of an earlier step (a read of a key)


def generalise(steps: list[Mapping[str, Any]]) -> list[Pattern]:
    """The example's steps with links between them as variables (see the module doc).

    In a generalised step an argument that uses an earlier step's value must equal what the
    caller passed there (a key); every other argument is captured (any value matches, and is
    bound for later steps). Exact matches of an example's own values still rank first.
    """
    seen: dict[str, str] = {}
    out = []
    for j, step in enumerate(steps):
        method = str(step.get("call", ""))
        new = dict(step)
        args = dict(step.get("with", {}))
        linked = {k: _replace(v, seen) for k, v in args.items()}
        with_: dict[str, Any] = {}
        captures: list[tuple[str, Path]] = []
        for k, v in args.items():
            if _vars_in(linked[k]) or _has_dollar(v):
                with_[k] = linked[k]  # uses earlier values (or a user's $var): must match
            else:
                with_[k] = {"$var": _name(j, method, (k,))}  # any value; bound for later
            for path, sub in _subvalues(v, (k,)):
                if _linkable(sub) and not _vars_in(_replace(sub, seen)):
                    captures.append((_name(j, method, path), path))
        own = dict(seen)
        for name, path in captures:
            own.setdefault(_canon(_get(args, path)), name)
        if "returns" in step:
            new["returns"] = _replace(step["returns"], own)
        for name, path in captures:
            seen.setdefault(_canon(_get(args, path)), name)
        new["with"] = with_
        dependent = any(not v.startswith(f"@{j}:") for v in _vars_in(with_))
        out.append(Pattern(new, tuple(captures), dependent))
    return out


def _has_dollar(value: Any) -> bool:
    """Whether a matcher or variable stands somewhere in ``value``."""
    if isinstance(value, dict):
        return any(isinstance(k, str) and k.startswith("$") for k in value) or any(
            _has_dollar(v) for v in value.values()
        )
    if isinstance(value, list):
        return any(_has_dollar(v) for v in value)
    return False


def _vars_in(value: Any) -> list[str]:
    return list(_vars(value))


def _get(value: Any, path: Path) -> Any:
    for part in path:
        value = value[part]
    return value


def _vars(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("$var"), str):
            yield value["$var"]
            return
        for v in value.values():
            yield from _vars(v)
    elif isinstance(value, list):
        for v in value:
            yield from _vars(v)


def implicit_bindings(pattern: Pattern, args: Mapping[str, Any]) -> dict[str, Any]:
    """What a call matching ``pattern`` binds: the values it passed at the captured paths."""
    out: dict[str, Any] = {}
    for name, path in pattern.captures:
        try:
            value = lookup(dict(args), list(path))
        except KeyError:
            continue
        out[name] = value
        out[role(name)] = value
    return out


@dataclass(eq=False)
class Instance:
    """One scenario in progress for one caller and one set of keys. Compared by identity: two
    instances in the same state are still two scenarios."""

    index: int  # the example
    position: int = 0  # the next step
    bindings: dict[str, Any] = field(default_factory=dict)
    serial: int = 0  # creation order: among equals, the newest instance answers
    skipped: int = 0  # steps it jumped over: the fewer, the closer it follows its example
    #: Arguments each step expects under ``bindings`` (step -> resolved ``with``), computed on
    #: first use; cleared whenever ``bindings`` change.
    expected: dict[int, Any] = field(default_factory=dict, compare=False, repr=False)
