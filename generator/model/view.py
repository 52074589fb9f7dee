"""The render view: everything templates need, computed here so templates hold only layout.

``build_view(spec)`` derives class names, type hints, defaults, synthesized mock answers and the
wiring of modules from a validated :class:`SpecSet`. The view is immutable and deterministic.
"""

from __future__ import annotations

import ast
import functools
import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..errors import Diagnostic, SpecloomError
from ..names import contract_class, contract_slug, env_var, pascal
from .imports import Import, all_sorted, import_block, names_in
from .literal import pyrepr
from .plan import Plan, build_plan
from .shadowing import qualify
from .spec import MISSING, TYPE_REF, Contract, Method, Module, SpecSet
from .synth import SynthError, synthesize
from .typehints import Field as ModelField
from .typehints import InlineModel, SchemaError, to_annotation
from .versions import Served, accessor_name, legacy_base


@dataclass(frozen=True)
class ParamView:
    name: str
    hint: str
    required: bool
    default_repr: str
    description: str
    # The default is a list, dict or model instance: interface signatures hand it out fresh per
    # call (specloom_runtime.defaults), scaffold stubs take None and apply it inside.
    mutable: bool = False
    fresh_repr: str = ""  # the mutable default as ``_defaults.fresh(...)`` source


@dataclass(frozen=True)
class MethodView:
    name: str
    summary: str
    description: str
    params: tuple[ParamView, ...]
    keyword_only: bool
    params_model: str
    result_hint: str  # for signatures (plain)
    result_type: str  # for validation (with constraints)
    returns_none: bool
    errors: tuple[str, ...]
    default_result: Any
    params_schema: Mapping[str, Any]
    returns_schema: Mapping[str, Any] | None
    deprecated: str


@dataclass(frozen=True)
class ErrorView:
    name: str
    summary: str


@dataclass(frozen=True)
class ContractView:
    name: str
    version: int
    key: str
    slug: str
    cls: str
    const: str
    client: str
    mock: str
    description: str
    deprecated: str
    methods: tuple[MethodView, ...]
    errors: tuple[ErrorView, ...]
    events: tuple[tuple[str, str], ...]
    models: tuple[InlineModel, ...]
    imports: tuple[tuple[str, str], ...]
    type_imports: tuple[str, ...]
    examples: tuple[Mapping[str, Any], ...]
    provider: str  # module name
    provider_agent: str
    file: str  # spec file, for headers
    event_adapters: tuple[tuple[str, str], ...] = ()  # (event, TypeAdapter expression)
    # The import blocks of its files (only what each uses, sorted as ruff sorts), and the
    # contract module's __all__ (sorted).
    contract_imports: str = ""
    mock_imports: str = ""
    exports: tuple[str, ...] = ()


@dataclass(frozen=True)
class DepView:
    attr: str
    contract: ContractView
    provider: str
    provider_agent: str


@dataclass(frozen=True)
class ConfigField:
    name: str
    hint: str  # with constraints, for the config model
    plain_hint: str  # without, for docs
    default_repr: str
    required: bool
    env: str
    description: str
    text: bool  # a string setting: its environment variable is read as plain text
    env_default: str  # the default as written in an env file ("" when required)


@dataclass(frozen=True)
class ModuleView:
    name: str
    number: int
    folder: str  # docs folder, e.g. 02-database
    agent: str
    title: str
    scope: str
    outputs: str
    phase: int | None
    wave: int
    impl_class: str
    base: str
    deps_cls: str
    config_cls: str
    provides: tuple[ContractView, ...]
    consumes: tuple[DepView, ...]
    dependents: tuple[str, ...]
    config: tuple[ConfigField, ...]
    config_imports: tuple[tuple[str, str], ...]
    config_models: tuple[InlineModel, ...]
    config_type_imports: tuple[str, ...]  # shared types the settings use
    brief: str
    guide: str
    testing_criteria: tuple[str, ...]
    notes: tuple[str, ...]
    file: str
    # several major versions of one contract (see generator.model.versions)
    implements: tuple[ContractView, ...] = ()  # the newest provided version of each contract
    serves: tuple[ServeView, ...] = ()  # per provided version: what serves it
    legacy: tuple[LegacyView, ...] = ()
    events: tuple[tuple[str, str], ...] = ()  # (event, contract constant) of implemented ones
    subscribes: tuple[str, ...] = ()  # topics of consumed contracts' events
    module_imports: str = ""  # import block of modules/<name>.py
    scaffold_imports: str = ""  # import block of the implementation scaffold
    exports: tuple[str, ...] = ()  # __all__ of modules/<name>.py


@dataclass(frozen=True)
class SystemView:
    name: str
    package: str
    title: str
    version: str
    description: str
    impl_package: str
    model: str
    modules: tuple[ModuleView, ...]
    contracts: tuple[ContractView, ...]
    type_names: tuple[str, ...]
    plan: Plan
    adapters: tuple[AdapterView, ...] = ()  # generated adapters/ (older versions served)
    system_imports: str = ""  # import block of system.py


# How a module serves several major versions of a contract (see generator.model.versions).


@dataclass(frozen=True)
class AdapterView:
    """Serves ``old`` by calling an implementation of ``new`` (a generated adapter class)."""

    old: ContractView
    new: ContractView
    cls: str  # KeyValueV1FromV2
    slug: str  # key_value_v1_from_v2 (the file in adapters/)
    imports: str = ""  # import block of adapters/<slug>.py


@dataclass(frozen=True)
class LegacyView:
    """An older version the module serves itself, through an object its implementation returns."""

    contract: ContractView
    new: ContractView
    base: str  # StoreKeyValueV1Base
    accessor: str  # serve_key_value_v1
    reasons: tuple[str, ...]  # why no adapter is possible


@dataclass(frozen=True)
class ServeView:
    """One provided version and what serves it."""

    contract: ContractView
    adapter: AdapterView | None = None
    legacy: LegacyView | None = None

    @property
    def kind(self) -> str:
        return "adapter" if self.adapter else "legacy" if self.legacy else "impl"


@dataclass(frozen=True)
class ModuleVersions:
    implements: tuple[ContractView, ...]
    serves: tuple[ServeView, ...]  # aligned with the module's provides
    legacy: tuple[LegacyView, ...]
    adapters: tuple[AdapterView, ...]


def module_versions(
    served: Sequence[Served],
    module: Module,
    contracts: Mapping[str, ContractView],
    first_party: Collection[str] = (),
) -> ModuleVersions:
    """Which provided versions the module implements, and how the older ones are served."""
    older = {}
    names = [ref.name for ref in module.provides]
    if len(set(names)) < len(names):  # only a module providing two versions serves an older one
        older = {s.old.key: s for s in served if s.module == module.name}
    implements, serves, legacy, adapters = [], [], [], []
    for ref in module.provides:
        cv = contracts[ref.key]
        s = older.get(ref.key)
        if s is None:
            implements.append(cv)
            serves.append(ServeView(cv))
            continue
        new = contracts[s.new.key]
        if s.adaptable:
            a = AdapterView(
                cv, new, f"{cv.cls}From{new.cls[len(new.name) :]}", f"{cv.slug}_from_v{new.version}"
            )
            a = replace(a, imports=_adapter_imports(a, first_party))
            adapters.append(a)
            serves.append(ServeView(cv, adapter=a))
        else:
            lv = LegacyView(
                cv,
                new,
                legacy_base(module.name, cv.name, cv.version),
                accessor_name(cv.name, cv.version),
                tuple(s.reasons()),
            )
            legacy.append(lv)
            serves.append(ServeView(cv, legacy=lv))
    return ModuleVersions(tuple(implements), tuple(serves), tuple(legacy), tuple(adapters))


# --- import blocks: the names each generated file looks up, resolved to their modules -------

_KNOWN: dict[str, Import] = {
    **{n: ("typing", n, None) for n in ("Annotated", "Any", "ClassVar", "Literal")},
    **{n: ("pydantic", n, None) for n in ("BaseModel", "ConfigDict", "Field", "TypeAdapter")},
    "_builtins": ("builtins", None, "_builtins"),
}
_FUTURE: Import = ("__future__", "annotations", None)


def _table(
    pairs: Iterable[tuple[str, str]], types: Iterable[str], types_module: str
) -> dict[str, Import]:
    """Name -> its import, for the names a file's hints and defaults may use."""
    table = dict(_KNOWN)
    table.update({n: (types_module, n, None) for n in types})
    table.update({n: (module, n, None) for module, n in pairs})
    return table


def _uses(names: set[str], table: Mapping[str, Import]) -> list[Import]:
    return [table[n] for n in sorted(names) if n in table]


def _model_names(model: InlineModel) -> set[str]:
    """The names the source of an inline model looks up (``typehints.render_model``)."""
    names = {"BaseModel", "ConfigDict"}
    if model.extra_hint is not None:
        names |= {"Field"} | names_in(model.extra_hint)
    for fld in model.fields:
        names |= names_in(fld.hint)
        if fld.default_repr is not None:
            names |= names_in(fld.default_repr)
        if fld.alias is not None or fld.description:
            names.add("Field")
    return names


def _signature_names(m: MethodView) -> set[str]:
    names = set(names_in(m.result_hint))
    for p in m.params:
        names |= names_in(p.hint)
        if not p.required:
            names |= names_in(p.default_repr)
    return names


def _contract_imports(
    c: ContractView, pairs: Iterable[tuple[str, str]], types: Iterable[str], first: set[str]
) -> tuple[str, str]:
    """The import blocks of contracts/<slug>.py and mocks/<slug>.py (the templates' own names
    here, the hints' and defaults' from the view)."""
    names: set[str] = set()
    for mdl in c.models:
        names |= _model_names(mdl)
    for m in c.methods:
        names |= names_in(m.result_type) | _signature_names(m)
    for _, adapter in c.event_adapters:
        names |= names_in(adapter)
    rt = "specloom_runtime"
    contract: list[Import] = [_FUTURE, ("abc", "ABC", None), (rt, "Client", None)]
    contract += [(rt, "ContractSpec", None)]
    mock: list[Import] = [_FUTURE, ("typing", "Any", None), ("typing", "ClassVar", None)]
    mock += [(rt, "ContractSpec", None), (rt, "Mock", None)]
    mock += [(f"..contracts.{c.slug}", c.const, None), (f"..contracts.{c.slug}", c.cls, None)]
    if c.methods:
        contract += [("abc", None, "_abc"), ("pydantic", "TypeAdapter", None)]
        contract += [(rt, "MethodSpec", None), (f"{rt}.methods", "Remote", None)]
        mock.append((f"{rt}.methods", "Answer", None))
    if c.errors:
        contract.append((rt, "DeclaredError", None))
    if any(p.mutable for m in c.methods for p in m.params):
        contract.append((f"{rt}.defaults", None, "_defaults"))
    contract += _uses(names, _table(pairs, types, "..types"))
    return import_block(contract, first), import_block(mock, first)


def _adapter_imports(a: AdapterView, first: Collection[str]) -> str:
    imports: list[Import] = [_FUTURE, ("typing", "ClassVar", None)]
    imports += [("specloom_runtime", "ContractSpec", None), (".", "Adapter", None)]
    for c in (a.old, a.new):
        imports += [
            (f"..contracts.{c.slug}", c.const, None),
            (f"..contracts.{c.slug}", c.cls, None),
        ]
    if a.old.methods:
        imports.append(("specloom_runtime.methods", "Forward", None))
    return import_block(imports, first)


def _fail(origin_at: tuple[str, int, int], code: str, msg: str) -> SpecloomError:
    return SpecloomError("cannot build the model", [Diagnostic(*origin_at, code, msg)])


class _Builder:
    def __init__(self, spec: SpecSet, served: Sequence[Served]) -> None:
        self.spec = spec
        self.served = served
        self.types = {t.name: t.schema for t in spec.types}
        self.formats_module = "specloom_runtime.formats"
        self.samples: dict[str, dict[str, list[Any]]] = {}  # per contract (model.plausible)
        system = spec.system
        self.package = system.package if system is not None else ""
        self.first = {self.package, system.impl_package} if system is not None else set()

    def resolve(self, name: str) -> Mapping[str, Any]:
        return self.types[name]

    def annotation(self, schema: Mapping[str, Any], name_hint: str, used: set[str], at: Any) -> Any:
        def ref(name: str) -> str:
            used.add(name)
            return name

        try:
            return to_annotation(
                schema, name_hint=name_hint, ref_to_hint=ref, formats_module=self.formats_module
            )
        except SchemaError as exc:
            raise _fail(at, "E_SCHEMA_UNSUPPORTED", str(exc)) from exc

    def synth(
        self, schema: Mapping[str, Any], seed: str, at: Any, c: Contract | None = None
    ) -> Any:
        resolve: Callable[[str], Mapping[str, Any]] = self.resolve
        if c is not None:  # plausible first candidates (generator.model.plausible)
            from .plausible import offer, offering, samples_of

            samples = self.samples.get(c.key)
            if samples is None:
                values = [v for ex in c.examples for s in ex.steps for v in (s.args, s.returns)]
                samples = self.samples[c.key] = samples_of(v for v in values if v is not MISSING)
            schema, resolve = offer(schema, samples), offering(self.resolve, samples)
        try:
            return synthesize(schema, resolve_ref=resolve, seed=seed, checked=True)
        except SynthError as exc:
            raise _fail(at, "E_SCHEMA_UNSATISFIABLE", str(exc)) from exc

    def method(
        self,
        c: Contract,
        m: Method,
        imports: set[tuple[str, str]],
        models: list[InlineModel],
        used: set[str],
    ) -> MethodView:
        params = []
        fields = []
        model_name = pascal(m.name) + "Params"
        # Class bodies: the params model's fields are the parameters; the contract's classes
        # (interface, client, mock, adapters) have the methods (see shadowing.py).
        in_model = {p.name for p in m.params}
        in_class = {other.name for other in c.methods}
        for p in m.params:
            expr = self.annotation(p.schema, model_name + pascal(p.name), used, p.origin.at())
            imports.update(expr.imports)
            models.extend(expr.models)
            known = set(self.types) | {mdl.name for mdl in expr.models}
            default = "" if p.required else _default_repr(p.default, expr.hint, known)
            mutable = not p.required and isinstance(p.default, (list, dict))
            params.append(
                ParamView(
                    p.name,
                    qualify(plain_hint(expr.hint), in_class),
                    p.required,
                    default,
                    p.schema.get("description", ""),
                    mutable,
                    _fresh_repr(p.default, expr.hint, known) if mutable else "",
                )
            )
            hint = qualify(expr.hint, in_model)
            fields.append(ModelField(p.name, hint, p.required, default or None, None, None))
        models.append(InlineModel(model_name, tuple(fields), "forbid", None))
        if m.returns is None:
            result_hint, default_result = "None", None
            result_type = "None"
        else:
            expr = self.annotation(
                m.returns, pascal(m.name) + "Result", used, m.origin.at("returns")
            )
            imports.update(expr.imports)
            models.extend(expr.models)
            result_type = expr.hint
            result_hint = qualify(plain_hint(expr.hint), in_class)
            default_result = self.synth(m.returns, f"{c.key}.{m.name}", m.origin.at("returns"), c)
        seen_default = False
        keyword_only = False
        for pv in params:
            if not pv.required:
                seen_default = True
            elif seen_default:
                keyword_only = True
        return MethodView(
            name=m.name,
            summary=m.summary,
            description=m.description,
            params=tuple(params),
            keyword_only=keyword_only,
            params_model=model_name,
            result_hint=result_hint,
            result_type=result_type,
            returns_none=m.returns is None,
            errors=m.errors,
            default_result=default_result,
            params_schema={p.name: p.schema for p in m.params},
            returns_schema=m.returns,
            deprecated=m.deprecated,
        )

    def examples(self, c: Contract) -> tuple[Mapping[str, Any], ...]:
        out = []
        for i, ex in enumerate(c.examples):
            steps = []
            for j, s in enumerate(ex.steps):
                m = c.method(s.call)
                step: dict[str, Any] = {"call": s.call, "with": dict(s.args)}
                if s.bind:
                    step["bind"] = s.bind
                if s.raises:
                    step["raises"] = s.raises
                if s.returns is not MISSING:
                    step["returns"] = s.returns
                    step["match"] = s.match
                if m is not None and m.returns is not None and not s.raises:
                    # The mock's answer where the example leaves the value open (bind only)
                    # or partial (match: subset): deterministic, valid against the schema.
                    step["default"] = self.synth(m.returns, f"{c.key}/{i}/{j}", s.origin.at(), c)
                steps.append(step)
            out.append({"name": ex.name, "steps": steps})
        return tuple(out)

    def contract(self, c: Contract) -> ContractView:
        imports: set[tuple[str, str]] = set()
        models: list[InlineModel] = []
        used: set[str] = set()
        methods = tuple(self.method(c, m, imports, models, used) for m in c.methods)
        event_types = []
        for e in c.events:
            if e.payload is not None:
                expr = self.annotation(e.payload, pascal(e.name) + "Event", used, e.origin.at())
                imports.update(expr.imports)
                models.extend(expr.models)
                adapter = f"TypeAdapter({expr.hint})"
                event_types.append((e.name, adapter))
        providers = self.spec.providers(c.key)
        provider = providers[0] if providers else None
        cv = ContractView(
            name=c.name,
            version=c.version,
            key=c.key,
            slug=contract_slug(c.name, c.version),
            cls=contract_class(c.name, c.version),
            const=contract_slug(c.name, c.version).upper(),
            client=contract_class(c.name, c.version) + "Client",
            mock=contract_class(c.name, c.version) + "Mock",
            description=c.description,
            deprecated=c.deprecated,
            methods=methods,
            errors=tuple(ErrorView(e.name, e.summary) for e in c.errors),
            events=tuple((e.name, e.summary) for e in c.events),
            event_adapters=tuple(event_types),
            models=_dedupe(models),
            imports=tuple(sorted(imports)),
            type_imports=tuple(sorted(used)),
            examples=self.examples(c),
            provider=provider.name if provider else "",
            provider_agent=provider.agent if provider else "",
            file=c.origin.doc.source,
        )
        contract_imports, mock_imports = _contract_imports(cv, imports, used, self.first)
        exports = all_sorted([cv.cls, cv.client, cv.const, *(e.name for e in cv.errors)])
        return replace(
            cv, contract_imports=contract_imports, mock_imports=mock_imports, exports=exports
        )

    def module(
        self, m: Module, contracts: dict[str, ContractView], plan: Plan, package: str
    ) -> ModuleView:
        mp = next(p for p in plan.modules if p.name == m.name)
        deps = []
        for ref in m.consumes:
            cv = contracts[ref.key]
            deps.append(
                DepView(
                    contract_slug(ref.name, ref.version)[: -len(f"_v{ref.version}")],
                    cv,
                    cv.provider,
                    cv.provider_agent,
                )
            )
        cfg = []
        cfg_imports: set[tuple[str, str]] = set()
        cfg_models: list[InlineModel] = []
        required = set(m.config.get("required", []))
        used: set[str] = set()
        settings = set(m.config.get("properties") or {})  # fields of the config class body
        for name, schema in (m.config.get("properties") or {}).items():
            expr = self.annotation(
                schema,
                pascal(m.name) + "Config" + pascal(name),
                used,
                m.origin.at("config", "properties", name),
            )
            cfg_imports.update(expr.imports)
            cfg_models.extend(expr.models)
            has_default = "default" in schema
            text = schema.get("type") == "string"
            known = set(self.types) | {mdl.name for mdl in expr.models}
            cfg.append(
                ConfigField(
                    name=name,
                    hint=qualify(expr.hint, settings),
                    plain_hint=plain_hint(expr.hint),
                    default_repr=(
                        _default_repr(schema["default"], expr.hint, known) if has_default else ""
                    ),
                    required=name in required or not has_default,
                    env=env_var(package, m.name, name),
                    description=schema.get("description", ""),
                    text=text,
                    env_default=_env_text(schema["default"], text) if has_default else "",
                )
            )
        versions = module_versions(self.served, m, contracts, self.first)
        mv = ModuleView(
            name=m.name,
            number=m.number,
            folder=f"{m.number:02d}-{m.name.replace('_', '-')}",
            agent=m.agent,
            title=m.title,
            scope=m.scope,
            outputs=m.outputs,
            phase=m.phase,
            wave=mp.wave,
            impl_class=pascal(m.name) + "Impl",
            base=pascal(m.name) + "Base",
            deps_cls=pascal(m.name) + "Deps",
            config_cls=pascal(m.name) + "Config",
            provides=tuple(contracts[r.key] for r in m.provides),
            consumes=tuple(deps),
            dependents=mp.dependents,
            config=tuple(cfg),
            config_imports=tuple(sorted(cfg_imports)),
            config_models=_dedupe(cfg_models),
            config_type_imports=tuple(sorted(used)),
            brief=m.brief,
            guide=m.guide,
            testing_criteria=m.testing_criteria,
            notes=m.notes,
            file=m.origin.doc.source,
            implements=versions.implements,
            serves=versions.serves,
            legacy=versions.legacy,
            events=tuple((name, c.const) for c in versions.implements for name, _ in c.events),
            subscribes=tuple(
                f"{d.contract.key}.{name}" for d in deps for name, _ in d.contract.events
            ),
        )
        module_imports = self.module_imports(mv, cfg_imports, used)
        exports = all_sorted([mv.base, mv.config_cls, mv.deps_cls, *(lv.base for lv in mv.legacy)])
        return replace(
            mv,
            module_imports=module_imports,
            scaffold_imports=self.scaffold_imports(mv),
            exports=exports,
        )

    def module_imports(
        self, m: ModuleView, pairs: Iterable[tuple[str, str]], types: Iterable[str]
    ) -> str:
        """The import block of modules/<name>.py."""
        names: set[str] = set()
        for f in m.config:
            names |= names_in(f.hint) | (names_in(f.default_repr) if f.default_repr else set())
        for mdl in m.config_models:
            names |= _model_names(mdl)
        rt = "specloom_runtime"
        imports: list[Import] = [
            _FUTURE,
            ("abc", "ABC", None),
            ("collections.abc", "Mapping", None),
        ]
        imports += [("dataclasses", "dataclass", None), ("typing", "ClassVar", None)]
        imports += [(rt, "ContractSpec", None), (rt, "ModuleRuntime", None)]
        imports += [(f"{rt}.config", "Settings", None), ("pydantic", "BaseModel", None)]
        if m.legacy:
            imports.append((rt, "stub", None))
        for s in m.serves:
            imports.append((f"..contracts.{s.contract.slug}", s.contract.const, None))
            if s.kind != "adapter":
                imports.append((f"..contracts.{s.contract.slug}", s.contract.cls, None))
        for d in m.consumes:
            imports.append((f"..contracts.{d.contract.slug}", d.contract.cls, None))
        imports += _uses(names, _table(pairs, types, "..types"))
        return import_block(imports, self.first)

    def scaffold_imports(self, m: ModuleView) -> str:
        """The import block of the implementation scaffold (its stubs' signatures)."""
        pkg = self.package
        names: set[str] = set()
        table = _table((), self.types, f"{pkg}.types")
        for c in m.implements:
            table.update(
                {mdl.name: (f"{pkg}.contracts.{c.slug}", mdl.name, None) for mdl in c.models}
            )
            for meth in c.methods:
                names |= _signature_names(meth)
        imports: list[Import] = [_FUTURE, (f"{pkg}.modules.{m.name}", m.base, None)]
        if any(c.methods for c in m.implements):
            imports.append(("specloom_runtime", "stub", None))
        return import_block(imports + _uses(names, table), self.first)


class _StripAnnotated(ast.NodeTransformer):
    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "Annotated":
            inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
            return self.visit(inner)
        self.generic_visit(node)
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        # A checked-format string (formats.Fmt_*) is a str to whoever reads the signature.
        return ast.Name("str", node.ctx) if node.id.startswith("Fmt_") else node


@functools.lru_cache(maxsize=4096)  # a few distinct hints, asked for thousands of times
def plain_hint(hint: str) -> str:
    """The hint without ``Annotated[...]`` constraints, for signatures people read.

    Constraints stay in the params models and result adapters, which do the validating.
    """
    tree = ast.parse(hint, mode="eval")
    return ast.unparse(_StripAnnotated().visit(tree))


def _default_repr(value: Any, hint: str, models: set[str]) -> str:
    """A default as Python source of the annotated type: an object default of a model-typed
    parameter becomes ``Model.model_validate({...})``, so signatures type-check."""
    model = _default_model(value, hint, models)
    return f"{model}.model_validate({pyrepr(value)})" if model else pyrepr(value)


def _fresh_repr(value: Any, hint: str, models: set[str]) -> str:
    """A list, dict or model default as ``_defaults.fresh(...)`` source: a new copy (a new
    ``Model.model_validate(...)``) per call, no call in the signature but the marker's."""
    model = _default_model(value, hint, models)
    return f"_defaults.fresh({pyrepr(value)}" + (f", {model})" if model else ")")


def _default_model(value: Any, hint: str, models: set[str]) -> str | None:
    """The model class of an object default of a model-typed parameter, else None."""
    if isinstance(value, dict):
        node = ast.parse(plain_hint(hint), mode="eval").body
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            is_none = isinstance(node.right, ast.Constant) and node.right.value is None
            node = node.left if is_none else node
            if not is_none:
                break
        if isinstance(node, ast.Name) and node.id in models:
            return node.id
    return None


def _env_text(value: Any, text: bool) -> str:
    """A default as the value of its environment variable, read back by the generated
    ``from_env``: plain text for a string setting, JSON otherwise (and for strings plain text
    cannot carry, such as ones with newlines or surrounding spaces)."""
    if text and isinstance(value, str):
        plain = value.isprintable() and value == value.strip() and not value.startswith('"')
        if plain and value:
            return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _dedupe(models: list[InlineModel]) -> tuple[InlineModel, ...]:
    seen: dict[str, InlineModel] = {}
    for mdl in models:
        seen.setdefault(mdl.name, mdl)
    return tuple(seen.values())


def build_view(spec: SpecSet, served: Sequence[Served]) -> SystemView:
    """The complete render view of a validated spec set.

    ``served``: each older contract version a module provides and whether an adapter can serve
    it (``generator.diff.adapters.served_versions(spec)``, computed by the caller)."""
    if spec.system is None:
        raise SpecloomError("the spec set has no system.yaml")
    b = _Builder(spec, served)
    plan = build_plan(spec)
    contracts = {c.key: b.contract(c) for c in spec.contracts}
    provided = {r.key for m in spec.modules for r in m.provides}
    modules = tuple(b.module(m, contracts, plan, spec.system.package) for m in spec.modules)
    view = SystemView(
        name=spec.system.name,
        package=spec.system.package,
        title=spec.system.title,
        version=spec.system.version,
        description=spec.system.description,
        impl_package=spec.system.impl_package,
        model=str(spec.system.llm.get("model", "")),
        modules=modules,
        contracts=tuple(c for k, c in contracts.items() if k in provided),
        type_names=tuple(t.name for t in spec.types),
        plan=plan,
        adapters=tuple(s.adapter for m in modules for s in m.serves if s.adapter is not None),
    )
    return replace(view, system_imports=_system_imports(view, b.first))


def _system_imports(view: SystemView, first: Collection[str]) -> str:
    rt = "specloom_runtime"
    imports: list[Import] = [_FUTURE, (rt, "Client", None), (rt, "ModuleDef", None)]
    if any(m.consumes for m in view.modules):
        imports.append((rt, "Dependency", None))
    if any(m.legacy for m in view.modules):
        imports.append(("operator", "methodcaller", None))
    for c in view.contracts:
        imports += [
            (f".contracts.{c.slug}", c.const, None),
            (f".contracts.{c.slug}", c.client, None),
        ]
        imports.append((f".mocks.{c.slug}", c.mock, None))
    for m in view.modules:
        imports += [
            (f".modules.{m.name}", m.config_cls, None),
            (f".modules.{m.name}", m.deps_cls, None),
        ]
    imports += [(f".adapters.{a.slug}", a.cls, None) for a in view.adapters]
    return import_block(imports, first)


__all__ = ["SystemView", "ModuleView", "ContractView", "MethodView", "build_view", "TYPE_REF"]
