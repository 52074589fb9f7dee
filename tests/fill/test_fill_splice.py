"""extract_method (answer validation) and splice (byte-exact replacement of the stub's lines)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator.fill import AnswerRejected
from generator.fill.splice import extract_method, splice
from generator.fill.stubs import Stub, find_stubs, split_lines


def _stub(source: str, name: str) -> Stub:
    return next(s for s in find_stubs(source) if s.name == name)


def _rejected(answer: str, stub: Stub) -> str:
    with pytest.raises(AnswerRejected) as info:
        extract_method(answer, stub)
    reason = info.value.reason
    assert "\n" not in reason
    return reason


# --- extract_method: accepted forms ----------------------------------------------------------


def test_structured_answer_with_imports(kit: Any) -> None:
    stub = _stub(kit.IMPL, "create")
    code, imports = extract_method(kit.structured(kit.GOOD_CREATE, ["import uuid"]), stub)
    assert code == kit.GOOD_CREATE
    assert imports == ["import uuid"]


@pytest.mark.parametrize("lang", ["python", "py", ""])
def test_code_fences_with_prose_around(kit: Any, lang: str) -> None:
    stub = _stub(kit.IMPL, "total")
    answer = (
        "Sure! Here is the method:\n\n"
        f"```{lang}\nfrom typing import Any\n\n{kit.GOOD_TOTAL}```\n\n"
        "Example usage:\n```python\nprint(Inventory().total([1]))\n```\nHope this helps."
    )
    code, imports = extract_method(answer, stub)
    assert code == kit.GOOD_TOTAL
    assert imports == ["from typing import Any"]


def test_fences_inside_the_structured_code_and_unterminated_fence(kit: Any) -> None:
    stub = _stub(kit.IMPL, "total")
    fenced = kit.structured(f"```python\n{kit.GOOD_TOTAL}```")
    assert extract_method(fenced, stub).code == kit.GOOD_TOTAL
    assert extract_method(f"```python\n{kit.GOOD_TOTAL}", stub).code == kit.GOOD_TOTAL


def test_plain_answer_and_class_wrapper(kit: Any) -> None:
    stub = _stub(kit.IMPL, "total")
    assert extract_method(kit.GOOD_TOTAL, stub).code == kit.GOOD_TOTAL
    indented = "".join(
        "    " + line if line.strip() else line for line in split_lines(kit.GOOD_TOTAL)
    )
    wrapped = f'import math\n\nclass Inventory:\n    """Doc."""\n\n{indented}'
    code, imports = extract_method(wrapped, stub)
    assert code == kit.GOOD_TOTAL
    assert imports == ["import math"]
    assert extract_method(kit.structured("\n" + indented), stub).code == kit.GOOD_TOTAL


def test_multiline_string_content_is_not_dedented() -> None:
    source = "class A:\n    @stub\n    def f(self) -> str:\n        raise NotImplementedError\n"
    stub = _stub(source, "f")
    answer = (
        "class A:\n"
        "    def f(self) -> str:\n"
        '        text = """first\n'
        "  two spaces\n"
        'last"""\n'
        "        return text\n"
    )
    code, _ = extract_method(answer, stub)
    assert code == (
        'def f(self) -> str:\n    text = """first\n  two spaces\nlast"""\n    return text\n'
    )
    result = splice(source, stub, code, [])
    namespace: dict[str, Any] = {}
    exec(result.replace("    @stub\n", ""), namespace)
    assert namespace["A"]().f() == "first\n  two spaces\nlast"


# --- extract_method: rejections --------------------------------------------------------------


def test_rejections_have_one_clear_line(kit: Any) -> None:
    create = _stub(kit.IMPL, "create")
    total = _stub(kit.IMPL, "total")
    other = "def update(self, id: str) -> None:\n    pass\n"

    assert _rejected("", create) == "answer is empty"
    assert _rejected(kit.structured("   "), create) == "answer is empty"
    assert _rejected("def total(self, values:\n    x = (\n", total).startswith(
        "syntax error at line "
    )
    wrong = "async def create(self, table: str, data: dict) -> str:\n    return ''\n"
    assert _rejected(wrong, create) == (
        "signature differs: expected (self, table: str, data: dict[str, Any]) -> str, "
        "got (self, table: str, data: dict) -> str"
    )
    sync = "def create(self, table: str, data: dict[str, Any]) -> str:\n    return ''\n"
    assert _rejected(sync, create) == (
        "signature differs: expected async def create(self, table: str, data: dict[str, Any])"
        " -> str, got def create(self, table: str, data: dict[str, Any]) -> str"
    )
    assert _rejected(kit.GOOD_TOTAL + other, total) == "answer defines other methods: update"
    wrapped = "class Inventory:\n    def update(self, id: str) -> None:\n        pass\n"
    assert _rejected(wrapped, total) == "answer defines other methods: update"
    assert _rejected(other, total) == "answer defines other methods: update"
    assert _rejected("import os\n", total) == "answer does not define method total"
    assert _rejected(kit.GOOD_TOTAL + "\nprint(1)\n", total) == (
        "answer has top-level code besides imports and the method: Expr at line 5"
    )
    assert _rejected("@stub\n" + kit.GOOD_TOTAL, total) == (
        "answer keeps the @stub decorator; it must be removed"
    )
    assert _rejected("@functools.cache\n" + kit.GOOD_TOTAL, total) == (
        "decorators differ: expected none, got @functools.cache"
    )
    still = kit.GOOD_TOTAL.replace("return start + sum(values)", "raise NotImplementedError")
    assert _rejected(still, total) == "answer still raises NotImplementedError"
    assert _rejected(kit.structured(kit.GOOD_TOTAL, ["x = 1"]), total) == (
        "not an import statement: 'x = 1'"
    )
    assert _rejected(json.dumps({"code": 3}), total) == "structured answer: 'code' must be a string"
    two = f"class A:\n    pass\nclass B:\n    pass\n{kit.GOOD_TOTAL}"
    assert _rejected(two, total) == "answer defines more than one class"


# --- splice ----------------------------------------------------------------------------------


def test_splice_replaces_exactly_the_stub_lines(kit: Any) -> None:
    source = kit.IMPL
    stub = _stub(source, "total")
    result = splice(source, stub, kit.GOOD_TOTAL, [])
    lines = split_lines(source)
    new = [("    " + line if line.strip() else line) for line in split_lines(kit.GOOD_TOTAL)]
    expected = "".join(lines[: stub.lineno - 1] + new + lines[stub.end_lineno :])
    assert result == expected


def test_splice_adds_missing_imports_after_the_import_block(kit: Any) -> None:
    source = kit.IMPL
    stub = _stub(source, "create")
    imports = ["import uuid", "from typing import Any", "from collections import OrderedDict as OD"]
    result = splice(source, stub, kit.GOOD_CREATE, imports)
    marker = "from typing import Any\n"
    added = "import uuid\nfrom collections import OrderedDict as OD\n"
    assert result.startswith(source[: source.index(marker) + len(marker)] + added)
    rest = result[source.index(marker) + len(marker) + len(added) :]
    assert rest == splice(source, stub, kit.GOOD_CREATE, [])[source.index(marker) + len(marker) :]


def test_splice_keeps_crlf_bom_and_missing_final_newline() -> None:
    source = (
        "\ufeff# header\r\n"
        "import os\r\n"
        "class A:\r\n"
        "\tx = 1\r\n"
        "\t@stub\r\n"
        "\tdef f(self) -> int:\r\n"
        "\t\traise NotImplementedError"
    )
    stub = _stub(source, "f")
    result = splice(source, stub, "def f(self) -> int:\n    return len(os.sep)\n", ["import re"])
    assert result == (
        "\ufeff# header\r\n"
        "import os\r\n"
        "import re\r\n"
        "class A:\r\n"
        "\tx = 1\r\n"
        "\tdef f(self) -> int:\r\n"
        "\t    return len(os.sep)"
    )


def test_splice_imports_after_docstring_or_before_first_statement() -> None:
    body = "class A:\n    @stub\n    def f(self) -> int:\n        ...\n"
    code = "def f(self) -> int:\n    return 1\n"
    with_doc = '"""Doc."""\n' + body
    assert splice(with_doc, _stub(with_doc, "f"), code, ["import os"]).startswith(
        '"""Doc."""\nimport os\nclass A:\n'
    )
    decorated = "#!/usr/bin/env python\n@dataclass\n" + body
    assert splice(decorated, _stub(decorated, "f"), code, ["import os"]).startswith(
        "#!/usr/bin/env python\nimport os\n@dataclass\nclass A:\n"
    )
    already = "import os.path\n" + body
    result = splice(already, _stub(already, "f"), code, ["import os", "from __future__ import x"])
    assert result.startswith("import os.path\nclass A:\n")
