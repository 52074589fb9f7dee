"""find_stubs: which methods are stubs, their lines (decorators included), signature, docstring."""

from __future__ import annotations

from typing import Any

import pytest

from generator.fill import FillError
from generator.fill.stubs import find_stubs, split_lines


def test_finds_the_stubs_of_the_fixture_in_file_order(kit: Any) -> None:
    stubs = find_stubs(kit.IMPL)
    assert [(s.class_name, s.name, s.is_async) for s in stubs] == [
        ("Inventory", "create", True),
        ("Inventory", "total", False),
        ("Inventory", "get", False),
    ]
    create = stubs[0]
    lines = split_lines(kit.IMPL)
    assert lines[create.lineno - 1].strip() == "@stub"
    assert lines[create.def_lineno - 1].strip().startswith("async def create(")
    assert lines[create.end_lineno - 1].strip() == "raise NotImplementedError"
    assert create.indent == "    "
    assert create.signature == "(self, table: str, data: dict[str, Any]) -> str"
    assert create.header == "async def create(self, table: str, data: dict[str, Any]) -> str"
    assert create.docstring == "Create new record, return ID"
    assert create.decorators == ()
    assert stubs[1].signature == "(self, values: list[int], *, start: int=0) -> int"


def test_attribute_decorators_nested_classes_and_other_decorators() -> None:
    source = (
        "import specloom_runtime as rt\n"
        "class A:\n"
        "    @staticmethod\n"
        "    @rt.stub\n"
        "    def s(x: int) -> int:\n"
        "        raise NotImplementedError\n"
        "    def plain(self) -> None: ...\n"
        "    @stubby\n"
        "    def not_a_stub(self) -> None: ...\n"
        "    class Inner:\n"
        "        @stub\n"
        "        def deep(self): pass\n"
        "@stub\n"
        "def module_level() -> None: ...\n"
    )
    stubs = find_stubs(source)
    assert [(s.qualname, s.lineno, s.end_lineno, s.indent) for s in stubs] == [
        ("A.s", 3, 6, "    "),
        ("A.Inner.deep", 11, 12, "        "),
    ]
    assert stubs[0].decorators == ("staticmethod",)
    assert stubs[0].docstring is None
    assert stubs[1].signature == "(self)"


def test_no_stubs_and_empty_file() -> None:
    assert find_stubs("") == []
    assert find_stubs("class A:\n    def f(self): ...\n") == []


def test_crlf_and_bom_files() -> None:
    source = "\ufeffclass A:\r\n    @stub\r\n    def f(self) -> int:\r\n        return 1\r\n"
    (stub,) = find_stubs(source)
    assert (stub.lineno, stub.end_lineno, stub.indent) == (2, 4, "    ")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("class A:\n    def f(self)\n        pass\n", "syntax error at line 2"),
        ("x = (\n", "syntax error at line 1"),
        ("x = 1\x00\n", "cannot be parsed"),
    ],
)
def test_unparsable_source_is_a_clear_fill_error(source: str, message: str) -> None:
    with pytest.raises(FillError) as info:
        find_stubs(source)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
