"""``python -m notes mock --http``: the contracts answered by their generated mocks over HTTP."""

from __future__ import annotations

from pathlib import Path

from httpkit import Server, serve


def s(name: str) -> dict[str, str]:
    return {"x-mock-session": name}


def test_scenarios_advance_per_session(notes_mock: Server) -> None:
    create = {"title": "Shopping", "body": "milk", "tags": ["home"]}
    status, _, note = notes_mock.request(
        "POST", "/api/notes/v1/create_note", create, headers=s("a")
    )
    assert status == 200 and note["title"] == "Shopping"
    # session a continues the example "create then read": find_by_tag returns the bound note
    status, _, found = notes_mock.request("GET", "/api/notes/v1/notes?tag=home", headers=s("a"))
    assert (status, found) == (200, [note])
    # session b never created anything: the same call is answered out of context
    status, _, found_b = notes_mock.request("GET", "/api/notes/v1/notes?tag=home", headers=s("b"))
    assert status == 200
    _, _, calls_a = notes_mock.request("GET", "/__mock/calls", headers=s("a"))
    _, _, calls_b = notes_mock.request("GET", "/__mock/calls", headers=s("b"))
    assert [c["method"] for c in calls_a["calls"]] == ["create_note", "find_by_tag"]
    assert [c["method"] for c in calls_b["calls"]] == ["find_by_tag"]
    assert calls_a["calls"][0]["params"] == create and calls_a["calls"][1]["result"] == [note]


def test_key_value_state_is_per_key(notes_mock: Server) -> None:
    h = s("kv")
    status, _, _ = notes_mock.request(
        "POST", "/api/key_value/v1/put", {"key": "a", "value": {"n": 1}}, headers=h
    )
    assert status == 200
    status, _, got = notes_mock.request("POST", "/api/key_value/v1/get", {"key": "a"}, headers=h)
    assert status == 200
    status_b, _, missing = notes_mock.request(
        "POST", "/api/key_value/v1/get", {"key": "b"}, headers=h
    )
    # the mock behaves like a store (per-key state): a hit for a, a miss for b
    assert got == {"n": 1}, got
    assert status_b == 404 and missing["code"] == "KeyMissing"


def test_prefer_example_and_code(notes_mock: Server) -> None:
    status, _, body = notes_mock.request(
        "GET", "/api/notes/v1/notes/n1", headers={**s("p"), "prefer": "code=404"}
    )
    assert status == 404 and body["code"] == "NoteNotFound"
    status, _, body = notes_mock.request(
        "GET", "/api/notes/v1/notes/n1", headers={**s("p"), "prefer": "example=missing-note"}
    )
    assert status == 404 and body["code"] == "NoteNotFound"
    status, _, body = notes_mock.request(
        "POST",
        "/api/notes/v1/create_note",
        {"title": "Other"},
        headers={**s("p"), "prefer": "example=create-then-read"},
    )
    assert status == 200 and body["title"] == "Shopping"  # the example's answer
    status, _, body = notes_mock.request(
        "GET", "/api/notes/v1/notes/n1", headers={**s("p"), "prefer": "code=418"}
    )
    assert status == 400 and body["code"] == "prefer_unsatisfiable"
    status, _, body = notes_mock.request(
        "GET", "/api/notes/v1/notes/n1", headers={**s("p"), "prefer": "example=nope"}
    )
    assert status == 400


def test_validation_gives_the_gateway_422_body(notes_mock: Server) -> None:
    status, headers, body = notes_mock.request(
        "POST", "/api/notes/v1/create_note", {"title": 5, "extra": 1}
    )
    assert status == 422 and headers["content-type"] == "application/problem+json"
    assert body["code"] == "invalid_params"
    assert sorted(e["pointer"] for e in body["errors"]) == ["/extra", "/title"]
    _, _, calls = notes_mock.request("GET", "/__mock/calls")
    assert calls["calls"] == []  # never reached the mock


def test_reset_forgets_a_session(notes_mock: Server) -> None:
    notes_mock.request("POST", "/api/notes/v1/create_note", {"title": "t"}, headers=s("r"))
    status, _, out = notes_mock.request("POST", "/__mock/reset", headers=s("r"))
    assert status == 200 and out == {"reset": 1}
    _, _, calls = notes_mock.request("GET", "/__mock/calls", headers=s("r"))
    assert calls["calls"] == []


def test_same_document_and_contract_filter(notes_env: dict[str, str], tmp_path: Path) -> None:
    with serve("notes", ["mock", "--http", "KeyValue@1"], notes_env, tmp_path) as mock:
        status, _, _ = mock.request("POST", "/api/notes/v1/create_note", {"title": "x"})
        assert status == 404
        status, _, _ = mock.request("POST", "/api/key_value/v1/keys", {"prefix": ""})
        assert status == 200
        _, _, health = mock.request("GET", "/healthz")
        assert health["mode"] == "mock"
        assert [m["contracts"] for m in health["modules"]] == [["KeyValue@1"]]
        status, _, doc = mock.request("GET", "/openapi.json")
        assert status == 200 and set(doc["paths"]) == {
            "/api/key_value/v1/put",
            "/api/key_value/v1/get",
            "/api/key_value/v1/delete",
            "/api/key_value/v1/keys",
        }
