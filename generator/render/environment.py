"""The Jinja2 environment: strict, layered (user templates over built-in), with safe filters.

Templates only assemble strings; every value they place in Python code goes through a filter that
makes it a literal (``pyrepr``, ``docstring``) or was validated as an identifier beforehand; spec
text in Markdown and config files goes through ``md*`` and ``comment`` (see ``literals``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ..errors import SpecloomError
from .literals import comment, docblock, docstring, md_cell, md_code, md_line, md_text, pyrepr


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


@cache
def environment(user_dir: str | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_dir:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=_bytecode_cache(),
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
        tojson_sorted=lambda v: json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False),
    )
    return env


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
