"""Any name that ``validate`` accepts generates working code (issue 12 section 3).

A corpus of awkward names (every builtin, every name the generated code and the runtime use,
``typing`` and ``pydantic`` exports, keywords: see ``namecorpus.py``) is tried as parameter,
setting, method, type, error, module and contract names. A name ``validate`` refuses must be
refused with a located ``E_IDENTIFIER``; every other one goes into a few spec sets that are
generated, linted (ruff), type-checked (mypy --strict), imported and run: their generated tests
replay every example through the bus, against the mocks and the implementations.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Any

import namecorpus as nc
import pytest
import yaml
from genkit import ok, pytest_generated, run, specloom, tool, write_tree

from generator.names import PASCAL, SNAKE, identifier_problem

PARAMS = [n for n in nc.accepted("param") if identifier_problem(n, "setting") is None]
METHODS = nc.accepted("method")
TYPES = nc.accepted("type")
ERRORS = nc.accepted("error")
MODULES = nc.accepted("module", nc.MODULE_CORPUS)
CONTRACTS = nc.accepted("contract", nc.CONTRACT_CORPUS)

SETS: dict[str, dict[str, Any]] = {
    "params": nc.params_specs(PARAMS),
    "methods": nc.methods_specs(METHODS),
    "types": nc.classes_specs(TYPES, ["Oops"], "shady_types"),
    "errors": nc.classes_specs(["Box"], ERRORS, "shady_errors"),
    "modules": nc.modules_specs(MODULES, CONTRACTS),
}
PACKAGES = {name: f"shady_{name}" for name in SETS}


def test_the_corpus_is_awkward_enough() -> None:
    must = {"str", "int", "list", "float", "bool", "cast", "type", "id", "field", "os", "sys"}
    assert must | {"classmethod", "frozenset"} <= set(PARAMS)
    assert must | {"dict", "json", "abstractmethod"} <= set(METHODS)
    assert {"RootModel", "Any", "Field", "BaseModel", "Annotated"} <= set(nc.CORPUS)
    assert len(PARAMS) > 300 and len(TYPES) > 100


@pytest.mark.parametrize(
    "kind", ["param", "setting", "method", "type", "error", "module", "contract"]
)
def test_a_refused_name_is_a_located_error(tmp_path: Path, kind: str) -> None:
    pascal = kind in ("type", "error", "contract")
    corpus = nc.MODULE_CORPUS if kind == "module" else nc.CORPUS
    refused = [n for n in nc.rejected(kind, corpus) if n.isascii() and n[:1].isalpha()]
    # Names of the right style (others fail the schema, which the case folders cover).
    styled = [n for n in refused if (PASCAL if pascal else SNAKE).fullmatch(n)]
    sample = styled[:: max(1, len(styled) // 40)]
    assert len(sample) >= 5, sample
    tree = _refusal_specs(kind, sample)
    write_tree(tmp_path, {rel: yaml.safe_dump(d, sort_keys=False) for rel, d in tree.items()})
    proc = specloom("validate", "specs", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = json.loads(proc.stdout)
    found = found["diagnostics"] if isinstance(found, dict) else found
    assert all(d["code"] == "E_IDENTIFIER" and d["line"] > 0 and d["col"] > 0 for d in found), [
        d for d in found if d["code"] != "E_IDENTIFIER"
    ]
    messages = " ".join(d["message"] for d in found)
    for name in sample:
        assert repr(name) in messages, (name, identifier_problem(name, kind))


def _refusal_specs(kind: str, names: list[str]) -> dict[str, Any]:
    if kind in ("param", "setting"):
        return nc.params_specs(names)
    if kind == "method":
        return nc.methods_specs(names)
    if kind in ("type", "error"):
        if kind == "type":
            return nc.classes_specs(names, ["Oops"], "refused")
        return nc.classes_specs(["Fine"], names, "refused")
    if kind == "contract":
        return nc.modules_specs([f"m{i}" for i in range(len(names))], names)
    return nc.modules_specs(names, [f"C{i}" for i in range(len(names))])


@pytest.fixture(scope="module", params=sorted(SETS))
def system(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    name = request.param
    root = tmp_path_factory.mktemp(name)
    write_tree(root, {rel: yaml.safe_dump(d, sort_keys=False) for rel, d in SETS[name].items()})
    check = specloom("validate", "specs", cwd=root)
    assert check.returncode == 0, check.stdout[:4000] + check.stderr
    ok(specloom("generate", "specs", cwd=root))
    return root, PACKAGES[name]


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the spec sets: the standard library and pydantic are checked once."""
    return tmp_path_factory.mktemp("mypy")


@pytest.mark.timeout(600)
def test_every_accepted_name_generates_working_code(system, mypy_cache: Path) -> None:
    root, package = system
    out = root / "generated"
    config = str(out / "ruff.toml")
    ruff = [tool("ruff"), "check", "--no-cache", "--config", config]
    ok(run([*ruff, str(out), str(root / "impl")], root))
    mypy = [tool("mypy"), "--strict", "--cache-dir", str(mypy_cache)]
    proc = run([*mypy, "-p", package, "-p", "impl"], root, MYPYPATH=str(out), timeout=600)
    assert proc.returncode == 0, proc.stdout[-6000:]
    imports = (
        "import importlib, pkgutil, sys\n"
        f"package = importlib.import_module({package!r})\n"
        "for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "import impl\n"
        "for m in pkgutil.iter_modules(impl.__path__, 'impl.'):\n"
        "    importlib.import_module(m.name)\n"
    )
    ok(run([sys.executable, "-c", imports], out, PYTHONPATH=str(root)))
    tests = pytest_generated(out)
    assert tests.returncode == 0, tests.stdout[-6000:]
    ok(run([sys.executable, "-m", package, "health"], out))


# The reproductions of the issue, and a shared type using every feature the types module imports
# a name for.
ISSUE = {
    "specs/system.yaml": {"specloom": 1,
                          "system": {"name": "issue", "title": "I", "version": "1.0.0"}},
    "specs/types/all.yaml": {"types": {"Everything": {
        "type": "object", "additionalProperties": False, "required": ["a"],
        "properties": {
            **{f"f{i}": {"type": "string", "format": f} for i, f in enumerate(
                ["date-time", "date", "time", "uuid", "uri", "hostname", "ipv4", "ipv6"])},
            "a": {"type": "string", "pattern": "^a+$", "minLength": 1},
            "n": {"type": "number", "exclusiveMinimum": 0}, "i": {"type": "integer", "maximum": 3},
            "e": {"enum": ["x", "y"]}, "c": {"const": 1}, "u": {"anyOf": [{"type": "string"},
            {"type": "null"}]}, "o": {"oneOf": [{"type": "boolean"}, {"type": "number"}]},
            "l": {"type": "array", "items": {"$ref": "#/types/Kind"}, "uniqueItems": True},
            "m": {"type": "object", "additionalProperties": {"type": "integer"}},
        }}, "Kind": {"enum": ["one", "two"]}, "Free": {}, "Alias": {"type": "string"}}},
    "specs/modules/01-echo.yaml": {"module": "echo", "number": 1, "title": "Echo", "scope": "e",
                                   "provides": ["Echo@1"]},
    "specs/contracts/echo.v1.yaml": {
        "contract": "Echo", "version": 1,
        "methods": {"say": {
            "summary": "Say.",
            "params": {"cast": {"type": "string"}, "str": {"type": "string", "default": ""},
                       "list": {"type": "array", "items": {"type": "string"}, "default": []}},
            "returns": {"$ref": "#/types/Everything"}}},
        "examples": [
            {"name": "say", "steps": [{"call": "say", "with": {"cast": "a"}, "bind": "v"}]}],
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def issue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("issue")
    write_tree(root, {rel: yaml.safe_dump(d, sort_keys=False) for rel, d in ISSUE.items()})
    ok(specloom("generate", "specs", cwd=root))
    return root


def test_a_type_named_root_model_is_a_located_error(issue: Path, tmp_path: Path) -> None:
    tree = {**ISSUE, "specs/types/bad.yaml": {"types": {"RootModel": {"type": "object"}}}}
    write_tree(tmp_path, {rel: yaml.safe_dump(d, sort_keys=False) for rel, d in tree.items()})
    proc = specloom("validate", "specs", cwd=tmp_path)
    assert proc.returncode == 1
    assert (proc.stdout + proc.stderr).strip() == (
        "specs/types/bad.yaml:2:3: error[E_IDENTIFIER]: type name 'RootModel' is a name the"
        " generated types module imports"
    )


@pytest.mark.timeout(120)
def test_params_named_str_and_cast_import_and_call(issue: Path) -> None:
    out = issue / "generated"
    call = [sys.executable, "-m", "issue", "call", "Echo@1.say", '{"cast": "x", "str": "y"}']
    answer = json.loads(ok(run(call, out)).stdout)
    assert set(answer) >= {"a"}
    bad = run([sys.executable, "-m", "issue", "call", "Echo@1.say", '{"cast": "x", "str": 1}'], out)
    assert bad.returncode == 1 and "error[invalid_params]" in bad.stderr


def test_every_name_the_types_module_imports_is_refused_as_a_type_name(issue: Path) -> None:
    source = (issue / "generated" / "issue" / "types.py").read_text("utf-8")
    tree = ast.parse(source)
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
    }
    assert {"RootModel", "BaseModel", "Field"} <= imported and len(imported) > 8
    assert all(identifier_problem(name, "type") for name in imported), sorted(
        n for n in imported if identifier_problem(n, "type") is None
    )


def test_runtime_attributes_are_refused_as_method_names(issue: Path) -> None:
    script = (
        "import importlib, json\n"
        "rt = importlib.import_module('specloom_runtime')\n"
        "from issue.modules.echo import EchoBase\n"
        "names = set()\n"
        "for cls in (rt.Client, rt.Mock, EchoBase):\n"
        "    for k in cls.__mro__[:-1]:\n"
        "        if not k.__name__.startswith('EchoV'):\n"
        "            names |= {a for a in vars(k) if not a.startswith('_')}\n"
        "print(json.dumps(sorted(names)))\n"
    )
    names = json.loads(ok(run([sys.executable, "-c", script], issue / "generated")).stdout)
    assert {"emit", "on_event", "stub", "reset"} <= set(names)
    assert all(identifier_problem(n, "method") for n in names), [
        n for n in names if identifier_problem(n, "method") is None
    ]
