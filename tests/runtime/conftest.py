"""Fixtures: the runtime library (``specloom_runtime``, installed from ``runtime/``) and a
throwaway generated-like package ``sysx``.

``sysx/contracts/database_v1`` is a hand-written stand-in for generated contract code, importing
the runtime library as generated code does.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

# A real nats-server per test session (per xdist worker), always stopped: see the runtime's plugin.
from specloom_runtime.pytest_plugin import nats_server  # noqa: F401

PACKAGE = "sysx"

CONTRACT_SRC = '''\
"""Hand-written stand-in for generated contract code (Database v1)."""

from abc import ABC, abstractmethod
from typing import Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from specloom_runtime import Client, ContractSpec, DeclaredError, MethodSpec

TableName = Annotated[str, Field(pattern="^[a-z][a-z0-9_]*$")]


class Filter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str
    equals: Any


class CreateParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    table: TableName
    data: dict[str, Any]


class ReadParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    table: TableName
    id: str


class QueryParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    table: TableName
    filters: list[Filter] = []


class TableNotFound(DeclaredError):
    code = "TableNotFound"


class RecordLocked(DeclaredError):
    code = "RecordLocked"


DATABASE_V1 = ContractSpec(
    name="Database",
    version=1,
    methods={
        "create": MethodSpec("create", CreateParams, TypeAdapter(str), ()),
        "read": MethodSpec(
            "read", ReadParams, TypeAdapter(dict[str, Any] | None), (TableNotFound,)
        ),
        "query": MethodSpec(
            "query", QueryParams, TypeAdapter(list[dict[str, Any]]), (TableNotFound,)
        ),
    },
)


class DatabaseV1(ABC):
    @abstractmethod
    async def create(self, table: str, data: dict[str, Any]) -> str: ...

    @abstractmethod
    async def read(self, table: str, id: str) -> dict[str, Any] | None: ...

    @abstractmethod
    async def query(self, table: str, filters: list[Filter]) -> list[dict[str, Any]]: ...


class DatabaseV1Client(Client, DatabaseV1):
    async def create(self, table: str, data: dict[str, Any]) -> str:
        return cast(str, await self._call(DATABASE_V1, "create", {"table": table, "data": data}))

    async def read(self, table: str, id: str) -> dict[str, Any] | None:
        return cast(
            dict[str, Any] | None,
            await self._call(DATABASE_V1, "read", {"table": table, "id": id}),
        )

    async def query(self, table: str, filters: list[Filter]) -> list[dict[str, Any]]:
        return cast(
            list[dict[str, Any]],
            await self._call(DATABASE_V1, "query", {"table": table, "filters": filters}),
        )
'''


@pytest.fixture(scope="session")
def sysx_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("generated")
    package = root / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "contracts").mkdir()
    (package / "contracts" / "__init__.py").write_text("")
    (package / "contracts" / "database_v1.py").write_text(CONTRACT_SRC)
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="session")
def rt(sysx_root: Path) -> ModuleType:
    """The runtime library (``specloom_runtime``)."""
    return importlib.import_module("specloom_runtime")


@pytest.fixture(scope="session")
def db(sysx_root: Path) -> ModuleType:
    """The hand-written Database v1 contract module (``sysx.contracts.database_v1``)."""
    return importlib.import_module(f"{PACKAGE}.contracts.database_v1")
