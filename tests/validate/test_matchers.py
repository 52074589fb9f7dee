"""Example matchers ($like, $regex, $eachLike, $partial) and dotted $var paths: validate checks
them, the runtime (mocks, replayed contract tests) honours them, and both read one grammar."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.validate import matchers as vm
from generator.validate import validate_specs

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "tests" / "cases" / "valid_minimal" / "specs"
SPECLOOM = str(Path(sys.executable).with_name("specloom"))
ORDERS = "contracts/orders.v1.yaml"
OLD_STEPS = """        returns: {sku: apple, quantity: 2}
        match: subset
      - {call: cancel, with: {order_id: o-1}}"""


rm = importlib.import_module("specloom_runtime.matchers")


def _eq(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b or (isinstance(a, int | float) and a == b)


SAMPLES = [
    {"$like": 1},
    {"$regex": "^a+$", "example": "aa"},
    {"$eachLike": {"id": {"$like": "x"}}, "min": 2},
    {"$partial": {"a": 1}},
    {"$like": 1, "other": 2},
    {"$var": "x"},
    {"plain": [1, {"$like": True}]},
]


@pytest.mark.parametrize("value", SAMPLES, ids=str)
def test_validate_and_runtime_read_one_grammar(value: dict) -> None:
    assert vm.is_matcher(value) == rm.is_matcher(value)
    assert vm.concrete(value)[0] == rm.example_value(value)


@pytest.mark.parametrize(
    "expr", ["order", "order.id", "items[0].sku", "a[1][2]", "Bad", "a.", "a[x]"]
)
def test_paths_parse_alike(expr: str) -> None:
    assert vm.parse_path(expr) == rm.parse_path(expr)


@pytest.mark.timeout(20)
def test_regex_matchers_run_in_linear_time() -> None:
    """A hostile value against a backtracking-prone $regex (issue 12 section 2): instant."""
    hostile = {"$regex": "(a|a)+", "example": "aaa"}
    assert rm.match("a" * 5000, hostile, _eq) and not rm.match("a" * 5000 + "!", hostile, _eq)
    either = {"$regex": "a|ab", "example": "a"}  # in full: ^(?:a|ab)$, not ^a|ab$
    assert rm.match("ab", either, _eq) and not rm.match("abc", either, _eq)
    assert list(vm.matcher_problems({"$regex": "(a|a)+", "example": "a" * 40 + "!"}))
    (problem,) = vm.matcher_problems({"$regex": "(?=a)a", "example": "a"})
    assert "cannot be used: look-around" in problem[1]


def test_runtime_matching() -> None:
    like = {"$like": {"id": "x", "n": 1}}
    assert rm.match({"id": "other", "n": 7, "extra": True}, like, _eq)
    assert not rm.match({"id": 3, "n": 7}, like, _eq)
    assert not rm.match({"n": 7}, like, _eq)
    assert not rm.match({"id": "a", "n": 1.5}, like, _eq)  # 1 is an integer
    assert rm.match("ord-12", {"$regex": "ord-[0-9]+", "example": "ord-1"}, _eq)
    assert not rm.match("xord-12", {"$regex": "ord-[0-9]+", "example": "ord-1"}, _eq)
    each = {"$eachLike": {"sku": "a"}, "min": 2}
    assert rm.match([{"sku": "b"}, {"sku": "c"}], each, _eq)
    assert not rm.match([{"sku": "b"}], each, _eq)
    assert not rm.match([{"sku": 1}, {"sku": "c"}], each, _eq)
    partial = {"$partial": {"a": 1, "b": {"c": 2}}}
    assert rm.match({"a": 1, "b": {"c": 2, "d": 3}, "z": 0}, partial, _eq)
    assert not rm.match({"a": 2, "b": {"c": 2}}, partial, _eq)
    assert rm.lookup({"items": [{"sku": "s"}]}, rm.parse_path("o.items[0].sku")[1]) == "s"


def _shop(tmp_path: Path, steps: str) -> Path:
    shutil.copytree(SHOP, tmp_path / "specs")
    path = tmp_path / "specs" / ORDERS
    text = path.read_text("utf-8")
    assert OLD_STEPS in text
    path.write_text(text.replace(OLD_STEPS, steps), "utf-8")
    return tmp_path


def _codes(root: Path) -> list[str]:
    return [d.format_text() for d in validate_specs(root / "specs", base=root).diagnostics]


def test_validate_reports_malformed_matchers_and_paths(tmp_path: Path) -> None:
    steps = """        returns: {id: {$regex: "^o-[0-9]+$", example: x1}, sku: {$regx: a},
                  quantity: {$like: "2"}}
      - {call: cancel, with: {order_id: {$var: "order..id"}}}
      - {call: cancel, with: {order_id: {$regex: "(", example: a}}}
      - {call: place, with: {sku: {$eachLike: a, min: -1}}}"""
    found = _codes(_shop(tmp_path, steps))
    text = "\n".join(found)
    assert "error[E_EXAMPLE_MATCHER]: the example 'x1' does not match $regex '^o-[0-9]+$'" in text
    assert "error[E_EXAMPLE_MATCHER]: unknown matcher $regx" in text
    assert "error[E_EXAMPLE_MATCHER]: 'order..id' is no variable path" in text
    assert "error[E_EXAMPLE_MATCHER]: $regex '(' cannot be used: " in text
    assert "error[E_EXAMPLE_MATCHER]: $eachLike min must be a whole number >= 0, not -1" in text
    # the example a $like stands for is checked against the schema
    assert "E_EXAMPLE_RETURNS_INVALID" in text and "'2' is not of type 'integer'" in text


MATCHING = """        returns: {$partial: {id: {$regex: "^.+$", example: o-1}, sku: apple,
                  quantity: {$like: 2}}}
      - {call: cancel, with: {order_id: {$var: order.id}}}"""


def test_matchers_and_paths_pass_validate_and_the_generated_tests(tmp_path: Path) -> None:
    root = _shop(tmp_path, MATCHING)
    assert _codes(root) == []
    impl = root / "impl"
    gen = subprocess.run([SPECLOOM, "generate", "specs"], cwd=root, capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    orders = impl / "orders.py"
    text = orders.read_text("utf-8")
    start = text.index("    @stub\n    async def place")
    body = (
        "    async def place(self, sku: str, quantity: int = 1) -> Order:\n"
        '        return Order(id=f"o-{quantity}7", sku=sku, quantity=quantity)\n\n'
        "    async def cancel(self, order_id: str) -> None:\n"
        "        return None\n"
    )
    orders.write_text(text[:start] + body, "utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/contract/test_orders_v1.py",
        ],
        cwd=root / "generated",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "skipped" not in proc.stdout.splitlines()[-1]  # the implementation ran too


DOC_CONTRACT = """contract: Shop
version: 1
description: The documented matcher example, as a real contract.
methods:
  place:
    summary: Place an order.
    params:
      items:
        type: array
        minItems: 1
        items:
          type: object
          required: [sku, quantity]
          properties: {sku: {type: string}, quantity: {type: integer, minimum: 1}}
    returns: {$ref: "#/types/Order"}
  read:
    summary: Read an order.
    params:
      order_id: {type: string}
    returns: {$ref: "#/types/Order"}
"""

DOC_TYPES = """types:
  Order:
    type: object
    required: [id, items, total]
    properties:
      id: {type: string, pattern: "^ord-[0-9]+$"}
      items:
        type: array
        items:
          type: object
          required: [sku, quantity]
          properties: {sku: {type: string}, quantity: {type: integer, minimum: 1}}
      total: {type: number}
"""

DOC_IMPL = '''

class ShopImpl(ShopBase):
    """Keeps orders in memory."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.orders: dict[str, Order] = {}

    async def place(self, items: list[Any]) -> Order:
        order_id = f"ord-{len(self.orders) + 41}"
        rows = [i if isinstance(i, dict) else i.model_dump() for i in items]
        total = sum(r["quantity"] for r in rows) * 1.25
        data = {"id": order_id, "items": rows, "total": total}
        self.orders[order_id] = Order.model_validate(data)
        return self.orders[order_id]

    async def read(self, order_id: str) -> Order:
        return self.orders[order_id]
'''


def test_the_documented_example_validates_and_passes_mock_and_implementation(
    tmp_path: Path,
) -> None:
    from generator.validate.matchers import REFERENCE

    block = REFERENCE.split("```yaml\n", 1)[1].split("```", 1)[0]
    specs = tmp_path / "specs"
    (specs / "contracts").mkdir(parents=True)
    (specs / "modules").mkdir()
    (specs / "types").mkdir()
    (specs / "system.yaml").write_text(
        "specloom: 1\nsystem: {name: docshop, title: Doc shop, version: 0.1.0}\n", "utf-8"
    )
    (specs / "contracts" / "shop.v1.yaml").write_text(DOC_CONTRACT + block, "utf-8")
    (specs / "types" / "order.yaml").write_text(DOC_TYPES, "utf-8")
    (specs / "modules" / "01-shop.yaml").write_text(
        "module: shop\nnumber: 1\ntitle: Shop\nscope: Orders.\nprovides: [Shop@1]\n", "utf-8"
    )
    assert _codes(tmp_path) == []
    gen = subprocess.run(
        [SPECLOOM, "generate", "specs"], cwd=tmp_path, capture_output=True, text=True
    )
    assert gen.returncode == 0, gen.stderr
    impl = tmp_path / "impl" / "shop.py"
    text = impl.read_text("utf-8")
    head = text[: text.index("class ShopImpl")]
    impl.write_text(head + DOC_IMPL.lstrip("\n"), "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "tests/contract"],
        cwd=tmp_path / "generated",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "skipped" not in proc.stdout.splitlines()[-1], proc.stdout
