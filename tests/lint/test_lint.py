"""``specloom lint``: each rule finds what it names, the ``lint:`` config of system.yaml
enables, excepts and ignores per path, and the CLI reports in text/json/github with exit 1 on
findings. Run through the real CLI on copies of the small shop case set."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from generator.lint import RULES

ROOT = Path(__file__).resolve().parents[2]
SPECLOOM = str(Path(sys.executable).with_name("specloom"))
SHOP = ROOT / "tests" / "cases" / "valid_minimal" / "specs"

CLEAN_ORDERS = """contract: Orders
version: 1
description: Orders of products.
methods:
  place:
    summary: Place an order and return it.
    params:
      sku: {type: string, minLength: 1, description: The product.}
      quantity: {type: integer, minimum: 1, default: 1, description: How many.}
    returns: {$ref: "#/types/Order"}
  cancel:
    summary: Cancel an order.
    params:
      order_id: {type: string, minLength: 1, description: The order.}
examples:
  - name: place then cancel
    steps:
      - call: place
        with: {sku: apple, quantity: 2}
        bind: order
        returns: {sku: apple, quantity: 2}
        match: subset
      - {call: cancel, with: {order_id: o-1}}
"""

CLEAN_STOCK = """contract: Stock
version: 1
description: Counts of products in stock.
methods:
  count:
    summary: How many items of a product are in stock.
    params:
      sku: {type: string, minLength: 1, description: The product.}
    returns: {type: integer, minimum: 0}
    errors: [UnknownSku]
errors:
  UnknownSku: {summary: No such product.}
examples:
  - name: count products
    steps:
      - {call: count, with: {sku: apple}, returns: 3}
      - {call: count, with: {sku: pear}, raises: UnknownSku}
"""


def _shop(tmp_path: Path, lint: str = "") -> Path:
    specs = tmp_path / "specs"
    shutil.copytree(SHOP, specs)
    (specs / "contracts" / "orders.v1.yaml").write_text(CLEAN_ORDERS, "utf-8")
    (specs / "contracts" / "stock.v1.yaml").write_text(CLEAN_STOCK, "utf-8")
    if lint:
        with (specs / "system.yaml").open("a", encoding="utf-8") as fh:
            fh.write(lint)
    return specs


def _lint(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SPECLOOM, "lint", "specs", *args], cwd=tmp_path, capture_output=True, text=True
    )


def _codes(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [d["code"] for d in json.loads(proc.stdout)]


def test_a_clean_set_passes(tmp_path: Path) -> None:
    _shop(tmp_path)
    proc = _lint(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def _dirty(specs: Path) -> None:
    stock = specs / "contracts" / "stock.v1.yaml"
    text = stock.read_text("utf-8")
    text = text.replace("description: Counts of products in stock.\n", "")
    text = text.replace("summary: How many items of a product are in stock.", "summary: count")
    text = text.replace("sku: {type: string, minLength: 1, description: The product.}",
                        "sku: {type: string, minLength: 1}")  # fmt: skip
    text = text.replace("returns: {type: integer, minimum: 0}",
                        "returns: {type: object, properties: {inStock: {type: int"
                        "eger}}}")  # fmt: skip
    text = text.replace("{call: count, with: {sku: apple}, returns: 3}",
                        "{call: count, with: {sku: apple}}")  # fmt: skip
    text = text.replace("errors: [UnknownSku]", "errors: [UnknownSku, StockError]")
    text = text.replace("UnknownSku: {summary: No such product.}",
                        "UnknownSku: {summary: No such product.}\n  StockError: {summary: TODO}\n"
                        "  Unused: {summary: Never raised.}")  # fmt: skip
    stock.write_text(text, "utf-8")
    stock.rename(specs / "contracts" / "stock.yaml")


def test_each_default_rule_reports_what_it_names(tmp_path: Path) -> None:
    specs = _shop(tmp_path)
    _dirty(specs)
    proc = _lint(tmp_path, "--format", "json")
    assert proc.returncode == 1
    found = json.loads(proc.stdout)
    codes = {d["code"] for d in found}
    assert codes == {
        "CONTRACT_DESCRIPTION", "METHOD_SUMMARY", "PARAM_DESCRIPTION", "FIELD_SNAKE_CASE",
        "METHOD_EXAMPLE_RESULT", "ERROR_EXAMPLE", "ERROR_NAME", "ERROR_UNUSED", "EVENT_SUMMARY",
        "VERSION_FILE_NAME",
    }  # fmt: skip
    assert all(
        d["severity"] == "warning" and d["path"] == "specs/contracts/stock.yaml" for d in found
    )
    snake = next(d for d in found if d["code"] == "FIELD_SNAKE_CASE")
    assert snake["message"] == "property 'inStock' is not snake_case" and snake["line"] == 8


def test_version_deprecate_old_and_opt_in_rules(tmp_path: Path) -> None:
    specs = _shop(tmp_path, "lint: {enable: [VERSION_DEPRECATE_OLD, MODULE_BRIEF]}\n")
    v2 = CLEAN_STOCK.replace("version: 1", "version: 2")
    (specs / "contracts" / "stock.v2.yaml").write_text(v2, "utf-8")
    proc = _lint(tmp_path, "--format", "json")
    codes = _codes(proc)
    assert "VERSION_DEPRECATE_OLD" in codes and "MODULE_BRIEF" in codes
    assert set(codes) == {"VERSION_DEPRECATE_OLD", "MODULE_BRIEF"}  # only what enable names


def test_except_ignore_and_ignore_only(tmp_path: Path) -> None:
    config = (
        "lint:\n"
        "  except: [ERROR_NAME]\n"
        "  ignore_only:\n"
        "    PARAM_DESCRIPTION: [contracts/]\n"
        "    FIELD_SNAKE_CASE: [contracts/stock.yaml]\n"
    )
    specs = _shop(tmp_path, config)
    _dirty(specs)
    codes = set(_codes(_lint(tmp_path, "--format", "json")))
    assert "ERROR_NAME" not in codes and "PARAM_DESCRIPTION" not in codes
    assert "FIELD_SNAKE_CASE" not in codes and "METHOD_SUMMARY" in codes
    with (specs / "system.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  ignore: [contracts]\n")
    proc = _lint(tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_text_and_github_formats_and_unknown_rules(tmp_path: Path) -> None:
    specs = _shop(tmp_path)
    _dirty(specs)
    text = _lint(tmp_path)
    assert "specs/contracts/stock.yaml:8:" in text.stderr
    assert "warning[FIELD_SNAKE_CASE]: property 'inStock' is not snake_case" in text.stderr
    assert text.stderr.rstrip().endswith("lint finding(s)")
    github = _lint(tmp_path, "--format", "github")
    assert "::warning file=specs/contracts/stock.yaml,line=8," in github.stdout
    assert "title=FIELD_SNAKE_CASE::" in github.stdout
    with (specs / "system.yaml").open("a", encoding="utf-8") as fh:
        fh.write("lint: {except: [PARAM_DESCRIPTON]}\n")
    bad = _lint(tmp_path)
    assert bad.returncode == 1
    assert "error[E_LINT_RULE]: unknown lint rule 'PARAM_DESCRIPTON'" in bad.stderr
    assert "did you mean 'PARAM_DESCRIPTION'?" in bad.stderr


def test_invalid_specs_are_reported_not_linted(tmp_path: Path) -> None:
    specs = _shop(tmp_path)
    (specs / "system.yaml").write_text("specloom: 1\nsystem: {name: Shop}\n", "utf-8")
    proc = _lint(tmp_path)
    assert proc.returncode == 1 and "error[E_SCHEMA]" in proc.stderr


def test_rules_listing_names_every_rule() -> None:
    proc = subprocess.run([SPECLOOM, "lint", "--rules"], capture_output=True, text=True)
    assert proc.returncode == 0
    for rule_id in RULES:
        assert rule_id in proc.stdout


def test_the_rules_doc_lists_every_rule() -> None:
    text = (ROOT / "docs" / "lint-rules.md").read_text("utf-8")
    for rule in RULES.values():
        assert f"| `{rule.id}` | {'yes' if rule.default else 'no'} | {rule.description} |" in text
