"""A corpus of awkward names and spec sets that use every one that ``validate`` accepts.

The corpus: every builtin, every identifier the code templates and the runtime use, the names
exported by ``typing`` and ``pydantic``, keywords, and a few names generated code derives
(``SharedTypes``, ``cast``, ``types_``). Each spec set puts many names into one contract or
module, so the corpus costs a few generations, not one per name.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import typing
from pathlib import Path
from typing import Any

import pydantic

from generator.names import identifier_problem

ROOT = Path(__file__).resolve().parents[2]
# Generated code the corpus reads names from: a generated package and the runtime library.
CODE = [ROOT / "examples" / "notes" / "generated", ROOT / "runtime" / "specloom_runtime"]


def code_names(roots: list[Path]) -> set[str]:
    """Every name the Python files under ``roots`` define, import, look up or pass."""
    out: set[str] = set()
    for root in roots:
        for path in sorted(root.rglob("*.py")) if root.is_dir() else []:
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Name):
                    out.add(node.id)
                elif isinstance(node, ast.Attribute):
                    out.add(node.attr)
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    out.add(node.name)
                elif isinstance(node, ast.arg):
                    out.add(node.arg)
                elif isinstance(node, ast.alias):
                    out.add((node.asname or node.name).split(".")[0])
                elif isinstance(node, ast.keyword) and node.arg:
                    out.add(node.arg)
    return out


EXTRA = {"cast", "types_", "SharedTypes", "RootModel", "annotations", "builtins", "typing", "self"}
CORPUS = sorted(
    set(dir(builtins))
    | set(dir(typing))
    | set(dir(pydantic))
    | set(keyword.kwlist)
    | set(keyword.softkwlist)
    | code_names(CODE)
    | EXTRA
)
# Module and contract names cost a module each (generated, type-checked, tested): a selection of
# builtins, the modules generated code imports, and the generated package's own names.
MODULE_CORPUS = sorted(
    {"dict", "list", "str", "int", "float", "bool", "type", "id", "object", "print", "open"}
    | {"len", "super", "property", "map", "filter", "set", "hash", "input", "format", "vars"}
    | {"json", "os", "sys", "asyncio", "typing", "abc", "dataclasses", "pathlib", "builtins"}
    | {"collections", "importlib", "pytest", "pydantic", "enum", "uuid", "datetime", "re"}
    | {"main", "modules", "system", "clients", "run", "call", "health", "metrics", "impl"}
    | {"runtime", "contracts", "mocks", "tests", "docs", "types", "types_", "annotations"}
    | {"stub", "client", "deps", "config", "adapters", "conftest", "package", "service"}
)
CONTRACT_CORPUS = sorted(
    {"Any", "Field", "BaseModel", "Client", "Mock", "Import", "Str", "Dict", "List", "Type"}
    | {"Object", "RootModel", "Exception", "Json", "Os", "Sys", "Typing", "Abc", "Builtins"}
    | {"ContractSpec", "MethodSpec", "Adapter", "ModuleRuntime", "System", "Main", "Cast"}
    | {"Class", "Def", "Return", "Match", "Case", "Self", "Cls", "Deps", "Config", "Types"}
    | set(CORPUS[::40])
)


def accepted(kind: str, corpus: list[str] = CORPUS) -> list[str]:
    """The corpus names ``validate`` accepts as a ``kind`` identifier."""
    return [n for n in corpus if identifier_problem(n, kind) is None]


def rejected(kind: str, corpus: list[str] = CORPUS) -> list[str]:
    return [n for n in corpus if identifier_problem(n, kind) is not None]


def chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# Return schemas cycled through the methods: each builtin a hint can use appears.
RETURNS: list[dict[str, Any]] = [
    {"type": "string"},
    {"type": "integer"},
    {"type": "number"},
    {"type": "boolean"},
    {"type": "array", "items": {"type": "string"}},
    {"type": "object"},
    {"type": "object", "properties": {"n": {"type": "integer"}}},
    {"anyOf": [{"type": "string"}, {"type": "null"}]},
    {"enum": ["a", "b"]},
    {"$ref": "#/types/Box"},
]
# Parameter schemas cycled through the parameters.
PARAMS: list[dict[str, Any]] = [
    {"type": "string", "default": ""},
    {"type": "integer", "default": 0},
    {"type": "number", "default": 1.5},
    {"type": "boolean", "default": False},
    {"type": "array", "items": {"type": "string"}, "default": []},
    {"type": "object", "default": {}},
    {"$ref": "#/types/Box", "default": {"n": 1}},
    {"type": "string", "pattern": "^[a-z]*$", "default": "a"},
    {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
]

BOX = {"type": "object", "properties": {"n": {"type": "integer"}}}


def _system(name: str) -> dict[str, Any]:
    return {"specloom": 1, "system": {"name": name, "title": name, "version": "1.0.0"}}


def params_specs(names: list[str]) -> dict[str, Any]:
    """Every name as a parameter (with and without a default) and as a config setting."""
    params = {n: PARAMS[i % len(PARAMS)] for i, n in enumerate(names)}
    required = {n: {k: v for k, v in PARAMS[i % len(PARAMS)].items() if k != "default"}
                for i, n in enumerate(names)}  # fmt: skip
    args = {n: ("a" if "pattern" in s else _value(s)) for n, s in required.items()}
    return {
        "specs/system.yaml": _system("shady_params"),
        "specs/types/box.yaml": {"types": {"Box": BOX}},
        "specs/modules/01-holder.yaml": {
            "module": "holder",
            "number": 1,
            "title": "Holder",
            "scope": "Takes awkward parameters.",
            "provides": ["Shady@1"],
            "config": {"properties": {n: PARAMS[i % len(PARAMS)] for i, n in enumerate(names)}},
        },
        "specs/contracts/shady.v1.yaml": {
            "contract": "Shady",
            "version": 1,
            "methods": {
                "with_defaults": {
                    "summary": "All optional.",
                    "params": params,
                    "returns": {"type": "string"},
                },
                "with_required": {
                    "summary": "All required.",
                    "params": required,
                    "returns": {"$ref": "#/types/Box"},
                },
            },  # fmt: skip
            "events": {
                "happened": {
                    "summary": "An event.",
                    "payload": {
                        "type": "object",
                        "properties": {n: {"type": "string"} for n in names},
                    },
                }
            },
            "examples": [
                {
                    "name": "defaults",
                    "steps": [
                        {"call": "with_defaults", "with": {}, "returns": "ok"},
                        {
                            "call": "with_defaults",
                            "with": {names[0]: params[names[0]]["default"]},
                            "returns": "ok",
                        },
                    ],
                },
                {
                    "name": "required",
                    "steps": [{"call": "with_required", "with": args, "returns": {"n": 1}}],
                },
            ],  # fmt: skip
        },
    }


def methods_specs(names: list[str]) -> dict[str, Any]:
    """Every name as a method of one contract (returns cycling through the builtins hints use)."""
    methods = {
        n: {
            "summary": f"Method {n}.",
            "params": {"x": {"type": "string", "default": ""}},
            "returns": RETURNS[i % len(RETURNS)],
        }
        for i, n in enumerate(names)
    }
    steps = [{"call": n, "with": {}, "bind": f"v{i}"} for i, n in enumerate(names)]
    return {
        "specs/system.yaml": _system("shady_methods"),
        "specs/types/box.yaml": {"types": {"Box": BOX}},
        "specs/modules/01-caller.yaml": {
            "module": "caller",
            "number": 1,
            "title": "Caller",
            "scope": "Has awkward methods.",
            "provides": ["Odd@1"],
        },
        "specs/contracts/odd.v1.yaml": {
            "contract": "Odd",
            "version": 1,
            "methods": methods,
            "examples": [{"name": "every method", "steps": steps}],
        },
    }


def classes_specs(types: list[str], errors: list[str], system: str) -> dict[str, Any]:
    """Every name in ``types`` as a shared type (used by a method), every one in ``errors`` as a
    declared error (a type and an error cannot share a name: two spec sets)."""
    type_defs = {n: {"type": "object", "properties": {"n": {"type": "integer"}}} for n in types}
    params = {f"p{i}": {"$ref": f"#/types/{n}"} for i, n in enumerate(types)}
    return {
        "specs/system.yaml": _system(system),
        "specs/types/many.yaml": {"types": type_defs},
        "specs/modules/01-keeper.yaml": {
            "module": "keeper",
            "number": 1,
            "title": "Keeper",
            "scope": "Uses awkward types and errors.",
            "provides": ["Classy@1"],
        },
        "specs/contracts/classy.v1.yaml": {
            "contract": "Classy",
            "version": 1,
            "methods": {
                "use": {
                    "summary": "Takes every type, returns the first, raises every error.",
                    "params": params,
                    "returns": {"$ref": f"#/types/{types[0]}"},
                    "errors": errors,
                }
            },
            "errors": {n: {"summary": f"Error {n}."} for n in errors},
            "examples": [
                {
                    "name": "use",
                    "steps": [
                        {"call": "use", "with": {p: {"n": 1} for p in params}, "returns": {"n": 1}}
                    ],
                },
                {
                    "name": "raise",
                    "steps": [
                        {"call": "use", "with": {p: {"n": 2} for p in params}, "raises": errors[0]}
                    ],
                },
            ],  # fmt: skip
        },
    }


def modules_specs(modules: list[str], contracts: list[str]) -> dict[str, Any]:
    """Every name as a module (each consuming the previous one's contract) and as a contract."""
    count = max(len(modules), len(contracts))
    mods = modules + [f"m{i}" for i in range(len(modules), count)]
    cons = contracts + [f"C{i}" for i in range(len(contracts), count)]
    tree: dict[str, Any] = {"specs/system.yaml": _system("shady_modules")}
    for i, (mod, contract) in enumerate(zip(mods, cons, strict=True)):
        module: dict[str, Any] = {
            "module": mod,
            "number": i + 1,
            "title": mod,
            "scope": "An awkwardly named module.",
            "provides": [f"{contract}@1"],
        }
        if i:
            module["consumes"] = [f"{cons[i - 1]}@1"]
        tree[f"specs/modules/{i + 1:03d}-{mod}.yaml"] = module
        tree[f"specs/contracts/c{i:03d}.v1.yaml"] = {
            "contract": contract,
            "version": 1,
            "methods": {"ping": {"summary": "Ping.", "params": {}, "returns": {"type": "string"}}},
            "examples": [{"name": "ping", "steps": [{"call": "ping", "with": {}, "returns": "p"}]}],
        }
    return tree


def _value(schema: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return {"n": 1}
    if "anyOf" in schema:
        return 3
    return {"string": "s", "integer": 2, "number": 2.5, "boolean": True, "array": ["x"],
            "object": {"k": 1}}[schema["type"]]  # fmt: skip
