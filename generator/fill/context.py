"""What ``specloom fill`` knows about a project: paths, the validated view, and stub contexts.

``load_project`` validates the specs, makes sure ``generate`` has been run and its output is
current (the contract tests that judge candidates must match the specs), and returns a
:class:`FillProject`. ``FillProject.contexts(module)`` gives the ``contexts`` callable of
``fill_file``: a :class:`StubContext` per stub, built from the contract (signature, param and
return schemas with shared types inlined, declared errors with their import lines), the examples
calling the method (as data), and the module brief extended with its dependencies and settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diff.adapters import served_versions
from ..errors import SpecloomError, display_path
from ..model.spec import TYPE_REF as _TYPE_REF  # the one definition
from ..model.view import ContractView, MethodView, ModuleView, SystemView, build_view, plain_hint
from ..write.manifest import MANIFEST
from .prompt import StubContext
from .stubs import Stub

_STEP_KEYS = ("call", "with", "bind", "returns", "match", "raises")  # "default" is mock-internal


@dataclass(frozen=True)
class FillProject:
    """A generated project, as the fill sees it."""

    specs: Path
    out: Path  # the generated folder (holds tests/contract/)
    root: Path  # the project root (holds .specloom/fill-cache)
    impl_root: Path  # the folder holding the implementation package
    view: SystemView
    types: Mapping[str, Mapping[str, Any]]  # shared type name -> JSON Schema

    @property
    def impl_dir(self) -> Path:
        return self.impl_root / self.view.impl_package

    @property
    def cache_dir(self) -> Path:
        return self.root / ".specloom" / "fill-cache"

    def impl_file(self, module: str) -> Path:
        return self.impl_dir / f"{module}.py"

    def module(self, name: str) -> ModuleView:
        return next(m for m in self.view.modules if m.name == name)

    def ordered(self, names: Iterable[str] = ()) -> list[ModuleView]:
        """The named modules (all when none), providers before consumers (plan waves)."""
        wanted = set(names)
        chosen = [m for m in self.view.modules if not wanted or m.name in wanted]
        return sorted(chosen, key=lambda m: (m.wave, m.number, m.name))

    def contract_tests(self, module: ModuleView) -> list[Path]:
        """The generated contract test files of the contracts ``module`` provides."""
        return [self.out / "tests" / "contract" / f"test_{c.slug}.py" for c in module.provides]

    def method(self, module: ModuleView, name: str) -> tuple[ContractView, MethodView] | None:
        """The method called ``name`` of the contracts the implementation class implements."""
        for contract in implemented(module):
            for method in contract.methods:
                if method.name == name:
                    return contract, method
        return None

    def examples_calling(
        self, module: ModuleView, method: str
    ) -> list[tuple[ContractView, Mapping[str, Any]]]:
        """``(contract, example)`` for each example of an implemented contract calling
        ``method``."""
        return [
            (contract, example)
            for contract in implemented(module)
            for example in contract.examples
            if any(step["call"] == method for step in example["steps"])
        ]

    def contexts(self, module: ModuleView) -> Callable[[Stub], StubContext]:
        """The ``contexts`` callable of ``fill_file`` for ``module``'s implementation file."""
        brief = module_brief(self.view, module)

        def context(stub: Stub) -> StubContext:
            return stub_context(self, module, stub, brief)

        return context


def load_project(
    specs: Path, out: Path, impl_root: Path, templates: Path | None = None
) -> FillProject:
    """Validate, check that ``out`` is generated and current, and describe the project."""
    from ..pipeline import Options, check
    from ..validate import validate_specs

    result = validate_specs(specs)
    if not result.ok or result.spec is None:
        raise SpecloomError(
            f"the specs in {display_path(specs)} have errors; fix them, then run "
            "`specloom generate`",
            result.errors,
        )
    again = f"run `specloom generate {display_path(specs)}` first"
    if not (out / MANIFEST).is_file():
        raise SpecloomError(f"nothing is generated in {display_path(out)} yet; {again}")
    outcome = check(Options(specs=specs, out=out, impl_root=impl_root, templates=templates))
    changes = outcome.changes.changes if outcome.changes else []
    if changes:
        raise SpecloomError(
            f"{display_path(out)} is out of date or edited ({len(changes)} file(s)); {again}"
        )
    if outcome.extra:
        raise SpecloomError(
            f"{display_path(out)} holds {len(outcome.extra)} file(s) specloom did not write "
            f"({', '.join(outcome.extra[:3])}); remove them or run `specloom generate --force`"
        )
    spec = result.spec
    return FillProject(
        specs=specs,
        out=out,
        root=specs.resolve().parent,
        impl_root=impl_root,
        view=build_view(spec, served_versions(spec)),
        types={t.name: t.schema for t in spec.types},
    )


def stub_context(project: FillProject, module: ModuleView, stub: Stub, brief: str) -> StubContext:
    """The context of one stub (``impl_source`` is left empty: the engine fills it in)."""
    found = project.method(module, stub.name)
    docstring = stub.docstring or ""
    if found is None:  # a hand-added stub no contract declares
        return StubContext(
            module=module.name,
            contract="(no contract declares this method)",
            method=stub.name,
            signature=stub.header,
            docstring=docstring,
            brief=brief,
        )
    contract, method = found
    if not docstring:
        docstring = method.summary
    if method.description and method.description not in docstring:
        docstring = f"{docstring}\n\n{method.description}".strip()
    summaries = {e.name: e.summary for e in contract.errors}
    where = f"{project.view.package}.contracts.{contract.slug}"
    errors = {
        name: f"{summaries.get(name, '')} (import: from {where} import {name})".strip()
        for name in method.errors
    }
    params = {
        "type": "object",
        "properties": {
            name: inline_types(s, project.types) for name, s in method.params_schema.items()
        },
        "required": [p.name for p in method.params if p.required],
    }
    returns = (
        inline_types(method.returns_schema, project.types)
        if method.returns_schema is not None
        else {"type": "null"}
    )
    return StubContext(
        module=module.name,
        contract=contract.key,
        method=stub.name,
        signature=stub.header,
        docstring=docstring,
        params_schema=params,
        returns_schema=returns,
        errors=errors,
        examples=tuple(example_data(e) for _, e in project.examples_calling(module, stub.name)),
        brief=brief,
    )


def implemented(module: ModuleView) -> tuple[ContractView, ...]:
    """The contract versions the implementation class itself implements: all provided ones,
    unless the view says older versions are served by adapters (``implements``)."""
    return getattr(module, "implements", ()) or module.provides


def example_data(example: Mapping[str, Any]) -> dict[str, Any]:
    """An example as the spec states it (without the mock's synthesized defaults)."""
    steps = []
    for step in example["steps"]:
        data = {k: step[k] for k in _STEP_KEYS if k in step}
        if data.get("match") == "exact":
            del data["match"]
        steps.append(data)
    return {"name": example["name"], "steps": steps}


def inline_types(
    schema: Any, types: Mapping[str, Mapping[str, Any]], seen: tuple[str, ...] = ()
) -> Any:
    """``schema`` with ``{"$ref": "#/types/Name"}`` replaced by the type's schema, titled with
    its name (a type already being inlined stays a ``$ref``: recursion)."""
    if isinstance(schema, list):
        return [inline_types(item, types, seen) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    ref = schema.get("$ref")
    match = _TYPE_REF.match(ref) if isinstance(ref, str) else None
    if match and match.group(1) in types and match.group(1) not in seen:
        name = match.group(1)
        body = inline_types(types[name], types, (*seen, name))
        rest = {k: inline_types(v, types, seen) for k, v in schema.items() if k != "$ref"}
        return {"title": name, **body, **rest}
    return {k: inline_types(v, types, seen) for k, v in schema.items()}


def module_brief(view: SystemView, module: ModuleView) -> str:
    """The module brief plus what an implementation may use: dependencies and settings."""
    parts = [f"{module.title}: {module.brief.strip() or module.scope}".strip()]
    if module.scope and module.scope not in parts[0]:
        parts.append(f"Scope: {module.scope}")
    if module.consumes:
        lines = [
            "Dependencies: call them only through these clients (async; pass arguments by "
            "keyword; results are JSON values):"
        ]
        for dep in module.consumes:
            c = dep.contract
            where = f"{view.package}.contracts.{c.slug}"
            lines.append(f"- self.deps.{dep.attr}: {c.key}, provided by module {dep.provider}")
            for m in c.methods:
                params = ", ".join(
                    f"{p.name}: {p.hint}" + ("" if p.required else f" = {p.default_repr}")
                    for p in m.params
                )
                line = f"    await self.deps.{dep.attr}.{m.name}({params}) -> {m.result_hint}"
                line += f"  # {m.summary.rstrip('.')}"
                if m.errors:
                    names = ", ".join(m.errors)
                    line += f"; raises {names} (from {where} import {names})"
                lines.append(line)
        parts.append("\n".join(lines))
    if module.config:
        lines = ["Settings (self.config):"]
        for f in module.config:
            default = "" if f.required else f" = {f.default_repr}"
            text = f"- self.config.{f.name}: {plain_hint(f.hint)}{default}"
            lines.append(text + (f"  # {f.description}" if f.description else ""))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
