"""``specloom lint``: good-practice rules over a valid spec set, configured in system.yaml.

``lint:`` in system.yaml (all keys optional)::

    lint:
      enable: [DEFAULT, MODULE_BRIEF]     # rule IDs, DEFAULT (the default set) or ALL
      except: [ERROR_EXAMPLE]             # never these
      ignore: [contracts/legacy/]         # files or folders (relative to the spec folder)
      ignore_only: {PARAM_DESCRIPTION: [contracts/old.v1.yaml]}

Findings are diagnostics whose code is the rule ID (severity warning), printed like
``specloom validate``'s; any finding makes the command exit 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, Severity, did_you_mean
from ..model.spec import SpecSet
from .rules import RULES, Rule


@dataclass(frozen=True)
class LintConfig:
    rules: tuple[str, ...]
    ignore: tuple[str, ...] = ()
    ignore_only: Mapping[str, tuple[str, ...]] | None = None

    @staticmethod
    def from_system(data: Mapping[str, Any]) -> tuple[LintConfig, list[str]]:
        """The configuration and the unknown rule IDs it names."""
        enable = list(data.get("enable") or ["DEFAULT"])
        excluded = set(data.get("except") or [])
        unknown = [
            r for r in [*enable, *excluded, *(data.get("ignore_only") or {})]
            if r not in RULES and r not in ("DEFAULT", "ALL")
        ]  # fmt: skip
        chosen: list[str] = []
        for entry in enable:
            if entry == "ALL":
                chosen += list(RULES)
            elif entry == "DEFAULT":
                chosen += [r.id for r in RULES.values() if r.default]
            elif entry in RULES:
                chosen.append(entry)
        rules = tuple(dict.fromkeys(r for r in chosen if r not in excluded))
        only = {k: tuple(v) for k, v in (data.get("ignore_only") or {}).items()}
        return LintConfig(rules, tuple(data.get("ignore") or ()), only), unknown


def _covers(patterns: tuple[str, ...], rel: str) -> bool:
    for p in patterns:
        p = p.strip("/").removeprefix("./")
        if rel == p or rel.startswith(p + "/") or not p:
            return True
    return False


def lint_spec(spec: SpecSet, specs: Path) -> list[Diagnostic]:
    """Every finding of the configured rules, sorted by location."""
    data: Mapping[str, Any] = {}
    where = ("", 0, 0)
    if spec.system is not None:
        data = spec.system.origin.doc.data.get("lint") or {}
        where = spec.system.origin.at("lint", key=True)
    config, unknown = LintConfig.from_system(data)
    out = [
        Diagnostic(
            *where,
            "E_LINT_RULE",
            f"unknown lint rule {name!r}",
            did_you_mean(name, list(RULES), "see `specloom lint --rules`"),
        )
        for name in unknown
    ]
    root = specs.resolve()
    for rule_id in config.rules:
        rule: Rule = RULES[rule_id]
        skip = (config.ignore_only or {}).get(rule_id, ())
        for origin, path, key, message, hint in rule.check(spec):
            try:
                rel = Path(origin.doc.path).resolve().relative_to(root).as_posix()
            except ValueError:
                rel = str(origin.doc.path)
            if _covers(config.ignore, rel) or _covers(skip, rel):
                continue
            shown, line, col = origin.at(*path, key=key)
            out.append(Diagnostic(shown, line, col, rule_id, message, hint, Severity.WARNING))
    return sorted(set(out), key=lambda d: (d.path, d.line, d.col, d.code, d.message))


def rules_table() -> str:
    """Every rule: ID, whether it is in DEFAULT, what it checks (``specloom lint --rules``)."""
    return "\n".join(
        f"{r.id:<24} {'default' if r.default else 'opt-in ':<8} {r.description}"
        for r in RULES.values()
    )


__all__ = ["RULES", "LintConfig", "lint_spec", "rules_table"]
