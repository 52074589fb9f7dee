"""Settings of a module, read from environment variables: the base of generated config models.

A generated ``<Module>Config`` declares only its fields (typed, with defaults and docstrings)
and two tables: ``ENV`` (field -> environment variable) and ``TEXT`` (the string settings). It
names ``BaseModel`` beside :class:`Settings` among its bases, so that linters know it for a
pydantic model (ruff's RUF012 recognises direct subclasses only).
:meth:`Settings.from_env` reads them: a string setting's variable is plain text unless it
starts with ``"`` (then it is JSON, so a string with surrounding spaces or newlines can be
written); any other setting's is JSON, or the text itself when it is not JSON (and then
validation says what is wrong).
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict

__all__ = ["Settings", "parse_env_value"]


class Settings(BaseModel):
    """Base of generated config models: frozen, no unknown fields, read with :meth:`from_env`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ENV: ClassVar[Mapping[str, str]] = {}
    """Field name -> the environment variable it is read from."""
    TEXT: ClassVar[Collection[str]] = ()
    """String settings: their variables are plain text (or a JSON string, starting with ``"``)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read settings from ``environ`` (default ``os.environ``); values are JSON or text."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, var in cls.ENV.items():
            if var in env:
                values[name] = parse_env_value(env[var], text=name in cls.TEXT)
        return cls.model_validate(values)


def parse_env_value(value: str, *, text: bool) -> Any:
    """A variable's value: a string setting's is plain text unless it starts with ``"`` (then
    JSON); any other is JSON, or the text itself when it is not JSON."""
    if text and not value.startswith('"'):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
