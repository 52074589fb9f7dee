"""Checks over the whole spec set: references, graph rules, identifiers, schemas in use."""

from __future__ import annotations

import ast
import difflib
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, Severity, did_you_mean
from ..model.checker import value_validator
from ..model.graph import dependencies, edges, find_cycle
from ..model.spec import TYPE_REF, Origin, SpecSet, System
from ..names import (
    contract_generated_names,
    dns_label_problem,
    identifier_problem,
    module_class_names,
    pascal,
)
from ..patterns import pattern_problem


def walk_schema(
    schema: Any, path: tuple[Any, ...] = ()
) -> Iterator[tuple[Mapping[str, Any], tuple[Any, ...]]]:
    """Every sub-schema of a data schema, with its path."""
    if not isinstance(schema, Mapping):
        return
    yield schema, path
    for key in ("items",):
        if key in schema:
            yield from walk_schema(schema[key], (*path, key))
    if isinstance(schema.get("additionalProperties"), Mapping):
        yield from walk_schema(schema["additionalProperties"], (*path, "additionalProperties"))
    for key in ("anyOf", "oneOf"):
        for i, sub in enumerate(schema.get(key, [])):
            yield from walk_schema(sub, (*path, key, i))
    for name, sub in (schema.get("properties") or {}).items():
        yield from walk_schema(sub, (*path, "properties", name))


def _data_schemas(spec: SpecSet) -> Iterator[tuple[Mapping[str, Any], Origin, tuple[Any, ...]]]:
    for c in spec.contracts:
        for m in c.methods:
            for p in m.params:
                yield p.schema, p.origin, ()
            if m.returns is not None:
                yield m.returns, m.origin, ("returns",)
        for e in c.events:
            if e.payload is not None:
                yield e.payload, e.origin, ("payload",)
    for t in spec.types:
        yield t.schema, t.origin, ()
    for mod in spec.modules:
        for name, s in (mod.config.get("properties") or {}).items():
            yield s, mod.origin, ("config", "properties", name)


def check_schemas_in_use(spec: SpecSet) -> list[Diagnostic]:
    """Type references resolve, patterns compile, defaults fit, bounds are satisfiable."""
    diags = []
    type_names = [t.name for t in spec.types]
    types = {t.name: dict(t.schema) for t in spec.types}
    for schema, origin, base in _data_schemas(spec):
        for sub, path in walk_schema(schema):
            where = origin.at(*base, *path)
            ref = sub.get("$ref")
            if isinstance(ref, str):
                m = TYPE_REF.fullmatch(ref)
                if not m or m.group(1) not in type_names:
                    name = m.group(1) if m else ref
                    diags.append(
                        Diagnostic(
                            *origin.at(*base, *path, "$ref"),
                            "E_UNKNOWN_TYPE",
                            f"unknown type {name!r}",
                            did_you_mean(name, type_names) or "types are defined in types/*.yaml",
                        )
                    )
            pattern = sub.get("pattern")
            if isinstance(pattern, str):
                problem = pattern_problem(pattern)
                if problem is not None:
                    diags.append(
                        Diagnostic(
                            *origin.at(*base, *path, "pattern"),
                            "E_PATTERN",
                            f"pattern {pattern!r} cannot be used: {problem.reason}",
                            problem.hint,
                        )
                    )
            diags.extend(_unsatisfiable_required(sub, origin, (*base, *path)))
            lo, hi = sub.get("minimum"), sub.get("maximum")
            if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
                diags.append(Diagnostic(*where, "E_BOUNDS", f"minimum {lo} exceeds maximum {hi}"))
            lo, hi = sub.get("minLength"), sub.get("maxLength")
            if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
                diags.append(
                    Diagnostic(*where, "E_BOUNDS", f"minLength {lo} exceeds maxLength {hi}")
                )
            lo, hi = sub.get("minItems"), sub.get("maxItems")
            if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
                diags.append(Diagnostic(*where, "E_BOUNDS", f"minItems {lo} exceeds maxItems {hi}"))
            if "default" in sub and not any(d.code == "E_UNKNOWN_TYPE" for d in diags[-1:]):
                root = {**sub, "types": types}
                try:
                    errs = list(value_validator(root).iter_errors(sub["default"]))
                except Exception:  # noqa: BLE001 - an unresolvable $ref is reported above
                    errs = []
                if errs:
                    diags.append(
                        Diagnostic(
                            *origin.at(*base, *path, "default"),
                            "E_DEFAULT_INVALID",
                            f"default {sub['default']!r} violates its own schema: "
                            + errs[0].message,
                        )
                    )
    return diags


def check_default_endless(spec: SpecSet) -> list[Diagnostic]:
    """A recursive type whose ``default`` would be completed without end (E_DEFAULT_ENDLESS).

    Completing a default fills the defaults of the properties it leaves out; a default that is an
    object and refers (directly or through an anyOf/oneOf member) back to a type being completed
    with that same default never ends. The spec's own values are finite, so an endless completion
    must meet the same (type, default) pair twice.
    """
    types = {t.name: t for t in spec.types}

    def refs(schema: Any) -> list[str]:
        if not isinstance(schema, Mapping):
            return []
        found = []
        for s in [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]:
            m = TYPE_REF.fullmatch(s.get("$ref", "")) if isinstance(s, Mapping) else None
            if m and m.group(1) in types:
                found.append(m.group(1))
        return found

    def endless(name: str, value: Any, seen: frozenset[tuple[str, int]]) -> bool:
        props = types[name].schema.get("properties") or {}
        if not isinstance(value, Mapping) or not isinstance(props, Mapping):
            return False
        for prop, sub in props.items():
            if not isinstance(sub, Mapping):
                continue
            if prop in value:
                if any(endless(r, value[prop], seen) for r in refs(sub)):
                    return True
            elif isinstance(sub.get("default"), Mapping):
                key = (name, id(sub["default"]))
                if key in seen:
                    return True
                if any(endless(r, sub["default"], seen | {key}) for r in refs(sub)):
                    return True
        return False

    diags = []
    for t in spec.types:
        for prop, sub in (t.schema.get("properties") or {}).items():
            if not isinstance(sub, Mapping) or not isinstance(sub.get("default"), Mapping):
                continue
            key = (t.name, id(sub["default"]))
            if any(endless(r, sub["default"], frozenset({key})) for r in refs(sub)):
                diags.append(
                    Diagnostic(
                        *t.origin.at("properties", prop, "default"),
                        "E_DEFAULT_ENDLESS",
                        f"default of {t.name}.{prop} never ends: completing it with the "
                        "defaults it leaves out fills a recursive type in again and again",
                        f"give {prop} the default null (and allow null), or spell out the "
                        "recursive property in the default",
                    )
                )
    return diags


def _unsatisfiable_required(
    sub: Mapping[str, Any], origin: Origin, at: tuple[Any, ...]
) -> list[Diagnostic]:
    """A closed object (``additionalProperties: false``) cannot require an undeclared key."""
    if sub.get("additionalProperties") is not False:
        return []
    declared = list(sub.get("properties") or {})
    return [
        Diagnostic(
            *origin.at(*at, "required", i),
            "E_SCHEMA_UNSATISFIABLE",
            f"required property {name!r} is not among the properties, and no other property is "
            "allowed: no value matches this schema",
            did_you_mean(name, declared) or "declare it under properties",
        )
        for i, name in enumerate(sub.get("required") or [])
        if name not in declared
    ]


def check_identifiers(spec: SpecSet) -> list[Diagnostic]:
    diags = []

    def check(name: str, kind: str, where: tuple[str, int, int]) -> None:
        problem = identifier_problem(name, kind)
        if problem:
            diags.append(Diagnostic(*where, "E_IDENTIFIER", problem))

    if spec.system:
        diags.extend(_check_packages(spec.system))
    for mod in spec.modules:
        check(mod.name, "module", mod.origin.at("module"))
        explicit = "agent" in mod.origin.doc.data
        problem = dns_label_problem(mod.agent, "the agent id")
        if problem:  # the deployment files name the module's container and service after it
            where = mod.origin.at("agent" if explicit else "module")
            hint = "" if explicit else "set agent: to a DNS label"
            diags.append(Diagnostic(*where, "E_IDENTIFIER", problem, hint))
        for s in mod.config.get("properties") or {}:
            check(s, "setting", mod.origin.at("config", "properties", s, key=True))
    for c in spec.contracts:
        check(c.name, "contract", c.origin.at("contract"))
        for m in c.methods:
            check(m.name, "method", m.origin.at(key=True))
            for p in m.params:
                check(p.name, "param", p.origin.at(key=True))
        for e in c.errors:
            check(e.name, "error", e.origin.at(key=True))
            if spec.type(e.name):
                diags.append(
                    Diagnostic(
                        *e.origin.at(key=True),
                        "E_IDENTIFIER",
                        f"error {e.name!r} has the name of a shared type",
                    )
                )
    for t in spec.types:
        check(t.name, "type", t.origin.at(key=True))
    diags.extend(_clashes(spec))
    return diags


def _check_packages(system: System) -> list[Diagnostic]:
    """The generated package and the implementation package: valid, distinct, shadowing nothing."""
    data = system.origin.doc.data
    where = system.origin.at("package" if "package" in data["system"] else "name")
    diags = []
    problem = identifier_problem(system.package, "package")
    if problem:
        diags.append(Diagnostic(*where, "E_IDENTIFIER", problem))
    problem = dns_label_problem(system.name.replace("_", "-"), "the system name")
    if problem:  # the deployment files' image, namespace labels and secrets are named after it
        diags.append(Diagnostic(*system.origin.at("name"), "E_IDENTIFIER", problem))
    if "package" not in data.get("impl", {}):
        return diags  # the default, "impl", is a reserved name: no clash possible
    impl_where = system.origin.file, *system.origin.doc.at(("impl", "package"))
    problem = identifier_problem(system.impl_package, "package")
    if problem:
        diags.append(Diagnostic(*impl_where, "E_IDENTIFIER", "impl " + problem))
    if system.impl_package == system.package:
        diags.append(
            Diagnostic(
                *impl_where,
                "E_NAME_CLASH",
                f"the implementation package and the generated package are both {system.package!r}",
                "give impl.package another name",
            )
        )
    return diags


def _clashes(spec: SpecSet) -> list[Diagnostic]:
    """Shared types and errors must not take a name that generated code defines."""
    taken: dict[str, str] = {}
    for c in spec.contracts:
        for n in contract_generated_names(c.name, c.version, [m.name for m in c.methods]):
            taken.setdefault(n, f"contract {c.key}")
    for mod in spec.modules:
        for n in module_class_names(mod.name).values():
            taken.setdefault(n, f"module {mod.name}")
    diags = []
    named = [(t.name, t.origin, "type") for t in spec.types]
    named += [(e.name, e.origin, "error") for c in spec.contracts for e in c.errors]
    for name, origin, kind in named:
        if name in taken:
            diags.append(
                Diagnostic(
                    *origin.at(key=True),
                    "E_NAME_CLASH",
                    f"{kind} name {name!r} is also a class generated for {taken[name]}",
                    "rename it",
                )
            )
    return diags


def check_uniqueness(spec: SpecSet) -> list[Diagnostic]:
    diags = []
    seen: dict[tuple[str, object], Origin] = {}

    def once(
        kind: str, value: object, origin: Origin, *where: str | int, key: bool = False
    ) -> None:
        if (kind, value) in seen:
            first = seen[(kind, value)]
            diags.append(
                Diagnostic(
                    *origin.at(*where, key=key),
                    "E_DUPLICATE",
                    f"{kind} {value!r} is defined twice "
                    f"(first in {first.file}:{first.at(*where, key=key)[1]})",
                )
            )
        else:
            seen[(kind, value)] = origin

    for mod in spec.modules:
        once("module", mod.name, mod.origin, "module")
        once("module number", mod.number, mod.origin, "number")
        once(
            "agent", mod.agent, mod.origin, "agent" if "agent" in mod.origin.doc.data else "module"
        )
    for c in spec.contracts:
        once("contract", c.key, c.origin, "contract")
    for t in spec.types:
        once("type", t.name, t.origin, key=True)
    for c in spec.contracts:
        for m in c.methods:
            for err in m.errors:
                if c.error(err) is None:
                    diags.append(
                        Diagnostic(
                            *m.origin.at("errors", m.errors.index(err)),
                            "E_UNKNOWN_ERROR",
                            f"method {m.name} raises undeclared error {err!r}",
                            did_you_mean(err, [e.name for e in c.errors])
                            or "declare it under the contract's errors",
                        )
                    )
    return diags


def check_references(spec: SpecSet) -> list[Diagnostic]:
    diags = []
    keys = [c.key for c in spec.contracts]
    names = sorted({c.name for c in spec.contracts})
    for mod in spec.modules:
        for ref in (*mod.provides, *mod.consumes):
            if ref.key in keys:
                continue
            versions = [c.version for c in spec.contracts if c.name == ref.name]
            if versions:
                hint = "defined versions: " + ", ".join(f"{ref.name}@{v}" for v in versions)
            else:
                close = difflib.get_close_matches(ref.name, names, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}@{ref.version}'?" if close else ""
            diags.append(
                Diagnostic(
                    *ref.origin.at(),
                    "E_UNKNOWN_CONTRACT",
                    f"module {mod.name} refers to unknown contract {ref.key!r}",
                    hint,
                )
            )
    providers: dict[str, list[str]] = defaultdict(list)
    for mod in spec.modules:
        for ref in mod.provides:
            providers[ref.key].append(mod.name)
            if len(providers[ref.key]) == 2:
                diags.append(
                    Diagnostic(
                        *ref.origin.at(),
                        "E_MULTIPLE_PROVIDERS",
                        f"{ref.key} is provided by both {providers[ref.key][0]} and {mod.name}",
                        "one contract version has one provider; add a version or a new contract",
                    )
                )
    for mod in spec.modules:
        provided = {r.key for r in mod.provides}
        for ref in mod.consumes:
            if ref.key in provided:
                diags.append(
                    Diagnostic(
                        *ref.origin.at(),
                        "E_SELF_DEPENDENCY",
                        f"module {mod.name} consumes {ref.key}, which it provides itself",
                    )
                )
            elif ref.key in keys and not providers.get(ref.key):
                diags.append(_unprovided(mod.name, ref.key, ref.name, ref.origin, providers))
    for c in spec.contracts:
        if not providers.get(c.key):
            diags.append(
                Diagnostic(
                    *c.origin.at("contract"),
                    "W_UNUSED_CONTRACT",
                    f"contract {c.key} is provided by no module (no code is generated for it)",
                    severity=Severity.WARNING,
                )
            )
    if spec.system:
        keep = spec.system.versions_kept
        counts = Counter(c.name for c in spec.contracts)
        for c in spec.contracts:
            if counts[c.name] > keep and c.version == max(
                x.version for x in spec.contracts if x.name == c.name
            ):
                diags.append(
                    Diagnostic(
                        *c.origin.at("version"),
                        "W_TOO_MANY_VERSIONS",
                        f"{counts[c.name]} versions of {c.name} are kept; the policy is {keep} "
                        "(current plus two)",
                        "retire the oldest version once no module consumes it",
                        Severity.WARNING,
                    )
                )
    diags.extend(check_versions(spec))
    return diags


def check_graph(spec: SpecSet) -> list[Diagnostic]:
    diags = []
    by_name = {m.name: m for m in spec.modules}
    per_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in edges(spec):
        per_pair[(e.consumer, e.provider)].append(e.contract.key)
        if len(per_pair[(e.consumer, e.provider)]) == 2:
            diags.append(
                Diagnostic(
                    *e.contract.origin.at(),
                    "E_EDGE_MULTIPLE",
                    f"module {e.consumer} consumes two contracts of {e.provider} "
                    f"({', '.join(per_pair[(e.consumer, e.provider)])}); each dependency has "
                    "exactly one integration point",
                    "merge the methods into one contract, or consume only one",
                )
            )
        consumer, provider = by_name[e.consumer], by_name[e.provider]
        if consumer.phase and provider.phase and provider.phase > consumer.phase:
            diags.append(
                Diagnostic(
                    *e.contract.origin.at(),
                    "E_PHASE_ORDER",
                    f"module {consumer.name} (phase {consumer.phase}) depends on "
                    f"{provider.name}, scheduled later (phase {provider.phase})",
                )
            )
    cycle = find_cycle(dependencies(spec))
    if cycle:
        first = by_name[cycle[0]]
        ref = next(
            (r for r in first.consumes if any(p.name == cycle[1] for p in spec.providers(r.key))),
            None,
        )
        origin = ref.origin if ref else first.origin
        diags.append(
            Diagnostic(
                *origin.at(),
                "E_CYCLE",
                "dependency cycle: " + " -> ".join(cycle),
                "break it: let one side publish events, or move the shared part into a module",
            )
        )
    return diags


def _unprovided(
    consumer: str, key: str, name: str, origin: Origin, providers: Mapping[str, list[str]]
) -> Diagnostic:
    """A consumed version nobody provides: clearest when a provider dropped it for a newer one."""
    others = sorted((k, p) for k, ps in providers.items() if k.startswith(name + "@") for p in ps)
    if not others:
        return Diagnostic(
            *origin.at(),
            "E_UNPROVIDED",
            f"module {consumer} consumes {key}, which no module provides",
            "add it to some module's provides",
        )
    serving = ", ".join(f"{p} provides {k}" for k, p in others)
    return Diagnostic(
        *origin.at(),
        "E_UNPROVIDED",
        f"module {consumer} consumes {key}, but no module provides that version any more "
        f"({serving}); a provider must keep a version while a module consumes it",
        f"add {key} back to {others[-1][1]}'s provides (an adapter is generated when the change "
        f"allows it), or move {consumer} to {others[-1][0]}",
    )


def accessor_implemented(spec: SpecSet, module: str, accessor: str) -> bool:
    """Whether ``impl/<module>.py`` (next to the spec folder) overrides ``accessor`` in its
    implementation class without ``@stub``: then an older version is served by the user's own
    legacy object and W_NO_ADAPTER has nothing left to say. Read with ``ast``, never imported."""
    if spec.system is None:
        return False
    doc = spec.system.origin.doc
    depth = len(Path(doc.source).parts) if doc.source else 2
    root = Path(doc.path).resolve().parents[depth - 1]
    path = root / spec.system.impl_package / f"{module}.py"
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return False
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == pascal(module) + "Impl":
            for fn in node.body:
                if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and fn.name == accessor:
                    return not any(
                        (d.id if isinstance(d, ast.Name) else getattr(d, "attr", "")) == "stub"
                        for d in fn.decorator_list
                    )
    return False


def check_versions(spec: SpecSet) -> list[Diagnostic]:
    """Rule 2 checks: accepted breaking changes name real rules; several versions per module."""
    from ..diff.adapters import served_versions
    from ..diff.rules import RULES
    from ..model.versions import accessor_name, legacy_base

    diags = []

    def rule_known(rule: str, where: tuple[str, int, int]) -> None:
        if rule not in RULES:
            diags.append(
                Diagnostic(
                    *where,
                    "E_UNKNOWN_RULE",
                    f"unknown diff rule {rule!r}",
                    did_you_mean(rule, sorted(RULES)) or "see `specloom diff --rules`",
                )
            )

    for c in spec.contracts:
        for i, entry in enumerate(c.breaking):
            rule_known(entry["rule"], c.origin.at("breaking", i, "rule"))
        for m in c.methods:
            for i, entry in enumerate(m.breaking):
                rule_known(entry["rule"], m.origin.at("breaking", i, "rule"))
    if spec.system:
        versions = spec.system.origin.doc.data.get("versions") or {}
        for i, entry in enumerate(versions.get("ignore") or []):
            where = spec.system.origin.doc.at(("versions", "ignore", i, "rule"))
            rule_known(entry["rule"], (spec.system.origin.file, *where))
    for served in served_versions(spec):
        mod = spec.module(served.module)
        assert mod is not None
        ref = next(r for r in mod.provides if r.key == served.old.key)
        if served.adaptable:
            continue
        accessor = accessor_name(served.old.name, served.old.version)
        clash = [
            f"{other.key}.{accessor}"
            for r in mod.provides
            if (other := spec.contract(r.key)) is not None and other.method(accessor)
        ]
        if clash:
            diags.append(
                Diagnostic(
                    *ref.origin.at(),
                    "E_NAME_CLASH",
                    f"module {mod.name} serves {served.old.key} through a method "
                    f"{accessor}(), which {', '.join(clash)} already names",
                    "rename that contract method",
                )
            )
        if accessor_implemented(spec, mod.name, accessor):
            continue
        diags.append(
            Diagnostic(
                *ref.origin.at(),
                "W_NO_ADAPTER",
                f"{mod.name} implements {served.new.key}; no adapter can serve {served.old.key} "
                f"from it ({'; '.join(served.reasons())})",
                f"implement {accessor}() in the {mod.name} implementation, returning a subclass "
                f"of the generated {legacy_base(mod.name, served.old.name, served.old.version)}",
                Severity.WARNING,
            )
        )
    return diags
