"""The chat prompt asking an LLM to write one stub method.

``StubContext`` carries everything the model is told about the method; ``build_prompt`` turns it
(plus the previous attempt's failure, if any) into deterministic chat messages; ``ANSWER_SCHEMA``
is the JSON schema passed as Ollama's ``format`` (structured output).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "imports": {"type": "array", "items": {"type": "string"}},
        "code": {"type": "string"},
    },
    "required": ["imports", "code"],
}

FEEDBACK_LIMIT = 4000

SYSTEM_PROMPT = """\
You implement exactly one method of a hand-written Python class.

Rules:
1. Return only that method: its `def` line, its docstring and its body. No other methods, no \
class, no top-level code, no tests, no explanations.
2. Keep exactly the same signature: same name, same parameters in the same order with the same \
kinds, defaults and type annotations, the same return annotation, and the same async/sync kind.
3. Remove the `@stub` decorator; keep any other decorator and the docstring.
4. Change nothing else: the rest of the file stays as it is. You may use the other methods and \
attributes of the class as they are written in the current file.
5. For errors, raise the declared error classes; when the file does not import one yet, put \
the import statement shown for it in "imports".
6. Use the standard library and the names already imported in the file. Put any extra import \
statement the method needs in "imports" (one full statement per item), never inside "code".
7. Answer with JSON only: {"imports": ["from x import y", ...], "code": "<the method source>"}; \
"code" starts at column 0 with `def` or `async def`.
"""


@dataclass(frozen=True)
class StubContext:
    """What the model is told about one stub (the engine refreshes ``impl_source``)."""

    module: str  # "database"
    contract: str  # "Database@1"
    method: str  # "create"
    signature: str  # "async def create(self, table: str, data: dict[str, Any]) -> str"
    docstring: str = ""
    params_schema: Mapping[str, Any] = field(default_factory=dict)
    returns_schema: Mapping[str, Any] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)  # name -> summary
    examples: Sequence[Mapping[str, Any]] = ()  # {"name": ..., "steps": [...]}
    brief: str = ""
    impl_source: str = ""


def trim(text: str, limit: int = FEEDBACK_LIMIT) -> str:
    """``text`` cut to about ``limit`` characters, keeping its head and (mostly) its tail."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = limit // 3
    tail = limit - head
    cut = len(text) - head - tail
    return f"{text[:head]}\n... [{cut} characters cut] ...\n{text[-tail:]}"


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)


def build_prompt(ctx: StubContext, feedback: str | None = None) -> list[dict[str, str]]:
    """The chat messages (system rules + user request) for one attempt; deterministic."""
    parts = [
        f"Module: {ctx.module} (contract {ctx.contract})",
        f"Method to implement: {ctx.method}",
        f"Signature (keep it exactly):\n{ctx.signature}",
        f"Docstring:\n{ctx.docstring or '(none)'}",
    ]
    if ctx.brief.strip():
        parts.append(f"Module brief:\n{ctx.brief.strip()}")
    parts.append(f"Parameters (JSON Schema):\n{_json(ctx.params_schema)}")
    parts.append(f"Returns (JSON Schema):\n{_json(ctx.returns_schema)}")
    if ctx.errors:
        errors = "\n".join(f"- {name}: {summary}" for name, summary in sorted(ctx.errors.items()))
        parts.append(f"Declared errors (raise these; import them as shown if needed):\n{errors}")
    else:
        parts.append("Declared errors: none")
    if ctx.examples:
        examples = "\n".join(f"- {_json(dict(example))}" for example in ctx.examples)
        parts.append(f"Examples (the contract tests check these):\n{examples}")
    parts.append(f"Current implementation file:\n```python\n{ctx.impl_source.rstrip()}\n```")
    if feedback:
        parts.append(
            "Your previous attempt failed:\n"
            f"{trim(feedback)}\n"
            "Fix the problem and answer again with the complete method."
        )
    parts.append(f"Write the method `{ctx.method}` now, as JSON with the keys imports and code.")
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n\n".join(parts)},
    ]
