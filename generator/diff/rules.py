"""The registry of diff rules: one stable ID, a severity and a one-line description each.

IDs follow buf's style (``METHOD_NO_DELETE``: what must not happen) for the rules that find a
breaking change; the compatible counterparts (``METHOD_ADDED``) are notes, so the report names
every change it lists. Severities follow smithy diff: ``error`` is a breaking change (exit 1 unless
the major version changes or the change is accepted), ``warning`` may break some consumers and is
reported without failing (``--fail-on warning`` makes it fail), ``note`` is compatible.

``adapter_ok`` says whether a generated adapter can still serve the old version from an
implementation of the new one despite the change (see ``generator.diff.adapters``).

``docs/diff-rules.md`` is generated from this table (``python -m generator.diff.docs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    topic: str
    description: str
    adapter_ok: bool = False

    @property
    def breaking(self) -> bool:
        return self.level is Level.ERROR


E, W, N = Level.ERROR, Level.WARNING, Level.NOTE

_RULES = (
    # contracts and versions
    Rule(
        "CONTRACT_NO_DELETE",
        E,
        "contract",
        "A contract version is removed and no newer version of it exists.",
    ),
    Rule(
        "CONTRACT_VERSION_NO_DROP",
        E,
        "contract",
        "An older version is removed while the version policy still keeps it (current plus two).",
    ),
    Rule(
        "CONTRACT_VERSION_RETIRED",
        N,
        "contract",
        "An old version is removed after the version policy stopped keeping it.",
        True,
    ),
    Rule("CONTRACT_ADDED", N, "contract", "A new contract.", True),
    Rule(
        "CONTRACT_VERSION_ADDED",
        N,
        "contract",
        "A new major version of a contract (a proper bump); its changes are listed as bumped.",
        True,
    ),
    Rule("CONTRACT_DEPRECATED", N, "contract", "A contract version is marked deprecated.", True),
    Rule("DOC_CHANGED", N, "contract", "A summary or description changed.", True),
    # modules
    Rule(
        "MODULE_PROVIDES_NO_DROP",
        E,
        "module",
        "A module stops providing a contract version that no other module provides.",
    ),
    Rule(
        "MODULE_PROVIDER_CHANGED",
        W,
        "module",
        "A contract version moves to another module (another agent address on the bus).",
    ),
    Rule(
        "MODULE_AGENT_NO_CHANGE",
        E,
        "module",
        "A module that provides contracts changes its agent id, the address its clients call.",
    ),
    Rule("MODULE_ADDED", N, "module", "A new module.", True),
    Rule(
        "MODULE_REMOVED",
        N,
        "module",
        "A module is removed (what it provided is checked by the contract and provides rules).",
        True,
    ),
    Rule(
        "MODULE_CONSUMES_CHANGED",
        N,
        "module",
        "A module consumes another contract or version.",
        True,
    ),
    Rule(
        "ADAPTER_GENERATED",
        N,
        "module",
        "An older provided version is served from the newest one by a generated adapter.",
        True,
    ),
    Rule(
        "ADAPTER_IMPOSSIBLE",
        W,
        "module",
        "An older provided version cannot be adapted from the newest; the module serves it itself.",
        True,
    ),
    # methods
    Rule("METHOD_NO_DELETE", E, "method", "A method is removed."),
    Rule("METHOD_ADDED", N, "method", "A method is added.", True),
    Rule("METHOD_DEPRECATED", N, "method", "A method is marked deprecated.", True),
    # parameters
    Rule(
        "PARAM_NO_DELETE", E, "param", "A parameter is removed: callers that pass it are rejected."
    ),
    Rule(
        "REQUIRED_PARAM_NO_ADD",
        E,
        "param",
        "A required parameter (one without a default) is added.",
    ),
    Rule("PARAM_ADDED", N, "param", "An optional parameter (one with a default) is added.", True),
    Rule(
        "PARAM_NO_REQUIRE",
        E,
        "param",
        "An optional parameter becomes required (its default is removed).",
        True,
    ),
    Rule(
        "PARAM_DEFAULT_ADDED",
        N,
        "param",
        "A required parameter becomes optional (it gets a default).",
        True,
    ),
    Rule(
        "DEFAULT_NO_CHANGE",
        E,
        "param",
        "A default value changes: callers that omit the value get other behaviour.",
        True,
    ),
    Rule("PARAM_SAME_TYPE", E, "param", "A parameter's type changes or accepts fewer JSON types."),
    Rule("TYPE_WIDENED", N, "param", "An input accepts more JSON types than before.", True),
    # results
    Rule(
        "RETURN_SAME_TYPE",
        E,
        "return",
        "A result's type changes or may have a JSON type that readers of the old one reject.",
    ),
    Rule(
        "TYPE_NARROWED", N, "return", "An output has fewer possible JSON types than before.", True
    ),
    # schema details, in either direction
    Rule(
        "ENUM_VALUE_NO_DELETE",
        E,
        "schema",
        "An enum value is removed from an input: callers that send it are rejected.",
    ),
    Rule(
        "ENUM_VALUE_NO_ADD",
        E,
        "schema",
        "An enum value is added to an output: readers of the old version reject it.",
    ),
    Rule("ENUM_VALUE_ADDED", N, "schema", "An enum value is added to an input.", True),
    Rule("ENUM_VALUE_REMOVED", N, "schema", "An enum value is removed from an output.", True),
    Rule(
        "CONSTRAINT_NO_TIGHTEN",
        E,
        "schema",
        "An input constraint tightens (pattern, minimum/maximum, lengths, items, enum added, ...).",
    ),
    Rule(
        "CONSTRAINT_NO_LOOSEN",
        E,
        "schema",
        "An output constraint loosens: results may break what readers of the old version check.",
    ),
    Rule("CONSTRAINT_LOOSENED", N, "schema", "An input constraint loosens.", True),
    Rule("CONSTRAINT_TIGHTENED", N, "schema", "An output constraint tightens.", True),
    Rule(
        "PROPERTY_NO_DELETE",
        E,
        "schema",
        "A property is removed: inputs carrying it are rejected, or outputs lack a required one.",
    ),
    Rule(
        "REQUIRED_PROPERTY_NO_ADD",
        E,
        "schema",
        "An input object gets a new required property, or a property becomes required.",
    ),
    Rule(
        "CLOSED_OBJECT_NO_ADD",
        E,
        "schema",
        "An output object whose old schema forbade additional properties gets a new property.",
    ),
    Rule(
        "PROPERTY_REQUIRED_NO_REMOVE",
        E,
        "schema",
        "A required property of an output becomes optional: readers rely on it.",
    ),
    Rule("PROPERTY_ADDED", N, "schema", "A property is added in a compatible way.", True),
    Rule("PROPERTY_REMOVED", N, "schema", "A property is removed in a compatible way.", True),
    Rule(
        "PROPERTY_REQUIRED_CHANGED",
        N,
        "schema",
        "A property's required mark changes in a compatible way.",
        True,
    ),
    # errors
    Rule(
        "ERROR_NO_ADD",
        E,
        "error",
        "A method may raise an error it did not declare before: callers do not handle it.",
    ),
    Rule(
        "ERROR_NO_DELETE",
        E,
        "error",
        "A method no longer declares an error: implementations raising it now break the contract.",
        True,
    ),
    # events
    Rule("EVENT_NO_DELETE", E, "event", "An event is removed: subscribers wait for it."),
    Rule(
        "EVENT_SAME_TYPE",
        E,
        "event",
        "An event payload changes type or may have a JSON type subscribers reject.",
        True,
    ),
    Rule("EVENT_ADDED", N, "event", "An event is added.", True),
    # examples
    Rule("EXAMPLE_ADDED", N, "example", "A behaviour example is added.", True),
    Rule("EXAMPLE_REMOVED", N, "example", "A behaviour example is removed.", True),
    Rule("EXAMPLE_CHANGED", N, "example", "A behaviour example changes.", True),
)

RULES: dict[str, Rule] = {r.id: r for r in _RULES}

assert len(RULES) == len(_RULES), "duplicate rule id"

__all__ = ["RULES", "Level", "Rule"]
