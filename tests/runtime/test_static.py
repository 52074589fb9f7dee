"""The runtime library is self-contained, lint-clean and strictly typed (every system imports it,
and ``--vendor-runtime`` copies it verbatim)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

RUNTIME_SRC = Path(__file__).resolve().parents[2] / "runtime" / "specloom_runtime"
BIN = Path(sys.executable).parent
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core"}
# Optional dependencies, each imported by the modules that need it only (importing the package
# never needs them; transport/discovery.py imports nats for type checking only).
OPTIONAL = {
    "transport/nats_transport.py": {"nats"},
    "transport/discovery.py": {"nats"},
    "pytest_plugin.py": {"pytest"},
    "metrics_prometheus.py": {"prometheus_client"},
}
# A subpackage that is an extra may import that extra's libraries (only it; imported lazily).
EXTRA_PACKAGES = {
    "http": {"starlette", "uvicorn", "jwt", "jsonschema", "prometheus_client", "websockets"},
}


def _sources() -> list[Path]:
    return sorted(RUNTIME_SRC.rglob("*.py"))


def test_imports_only_stdlib_pydantic_and_itself() -> None:
    for path in _sources():
        depth = len(path.relative_to(RUNTIME_SRC).parts)  # 1: specloom_runtime/x.py
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: stays inside the runtime package
                    assert node.level <= depth, f"{path.name}: import leaves specloom_runtime/"
                    continue
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            rel = path.relative_to(RUNTIME_SRC)
            allowed = ALLOWED_THIRD_PARTY | OPTIONAL.get(rel.as_posix(), set())
            if len(rel.parts) > 1:
                allowed |= EXTRA_PACKAGES.get(rel.parts[0], set())
            for root in roots:
                assert root in sys.stdlib_module_names or root in allowed, (
                    f"{path.name} imports {root}"
                )


def test_the_package_imports_without_the_optional_dependencies() -> None:
    blocker = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('nats', 'pytest'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import specloom_runtime, specloom_runtime.cli, specloom_runtime.transport\n"
        "import specloom_runtime.testing, specloom_runtime.natsserver\n"
    )
    done = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _tool(name: str) -> str:
    exe = BIN / name
    if not exe.exists():
        pytest.skip(f"{name} not installed next to the interpreter")
    return str(exe)


def test_ruff_check_and_format() -> None:
    ruff = _tool("ruff")
    files = [str(p) for p in _sources()]
    common = ["--no-force-exclude", "--line-length", "100"]
    check = subprocess.run(
        [ruff, "check", *common, "--select", "E,F,W,I,UP,B", *files],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [ruff, "format", "--check", *common, *files], capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict_including_stub_signatures(tmp_path: Path) -> None:
    mypy = _tool("mypy")
    shutil.copytree(RUNTIME_SRC, tmp_path / "specloom_runtime")
    pkg = tmp_path / "sysm"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "use.py").write_text(
        "from specloom_runtime import stub\n\n\n"
        "class Impl:\n"
        "    @stub\n"
        "    async def create(self, table: str) -> str:\n"
        "        return table\n\n\n"
        "async def good(impl: Impl) -> str:\n"
        "    return await impl.create('users')\n\n\n"
        "async def bad(impl: Impl) -> int:\n"
        "    return await impl.create(1)\n"
    )
    result = subprocess.run(
        [
            mypy,
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "-p",
            "sysm",
            "-p",
            "specloom_runtime",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    lines = [line for line in result.stdout.splitlines() if "error:" in line]
    # the stub kept its signature: exactly the two mistakes in bad() are reported
    assert all("use.py" in line for line in lines), result.stdout
    assert len(lines) == 2, result.stdout
    assert any("incompatible type" in line.lower() for line in lines), result.stdout
    assert any("return value" in line.lower() for line in lines), result.stdout
