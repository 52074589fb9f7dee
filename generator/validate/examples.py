"""Checks of contract examples: real methods, valid arguments and results, bound variables."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from referencing.exceptions import Unresolvable

from ..errors import Diagnostic, did_you_mean
from ..model.checker import value_validator
from ..model.spec import MISSING, Contract, Method, SpecSet, Step
from ..patterns import PatternError
from .matchers import concrete, matcher_problems, parse_path


def var_name(value: Any) -> str | None:
    """The variable of a ``{$var: name}`` placeholder (the ``name`` of ``name.key[0]``), or None."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$var"), str):
        parsed = parse_path(value["$var"])
        return parsed[0] if parsed else str(value["$var"])
    return None


def find_vars(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[str, tuple[Any, ...]]]:
    name = var_name(value)
    if name is not None:
        yield name, path
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from find_vars(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from find_vars(v, (*path, i))


def _hint(name: str, choices: list[str]) -> str:
    return did_you_mean(name, choices, "known: " + ", ".join(choices) if choices else "")


class SchemaChecker:
    """Validates example values against data schemas, resolving ``#/types/Name``."""

    def __init__(self, spec: SpecSet) -> None:
        self.types = {t.name: dict(t.schema) for t in spec.types}

    def errors(self, value: Any, schema: Mapping[str, Any], *, subset: bool = False) -> list[str]:
        root = {**schema, "types": self.types}
        value, partial = concrete(value)  # matchers stand for their examples
        var_paths = [p for _, p in find_vars(value)]
        out = []
        try:
            for err in value_validator(root).iter_errors(value):
                if not _relevant(err, var_paths, subset):
                    continue
                if err.validator == "required" and tuple(err.absolute_path) in partial:
                    continue
                where = "".join(f"[{p!r}]" for p in err.absolute_path)
                out.append(f"{where + ': ' if where else ''}{err.message}")
        except (re.error, PatternError, Unresolvable):
            # A bad pattern or an unknown type: check_schemas_in_use reports it at the schema.
            return []
        return out


def _relevant(err: Any, var_paths: list[tuple[Any, ...]], subset: bool) -> bool:
    """Whether a schema error stands, given ``{$var}`` placeholders and subset matching."""
    path = tuple(err.absolute_path)
    if any(path[: len(p)] == p for p in var_paths):
        return False  # a {$var} stands here: its value is only known at run time
    if subset and err.validator == "required":
        return False
    if err.validator in ("anyOf", "oneOf") and err.context:
        branches: dict[Any, list[Any]] = {}
        for sub in err.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        n_branches = len(err.validator_value)
        if len(branches) < n_branches:
            return err.validator == "oneOf" and "more than one" in err.message
        return not any(
            not any(_relevant(sub, var_paths, subset) for sub in subs) for subs in branches.values()
        )
    return True


def check_examples(spec: SpecSet) -> list[Diagnostic]:
    checker = SchemaChecker(spec)
    diags: list[Diagnostic] = []
    for c in spec.contracts:
        for ex in c.examples:
            bound: set[str] = set()
            for step in ex.steps:
                diags.extend(_check_step(c, step, bound, checker))
                if step.bind:
                    if step.bind in bound:
                        diags.append(
                            Diagnostic(
                                *step.origin.at("bind"),
                                "E_EXAMPLE_BIND",
                                f"variable {step.bind!r} is bound twice in example {ex.name!r}",
                            )
                        )
                    bound.add(step.bind)
        used = {s.call for ex in c.examples for s in ex.steps}
        for m in c.methods:
            if m.name not in used:
                diags.append(
                    Diagnostic(
                        *m.origin.at(key=True),
                        "E_METHOD_NO_EXAMPLE",
                        f"method {c.key}.{m.name} appears in no example",
                        "add an example: contract tests and mocks are built from examples",
                    )
                )
    return diags


def _check_step(
    c: Contract, step: Step, bound: set[str], checker: SchemaChecker
) -> list[Diagnostic]:
    diags = []
    for value, where in ((step.args, "with"), (step.returns, "returns")):
        for name, path in find_vars(value):
            if name not in bound:
                diags.append(
                    Diagnostic(
                        *step.origin.at(where, *path),
                        "E_EXAMPLE_UNBOUND",
                        f"variable {name!r} is used before a step binds it",
                        _hint(name, sorted(bound)),
                    )
                )
    for value, where in ((step.args, "with"), (step.returns, "returns")):
        for path, problem in matcher_problems(value):
            diags.append(Diagnostic(*step.origin.at(where, *path), "E_EXAMPLE_MATCHER", problem))
    method = c.method(step.call)
    if method is None:
        diags.append(
            Diagnostic(
                *step.origin.at("call"),
                "E_EXAMPLE_METHOD",
                f"example calls unknown method {step.call!r} of {c.key}",
                _hint(step.call, [m.name for m in c.methods]),
            )
        )
        return diags
    diags.extend(_check_args(step, method, checker))
    if step.returns is not MISSING:
        if method.returns is None and step.returns is not None:
            diags.append(
                Diagnostic(
                    *step.origin.at("returns"),
                    "E_EXAMPLE_RETURNS_INVALID",
                    f"{method.name} returns nothing, but the example expects a value",
                )
            )
        elif method.returns is not None:
            for msg in checker.errors(step.returns, method.returns, subset=step.match == "subset"):
                diags.append(
                    Diagnostic(
                        *step.origin.at("returns"),
                        "E_EXAMPLE_RETURNS_INVALID",
                        f"expected result of {method.name} violates its return schema: {msg}",
                    )
                )
    if step.raises:
        if step.raises not in method.errors:
            diags.append(
                Diagnostic(
                    *step.origin.at("raises"),
                    "E_EXAMPLE_RAISES",
                    f"{method.name} does not declare error {step.raises!r}",
                    _hint(step.raises, list(method.errors)) or "declare it in the method's errors",
                )
            )
        if step.bind:
            diags.append(
                Diagnostic(
                    *step.origin.at("bind"),
                    "E_EXAMPLE_BIND",
                    "a step that raises has no result to bind",
                )
            )
    return diags


def _check_args(step: Step, method: Method, checker: SchemaChecker) -> list[Diagnostic]:
    diags = []
    names = [p.name for p in method.params]
    for arg, value in step.args.items():
        param = method.param(arg)
        if param is None:
            diags.append(
                Diagnostic(
                    *step.origin.at("with", arg, key=True),
                    "E_EXAMPLE_ARG",
                    f"{method.name} has no parameter {arg!r}",
                    _hint(arg, names),
                )
            )
            continue
        for msg in checker.errors(value, param.schema):
            diags.append(
                Diagnostic(
                    *step.origin.at("with", arg),
                    "E_EXAMPLE_ARG_INVALID",
                    f"argument {arg!r} of {method.name} is invalid: {msg}",
                )
            )
    for p in method.params:
        if p.required and p.name not in step.args:
            diags.append(
                Diagnostic(
                    *step.origin.at("call"),
                    "E_EXAMPLE_MISSING_ARG",
                    f"call of {method.name} lacks required argument {p.name!r}",
                )
            )
    return diags
