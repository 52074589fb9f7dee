"""AnswerCache: stable keys, round trip, atomic files, unreadable entries are misses."""

from __future__ import annotations

from pathlib import Path

from generator.fill.cache import AnswerCache, cache_key
from generator.fill.llm import LlmAnswer

MESSAGES = [{"role": "user", "content": "hi"}]


def test_key_depends_on_everything_that_shapes_the_answer() -> None:
    key = cache_key("m", MESSAGES, {"type": "object"}, {"seed": 0})
    assert key == cache_key("m", [dict(MESSAGES[0])], {"type": "object"}, {"seed": 0})
    assert len(key) == 64
    assert key != cache_key("m2", MESSAGES, {"type": "object"}, {"seed": 0})
    assert key != cache_key("m", [{"role": "user", "content": "ho"}], {"type": "object"})
    assert key != cache_key("m", MESSAGES, None, {"seed": 0})
    assert key != cache_key("m", MESSAGES, {"type": "object"}, {"seed": 1})


def test_round_trip_layout_and_corruption(tmp_path: Path) -> None:
    cache = AnswerCache(tmp_path / "fill-cache")
    key = cache_key("m", MESSAGES, None)
    assert cache.get(key) is None
    cache.put(key, LlmAnswer("text ✓", "stop", "m", 1.23456, chunks=7))
    path = tmp_path / "fill-cache" / key[:2] / f"{key}.json"
    assert cache.path(key) == path and path.is_file()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    assert cache.get(key) == LlmAnswer("text ✓", "stop", "m", 1.235, chunks=7, cached=True)
    path.write_text("{not json", encoding="utf-8")
    assert cache.get(key) is None
    path.write_text('{"format_version": 1, "key": "other", "text": "x", "model": "m"}')
    assert cache.get(key) is None
