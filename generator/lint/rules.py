"""The rules of ``specloom lint``: style and completeness of a valid spec set, each with a
stable ID (as buf's lint rules). ``specloom validate`` decides what is correct; lint what is
good practice, so every rule can be switched off in system.yaml's ``lint:``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..model.spec import MISSING, Origin, SpecSet
from ..names import contract_slug

# (origin, path below it, key?) and the message, hint
Finding = tuple[Origin, tuple[str | int, ...], bool, str, str]
Check = Callable[[SpecSet], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    default: bool
    description: str
    check: Check


RULES: dict[str, Rule] = {}


def rule(rule_id: str, description: str, *, default: bool = True) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, default, description, fn)
        return fn

    return register


_PLACEHOLDER = re.compile(r"^\s*(todo|tbd|fixme|xxx|\.\.\.|-)?\s*[.!]?\s*$", re.IGNORECASE)
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*\Z")


def _says_nothing(text: str, name: str) -> bool:
    words = text.strip().rstrip(".").lower().replace("_", " ")
    return bool(_PLACEHOLDER.match(text)) or words == name.lower().replace("_", " ")


@rule("CONTRACT_DESCRIPTION", "A contract has a description: what it is for.")
def _contract_description(spec: SpecSet) -> Iterator[Finding]:
    for c in spec.contracts:
        if not c.description.strip():
            yield (
                c.origin,
                ("contract",),
                True,
                f"{c.key} has no description",
                ("add `description:` saying what the contract is for"),
            )


@rule("METHOD_SUMMARY", "A method's summary says what it does (not its name, not TODO).")
def _method_summary(spec: SpecSet) -> Iterator[Finding]:
    for c in spec.contracts:
        for m in c.methods:
            if _says_nothing(m.summary, m.name):
                yield (
                    m.origin,
                    ("summary",),
                    False,
                    (f"the summary of {c.key}.{m.name} says nothing ({m.summary!r})"),
                    "write one line on what the method does",
                )


@rule("EVENT_SUMMARY", "An event and an error have a summary that says something.")
def _event_summary(spec: SpecSet) -> Iterator[Finding]:
    for c in spec.contracts:
        for e in c.events:
            if _says_nothing(e.summary, e.name):
                yield e.origin, ("summary",), False, f"event {c.key}.{e.name} has no summary", ""
        for err in c.errors:
            if _says_nothing(err.summary, err.name):
                yield (
                    err.origin,
                    ("summary",),
                    False,
                    f"error {c.key}.{err.name} has no summary",
                    "",
                )


@rule("PARAM_DESCRIPTION", "Every parameter is documented (a `$ref` to a shared type counts).")
def _param_description(spec: SpecSet) -> Iterator[Finding]:
    for c in spec.contracts:
        for m in c.methods:
            for p in m.params:
                if "$ref" in p.schema or str(p.schema.get("description", "")).strip():
                    continue
                yield (
                    m.origin,
                    ("params", p.name),
                    True,
                    (f"parameter {p.name!r} of {c.key}.{m.name} has no description"),
                    "add `description:` to its schema",
                )


def _properties(schema: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str, tuple]]:
    """(property name, path of the name) for every object property in a data schema."""
    if isinstance(schema, Mapping):
        props = schema.get("properties")
        if isinstance(props, Mapping):
            for name, sub in props.items():
                yield str(name), (*path, "properties", name)
                yield from _properties(sub, (*path, "properties", name))
        for key in ("items", "additionalProperties", "not"):
            yield from _properties(schema.get(key), (*path, key))
        for key in ("anyOf", "oneOf", "allOf"):
            for i, sub in enumerate(schema.get(key) or []):
                yield from _properties(sub, (*path, key, i))


@rule("FIELD_SNAKE_CASE", "Object properties in data schemas are snake_case, as params are.")
def _field_snake_case(spec: SpecSet) -> Iterator[Finding]:
    where: list[tuple[Origin, Any, tuple[str | int, ...]]] = []
    for c in spec.contracts:
        for m in c.methods:
            where += [(m.origin, p.schema, ("params", p.name)) for p in m.params]
            where.append((m.origin, m.returns, ("returns",)))
        where += [(e.origin, e.payload, ("payload",)) for e in c.events]
    where += [(t.origin, t.schema, ()) for t in spec.types]
    where += [(mod.origin, mod.config, ("config",)) for mod in spec.modules]
    for origin, schema, path in where:
        for name, at in _properties(schema, path):
            if not _SNAKE.match(name):
                yield (
                    origin,
                    at,
                    True,
                    f"property {name!r} is not snake_case",
                    ("JSON and Python read best with one naming style"),
                )


@rule("METHOD_EXAMPLE_RESULT", "A method with a result has an example step that checks it.")
def _method_example_result(spec: SpecSet) -> Iterator[Finding]:
    for c in spec.contracts:
        checked = {s.call for ex in c.examples for s in ex.steps if s.returns is not MISSING}
        for m in c.methods:
            if m.returns is not None and m.name not in checked:
                yield (
                    m.origin,
                    (),
                    True,
                    (f"no example checks the result of {c.key}.{m.name}"),
                    "give one step `returns:` (matchers such as {$like: ...} keep it loose)",
                )


@rule("ERROR_EXAMPLE", "Every declared error of a method is raised by some example.")
def _error_example(spec: SpecSet) -> Iterator[Finding]:
    for c in spec.contracts:
        raised = {(s.call, s.raises) for ex in c.examples for s in ex.steps if s.raises}
        for m in c.methods:
            for i, err in enumerate(m.errors):
                if (m.name, err) not in raised:
                    yield (
                        m.origin,
                        ("errors", i),
                        False,
                        (f"no example shows {c.key}.{m.name} raising {err}"),
                        "add a step with `raises:`; mocks and tests learn errors from examples",
                    )


@rule("ERROR_NAME", "Error names say what went wrong, without an Error/Exception suffix.")
def _error_name(spec: SpecSet) -> Iterator[Finding]:
    generic = {"error", "failed", "failure", "invalid", "exception", "problem"}
    for c in spec.contracts:
        for err in c.errors:
            if err.name.endswith(("Error", "Exception")) or err.name.lower() in generic:
                yield (
                    err.origin,
                    (),
                    True,
                    f"error name {err.name!r} of {c.key}",
                    ("name the situation, e.g. NoteNotFound or QuotaExceeded"),
                )


@rule("ERROR_UNUSED", "Every declared error is listed by some method.")
def _error_unused(spec: SpecSet) -> Iterator[Finding]:
    for c in spec.contracts:
        used = {e for m in c.methods for e in m.errors}
        for err in c.errors:
            if err.name not in used:
                yield err.origin, (), True, f"error {c.key}.{err.name} is raised by no method", ""


@rule("VERSION_FILE_NAME", "A contract file is named <name>.v<major>.yaml.")
def _version_file_name(spec: SpecSet) -> Iterator[Finding]:
    for c in spec.contracts:
        want = f"{contract_slug(c.name, c.version).rsplit('_v', 1)[0]}.v{c.version}"
        stem = c.origin.doc.path.name.rsplit(".", 1)[0]
        if stem != want:
            yield (
                c.origin,
                ("version",),
                False,
                (f"{c.key} is in {c.origin.doc.path.name}; name the file {want}.yaml"),
                "the major version in the file name keeps versions side by side",
            )


@rule("VERSION_DEPRECATE_OLD", "An older major version of a contract says what replaces it.")
def _version_deprecate_old(spec: SpecSet) -> Iterator[Finding]:
    newest: dict[str, int] = {}
    for c in spec.contracts:
        newest[c.name] = max(newest.get(c.name, 0), c.version)
    for c in spec.contracts:
        if c.version < newest[c.name] and not c.deprecated.strip():
            yield (
                c.origin,
                ("version",),
                False,
                (f"{c.key} is older than {c.name}@{newest[c.name]} but not deprecated"),
                f"add `deprecated: use {c.name}@{newest[c.name]}`",
            )


@rule("MODULE_BRIEF", "A module has a brief and testing criteria.", default=False)
def _module_brief(spec: SpecSet) -> Iterator[Finding]:
    for mod in spec.modules:
        data = mod.origin.doc.data
        for key in ("brief", "testing_criteria"):
            if not data.get(key):
                yield mod.origin, ("module",), True, f"module {mod.name} has no {key}", ""


__all__ = ["RULES", "Finding", "Rule"]
