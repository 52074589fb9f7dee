"""Write a synthetic, valid spec set of N modules (one contract each, M methods per contract).

Module ``i`` provides ``Svc<i>@1`` and consumes the contracts of up to two earlier modules, so the
dependency graph is a DAG with long chains and fan-in. Every method has an example (most with a
literal result, some raising a declared error), parameters of several schema kinds and a few
shared types, so validation, synthesis, rendering and formatting all do their real work.

    .venv/bin/python benchmarks/synth_specs.py OUT_DIR --modules 100 [--methods 5]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

TYPES = {
    "description": "Shared types of the synthetic system.",
    "types": {
        "Level": {"type": "string", "enum": ["low", "mid", "high"]},
        "Item": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "level"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "level": {"$ref": "#/types/Level"},
                "tags": {"type": "array", "items": {"type": "string"}, "default": []},
            },
        },
        "Page": {
            "type": "object",
            "additionalProperties": False,
            "required": ["items", "total"],
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/types/Item"}},
                "total": {"type": "integer", "minimum": 0},
            },
        },
    },
}

ITEM = {"id": "i-1", "level": "mid", "tags": ["a"]}

# (params, returns, example args, example result); cycled over a contract's methods.
METHOD_SHAPES: list[tuple[dict, dict, dict, object]] = [
    (
        {
            "key": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
            "value": {"type": "object"},
        },
        {"type": "string", "minLength": 1},
        {"key": "alpha", "value": {"x": 1}},
        "alpha-1",
    ),
    (
        {"key": {"type": "string", "minLength": 1}},
        {"anyOf": [{"type": "object"}, {"type": "null"}]},
        {"key": "alpha"},
        None,
    ),
    (
        {
            "item": {"$ref": "#/types/Item"},
            "force": {"type": "boolean", "default": False},
        },
        {"type": "boolean"},
        {"item": ITEM},
        True,
    ),
    (
        {
            "level": {"$ref": "#/types/Level"},
            "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
        },
        {"$ref": "#/types/Page"},
        {"level": "mid", "limit": 5},
        {"items": [ITEM], "total": 1},
    ),
    (
        {"names": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
        {"type": "array", "items": {"type": "integer", "minimum": 0}},
        {"names": ["a", "bb"]},
        [1, 2],
    ),
]


def contract_name(i: int) -> str:
    return f"Svc{i:04d}"


def module_name(i: int) -> str:
    return f"m{i:04d}"


def contract(i: int, methods: int) -> dict:
    """The contract of module ``i``: ``methods`` methods, one example each, one error."""
    defs: dict[str, dict] = {}
    examples = []
    for j in range(methods):
        params, returns, args, result = METHOD_SHAPES[j % len(METHOD_SHAPES)]
        name = f"op{j:02d}"
        defs[name] = {
            "summary": f"Operation {j} of {contract_name(i)}.",
            "params": params,
            "returns": returns,
            "errors": ["Rejected"] if j == 0 else [],
        }
        examples.append(
            {"name": f"{name} answers", "steps": [{"call": name, "with": args, "returns": result}]}
        )
    examples.append(
        {
            "name": "op00 rejects",
            "steps": [{"call": "op00", "with": {"key": "bad", "value": {}}, "raises": "Rejected"}],
        }
    )
    return {
        "contract": contract_name(i),
        "version": 1,
        "description": f"Synthetic contract number {i}.",
        "methods": defs,
        "errors": {"Rejected": {"summary": "The request was refused."}},
        "examples": examples,
    }


def module(i: int) -> dict:
    deps = sorted({d for d in (i - 1, i // 2) if d >= 1 and d != i})
    return {
        "module": module_name(i),
        "number": i,
        "title": f"Module {i}",
        "scope": f"Synthetic module {i} for benchmarks.",
        "provides": [f"{contract_name(i)}@1"],
        "consumes": [f"{contract_name(d)}@1" for d in deps],
        "brief": f"Implements {contract_name(i)}@1.",
        "testing_criteria": [f"Every {contract_name(i)}@1 example passes."],
    }


def write_system(out: Path, modules: int, methods: int = 5, name: str = "synth") -> Path:
    """Write the spec folder ``out`` (created) and return it. JSON is valid YAML."""
    (out / "modules").mkdir(parents=True, exist_ok=True)
    (out / "contracts").mkdir(exist_ok=True)
    (out / "types").mkdir(exist_ok=True)
    system = {
        "specloom": 1,
        "system": {"name": name, "title": f"Synthetic {modules}", "version": "1.0.0"},
    }
    (out / "system.yaml").write_text(json.dumps(system, indent=1) + "\n")
    (out / "types" / "shared.yaml").write_text(json.dumps(TYPES, indent=1) + "\n")
    for i in range(1, modules + 1):
        (out / "modules" / f"{module_name(i)}.yaml").write_text(json.dumps(module(i), indent=1))
        (out / "contracts" / f"{contract_name(i).lower()}.v1.yaml").write_text(
            json.dumps(contract(i, methods), indent=1)
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--modules", type=int, default=10)
    parser.add_argument("--methods", type=int, default=5)
    args = parser.parse_args()
    write_system(args.out, args.modules, args.methods)
    print(f"wrote {args.modules} modules x {args.methods} methods to {args.out}")


if __name__ == "__main__":
    main()
