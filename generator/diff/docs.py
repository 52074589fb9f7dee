"""Render docs/diff-rules.md from the rule registry: ``python -m generator.diff.docs``.

tests/diff/test_docs.py checks that the committed page is current.
"""

from __future__ import annotations

from .rules import RULES

INTRO = """\
# `specloom diff` rules

<!-- Generated from generator/diff/rules.py by `python -m generator.diff.docs > docs/diff-rules.md`.
     Do not edit by hand. -->

`specloom diff OLD NEW` (two spec folders) or `specloom diff --against GIT_REF [SPECS]` reports
every change between two spec sets. Each change is a finding of one rule below; its status says
what it means for this change set:

| status | meaning | exit code |
|---|---|---|
| `breaking` | a rule of level `error` within the same major version | 1 |
| `warning` | a rule of level `warning` (may break some consumers) | 0 (`--fail-on warning`: 1) |
| `accepted` | a breaking change or warning accepted on purpose, with its reason | 0 |
| `bumped` | a difference between an older major version and a new one | 0 |
| `compatible` | a rule of level `note` | 0 |

Direction matters. Parameters are inputs: a change that makes them accept fewer values (a
removed enum value, a tighter pattern or bound, a new required property) rejects old callers.
Results and event payloads are outputs: a change that lets them carry more values (a new enum
value, a looser bound, a new type) surprises old readers. Shared types (`$ref`) are compared where
they are used, in the direction of each use.

A new major version (`Database@2` next to `Database@1`) is a proper bump: its differences from
the previous version are listed as `bumped`. Removing the old version is breaking until the
version policy lets it go (`versions.keep` in system.yaml, default 3: current plus two).

Deliberate breaks are accepted in NEW, and still listed (status `accepted`):

```yaml
# contracts/database.v1.yaml
breaking:                                   # contract level (may name a removed method)
  - {rule: METHOD_NO_DELETE, method: purge, reason: nobody called it}
methods:
  create:
    breaking:                               # method level
      - {rule: PARAM_NO_DELETE, reason: the table comes from the session now}

# system.yaml: everywhere, or in one contract (Name or Name@major)
versions:
  ignore:
    - {rule: DOC_CHANGED, reason: docs are not a contract}
```

or on the command line with `--ignore RULE`. `--format json` prints the report for tools.

A module may provide several major versions of a contract; it implements only the newest.
`adapter` says whether a generated adapter can still serve an older version despite the change
(`ADAPTER_GENERATED`); where it cannot (`ADAPTER_IMPOSSIBLE`), the module serves the older version
itself, through the object its `serve_<contract>_v<N>()` method returns.

## Rules
"""


def render() -> str:
    lines = [INTRO, "| rule | level | topic | adapter | description |", "|---|---|---|---|---|"]
    for rule in RULES.values():
        adapter = "yes" if rule.adapter_ok else "no"
        lines.append(
            f"| `{rule.id}` | {rule.level.value} | {rule.topic} | {adapter} | {rule.description} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
