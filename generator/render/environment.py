"""The Jinja2 environment: strict, layered (user templates over built-in), with safe filters.

Templates only assemble strings; every value they place in Python code goes through a filter that
makes it a literal (``pyrepr``, ``docstring``) or was validated as an identifier beforehand; spec
text in Markdown and config files goes through ``md*`` and ``comment`` (see ``literals``).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import json
import re
from collections.abc import Mapping, MutableMapping
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2

from ..errors import SpecloomError
from .literals import (
    comment,
    docblock,
    docstring,
    md_cell,
    md_code,
    md_line,
    md_text,
    pyrepr,
    toml,
)


def builtin_templates() -> Path:
    """The templates/ folder shipped with specloom (repo checkout or installed package)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "code").is_dir():
            return candidate
    raise SpecloomError(f"built-in templates not found next to {here}")


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (compiling all of them costs ~90 ms, loading ~5 ms).

    Entries are keyed by template name and a checksum of its source, so an edited template is
    compiled again. ``SPECLOOM_CACHE_DIR`` (or the user cache) holds them; none if not writable.
    """
    from ..cache import cache_dir

    folder = cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


# The options that shape compiled template code: the precompiled modules record them.
ENV_OPTIONS: dict[str, Any] = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "autoescape": False,
}
PRECOMPILED = "generator.render.precompiled"  # python -m generator.render.precompile


def compile_stamp() -> str:
    """What compiled code depends on besides the template: Jinja2's version and the options."""
    return f"jinja2 {jinja2.__version__}; " + ", ".join(
        f"{k}={v!r}" for k, v in sorted(ENV_OPTIONS.items())
    )


def module_name(template: str) -> str:
    """The precompiled module of a built-in template (``code/tests/conftest.py.jinja`` ->
    ``code__tests__conftest_py``)."""
    return re.sub(r"\W", "_", template.removesuffix(".jinja").replace("/", "__"))


class BuiltinLoader(jinja2.FileSystemLoader):
    """The built-in templates, each from its precompiled module (``generator/render/
    precompiled``, made by ``python -m generator.render.precompile``) when that module was
    compiled from this very source (sha256) by this Jinja2 with these options; otherwise
    compiled from the source (through the bytecode cache). Compiling costs ~190 ms per cold run;
    a precompiled module is the unmarshalling of its ``.pyc``.
    """

    def __init__(self, root: Path, sources: Mapping[str, str] | None = None) -> None:
        super().__init__(str(root))
        self.sources = _precompiled_sources() if sources is None else sources
        self.precompiled: set[str] = set()  # the templates loaded precompiled (for tests)

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        source, filename, uptodate = self.get_source(environment, name)
        code = None
        if self.sources.get(name) == hashlib.sha256(source.encode("utf-8")).hexdigest():
            code = _precompiled_code(name)
        if code is None:
            return super().load(environment, name, globals)
        self.precompiled.add(name)
        # The template's file name, as a compiled template has it: tracebacks and error
        # messages name the .jinja file and its line (see _template_line).
        code = code.replace(co_filename=filename)
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)


def _precompiled_sources() -> Mapping[str, str]:
    """Template name -> sha256 of the source each precompiled module was compiled from; empty
    when they were compiled by another Jinja2 or with other options (or are missing)."""
    try:
        index = importlib.import_module(PRECOMPILED)
    except ImportError:
        return {}
    if getattr(index, "STAMP", None) != compile_stamp():
        return {}
    sources = getattr(index, "SOURCES", None)
    return sources if isinstance(sources, dict) else {}


def _precompiled_code(name: str) -> CodeType | None:
    spec = importlib.util.find_spec(f"{PRECOMPILED}.{module_name(name)}")
    loader = spec.loader if spec is not None else None
    if not isinstance(loader, importlib.machinery.SourceFileLoader):
        return None
    try:
        return loader.get_code(loader.name)  # the .pyc when there is one
    except (ImportError, OSError, SyntaxError):
        return None


def new_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """A Jinja2 environment with specloom's options and filters (the cached one below, and the
    build of the precompiled modules)."""
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=_bytecode_cache(),
        **ENV_OPTIONS,
    )
    env.filters.update(
        pyrepr=pyrepr,
        docstring=docstring,
        docblock=docblock,
        comment=comment,
        md=md_text,
        md_line=md_line,
        md_cell=md_cell,
        md_code=md_code,
        toml=toml,
        tojson_sorted=lambda v: json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False),
    )
    return env


@cache
def environment(user_dir: str | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_dir:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(BuiltinLoader(builtin_templates()))
    return new_environment(jinja2.ChoiceLoader(loaders))


def _template_line(exc: BaseException, default: str) -> str:
    """``name:line`` of the innermost template frame of ``exc`` (Jinja rewrites tracebacks so
    template code shows as frames of the ``.jinja`` file)."""
    where = default
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".jinja"):
            where = f"{_template_name(filename)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _template_name(filename: str) -> str:
    """A built-in template by its relative name, a user template by its path."""
    path, root = Path(filename), builtin_templates()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else filename


def render_one(template: str, user_dir: str | None = None, **context: Any) -> str:
    """Render one template; any failure in it is one clean error naming the template and line."""
    try:
        return environment(user_dir).get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        name = exc.filename or exc.name or template
        raise SpecloomError(f"template {name}:{exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise SpecloomError(f"template {exc.name} not found (needed by {template})") from exc
    except Exception as exc:  # noqa: BLE001 - whatever a (user) template does, one clean line
        message = exc.message if isinstance(exc, jinja2.TemplateError) else None
        message = message or f"{type(exc).__name__}: {exc}"
        raise SpecloomError(f"template {_template_line(exc, template)}: {message}") from exc
