"""Build step: the built-in templates compiled to Python modules, shipped in the package.

    python -m generator.render.precompile        (``make templates``)

writes ``generator/render/precompiled/``: one module per template (Jinja2's own compiled code,
as ``Environment.compile_templates`` makes it) and an ``__init__.py`` recording the sha256 of
each template's source and the Jinja2 version and options they were compiled with. The loader
(``environment.BuiltinLoader``) uses a module only when all of these match, so an edited
template or another Jinja2 is compiled from its source as before: a stale module is never used,
only slower. ``tests/generate/test_gen_precompiled.py`` fails while the folder is not what this
step writes: run it after editing a template.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import jinja2

from .environment import PRECOMPILED, builtin_templates, compile_stamp, module_name, new_environment

FOLDER = Path(__file__).resolve().parent / "precompiled"


def template_names(root: Path) -> list[str]:
    """Every built-in template specloom renders (not ``project/``: copier's, for ``init``)."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.jinja")
        if p.relative_to(root).parts[0] != "project"
    )


def compiled_files(root: Path | None = None) -> dict[str, str]:
    """File name (in ``precompiled/``) -> text, for the templates under ``root``."""
    from .deploy import to_yaml
    from .project import render_model

    root = root or builtin_templates()
    env = new_environment(jinja2.FileSystemLoader(str(root)))
    # The filters registered where they are used: compiled code depends on how each is called.
    env.filters.setdefault("render_model", render_model)
    env.filters.setdefault("to_yaml", to_yaml)
    files: dict[str, str] = {}
    digests: dict[str, str] = {}
    for name in template_names(root):
        source = (root / name).read_text("utf-8")
        module = f"{module_name(name)}.py"
        if module in files:
            raise SystemExit(f"two templates compile to the same module {module}")
        files[module] = env.compile(source, name, None, raw=True, defer_init=True) + "\n"
        digests[name] = hashlib.sha256(source.encode("utf-8")).hexdigest()
    lines = [
        '"""The built-in templates, compiled: ``python -m generator.render.precompile`` writes',
        "this folder (do not edit). A module is used only for a template whose source has the",
        "recorded sha256, compiled by the same Jinja2 with the same options (STAMP); any other",
        'template is compiled from its source."""',
        "",
        f"STAMP = {compile_stamp()!r}",
        "SOURCES = {",
        *(f"    {name!r}: {digest!r}," for name, digest in digests.items()),
        "}",
        "",
    ]
    files["__init__.py"] = "\n".join(lines)
    return files


def on_disk(folder: Path = FOLDER) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.py"))}


def main() -> None:
    files = compiled_files()
    FOLDER.mkdir(exist_ok=True)
    for stale in set(on_disk()) - set(files):
        (FOLDER / stale).unlink()
    changed = 0
    for name, text in files.items():
        path = FOLDER / name
        if not path.is_file() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            changed += 1
    print(f"{PRECOMPILED}: {len(files) - 1} templates, {changed} file(s) written", file=sys.stderr)


if __name__ == "__main__":
    main()
