"""``specloom plan``: waves, phases, critical path and Mermaid graph of the flagship.

The dependency edges are recomputed here straight from the module YAML files (A depends on B
when A consumes a contract version B provides), so the plan is checked against the specs, not
against the code that made it.
"""

from __future__ import annotations

import re

import pytest
import yaml
from clikit import REPO, Run
from spectree import CASES, FLAGSHIP_SPECS

from generator.model.plan import Plan, build_plan
from generator.validate import validate_specs

MODULES = {
    d["module"]: d
    for d in (
        yaml.safe_load(p.read_text("utf-8")) for p in sorted(FLAGSHIP_SPECS.glob("modules/*.yaml"))
    )
}
PROVIDER = {key: name for name, d in MODULES.items() for key in d["provides"]}
EDGES = {(name, key, PROVIDER[key]) for name, d in MODULES.items() for key in d.get("consumes", [])}
DEPS = {name: {p for c, _, p in EDGES if c == name} for name in MODULES}


@pytest.fixture(scope="module")
def output(specloom: Run) -> str:
    r = specloom("plan", "specs", cwd=REPO)
    assert (r.returncode, r.stderr) == (0, "")
    return r.stdout


@pytest.fixture(scope="module")
def plan() -> Plan:
    spec = validate_specs(FLAGSHIP_SPECS).spec
    assert spec is not None
    return build_plan(spec)


def section(text: str, title: str) -> str:
    m = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, f"no section {title!r}"
    return m.group(1)


def table(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


def test_flagship_has_twelve_modules_with_edges() -> None:
    assert len(MODULES) == 12
    assert len(EDGES) >= 15


def test_waves_put_every_module_after_its_dependencies(plan: Plan) -> None:
    wave = {name: i for i, names in enumerate(plan.waves, 1) for name in names}
    assert sorted(wave) == sorted(MODULES)  # each module in exactly one wave
    assert sum(len(w) for w in plan.waves) == 12
    for name, deps in DEPS.items():
        # after every dependency, and as early as that allows (topological levels)
        assert wave[name] == 1 + max((wave[d] for d in deps), default=0), name


def test_scheduled_phases_respect_dependencies(plan: Plan) -> None:
    phase = {name: d["phase"] for name, d in MODULES.items()}
    for consumer, _, provider in EDGES:
        assert phase[provider] <= phase[consumer], (consumer, provider)
    assert {p.number: set(p.modules) for p in plan.phases} == {
        n: {m for m, p in phase.items() if p == n} for n in set(phase.values())
    }
    for p in plan.phases:
        for name, same in p.against_mocks:
            assert set(same) == {d for d in DEPS[name] if phase[d] == p.number}


def test_critical_path_is_a_longest_dependency_chain(plan: Plan) -> None:
    path = plan.critical_path
    assert not DEPS[path[0]]
    for earlier, later in zip(path, path[1:], strict=False):
        assert earlier in DEPS[later]
    assert len(path) == len(plan.waves)  # a chain cannot be longer than the number of waves


def test_independence_matrix(plan: Plan) -> None:
    for m in plan.modules:
        assert set(m.depends_on) == DEPS[m.name]
        assert set(m.dependents) == {n for n, deps in DEPS.items() if m.name in deps}
        assert m.start == ("YES" if not DEPS[m.name] else "PARTIAL")


def test_cli_prints_every_section(output: str) -> None:
    for title in ["Phases", "Integration waves", "Independence matrix", "Critical path"]:
        assert section(output, title).strip()
    assert "```mermaid\ngraph TD\n" in output


def test_cli_waves_table(output: str, plan: Plan) -> None:
    rows = table(section(output, "Integration waves"))
    assert [(int(r[0]), r[1].split(", ")) for r in rows] == [
        (i, list(w)) for i, w in enumerate(plan.waves, 1)
    ]


def test_cli_critical_path(output: str, plan: Plan) -> None:
    assert " → ".join(plan.critical_path) in section(output, "Critical path")


def test_cli_matrix_has_a_row_per_module(output: str) -> None:
    rows = table(section(output, "Independence matrix"))
    assert len(rows) == 12
    for row in rows:
        name = next(n for n, d in MODULES.items() if row[0].startswith(f"{d['number']:02d}."))
        deps = set() if row[1] == "None" else set(row[1].split(", "))
        assert deps == DEPS[name]


def test_mermaid_graph_has_every_module_and_edge(output: str) -> None:
    graph = output.split("```mermaid\n", 1)[1].split("```", 1)[0]
    nodes = set(re.findall(r"^    (\w+)\[", graph, re.M))
    edges = set(re.findall(r"^    (\w+) -->\|(\w+@\d+)\| (\w+)$", graph, re.M))
    assert nodes == set(MODULES)
    assert edges == EDGES


def test_plan_of_invalid_specs_reports_and_exits_one(specloom: Run) -> None:
    r = specloom("plan", "specs", cwd=CASES / "cycle")
    assert r.returncode == 1
    assert r.stdout == ""
    assert "error[E_CYCLE]: dependency cycle: stock -> billing -> orders -> stock" in r.stderr


def test_plan_of_a_small_set(specloom: Run) -> None:
    r = specloom("plan", "specs", cwd=CASES / "valid_minimal")
    assert r.returncode == 0
    assert "stock → orders (2 modules)" in r.stdout
    assert "    orders -->|Stock@1| stock\n" in r.stdout
