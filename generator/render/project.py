"""Render a whole system: the view -> ``{relative path: content}`` for generated/ and scaffolds.

Paths are POSIX, relative to the output folder (``generated/``) or, for scaffolds, to the
project root. Python files are formatted with ruff in one batch.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from ..diff.adapters import served_versions
from ..interop.openapi_out import build_openapi
from ..model.graph import edges
from ..model.spec import SpecSet
from ..model.typehints import render_model
from ..model.view import SystemView, build_view
from ..parallel import map_in_two
from . import runtime_lib
from .deploy import render_deploy
from .environment import environment, render_one
from .format import format_python
from .json_text import dumps_indented
from .outputs import ScaffoldSpec
from .types_module import TypesJob
from .units import SystemFields, UnitCache


@dataclass(frozen=True)
class EdgeView:
    consumer: str
    provider: str
    contract: Any


@dataclass(frozen=True)
class Rendered:
    """What generation produces, before anything is written."""

    files: dict[str, str]  # under the output folder
    scaffolds: dict[str, ScaffoldSpec]  # under the project root (written once, then extended)
    view: SystemView
    rendered: int | None = None  # files rendered afresh, when the unit cache was used
    renderable: int = 0  # files the unit cache covers
    fresh: tuple[str, ...] = ()  # which ones were rendered afresh


def _env(user_dir: str | None) -> Any:
    env = environment(user_dir)
    env.filters.setdefault("render_model", render_model)
    return env


def render_system(
    spec: SpecSet,
    *,
    user_templates: str | None = None,
    impl_root: str = "..",
    use_cache: bool = True,
    types_job: TypesJob | None = None,
    vendor_runtime: bool = False,
    units: tuple[str, str] | None = None,
    view: SystemView | None = None,
    raw: bool = False,
) -> Rendered:
    """Render everything ``specloom generate`` writes, in memory.

    ``types_job`` may be a :class:`TypesJob` already started; the shared types are handed to it
    first and collected last, so that datamodel-code-generator runs while the rest renders.
    ``vendor_runtime``: write a copy of the runtime library (``specloom_runtime/``) beside the
    package instead of depending on the ``specloom-runtime`` distribution.
    ``units``: ``(name, salt)`` of the unit cache (see ``generator.render.units``): files whose
    inputs did not change since the last run are taken from it instead of being rendered.
    ``view``: the spec set's view when the caller has it (validation builds it), else built here.
    ``raw``: the Python files as the templates wrote them, without the ruff batch
    (what ``tests/generate/test_gen_raw_lint.py`` lints).
    """
    types_job = types_job or TypesJob()
    package = spec.system.package if spec.system is not None else "types_pkg"
    types_job.submit({t.name: t.schema for t in spec.types}, package=package, use_cache=use_cache)
    try:
        rendered = _render_all(
            spec, user_templates, impl_root, types_job, use_cache, vendor_runtime, units, view, raw
        )
    finally:
        types_job.cancel()  # after result() a no-op; on an error, no process is left behind
    if vendor_runtime:  # verbatim (already formatted and lint-clean), after the ruff batch
        rendered.files.update(runtime_lib.vendored_files())
    return rendered


def _render_all(
    spec: SpecSet,
    user_templates: str | None,
    impl_root: str,
    types_job: TypesJob,
    use_cache: bool,
    vendor_runtime: bool,
    units: tuple[str, str] | None = None,
    view: SystemView | None = None,
    raw: bool = False,
) -> Rendered:
    view = view or build_view(spec, served_versions(spec))
    _env(user_templates)
    pkg = view.package
    folders = {pkg, "tests", _SCAFFOLDS}  # the top-level folders of the Python batch
    memo = None
    if units is not None and use_cache and user_templates is None and not raw:
        memo = UnitCache(units[0], units[1], view, folders)

    def r(template: str, **ctx: Any) -> str:
        return render_one(template, user_templates, view=view, **ctx)

    files: dict[str, str] = {}
    # A built-in unit template sees only the system's own fields (what its cache key holds).
    unit_view = view if user_templates else SystemFields.of(view)

    # Unit files the cache does not answer are rendered together at the end, on two cores
    # when there are many (a cold run of a large system): see _render_units.
    pending: dict[str, tuple[str, dict[str, Any]]] = {}

    def cached(rel: str, template: str, **ctx: Any) -> str:
        """A file rendered from one contract, adapter, module or edge: cached by its inputs.
        A miss answers "" for now: its text is put in ``files`` by ``_render_units``."""
        hit = memo.lookup(rel, template, ctx) if memo is not None else None
        if hit is None:
            pending[rel] = (template, ctx)
            return ""
        return hit

    def unit(rel: str, template: str, **ctx: Any) -> None:
        files[rel] = cached(rel, template, **ctx)

    files[f"{pkg}/__init__.py"] = r("code/package/__init__.py.jinja")
    files[f"{pkg}/__main__.py"] = r("code/package/__main__.py.jinja", impl_root=impl_root)
    files[f"{pkg}/system.py"] = r("code/package/system.py.jinja")
    files[f"{pkg}/types.py"] = ""  # from types_job, below
    files[f"{pkg}/py.typed"] = ""
    # The HTTP edge's route table and schemas; the gateway serves this very document.
    files[f"{pkg}/openapi.json"] = dumps_indented(build_openapi(spec)) + "\n"
    for sub in ("contracts", "mocks", "modules"):
        files[f"{pkg}/{sub}/__init__.py"] = r(f"code/package/{sub}/__init__.py.jinja")
    for c in view.contracts:
        unit(f"{pkg}/contracts/{c.slug}.py", "code/package/contracts/contract.py.jinja", c=c)
        unit(f"{pkg}/mocks/{c.slug}.py", "code/package/mocks/mock.py.jinja", c=c)
        unit(f"tests/contract/test_{c.slug}.py", "code/tests/test_contract.py.jinja", c=c)
    if view.adapters:  # older contract versions served from the newest (generator.model.versions)
        files[f"{pkg}/adapters/__init__.py"] = r("code/package/adapters/__init__.py.jinja")
    for a in view.adapters:
        unit(f"{pkg}/adapters/{a.slug}.py", "code/package/adapters/adapter.py.jinja", a=a)
    for m in view.modules:
        unit(
            f"{pkg}/modules/{m.name}.py",
            "code/package/modules/module.py.jinja",
            m=m,
            impl_package=view.impl_package,
        )
    by_key = {c.key: c for c in view.contracts}
    for e in edges(spec):
        ev = EdgeView(e.consumer, e.provider, by_key[e.contract.key])
        unit(
            f"tests/integration/test_{e.consumer}__{e.provider}.py",
            "code/tests/test_integration.py.jinja",
            e=ev,
        )
    files["tests/conftest.py"] = r("code/tests/conftest.py.jinja", impl_root=impl_root)
    files["tests/test_smoke.py"] = r("code/tests/test_smoke.py.jinja")
    _docs(view, spec, r, unit, files)
    files["config/env.example"] = r("config/env.example.jinja")
    files.update(render_deploy(view, user_templates, r, None if user_templates else cached))
    files["ruff.toml"] = r("config/ruff.toml.jinja")
    files["pyproject.toml"] = r(
        "code/pyproject.toml.jinja",
        vendored=vendor_runtime,
        runtime_requirement=runtime_lib.requirement(),
        runtime_nats_requirement=runtime_lib.requirement("nats"),
        runtime_http_requirement=runtime_lib.requirement("http"),
    )
    # One ruff batch for the package and the scaffolds (each ruff run costs a process start);
    # the scaffolds sit in a folder of their own in it, and known-first-party is explicit. While
    # datamodel-code-generator still runs, that batch goes without types.py, which then gets a
    # batch of its own (formatted the same: format_python is told the whole batch's folders).
    # Files the unit cache answered are formatted already and stay out of the batch.
    files.update(_render_units(pending, user_templates, unit_view))
    scaffold_texts = {
        f"{_SCAFFOLDS}/{k}": v for k, v in _scaffold_texts(view, user_templates).items()
    }
    order = list(files)
    types_rel = f"{pkg}/types.py"
    if types_job.ready():
        files[types_rel] = types_job.result()
    else:
        del files[types_rel]
    reused = memo.reused if memo is not None else set()
    batch = {k: v for k, v in files.items() if k not in reused} | scaffold_texts
    if raw:  # the raw render (types.py is datamodel-code-generator's, formatted)
        return Rendered({**files, **scaffold_texts, types_rel: types_job.result()}, {}, view)
    fix = user_templates is not None  # the built-in templates' output needs no fixing
    config = files["ruff.toml"]
    formatted = format_python(batch, config, use_cache=use_cache, folders=folders, fix=fix)
    if types_rel not in formatted:
        types_py = {types_rel: types_job.result()}
        formatted |= format_python(types_py, config, use_cache=use_cache, folders=folders, fix=fix)
    scaffold_texts = {k: formatted.pop(k) for k in scaffold_texts}
    if memo is not None:
        memo.store(formatted)
    return Rendered(
        {rel: formatted[rel] if rel in formatted else files[rel] for rel in order},
        _scaffold_specs(
            view, {k[len(_SCAFFOLDS) + 1 :]: v for k, v in scaffold_texts.items()}, user_templates
        ),
        view,
        rendered=memo.rendered if memo is not None else None,
        renderable=len(memo.keys) if memo is not None else 0,
        fresh=memo.fresh if memo is not None else (),
    )


_SCAFFOLDS = "specloom-scaffolds"  # not an identifier: no package can have this name
_SPLIT_AT = 400  # unit files to render before a second process pays (a fork and the pickling)


def _render_units(
    pending: dict[str, tuple[str, dict[str, Any]]], user_templates: str | None, view: Any
) -> dict[str, str]:
    """The pending unit files rendered, ``{rel: text}``. With many, the second half renders in
    a forked child (generator.parallel), after the first file of each template was rendered
    here, so that the child starts with every template compiled."""
    jobs = list(pending.items())

    def render_job(job: tuple[str, tuple[str, dict[str, Any]]]) -> str:
        template, ctx = job[1]
        return render_one(template, user_templates, view=view, **ctx)

    firsts: dict[str, int] = {}
    for i, (_, (template, _)) in enumerate(jobs):
        firsts.setdefault(template, i)
    first = set(firsts.values())
    out = {jobs[i][0]: render_job(jobs[i]) for i in sorted(first)}
    rest = [job for i, job in enumerate(jobs) if i not in first]
    texts = map_in_two(render_job, rest, least=_SPLIT_AT)
    out.update(zip((rel for rel, _ in rest), texts, strict=True))
    return out


def _docs(view: SystemView, spec: SpecSet, r: Any, unit: Any, files: dict[str, str]) -> None:
    files["docs/README.md"] = r("docs/README.md.jinja")
    files["docs/MODULE-INTERFACES.md"] = r("docs/MODULE-INTERFACES.md.jinja")
    files["docs/MESSAGE-FORMAT.md"] = r("docs/MESSAGE-FORMAT.md.jinja")
    files["docs/PLAN.md"] = r("docs/PLAN.md.jinja", system=spec.system, plan=view.plan)
    for m in view.modules:
        for doc in ("AGENT-BRIEF", "INTERFACES", "IMPLEMENTATION-GUIDE", "TESTING-CRITERIA"):
            unit(
                f"docs/modules/{m.folder}/{doc}.md",
                f"docs/module/{doc}.md.jinja",
                m=m,
                impl_package=view.impl_package,
                package=view.package,
            )


def stub_method_source(view: SystemView, method: Any, user_templates: str | None = None) -> str:
    """Source of one ``@stub`` method, indented for the implementation class."""
    return render_one("code/scaffold/method.py.jinja", user_templates, view=view, m=method)


def render_scaffolds(
    view: SystemView, ruff_config: str, user_templates: str | None = None
) -> dict[str, ScaffoldSpec]:
    """The implementation files (``impl/<module>.py``), relative to the project root."""
    texts = format_python(
        _scaffold_texts(view, user_templates), ruff_config, fix=user_templates is not None
    )
    return _scaffold_specs(view, texts, user_templates)


def plain_scaffolds(view: SystemView, user_templates: str | None = None) -> dict[str, ScaffoldSpec]:
    """The scaffolds unformatted (no ruff run): enough to compare implementations with them."""
    return _scaffold_specs(view, _scaffold_texts(view, user_templates), user_templates)


def _scaffold_texts(view: SystemView, user_templates: str | None) -> dict[str, str]:
    """The fresh scaffolds, unformatted."""
    impl = view.impl_package
    texts = {
        f"{impl}/__init__.py": render_one(
            "code/scaffold/__init__.py.jinja", user_templates, view=view
        )
    }
    for m in view.modules:
        texts[f"{impl}/{m.name}.py"] = render_one(
            "code/scaffold/module.py.jinja",
            user_templates,
            view=view,
            m=m,
            stub_method=lambda meth: stub_method_source(view, meth, user_templates),
        )
    return texts


def _scaffold_specs(
    view: SystemView, texts: dict[str, str], user_templates: str | None
) -> dict[str, ScaffoldSpec]:
    """What each implementation file must contain, from the formatted fresh scaffolds."""
    impl = view.impl_package
    out = {
        f"{impl}/__init__.py": ScaffoldSpec(
            f"{impl}/__init__.py", texts[f"{impl}/__init__.py"], "", ()
        )
    }
    for m in view.modules:
        rel = f"{impl}/{m.name}.py"
        by_name = {meth.name: meth for c in m.implements for meth in c.methods}
        out[rel] = ScaffoldSpec(
            rel,
            texts[rel],
            m.impl_class,
            tuple(by_name),
            _stub_sources(view, by_name, _method_sources(texts[rel], m.impl_class), user_templates),
            hooks=tuple(lv.accessor for lv in m.legacy),
            contracts={
                meth.name: f"{c.key}.{meth.name}" for c in m.implements for meth in c.methods
            },
        )
    return out


def _stub_sources(
    view: SystemView,
    methods: dict[str, Any],
    formatted: dict[str, str],
    user_templates: str | None,
) -> dict[str, str]:
    """Method name -> the stub to append: as formatted in the fresh scaffold when it is there."""
    return {
        name: formatted.get(name) or stub_method_source(view, meth, user_templates)
        for name, meth in methods.items()
    }


def _method_sources(text: str, class_name: str) -> dict[str, str]:
    """The (ruff-formatted) source of each method of ``class_name`` in a fresh scaffold, with
    its decorators: what regeneration appends to an existing implementation file."""
    try:
        tree = ast.parse(text)
    except SyntaxError:  # a user template's scaffold; stubs are then rendered unformatted
        return {}
    lines = text.splitlines(keepends=True)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return {
                f.name: "".join(lines[_first_line(f) - 1 : f.end_lineno])
                for f in node.body
                if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
            }
    return {}


def _first_line(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])
