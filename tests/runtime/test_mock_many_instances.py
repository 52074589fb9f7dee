"""A mock holding many scenario instances at once (hundreds of keys of one caller) still answers
each key from its own instance: a call is checked only against the steps of its own method,
each instance's expected arguments are computed once per state and dropped when its bindings
change (an overwrite), and instances are told apart by identity, not by equal values."""

from __future__ import annotations

import asyncio
import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

NOTES = Path(__file__).resolve().parents[2] / "examples" / "notes" / "generated"


@pytest.fixture
def mock_class() -> Any:
    sys.path.insert(0, str(NOTES))
    try:
        yield importlib.import_module("notes.mocks.key_value_v1").KeyValueV1Mock
    finally:
        sys.path.remove(str(NOTES))


def test_hundreds_of_keys_each_answer_their_own_value(mock_class: Any) -> None:
    async def main() -> None:
        mock = mock_class()
        for i in range(100):  # two instances each (two examples start with put): < 256
            assert await mock.put(key=f"user:{i}", value={"n": i}) is True
        assert await mock.get(key="user:90") == {"n": 90}
        assert await mock.get(key="user:7") == {"n": 7}
        assert await mock.put(key="user:90", value={"n": -1}) is False  # an overwrite
        assert await mock.get(key="user:90") == {"n": -1}
        assert await mock.get(key="user:91") == {"n": 91}
        assert await mock.delete(key="user:91") is True
        assert await mock.delete(key="user:91") is False
        # Two keys holding equal values are still two instances: deleting one keeps the other.
        await mock.put(key="twin:a", value={"same": True})
        await mock.put(key="twin:b", value={"same": True})
        assert await mock.delete(key="twin:a") is True
        assert await mock.get(key="twin:b") == {"same": True}

    asyncio.run(asyncio.wait_for(main(), timeout=60))
