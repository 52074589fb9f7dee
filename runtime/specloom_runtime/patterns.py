"""JSON Schema ``pattern`` on a linear-time engine, for every validator the runtime builds.

The generated models check patterns with pydantic-core's Rust ``regex`` engine (linear in the
input). The HTTP edge also validates bodies against the OpenAPI document's JSON Schemas before
anything is forwarded (``http/fastcheck.py``, and jsonschema's ``pattern`` keyword there);
with Python's backtracking ``re`` (jsonschema's default) a pattern such as ``^(a+)+$`` and a
hostile body would stall the gateway for minutes. Everything here matches on
the same Rust engine, so the edge accepts exactly what the models accept, in linear time.

Matching is a search (JSON Schema's meaning): anchor with ``^...$``. A pattern the engine cannot
run (lookaround, backreferences: ``specloom validate`` refuses them in specs) matches nothing,
so a document from elsewhere with such a pattern fails closed instead of falling back to a
backtracking engine.
"""

from __future__ import annotations

import functools

from pydantic_core import SchemaError, SchemaValidator, core_schema

__all__ = ["search"]


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> SchemaValidator | None:
    try:
        return SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))
    except SchemaError:
        return None


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches somewhere in ``text``, in linear time (False for a pattern
    the engine cannot run)."""
    compiled = _compiled(pattern)
    return compiled is not None and bool(compiled.isinstance_python(text))
