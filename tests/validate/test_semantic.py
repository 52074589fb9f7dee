"""Semantic checks over a whole spec set, on copies of the notes example and on the flagship.

The one-check-per-folder cases live in tests/cases; these tests cover what needs a scenario:
the misspelt contract of the issue, errors in several files at once, checks that must keep
going past a broken schema, and the clean baselines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spectree import FLAGSHIP_SPECS, NOTES_SPECS, copy_notes, edit, lines, short, write_tree

from generator.errors import Severity
from generator.validate import validate_specs

NOTES_MODULE = "specs/modules/02-notes.yaml"
KV = "specs/contracts/key_value.v1.yaml"
NOTES = "specs/contracts/notes.v1.yaml"


@pytest.mark.parametrize("folder", [FLAGSHIP_SPECS, NOTES_SPECS], ids=["flagship", "notes"])
def test_shipped_spec_sets_are_clean(folder: Path) -> None:
    result = validate_specs(folder)
    assert result.diagnostics == []
    assert result.ok and result.spec is not None


def test_flagship_has_twelve_modules() -> None:
    spec = validate_specs(FLAGSHIP_SPECS).spec
    assert spec is not None
    assert [m.number for m in spec.modules] == list(range(1, 13))


def test_misspelt_contract_is_one_line_with_a_suggestion(notes: Path) -> None:
    edit(notes, NOTES_MODULE, "consumes: [KeyValue@1]", "consumes: [KeyValu@1]")
    assert lines(notes) == [
        f"{NOTES_MODULE}:8:12: error[E_UNKNOWN_CONTRACT]: module notes refers to unknown "
        "contract 'KeyValu@1' (hint: did you mean 'KeyValue@1'?)"
    ]


def test_far_off_contract_name_has_no_wild_guess(notes: Path) -> None:
    edit(notes, NOTES_MODULE, "consumes: [KeyValue@1]", "consumes: [Zebra@1]")
    assert lines(notes) == [
        f"{NOTES_MODULE}:8:12: error[E_UNKNOWN_CONTRACT]: module notes refers to unknown "
        "contract 'Zebra@1'"
    ]


def test_two_module_cycle_prints_its_path(notes: Path) -> None:
    edit(notes, "specs/modules/01-store.yaml", "phase: 1\n", "")
    edit(notes, NOTES_MODULE, "phase: 2\n", "")
    write_tree(notes, {"specs/modules/01-store.yaml": None})
    write_tree(
        notes,
        {
            "specs/modules/01-store.yaml": "module: store\nnumber: 1\ntitle: Store\n"
            "scope: Values.\nprovides: [KeyValue@1]\nconsumes: [Notes@1]\n"
        },
    )
    assert lines(notes) == [
        "specs/modules/01-store.yaml:6:12: error[E_CYCLE]: dependency cycle: store -> notes -> "
        "store (hint: break it: let one side publish events, or move the shared part into a "
        "module)"
    ]


def test_schema_errors_in_several_files_are_all_reported(notes: Path) -> None:
    edit(notes, NOTES_MODULE, "number: 2", "number: two")
    edit(notes, KV, "  put:\n    summary:", "  put:\n    sumary:")
    edit(notes, "specs/system.yaml", "version: 0.1.0", "version: one")
    assert [short(line) for line in lines(notes)] == [
        f"{KV}:6:5: error[E_SCHEMA]",
        f"{NOTES_MODULE}:2:9: error[E_SCHEMA]",
        "specs/system.yaml:5:12: error[E_SCHEMA]",
    ]


def test_semantic_errors_in_several_files_are_all_reported(notes: Path) -> None:
    edit(notes, NOTES_MODULE, "consumes: [KeyValue@1]", "consumes: [KeyValu@1]")
    edit(notes, NOTES, "      - call: find_by_tag\n", "      - call: find_by_tags\n")
    edit(notes, KV, "returns: {title: Hello}", "returns: [Hello]")
    assert [short(line) for line in lines(notes)] == [
        f"{KV}:34:53: error[E_EXAMPLE_RETURNS_INVALID]",
        f"{NOTES}:19:3: error[E_METHOD_NO_EXAMPLE]",
        f"{NOTES}:35:15: error[E_EXAMPLE_METHOD]",
        f"{NOTES_MODULE}:8:12: error[E_UNKNOWN_CONTRACT]",
    ]


def test_invalid_pattern_used_by_an_example_is_reported_once(notes: Path) -> None:
    # The example's argument is checked against this schema: it must not crash on the pattern.
    edit(notes, KV, 'pattern: "^[a-z0-9:_-]+$"', 'pattern: "^[a-z0-9:_-+$"')
    assert [short(line) for line in lines(notes)] == [f"{KV}:8:36: error[E_PATTERN]"]


def test_unknown_type_used_by_an_example_is_reported_once(notes: Path) -> None:
    # find_by_tag's example result is checked against this schema: no crash on the bad $ref.
    edit(notes, NOTES, 'items: {$ref: "#/types/Note"}', 'items: {$ref: "#/types/Nte"}')
    assert lines(notes) == [
        f"{NOTES}:23:42: error[E_UNKNOWN_TYPE]: unknown type 'Nte' (hint: did you mean 'Note'?)"
    ]


def test_unknown_types_in_event_payloads_and_config_are_found(notes: Path) -> None:
    event = 'events:\n  changed:\n    summary: A key changed.\n    payload: {$ref: "#/types/Key"}\n'
    with (notes / KV).open("a") as f:
        f.write(event)
    edit(notes, NOTES_MODULE, "{type: string, default:", '{$ref: "#/types/Prefix", default:')
    assert [short(line) for line in lines(notes)] == [
        f"{KV}:45:21: error[E_UNKNOWN_TYPE]",
        f"{NOTES_MODULE}:11:23: error[E_UNKNOWN_TYPE]",
    ]


def test_variables_bound_by_earlier_steps_satisfy_schemas(notes: Path) -> None:
    # {$var} stands for a run-time value: no argument or result error for it, even nested.
    edit(notes, NOTES, "with: {tag: home}", "with: {tag: {$var: note}}")
    assert lines(notes) == []


def test_returns_subset_does_not_need_required_keys(notes: Path) -> None:
    edit(notes, NOTES, "        match: subset\n", "")
    assert [short(line) for line in lines(notes)] == [
        f"{NOTES}:33:18: error[E_EXAMPLE_RETURNS_INVALID]"
    ]


def test_warnings_do_not_fail_validation(notes: Path) -> None:
    write_tree(
        notes,
        {
            "specs/contracts/extra.v1.yaml": "contract: Extra\nversion: 1\nmethods:\n"
            "  ping: {summary: Ping., returns: {type: boolean}}\n"
            "examples:\n  - name: ping\n    steps: [{call: ping, returns: true}]\n"
        },
    )
    result = validate_specs(notes / "specs", base=notes)
    assert [d.severity for d in result.diagnostics] == [Severity.WARNING]
    assert result.ok


@pytest.mark.parametrize(
    ("package", "problem"),
    [
        ("typing", "package name 'typing' would shadow the Python module of that name"),
        ("pydantic", "package name 'pydantic' would shadow the Python module of that name"),
        ("tests", "package name 'tests' would shadow the generated sub-package of that name"),
        ("match", "package name 'match' is a Python keyword"),
    ],
)
def test_generated_package_names(notes: Path, package: str, problem: str) -> None:
    edit(notes, "specs/system.yaml", "name: notes", f"name: notes\n  package: {package}")
    assert lines(notes) == [f"specs/system.yaml:4:12: error[E_IDENTIFIER]: {problem}"]


def test_no_semantic_checks_on_a_set_with_broken_files(tmp_path: Path) -> None:
    """Semantic checks need every file; a broken one is reported alone (documented behaviour)."""
    copy_notes(tmp_path, {"specs/types/note.yaml": "types: [oops\n"})
    edit(tmp_path, NOTES_MODULE, "consumes: [KeyValue@1]", "consumes: [KeyValu@1]")
    assert [short(line) for line in lines(tmp_path)] == [
        "specs/types/note.yaml:2:1: error[E_YAML_SYNTAX]"
    ]
