"""The precompiled built-in templates (``generator/render/precompiled``): up to date with the
templates, used for every built-in template, never used for a template whose source differs from
the one it was compiled from, and rendering and reporting errors exactly as compiled ones do."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from generator.errors import SpecloomError
from generator.render import precompile
from generator.render.environment import (
    BuiltinLoader,
    _template_line,
    builtin_templates,
    new_environment,
    render_one,
)


def test_the_committed_modules_are_what_the_build_step_writes() -> None:
    expected = precompile.compiled_files()
    assert precompile.on_disk() == expected, (
        "generator/render/precompiled is stale: run `make templates`"
    )
    assert len(expected) - 1 == len(precompile.template_names(builtin_templates())) > 30


def test_every_builtin_template_loads_precompiled() -> None:
    loader = BuiltinLoader(builtin_templates())
    env = new_environment(loader)
    names = precompile.template_names(builtin_templates())
    for name in names:
        env.get_template(name)
    assert loader.precompiled == set(names)


def _envs(root: Path) -> tuple[jinja2.Environment, BuiltinLoader, jinja2.Environment]:
    """An environment over ``root`` using the shipped precompiled modules, and one compiling
    every template from its source."""
    loader = BuiltinLoader(root)
    return new_environment(loader), loader, new_environment(BuiltinLoader(root, sources={}))


def test_an_edited_template_is_compiled_from_its_source(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    shutil.copytree(builtin_templates(), root)
    edited, kept = "config/ruff.toml.jinja", "code/tests/test_smoke.py.jinja"
    path = root / edited
    original = path.read_text("utf-8")
    view = {"package": "pkg", "impl_package": "impl"}
    before = new_environment(BuiltinLoader(root)).get_template(edited).render(view=view)
    path.write_text(original + "# EDITED {{ 6 * 7 }}\n", "utf-8")
    pre, loader, src = _envs(root)

    after = pre.get_template(edited)
    assert edited not in loader.precompiled
    assert after.filename == str(path)
    assert after.render(view=view) == before + "# EDITED 42\n"
    assert after.render(view=view) == src.get_template(edited).render(view=view)
    pre.get_template(kept)
    assert kept in loader.precompiled  # the others still are


def test_a_precompiled_template_fails_like_a_compiled_one() -> None:
    root = builtin_templates()
    pre, loader, src = _envs(root)
    name = "code/tests/test_smoke.py.jinja"
    where = []
    for env in (pre, src):
        template = env.get_template(name)
        assert template.filename == str(root / name)
        with pytest.raises(jinja2.UndefinedError) as exc:
            template.render()
        where.append(_template_line(exc.value, "?"))
    assert name in loader.precompiled
    assert where[0] == where[1] and where[0].startswith(f"{name}:"), where
    assert int(where[0].rsplit(":", 1)[1]) > 0
    # Through the tool's own error path: one clean line naming the template and its line.
    with pytest.raises(SpecloomError) as err:
        render_one(name, None)
    assert err.value.message.startswith(f"template {where[0]}: ")
