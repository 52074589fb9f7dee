"""Build tests/diff/cases/<CASE>/{old,new}/ and expected.yaml from tests/diff/base and edits.

One case per diff rule (the folder is named by the rule ID), plus a few cases for accepted
breaks. Each case is the base spec set with one change; ``expected.yaml`` lists every finding
the change must produce (rule, status, subject), the exit code, and for the main finding the
file:line in NEW, computed here from the text (an ``at`` anchor), never from the tool.

Run ``python tests/diff/build_cases.py`` after editing; test_cases.py checks the folders are
current and that ``specloom diff`` classifies every case as expected.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
CASES = HERE / "cases"

CAT = "contracts/catalog.v1.yaml"
CAT2 = "contracts/catalog.v2.yaml"
ITEM = "types/item.yaml"
MOD_CAT = "modules/01-catalog.yaml"
MOD_FRONT = "modules/02-front.yaml"

# An edit: (path, old text, new text) replaces old text once; (path, None, text) writes the
# whole file; (path, None, None) deletes it.
Edit = tuple[str, str | None, str | None]

AUDIT_V1 = """contract: Audit
version: 1
description: An audit log.
methods:
  log:
    summary: Record a line.
    params:
      text: {type: string}
examples:
  - name: log a line
    steps:
      - {call: log, with: {text: hi}}
"""
AUDIT_V2 = AUDIT_V1.replace("version: 1", "version: 2")
AUDIT_MODULE_TEXT = """module: audit
number: 3
title: Audit
scope: The audit log.
provides: [Audit@1]
"""


AUDIT1: Edit = ("contracts/audit.v1.yaml", None, AUDIT_V1)
AUDIT2: Edit = ("contracts/audit.v2.yaml", None, AUDIT_V2)
AUDIT_MODULE: Edit = ("modules/03-audit.yaml", None, AUDIT_MODULE_TEXT)
KEEP1: Edit = ("system.yaml", "version: 1.0.0}", "version: 1.0.0}\nversions: {keep: 1}")
SKU = '      sku: {type: string, pattern: "^[A-Z]{3}-[0-9]+$"}\n'
QUERY = '      query: {type: string, maxLength: 50, default: ""}\n'
LIMIT = "limit: {type: integer, minimum: 1, maximum: 100, default: 10}"
TOTAL = '    returns: {type: [integer, "null"]}\n'


def base_text(rel: str) -> str:
    return (BASE / rel).read_text("utf-8")


def catalog_v2(*edits: tuple[str, str]) -> str:
    """Catalog@2: the base Catalog@1 with the version bumped and ``edits`` applied."""
    text = base_text(CAT).replace("version: 1", "version: 2", 1)
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


SHOP = "      shop: {type: string"
# Catalog@2's status gets a parameter shop (completed by a further edit) used by the example.
STATUS_SHOP = (
    (SKU, SKU + "      shop: {type: string\n"),
    ('{sku: "ABC-1"}', '{sku: "ABC-1", shop: main}'),
)  # fmt: skip


def provides(*keys: str) -> Edit:
    return (MOD_CAT, "provides: [Catalog@1]", f"provides: [{', '.join(keys)}]")


@dataclass
class Case:
    name: str  # a rule ID, or a lowercase name for other cases
    change: str  # what the case changes, in words
    new: list[Edit]
    expect: list[tuple[str, str, str]]  # (rule, status, subject)
    at: tuple[str, str] | None = None  # (file, anchor text): the first finding's line in NEW
    old: list[Edit] = field(default_factory=list)

    @property
    def exit(self) -> int:
        return 1 if any(status == "breaking" for _, status, _ in self.expect) else 0


C = "Catalog@1"

CASES_LIST = [
    # contracts and versions
    Case(
        "CONTRACT_NO_DELETE",
        "Audit@1, provided by catalog, is removed",
        old=[AUDIT1, provides("Catalog@1", "Audit@1")],
        new=[],
        expect=[("CONTRACT_NO_DELETE", "breaking", "Audit@1")],
    ),
    Case(
        "CONTRACT_VERSION_NO_DROP",
        "Audit@1 is removed while Audit@2 is current (policy keeps 3)",
        old=[AUDIT1, AUDIT2, provides("Catalog@1", "Audit@1", "Audit@2")],
        new=[AUDIT2, provides("Catalog@1", "Audit@2")],
        expect=[("CONTRACT_VERSION_NO_DROP", "breaking", "Audit@1")],
        at=("contracts/audit.v2.yaml", "version: 2"),
    ),
    Case(
        "CONTRACT_VERSION_RETIRED",
        "Audit@1 is removed; the policy keeps one version",
        old=[AUDIT1, AUDIT2, provides("Catalog@1", "Audit@1", "Audit@2"), KEEP1],
        new=[AUDIT2, provides("Catalog@1", "Audit@2"), KEEP1],
        expect=[("CONTRACT_VERSION_RETIRED", "compatible", "Audit@1")],
    ),
    Case(
        "CONTRACT_ADDED",
        "a new contract Audit@1",
        new=[AUDIT1, provides("Catalog@1", "Audit@1")],
        expect=[("CONTRACT_ADDED", "compatible", "Audit@1")],
    ),
    Case(
        "CONTRACT_VERSION_ADDED",
        "Catalog@2 next to Catalog@1: find's limit becomes required",
        new=[
            (CAT2, None, catalog_v2((LIMIT, "limit: {type: integer, minimum: 1, maximum: 100}"))),
            provides("Catalog@1", "Catalog@2"),
        ],
        expect=[
            ("CONTRACT_VERSION_ADDED", "compatible", "Catalog@2"),
            ("PARAM_NO_REQUIRE", "bumped", "Catalog@2.find"),
            ("ADAPTER_GENERATED", "compatible", "Catalog@1"),
        ],
    ),
    Case(
        "CONTRACT_DEPRECATED",
        "Catalog@1 is deprecated",
        new=[
            (
                CAT,
                "description: Items for sale.\n",
                "description: Items for sale.\ndeprecated: Use Catalog@2.\n",
            )
        ],
        expect=[("CONTRACT_DEPRECATED", "compatible", C)],
    ),
    Case(
        "DOC_CHANGED",
        "find's summary changes",
        new=[(CAT, "summary: Find items of a kind.", "summary: Find the items of a kind.")],
        expect=[("DOC_CHANGED", "compatible", f"{C}.find")],
    ),
    # modules
    Case(
        "MODULE_PROVIDES_NO_DROP",
        "catalog stops providing Audit@1 (still defined)",
        old=[AUDIT1, provides("Catalog@1", "Audit@1")],
        new=[AUDIT1],
        expect=[("MODULE_PROVIDES_NO_DROP", "breaking", "Audit@1")],
        at=(MOD_CAT, "provides:"),
    ),
    Case(
        "MODULE_PROVIDER_CHANGED",
        "Audit@1 moves from catalog to front",
        old=[AUDIT1, provides("Catalog@1", "Audit@1")],
        new=[AUDIT1, (MOD_FRONT, "provides: [Front@1]", "provides: [Front@1, Audit@1]")],
        expect=[("MODULE_PROVIDER_CHANGED", "warning", "Audit@1")],
    ),
    Case(
        "MODULE_AGENT_NO_CHANGE",
        "catalog gets another agent id",
        new=[(MOD_CAT, "number: 1\n", "number: 1\nagent: agent-shop-catalog\n")],
        expect=[("MODULE_AGENT_NO_CHANGE", "breaking", "module catalog")],
        at=(MOD_CAT, "agent:"),
    ),
    Case(
        "MODULE_ADDED",
        "a new module audit with a new contract",
        new=[AUDIT1, AUDIT_MODULE],
        expect=[
            ("MODULE_ADDED", "compatible", "module audit"),
            ("CONTRACT_ADDED", "compatible", "Audit@1"),
        ],
    ),
    Case(
        "MODULE_REMOVED",
        "module audit and its contract are removed",
        old=[AUDIT1, AUDIT_MODULE],
        new=[],
        expect=[
            ("MODULE_REMOVED", "compatible", "module audit"),
            ("CONTRACT_NO_DELETE", "breaking", "Audit@1"),
        ],
    ),
    Case(
        "MODULE_CONSUMES_CHANGED",
        "front stops consuming Catalog@1",
        new=[(MOD_FRONT, "consumes: [Catalog@1]\n", "")],
        expect=[("MODULE_CONSUMES_CHANGED", "compatible", "module front")],
    ),
    Case(
        "ADAPTER_GENERATED",
        "Catalog@2's new status param gets a default: an adapter is possible",
        old=[
            (CAT2, None, catalog_v2(*STATUS_SHOP, (SHOP, SHOP + "}"))),
            provides("Catalog@1", "Catalog@2"),
        ],
        new=[
            (CAT2, None, catalog_v2(*STATUS_SHOP, (SHOP, SHOP + ", default: main}"))),
            provides("Catalog@1", "Catalog@2"),
        ],
        expect=[
            ("PARAM_DEFAULT_ADDED", "compatible", "Catalog@2.status"),
            ("ADAPTER_GENERATED", "compatible", "Catalog@1"),
        ],
    ),
    Case(
        "ADAPTER_IMPOSSIBLE",
        "Catalog@2 drops find's query: no adapter can serve Catalog@1",
        new=[(CAT2, None, catalog_v2((QUERY, ""))), provides("Catalog@1", "Catalog@2")],
        expect=[
            ("CONTRACT_VERSION_ADDED", "compatible", "Catalog@2"),
            ("PARAM_NO_DELETE", "bumped", "Catalog@2.find"),
            ("ADAPTER_IMPOSSIBLE", "warning", "Catalog@1"),
        ],
    ),
    # methods
    Case(
        "METHOD_NO_DELETE",
        "method total is removed",
        new=[
            (CAT, "  total:\n    summary: Number of items, or null when unknown.\n" + TOTAL, ""),
            (CAT, "      - {call: total, returns: 1}\n", ""),
        ],
        expect=[
            ("METHOD_NO_DELETE", "breaking", f"{C}.total"),
            ("EXAMPLE_CHANGED", "compatible", C),
        ],
        at=(CAT, "methods:"),
    ),
    Case(
        "METHOD_ADDED",
        "method count is added",
        new=[
            (
                CAT,
                "errors:\n  UnknownSku",
                "  count:\n    summary: Count the items.\n"
                "    returns: {type: integer}\nerrors:\n  UnknownSku",
            ),
            (
                CAT,
                "      - {call: total, returns: 1}\n",
                "      - {call: total, returns: 1}\n      - {call: count, returns: 1}\n",
            ),
        ],
        expect=[("METHOD_ADDED", "compatible", f"{C}.count"), ("EXAMPLE_CHANGED", "compatible", C)],
    ),
    Case(
        "METHOD_DEPRECATED",
        "method total is deprecated",
        new=[(CAT, TOTAL, TOTAL + "    deprecated: Count the results of find.\n")],
        expect=[("METHOD_DEPRECATED", "compatible", f"{C}.total")],
    ),
    # parameters
    Case(
        "PARAM_NO_DELETE",
        "find loses its query parameter",
        new=[(CAT, QUERY, "")],
        expect=[("PARAM_NO_DELETE", "breaking", f"{C}.find")],
        at=(CAT, "    params:\n      kind"),
    ),
    Case(
        "REQUIRED_PARAM_NO_ADD",
        "status gets a required parameter shop",
        new=[
            (CAT, SKU, SKU + "      shop: {type: string}\n"),
            (CAT, '{sku: "ABC-1"}', '{sku: "ABC-1", shop: main}'),
        ],
        expect=[
            ("REQUIRED_PARAM_NO_ADD", "breaking", f"{C}.status"),
            ("EXAMPLE_CHANGED", "compatible", C),
        ],
        at=(CAT, "      shop: {type: string}"),
    ),
    Case(
        "PARAM_ADDED",
        "status gets an optional parameter shop",
        new=[(CAT, SKU, SKU + "      shop: {type: string, default: main}\n")],
        expect=[("PARAM_ADDED", "compatible", f"{C}.status")],
    ),
    Case(
        "PARAM_NO_REQUIRE",
        "find's limit loses its default",
        new=[(CAT, LIMIT, "limit: {type: integer, minimum: 1, maximum: 100}")],
        expect=[("PARAM_NO_REQUIRE", "breaking", f"{C}.find")],
        at=(CAT, "      limit:"),
    ),
    Case(
        "PARAM_DEFAULT_ADDED",
        "find's kind gets a default",
        new=[
            (
                CAT,
                "kind: {type: string, enum: [book, game]}",
                "kind: {type: string, enum: [book, game], default: book}",
            )
        ],
        expect=[("PARAM_DEFAULT_ADDED", "compatible", f"{C}.find")],
    ),
    Case(
        "DEFAULT_NO_CHANGE",
        "find's limit defaults to 20 instead of 10",
        new=[(CAT, "maximum: 100, default: 10}", "maximum: 100, default: 20}")],
        expect=[("DEFAULT_NO_CHANGE", "breaking", f"{C}.find")],
        at=(CAT, "      limit:"),
    ),
    Case(
        "PARAM_SAME_TYPE",
        "add's count becomes a string",
        new=[
            (CAT, "      count: {type: integer}\n", "      count: {type: string}\n"),
            (CAT, "{item: {sku: b1}, count: 1}", '{item: {sku: b1}, count: "1"}'),
        ],
        expect=[("PARAM_SAME_TYPE", "breaking", f"{C}.add"), ("EXAMPLE_CHANGED", "compatible", C)],
        at=(CAT, "      count:"),
    ),
    Case(
        "TYPE_WIDENED",
        "add's count accepts any number",
        new=[(CAT, "      count: {type: integer}\n", "      count: {type: number}\n")],
        expect=[("TYPE_WIDENED", "compatible", f"{C}.add")],
    ),
    # results
    Case(
        "RETURN_SAME_TYPE",
        "total may return a non-integral number",
        new=[(CAT, 'returns: {type: [integer, "null"]}', 'returns: {type: [number, "null"]}')],
        expect=[("RETURN_SAME_TYPE", "breaking", f"{C}.total")],
        at=(CAT, "returns: {type: [number"),
    ),
    Case(
        "TYPE_NARROWED",
        "total never returns null",
        new=[(CAT, 'returns: {type: [integer, "null"]}', "returns: {type: integer}")],
        expect=[("TYPE_NARROWED", "compatible", f"{C}.total")],
    ),
    # schema details
    Case(
        "ENUM_VALUE_NO_DELETE",
        "find no longer accepts kind game",
        new=[(CAT, "enum: [book, game]}", "enum: [book]}")],
        expect=[("ENUM_VALUE_NO_DELETE", "breaking", f"{C}.find")],
        at=(CAT, "      kind:"),
    ),
    Case(
        "ENUM_VALUE_NO_ADD",
        "status may return on_order",
        new=[(CAT, "enum: [in_stock, sold_out]}", "enum: [in_stock, sold_out, on_order]}")],
        expect=[("ENUM_VALUE_NO_ADD", "breaking", f"{C}.status")],
        at=(CAT, "returns: {type: string, enum"),
    ),
    Case(
        "ENUM_VALUE_ADDED",
        "find accepts kind music",
        new=[(CAT, "enum: [book, game]}", "enum: [book, game, music]}")],
        expect=[("ENUM_VALUE_ADDED", "compatible", f"{C}.find")],
    ),
    Case(
        "ENUM_VALUE_REMOVED",
        "status never returns sold_out",
        new=[(CAT, "enum: [in_stock, sold_out]}", "enum: [in_stock]}")],
        expect=[("ENUM_VALUE_REMOVED", "compatible", f"{C}.status")],
    ),
    Case(
        "CONSTRAINT_NO_TIGHTEN",
        "find's limit maximum drops to 50",
        new=[(CAT, "maximum: 100, default: 10}", "maximum: 50, default: 10}")],
        expect=[("CONSTRAINT_NO_TIGHTEN", "breaking", f"{C}.find")],
        at=(CAT, "      limit:"),
    ),
    Case(
        "CONSTRAINT_NO_LOOSEN",
        "find may return more than 100 items",
        new=[(CAT, "      maxItems: 100\n", "      maxItems: 500\n")],
        expect=[("CONSTRAINT_NO_LOOSEN", "breaking", f"{C}.find")],
        at=(CAT, "maxItems:"),
    ),
    Case(
        "CONSTRAINT_LOOSENED",
        "find's limit maximum rises to 200",
        new=[(CAT, "maximum: 100, default: 10}", "maximum: 200, default: 10}")],
        expect=[("CONSTRAINT_LOOSENED", "compatible", f"{C}.find")],
    ),
    Case(
        "CONSTRAINT_TIGHTENED",
        "find returns at most 50 items",
        new=[(CAT, "      maxItems: 100\n", "      maxItems: 50\n")],
        expect=[("CONSTRAINT_TIGHTENED", "compatible", f"{C}.find")],
    ),
    Case(
        "PROPERTY_NO_DELETE",
        "the Item type (a closed input object) loses tags",
        new=[(ITEM, "      tags: {type: array, items: {type: string}}\n", "")],
        expect=[("PROPERTY_NO_DELETE", "breaking", f"{C}.add")],
        at=(ITEM, "properties:"),
    ),
    Case(
        "REQUIRED_PROPERTY_NO_ADD",
        "the Item type gets a required price",
        new=[
            (ITEM, "    required: [sku]\n", "    required: [sku, price]\n"),
            (ITEM, "      tags:", "      price: {type: number}\n      tags:"),
            (CAT, "{item: {sku: b1}, count: 1}", "{item: {sku: b1, price: 2}, count: 1}"),
        ],
        expect=[
            ("REQUIRED_PROPERTY_NO_ADD", "breaking", f"{C}.add"),
            ("EXAMPLE_CHANGED", "compatible", C),
        ],
        at=(ITEM, "price:"),
    ),
    Case(
        "CLOSED_OBJECT_NO_ADD",
        "add's closed result object gets a property",
        new=[
            (
                CAT,
                "        note: {type: string}\n",
                "        note: {type: string}\n        shelf: {type: string}\n",
            )
        ],
        expect=[("CLOSED_OBJECT_NO_ADD", "breaking", f"{C}.add")],
        at=(CAT, "shelf:"),
    ),
    Case(
        "PROPERTY_REQUIRED_NO_REMOVE",
        "add's result no longer always has sku",
        new=[
            (
                CAT,
                "      required: [sku]\n      additionalProperties: false\n",
                "      additionalProperties: false\n",
            )
        ],
        expect=[("PROPERTY_REQUIRED_NO_REMOVE", "breaking", f"{C}.add")],
        at=(CAT, "        sku: {type: string}\n        note"),
    ),
    Case(
        "PROPERTY_ADDED",
        "the Item type gets an optional price",
        new=[(ITEM, "      tags:", "      price: {type: number}\n      tags:")],
        expect=[("PROPERTY_ADDED", "compatible", f"{C}.add")],
    ),
    Case(
        "PROPERTY_REMOVED",
        "add's result loses its optional note",
        new=[(CAT, "        note: {type: string}\n", "")],
        expect=[("PROPERTY_REMOVED", "compatible", f"{C}.add")],
    ),
    Case(
        "PROPERTY_REQUIRED_CHANGED",
        "the Item type no longer requires sku",
        new=[(ITEM, "    required: [sku]\n", "")],
        expect=[("PROPERTY_REQUIRED_CHANGED", "compatible", f"{C}.add")],
    ),
    # errors
    Case(
        "ERROR_NO_ADD",
        "status may raise Full",
        new=[(CAT, "errors: [UnknownSku]", "errors: [UnknownSku, Full]")],
        expect=[("ERROR_NO_ADD", "breaking", f"{C}.status")],
        at=(CAT, "errors: [UnknownSku, Full]"),
    ),
    Case(
        "ERROR_NO_DELETE",
        "add no longer declares Full",
        new=[(CAT, "    errors: [Full]\n", "")],
        expect=[("ERROR_NO_DELETE", "breaking", f"{C}.add")],
        at=(CAT, "  add:"),
    ),
    # events
    Case(
        "EVENT_NO_DELETE",
        "event added is removed",
        new=[
            (
                CAT,
                "events:\n  added:\n    summary: An item was added.\n"
                "    payload: {type: object, properties: {sku: {type: string}}}\n",
                "",
            )
        ],
        expect=[("EVENT_NO_DELETE", "breaking", C)],
        at=(CAT, "contract:"),
    ),
    Case(
        "EVENT_SAME_TYPE",
        "event added's sku becomes an integer",
        new=[(CAT, "properties: {sku: {type: string}}}", "properties: {sku: {type: integer}}}")],
        expect=[("EVENT_SAME_TYPE", "breaking", C)],
        at=(CAT, "payload:"),
    ),
    Case(
        "EVENT_ADDED",
        "a new event removed",
        new=[(CAT, "events:\n", "events:\n  removed: {summary: An item was removed.}\n")],
        expect=[("EVENT_ADDED", "compatible", C)],
    ),
    # examples
    Case(
        "EXAMPLE_ADDED",
        "a new example",
        new=[
            (
                CAT,
                "examples:\n",
                "examples:\n  - name: find games\n    steps:\n"
                "      - {call: find, with: {kind: game}, returns: []}\n",
            )
        ],
        expect=[("EXAMPLE_ADDED", "compatible", C)],
    ),
    Case(
        "EXAMPLE_REMOVED",
        "an example is removed",
        new=[
            (
                CAT,
                "  - name: unknown sku\n    steps:\n"
                '      - {call: status, with: {sku: "ABC-1"}, raises: UnknownSku}\n',
                "",
            ),
            (
                CAT,
                "      - {call: total, returns: 1}\n",
                '      - {call: total, returns: 1}\n      - {call: status, with: {sku: "ABC-1"}, '
                "raises: UnknownSku}\n",
            ),
        ],
        expect=[("EXAMPLE_REMOVED", "compatible", C), ("EXAMPLE_CHANGED", "compatible", C)],
    ),
    Case(
        "EXAMPLE_CHANGED",
        "an example changes",
        new=[(CAT, "{kind: book, limit: 5}", "{kind: book, limit: 6}")],
        expect=[("EXAMPLE_CHANGED", "compatible", C)],
    ),
    # deliberate breaks and other situations
    Case(
        "accepted_inline",
        "find loses query, accepted by a breaking entry on the method",
        new=[
            (
                CAT,
                QUERY,
                "    breaking:\n      - {rule: PARAM_NO_DELETE, reason: nobody searched}\n",
            )
        ],
        expect=[("PARAM_NO_DELETE", "accepted", f"{C}.find")],
        at=(CAT, "    params:\n      kind"),
    ),
    Case(
        "accepted_removed_method",
        "total is removed, accepted at contract level naming it",
        new=[
            (CAT, "  total:\n    summary: Number of items, or null when unknown.\n" + TOTAL, ""),
            (CAT, "      - {call: total, returns: 1}\n", ""),
            (
                CAT,
                "description: Items for sale.\n",
                "description: Items for sale.\nbreaking:\n"
                "  - {rule: METHOD_NO_DELETE, method: total, reason: it was never right}\n",
            ),
        ],
        expect=[
            ("METHOD_NO_DELETE", "accepted", f"{C}.total"),
            ("EXAMPLE_CHANGED", "compatible", C),
        ],
        at=(CAT, "methods:"),
    ),
    Case(
        "accepted_config",
        "status may raise Full, accepted in system.yaml for Catalog",
        new=[
            (CAT, "errors: [UnknownSku]", "errors: [UnknownSku, Full]"),
            (
                "system.yaml",
                "version: 1.0.0}",
                "version: 1.0.0}\nversions:\n  ignore:\n"
                "    - {rule: ERROR_NO_ADD, contract: Catalog, reason: callers catch every error}",
            ),
        ],
        expect=[("ERROR_NO_ADD", "accepted", f"{C}.status")],
        at=(CAT, "errors: [UnknownSku, Full]"),
    ),
    Case(
        "accepted_version_drop",
        "Audit@1 is dropped early, accepted in Audit@2",
        old=[AUDIT1, AUDIT2, provides("Catalog@1", "Audit@1", "Audit@2")],
        new=[
            (
                "contracts/audit.v2.yaml",
                None,
                AUDIT_V2.replace(
                    "description: An audit log.\n",
                    "description: An audit log.\nbreaking:\n"
                    "  - {rule: CONTRACT_VERSION_NO_DROP, reason: the only consumer moved}\n",
                ),
            ),
            provides("Catalog@1", "Audit@2"),
        ],
        expect=[("CONTRACT_VERSION_NO_DROP", "accepted", "Audit@1")],
    ),
    Case(
        "bump_keeps_old",
        "a proper bump: Catalog@2 drops query, Catalog@1 is kept and served",
        new=[
            (CAT2, None, catalog_v2((QUERY, ""))),
            provides("Catalog@1", "Catalog@2"),
            (MOD_FRONT, "consumes: [Catalog@1]", "consumes: [Catalog@2]"),
        ],
        expect=[
            ("CONTRACT_VERSION_ADDED", "compatible", "Catalog@2"),
            ("PARAM_NO_DELETE", "bumped", "Catalog@2.find"),
            ("ADAPTER_IMPOSSIBLE", "warning", "Catalog@1"),
            ("MODULE_CONSUMES_CHANGED", "compatible", "module front"),
        ],
    ),
]


def _apply(folder: Path, edits: list[Edit]) -> None:
    for rel, old, new in edits:
        path = folder / rel
        if old is None:
            if new is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(new, "utf-8")
            continue
        assert new is not None
        text = path.read_text("utf-8")
        assert text.count(old) == 1, f"{rel}: {old!r} occurs {text.count(old)} times"
        path.write_text(text.replace(old, new), "utf-8")


def _line_of(folder: Path, rel: str, anchor: str) -> int:
    text = (folder / rel).read_text("utf-8")
    assert text.count(anchor) == 1, f"{rel}: anchor {anchor!r} occurs {text.count(anchor)} times"
    return text[: text.index(anchor)].count("\n") + 1


def build(case: Case, dest: Path) -> None:
    """Write the case folder: old/ and new/ spec sets and expected.yaml."""
    if dest.exists():
        shutil.rmtree(dest)
    for side, edits in (("old", case.old), ("new", case.new)):
        shutil.copytree(BASE, dest / side)
        _apply(dest / side, edits)
    findings = []
    for i, (rule, status, subject) in enumerate(case.expect):
        entry = {"rule": rule, "status": status, "subject": subject}
        if i == 0 and case.at is not None:
            rel, anchor = case.at
            entry["at"] = f"{rel}:{_line_of(dest / 'new', rel, anchor)}"
        findings.append(entry)
    expected = {"case": case.name, "change": case.change, "exit": case.exit, "findings": findings}
    text = yaml.safe_dump(expected, sort_keys=False, width=100, allow_unicode=True)
    (dest / "expected.yaml").write_text(text, "utf-8")


def build_all(root: Path = CASES) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for case in CASES_LIST:
        build(case, root / case.name)


if __name__ == "__main__":
    build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else CASES)
    print(f"wrote {len(CASES_LIST)} cases to {CASES}")
