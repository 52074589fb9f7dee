"""How many rendered Python files still need ruff's fix pass (import sorting, unused imports,
``__all__`` order, needless ``pass``): the raw render of a spec folder, before formatting, checked
with the fix pass's rules and no fixes. When it reports 0 for every spec set, the ``--fix`` run in
``generator/render/format.py`` can go (and a test that the raw render passes can guard it).

    .venv/bin/python benchmarks/raw_lint.py examples/notes/specs
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import generator.render.project as project  # noqa: E402
from generator.render.format import ruff_binary  # noqa: E402
from generator.validate import validate_specs  # noqa: E402

FIX_RULES = "I,F401,RUF022,PIE790"  # what format.py's fix pass selects


def raw_python(specs: Path) -> tuple[dict[str, str], str]:
    """The Python files of a render as the templates wrote them, and the ruff config."""
    seen: dict[str, str] = {}
    config: list[str] = []
    formatter = project.format_python

    def capture(files: dict[str, str], ruff_config: str, **kw: Any) -> dict[str, str]:
        seen.update({k: v for k, v in files.items() if k.endswith(".py")})
        config.append(ruff_config)
        return formatter(files, ruff_config, **kw)

    project.format_python = capture  # type: ignore[assignment]
    try:
        result = validate_specs(specs)
        if result.spec is None or not result.ok:
            raise SystemExit(f"{specs}: the specs have errors")
        project.render_system(result.spec, use_cache=False)
    finally:
        project.format_python = formatter  # type: ignore[assignment]
    return seen, config[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", type=Path)
    args = parser.parse_args()
    files, config = raw_python(args.specs)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, "utf-8")
        (root / "ruff.toml").write_text(config, "utf-8")
        args_ = ["check", "--config", "ruff.toml", "--select", FIX_RULES, "--exit-zero"]
        out = subprocess.run(
            [ruff_binary(), *args_, "--no-cache", "--output-format", "concise", "."],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    found = [line.split(":", 3) for line in out.splitlines() if line.count(":") >= 3]
    needing = sorted({f[0] for f in found})
    codes = sorted({f[3].split()[0] for f in found})
    print(f"{len(needing)} of {len(files)} raw Python files need the fix pass; rules: {codes}")


if __name__ == "__main__":
    main()
