"""The Jinja2 environment: strict, layered (user templates over built-in), with safe filters.

Templates only assemble strings; every value they place in Python code goes through a filter that
makes it a literal (``pyrepr``, ``docstring``) or was validated as an identifier beforehand.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ..errors import SpecloomError
from .literals import docstring, md_cell, md_text, pyrepr


def builtin_templates() -> Path:
    """The templates/ folder shipped with specloom (repo checkout or installed package)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "code").is_dir():
            return candidate
    raise SpecloomError(f"built-in templates not found next to {here}")


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
    )
    env.filters.update(
        pyrepr=pyrepr,
        docstring=docstring,
        md=md_text,
        md_cell=md_cell,
        tojson_sorted=lambda v: json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False),
    )
    return env


def render_one(template: str, user_dir: str | None = None, **context: Any) -> str:
    try:
        return environment(user_dir).get_template(template).render(**context)
    except jinja2.TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or template}:{getattr(exc, 'lineno', '?')}"
        raise SpecloomError(f"template {where}: {exc.message or exc}") from exc
