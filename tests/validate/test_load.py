"""Step 1, load: unsafe, malformed, huge or odd YAML gives one located diagnostic, never a crash.

Each test writes a real spec tree (a copy of the notes example plus the bad file) and runs the
whole ``validate_specs``, so the diagnostic is the one a user would see.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spectree import copy_notes, diagnostics, lines, write_tree

from generator.load.files import MAX_FILE_BYTES, read_spec_file
from generator.load.located import MAX_DEPTH, MAX_NODES, parse_yaml

MODULE = "specs/modules/03-extra.yaml"


def only(root: Path) -> str:
    """The one diagnostic line of the tree."""
    found = lines(root)
    assert len(found) == 1, found
    return found[0]


def test_python_object_tag_is_rejected_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    tag = f'!!python/object/apply:os.system ["touch {marker}"]'
    copy_notes(tmp_path, {MODULE: f"module: extra\nnumber: 3\ntitle: {tag}\n"})
    assert only(tmp_path).startswith(
        f"{MODULE}:3:8: error[E_YAML_TAG]: unsupported YAML tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    )
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("module: !!python/name:os.system ''\n", "1:9"),
        ("? !!python/name:os.system\n: 1\nmodule: x\n", "1:3"),  # as a key
        ("module: x\nlist: !!python/tuple [1, 2]\n", "2:7"),  # on a sequence
        ("module: x\nmap: !!python/object:os.Foo {a: 1}\n", "2:6"),
        ("module: x\nwhen: !!timestamp 2024-01-01\n", "2:7"),  # not JSON data
        ("module: x\nblob: !!binary aGk=\n", "2:7"),
        ("module: x\nset: !!set {a}\n", "2:6"),
        ("module: x\nmine: !custom value\n", "2:7"),
    ],
)
def test_tags_beyond_plain_data_are_rejected(tmp_path: Path, text: str, where: str) -> None:
    copy_notes(tmp_path, {MODULE: text})
    assert only(tmp_path).startswith(f"{MODULE}:{where}: error[E_YAML_TAG]")


def test_bad_value_for_an_explicit_core_tag(tmp_path: Path) -> None:
    copy_notes(tmp_path, {MODULE: "module: extra\nnumber: !!int three\n"})
    assert only(tmp_path) == (
        f"{MODULE}:2:9: error[E_YAML_VALUE]: 'three' is not a valid int "
        "(hint: remove the explicit !!tag or fix the value)"
    )


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    copy_notes(tmp_path, {MODULE: "module: extra\nnumber: 3\ntitle: A\nscope: B\ntitle: C\n"})
    assert only(tmp_path) == (
        f"{MODULE}:5:1: error[E_YAML_DUPLICATE_KEY]: duplicate key 'title' "
        "(first defined at line 3)"
    )


def test_duplicate_key_in_a_nested_mapping(tmp_path: Path) -> None:
    copy_notes(tmp_path, {MODULE: "module: x\nconfig:\n  properties:\n    a: {}\n    a: {}\n"})
    assert only(tmp_path).startswith(f"{MODULE}:5:5: error[E_YAML_DUPLICATE_KEY]")


def test_merge_keys_may_be_overridden_but_not_repeated() -> None:
    ok = parse_yaml("base: &b {x: 1, y: 2}\nuse: {<<: *b, x: 3}\n")
    assert ok.data["use"] == {"x": 3, "y": 2}
    assert ok.position(("use", "x"), key=True) == (2, 15)
    with pytest.raises(Exception, match="duplicate key 'x'"):
        parse_yaml("base: &b {y: 2}\nuse: {<<: *b, x: 3, x: 4}\n")


def test_bad_merge_points_at_the_merged_value(tmp_path: Path) -> None:
    copy_notes(tmp_path, {MODULE: "module: x\nconfig:\n  <<: [1]\n"})
    assert only(tmp_path).startswith(f"{MODULE}:3:8: error[E_YAML_MERGE]")


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("module: x\n? [a, b]\n: 1\n", "2:3", "mapping keys must be plain strings"),
        ("module: x\n3: three\n", "2:1", "mapping key '3' is not a string"),
        ("module: x\nnull: 1\n", "2:1", "mapping key 'null' is not a string"),
    ],
)
def test_keys_are_strings(tmp_path: Path, text: str, where: str, message: str) -> None:
    copy_notes(tmp_path, {MODULE: text})
    assert only(tmp_path).startswith(f"{MODULE}:{where}: error[E_YAML_KEY]: {message}")


def test_non_utf8_byte_is_located_in_characters(tmp_path: Path) -> None:
    # "Café " holds a two-byte character: the bad byte is the 13th character of line 3.
    raw = "module: extra\nnumber: 3\ntitle: Café ".encode() + b"\xff\n"
    copy_notes(tmp_path, {MODULE: raw})
    assert only(tmp_path) == (
        f"{MODULE}:3:13: error[E_ENCODING]: file is not valid UTF-8 (byte 0xff) "
        "(hint: save the file as UTF-8)"
    )


def test_utf16_file_is_an_encoding_error_at_its_start(tmp_path: Path) -> None:
    copy_notes(tmp_path, {MODULE: "module: extra\n".encode("utf-16")})
    assert only(tmp_path).startswith(f"{MODULE}:1:1: error[E_ENCODING]")


def test_control_character_is_located(tmp_path: Path) -> None:
    copy_notes(tmp_path, {MODULE: "module: extra\ntitle: a\x00b\n"})
    assert only(tmp_path) == (
        f"{MODULE}:2:9: error[E_YAML_SYNTAX]: character U+0000 is not allowed in YAML: "
        "control characters are not allowed"
    )


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("module: extra\nprovides: [A@1\n", "3:1"),
        ("module: extra\n\ttitle: tab\n", "2:1"),
        ("module: extra\ntitle: 'open\n", "3:1"),
        ("module: extra\n---\nmodule: again\n", "2:1"),  # two documents
        ("module: *nowhere\n", "1:9"),
    ],
)
def test_syntax_errors_are_located(tmp_path: Path, text: str, where: str) -> None:
    copy_notes(tmp_path, {MODULE: text})
    assert only(tmp_path).startswith(f"{MODULE}:{where}: error[E_YAML_SYNTAX]")


def test_alias_bomb_is_stopped(tmp_path: Path) -> None:
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")  # 9**9 strings
    copy_notes(tmp_path, {MODULE: "module: bomb\n" + "\n".join(rows) + "\n"})
    assert only(tmp_path) == (
        f"{MODULE}:2:36: error[E_YAML_TOO_BIG]: document expands to more than {MAX_NODES} "
        "nodes (an alias bomb?) (hint: specloom limits YAML aliases so that a small file "
        "cannot expand forever)"
    )


def test_recursive_alias_is_too_deep_not_infinite(tmp_path: Path) -> None:
    copy_notes(tmp_path, {MODULE: "module: x\nloop: &l [*l]\n"})
    assert only(tmp_path).startswith(f"{MODULE}:2:7: error[E_YAML_TOO_DEEP]")


def test_ten_thousand_levels_of_flow_nesting(tmp_path: Path) -> None:
    copy_notes(tmp_path, {MODULE: "module: x\ndeep: " + "[" * 10_000 + "]" * 10_000 + "\n"})
    assert only(tmp_path).startswith(f"{MODULE}:2:")
    assert "error[E_YAML_TOO_DEEP]" in only(tmp_path)


def test_ten_thousand_levels_of_block_nesting(tmp_path: Path) -> None:
    copy_notes(tmp_path, {MODULE: "module: x\ndeep:\n  " + "- " * 10_000 + "end\n"})
    assert only(tmp_path).startswith(f"{MODULE}:3:")
    assert "error[E_YAML_TOO_DEEP]" in only(tmp_path)


def test_deep_indentation_is_too_deep(tmp_path: Path) -> None:
    text = "module: x\n" + "".join(" " * i + f"k{i}:\n" for i in range(100)) + " " * 100 + "end\n"
    copy_notes(tmp_path, {MODULE: text})
    assert only(tmp_path) == (
        f"{MODULE}:{3 + MAX_DEPTH}:{2 + MAX_DEPTH}: error[E_YAML_TOO_DEEP]: nesting deeper than "
        f"{MAX_DEPTH} levels"
    )


def test_nesting_just_past_the_limit(tmp_path: Path) -> None:
    # The mapping is level 0, so MAX_DEPTH brackets reach exactly the limit.
    deepest = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_yaml(f"a: {deepest}\n").data["a"]
    copy_notes(tmp_path, {MODULE: f"module: x\ndeep: [{deepest}]\n"})
    assert only(tmp_path) == (
        f"{MODULE}:2:{7 + MAX_DEPTH}: error[E_YAML_TOO_DEEP]: nesting deeper than "
        f"{MAX_DEPTH} levels"
    )


def test_file_over_two_mebibytes(tmp_path: Path) -> None:
    filler = ("# " + "x" * 97 + "\n") * (MAX_FILE_BYTES // 100 + 1)
    copy_notes(tmp_path, {MODULE: "module: big\n" + filler})
    assert (tmp_path / MODULE).stat().st_size > MAX_FILE_BYTES
    assert only(tmp_path) == (
        f"{MODULE}: error[E_FILE_TOO_BIG]: spec file is 2.0 MiB; the limit is 2 MiB "
        "(hint: split it into several files)"
    )
    (d,) = diagnostics(tmp_path)
    assert (d.path, d.line, d.col) == (MODULE, 0, 0)  # the whole file


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    head = "types:\n  Big: {type: string, description: "
    body = "x" * (MAX_FILE_BYTES - len(head) - 2)
    copy_notes(tmp_path, {"specs/types/big.yaml": head + body + "}\n"})
    assert (tmp_path / "specs/types/big.yaml").stat().st_size == MAX_FILE_BYTES
    assert lines(tmp_path) == []


@pytest.mark.parametrize(
    ("text", "where", "found"),
    [
        ("", "1:1", "an empty document"),
        ("# only a comment\n", "1:1", "an empty document"),
        ("# a list\n- module: x\n- number: 3\n", "2:1", "a list"),
        ("just text\n", "1:1", "a single value (str)"),
        ("name: x\ntitle: y\n", "1:1", "a mapping without any of them"),
    ],
)
def test_documents_that_are_not_specs(tmp_path: Path, text: str, where: str, found: str) -> None:
    copy_notes(tmp_path, {MODULE: text})
    assert only(tmp_path) == (
        f"{MODULE}:{where}: error[E_KIND]: not a spec file: expected a mapping with one of the "
        f"keys 'specloom', 'module', 'contract', 'types'; found {found}"
    )


def test_byte_order_mark_is_accepted_and_does_not_shift_columns(tmp_path: Path) -> None:
    copy_notes(tmp_path)
    system = tmp_path / "specs/system.yaml"
    system.write_bytes(b"\xef\xbb\xbf" + system.read_bytes())
    assert lines(tmp_path) == []
    write_tree(tmp_path, {MODULE: "\ufeffmodule: extra\nmodule: again\n"})
    assert only(tmp_path).startswith(f"{MODULE}:2:1: error[E_YAML_DUPLICATE_KEY]")


def test_unreadable_file_is_a_diagnostic(tmp_path: Path) -> None:
    # As root every file is readable; a file that vanished between listing and reading is not.
    doc, (d,) = read_spec_file(tmp_path / "gone.yaml", tmp_path)
    assert doc is None
    assert (d.path, d.line, d.code) == ("gone.yaml", 0, "E_READ")
    assert d.format_text() == (
        "gone.yaml: error[E_READ]: cannot read file: No such file or directory"
    )


def test_data_is_json_compatible() -> None:
    doc = parse_yaml("a: yes\nb: on\nc: 2024-01-01\nd: true\ne: null\nf: 1.5\ng: 0x1F\n")
    assert doc.data == {
        **{"a": "yes", "b": "on", "c": "2024-01-01"},  # YAML 1.1 booleans and dates stay text
        **{"d": True, "e": None, "f": 1.5, "g": 31},
    }


def test_positions_of_keys_and_values() -> None:
    doc = parse_yaml("top:\n  key: [one, {two: 2}]\n")
    assert doc.position(("top", "key"), key=True) == (2, 3)
    assert doc.position(("top", "key")) == (2, 8)
    assert doc.position(("top", "key", 1, "two")) == (2, 20)
    assert doc.position(("top", "missing", "deeper")) == (2, 3)  # falls back to the parent
