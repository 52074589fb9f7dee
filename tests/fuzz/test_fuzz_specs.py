"""Fuzzing the whole pipeline with random valid spec sets (hypothesis).

Each drawn system has a random acyclic module graph, one contract per module with random methods,
parameters and results of random schema-subset types (strings with bounds, enums and patterns,
integers and numbers with bounds, booleans, arrays, closed objects, nullable unions, shared-type
``$ref``s), and one example per method whose arguments and result are synthesized from the
schemas (``generator.model.synth``), so they are valid by construction. For each: ``validate``
is clean, ``generate`` succeeds, the generated package imports in a fresh interpreter, and for a
sample of the systems the generated test suite passes.

Bounded: ``FUZZ_EXAMPLES`` systems (default 12, derandomized so CI is repeatable; set
``FUZZ_EXAMPLES=200 FUZZ_RANDOM=1`` to explore), the first ``FUZZ_RUN_TESTS`` (default 3) of which
also run their generated tests.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.model.synth import synthesize
from generator.pipeline import Options, generate
from generator.validate import validate_specs

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
RUN_TESTS = int(os.environ.get("FUZZ_RUN_TESTS", "3"))
RANDOM = bool(os.environ.get("FUZZ_RANDOM"))
BIN = Path(sys.executable).parent


PARAM_NAMES = ["alpha", "beta", "gamma", "delta", "label", "amount"]
PATTERNS = ["^[a-z]+$", "^[A-Z][a-z0-9_]*$", "^[0-9]{2,4}$", "^(red|green|blue)$"]
WORDS = ["low", "mid", "high", "on", "off", "yes"]

# --------------------------------------------------------------------------- schema strategies


def strings() -> st.SearchStrategy[dict[str, Any]]:
    bounded = st.tuples(st.integers(0, 3), st.integers(0, 5)).map(
        lambda t: {"type": "string", "minLength": t[0], "maxLength": t[0] + t[1]}
    )
    return st.one_of(
        st.just({"type": "string"}),
        bounded,
        st.sampled_from(PATTERNS).map(lambda p: {"type": "string", "pattern": p}),
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True).map(
            lambda e: {"type": "string", "enum": e}
        ),
    )


def numbers() -> st.SearchStrategy[dict[str, Any]]:
    def bounds(kind: str) -> st.SearchStrategy[dict[str, Any]]:
        return st.tuples(st.integers(-50, 50), st.integers(0, 100), st.booleans()).map(
            lambda t: {"type": kind, "minimum": t[0]} | ({"maximum": t[0] + t[1]} if t[2] else {})
        )

    return st.one_of(
        st.just({"type": "integer"}),
        st.just({"type": "number"}),
        bounds("integer"),
        bounds("number"),
    )


def leaves(type_names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    options = [strings(), numbers(), st.just({"type": "boolean"})]
    if type_names:
        options.append(st.sampled_from(type_names).map(lambda n: {"$ref": f"#/types/{n}"}))
    return st.one_of(*options)


def schemas(type_names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        arrays = st.tuples(children, st.integers(0, 2)).map(
            lambda t: {"type": "array", "items": t[0], "minItems": t[1]}
        )
        objects = st.dictionaries(
            st.sampled_from(PARAM_NAMES), children, min_size=1, max_size=3
        ).flatmap(
            lambda props: st.sets(st.sampled_from(sorted(props))).map(
                lambda req: {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": props,
                    "required": sorted(req),
                }
            )
        )
        nullable = children.map(lambda s: {"anyOf": [s, {"type": "null"}]})
        return st.one_of(arrays, objects, nullable)

    return st.recursive(leaves(type_names), extend, max_leaves=4)


# --------------------------------------------------------------------------- spec sets


@st.composite
def systems(draw: st.DrawFn) -> dict[str, Any]:
    """A spec set as ``{relative path: data}`` (each file is written as JSON, valid YAML)."""
    n_types = draw(st.integers(0, 2))
    types: dict[str, Any] = {}
    for i in range(n_types):  # a type may refer to the ones before it: no cycles
        types[f"Shape{i}"] = draw(schemas(list(types)))

    def resolve(name: str) -> Any:
        return types[name]

    n_modules = draw(st.integers(1, 4))
    files: dict[str, Any] = {}
    for i in range(n_modules):
        contract = f"Service{i}"
        methods: dict[str, Any] = {}
        examples = []
        for j in range(draw(st.integers(1, 3))):
            name = f"op_{j}"
            names = draw(st.lists(st.sampled_from(PARAM_NAMES), max_size=3, unique=True))
            params = {p: draw(schemas(list(types))) for p in names}
            returns = draw(st.one_of(st.none(), schemas(list(types))))
            method: dict[str, Any] = {"summary": f"Operation {j} of {contract}.", "params": params}
            seed = f"{contract}.{name}"
            step: dict[str, Any] = {
                "call": name,
                "with": {
                    p: synthesize(s, resolve_ref=resolve, seed=f"{seed}.{p}")
                    for p, s in params.items()
                },
            }
            if returns is not None:
                method["returns"] = returns
                step["returns"] = synthesize(returns, resolve_ref=resolve, seed=seed)
            methods[name] = method
            examples.append({"name": f"{name} answers", "steps": [step]})
        files[f"contracts/service{i}.v1.yaml"] = {
            "contract": contract,
            "version": 1,
            "description": f"Fuzzed contract {i}.",
            "methods": methods,
            "examples": examples,
        }
        deps = draw(st.sets(st.integers(0, i - 1), max_size=2)) if i else set()
        files[f"modules/m{i}.yaml"] = {
            "module": f"mod{i}",
            "number": i + 1,
            "title": f"Module {i}",
            "scope": "Fuzzed.",
            "provides": [f"{contract}@1"],
            "consumes": [f"Service{d}@1" for d in sorted(deps)],
        }
    if types:
        files["types/shapes.yaml"] = {"types": types}
    return files


_counter = itertools.count()


def _write(project: Path, files: dict[str, Any], package: str) -> Path:
    specs = project / "specs"
    system = {"specloom": 1, "system": {"name": package, "title": "Fuzz", "version": "1.0.0"}}
    for rel, data in {"system.yaml": system, **files}.items():
        path = specs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    return specs


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPECLOOM_", "PYTHON"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder for the drawn projects, and a private cache for the in-process generations."""
    root = tmp_path_factory.mktemp("fuzz")
    saved = os.environ.get("SPECLOOM_CACHE_DIR")
    os.environ["SPECLOOM_CACHE_DIR"] = str(root / "cache")
    try:
        yield root
    finally:
        if saved is None:
            os.environ.pop("SPECLOOM_CACHE_DIR", None)
        else:
            os.environ["SPECLOOM_CACHE_DIR"] = saved


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: each case costs seconds
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=systems())
def test_random_valid_specs_validate_generate_import_and_pass_their_tests(
    workdir: Path, files: dict[str, Any]
) -> None:
    n = next(_counter)
    package = f"fuzz{n}"
    project = workdir / package
    specs = _write(project, files, package)

    where = f"(specs of this case: {specs})"
    result = validate_specs(specs, base=project)
    assert result.ok and not result.diagnostics, "\n".join(map(str, [*result.diagnostics, where]))

    try:
        generate(Options(specs=specs, out=project / "generated", impl_root=project))
    except Exception as exc:
        raise AssertionError(f"generate failed: {exc} {where}") from exc

    sub_env = _env() | {"PYTHONPATH": os.pathsep.join([str(project), str(project / "generated")])}
    imported = subprocess.run(
        [sys.executable, "-c", f"import {package}.system, {package}.types"],
        cwd=project,
        env=sub_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert imported.returncode == 0, f"{imported.stderr}\n{where}"
    if n < RUN_TESTS:
        tests = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", "tests"],
            cwd=project / "generated",
            env=_env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert tests.returncode == 0, f"{tests.stdout[-4000:]}{tests.stderr[-2000:]}\n{where}"
