"""``python -m notes gateway``: the HTTP API of a generated system, in a real subprocess."""

from __future__ import annotations

import json
import stat
import sys
import time
from pathlib import Path

from httpkit import SYSTEMS, Server, env_for, run_cli, serve, token

NOTES_DOC = SYSTEMS["notes"] / "notes" / "openapi.json"


def auth(tok: str) -> dict[str, str]:
    return {"authorization": f"Bearer {tok}"}


def test_serves_the_generated_openapi_document(notes_gateway: Server) -> None:
    status, headers, doc = notes_gateway.request("GET", "/openapi.json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert doc == json.loads(NOTES_DOC.read_text("utf-8"))


def test_calls_forward_to_the_implementations(notes_gateway: Server, notes_token: str) -> None:
    h = auth(notes_token)
    status, headers, note = notes_gateway.request(
        "POST", "/api/notes/v1/create_note", {"title": "Shopping", "tags": ["home"]}, headers=h
    )
    assert status == 200, note
    assert note["title"] == "Shopping" and note["tags"] == ["home"] and note["id"]
    assert headers["x-request-id"]
    # REST mapping: GET with a path parameter, GET with a query parameter
    status, _, got = notes_gateway.request("GET", f"/api/notes/v1/notes/{note['id']}", headers=h)
    assert (status, got) == (200, note)
    status, _, found = notes_gateway.request("GET", "/api/notes/v1/notes?tag=home", headers=h)
    assert (status, found) == (200, [note])
    status, _, found = notes_gateway.request("GET", "/api/notes/v1/notes?tag=work", headers=h)
    assert (status, found) == (200, [])


def test_declared_error_is_problem_json_with_code_and_correlation_id(
    notes_gateway: Server, notes_token: str
) -> None:
    """The problem's correlation_id is the bus envelope's (as seen on /ws/events); the HTTP
    request id is its own member and header."""
    from websockets.sync.client import connect

    ws_url = notes_gateway.url.replace("http://", "ws://") + "/ws/events?all=1&token=" + notes_token
    with connect(ws_url, open_timeout=10) as ws:
        status, headers, body = notes_gateway.request(
            "GET",
            "/api/notes/v1/notes/nope",
            headers={**auth(notes_token), "x-request-id": "req-42"},
        )
        assert status == 404
        assert headers["content-type"] == "application/problem+json"
        assert body["code"] == "NoteNotFound" and body["status"] == 404
        assert body["type"].endswith("/NoteNotFound") and body["title"] == "Not Found"
        assert body["request_id"] == "req-42" == headers["x-request-id"]
        cid = body["correlation_id"]
        assert cid and cid != "req-42"
        seen: list[dict[str, object]] = []
        while not any(e["message_type"] == "error" and e["correlation_id"] == cid for e in seen):
            seen.append(json.loads(ws.recv(timeout=10)))
    gateway_request = next(
        e for e in seen if e["message_type"] == "request" and e["source_agent"] == "gateway"
    )
    assert gateway_request["correlation_id"] == cid
    assert gateway_request["payload"]["metadata"]["method"] == "get_note"  # type: ignore[index]
    error = next(e for e in seen if e["message_type"] == "error" and e["correlation_id"] == cid)
    assert error["payload"]["data"]["code"] == "NoteNotFound"  # type: ignore[index]
    # two calls: two envelopes, two correlation ids; a given request id is kept per call
    _, _, again = notes_gateway.request(
        "GET", "/api/notes/v1/notes/nope", headers={**auth(notes_token), "x-request-id": "req-42"}
    )
    assert again["request_id"] == "req-42" and again["correlation_id"] != cid
    # refused before anything was forwarded: no envelope, so no correlation id
    _, _, refused = notes_gateway.request("GET", "/api/notes/v1/notes/nope")
    assert "correlation_id" not in refused and refused["request_id"]
    log = notes_gateway.log.read_text()
    assert f"request_id=req-42 correlation_id={cid} " in log


def test_invalid_params_are_422_with_every_json_pointer(
    notes_gateway: Server, notes_token: str
) -> None:
    status, _, body = notes_gateway.request(
        "POST",
        "/api/notes/v1/create_note",
        {"title": "", "tags": ["ok", 3], "colour": "red"},
        headers=auth(notes_token),
    )
    assert status == 422 and body["code"] == "invalid_params"
    pointers = sorted(e["pointer"] for e in body["errors"])
    assert pointers == ["/colour", "/tags/1", "/title"]
    status, _, body = notes_gateway.request(
        "POST", "/api/notes/v1/create_note", {}, headers=auth(notes_token)
    )
    assert status == 422 and [e["pointer"] for e in body["errors"]] == ["/title"]
    # nothing was forwarded: no note exists
    status, _, found = notes_gateway.request(
        "GET", "/api/key_value/v1/keys", None, headers=auth(notes_token)
    )
    assert status in (404, 405)  # keys is POST (no REST mapping)
    status, _, keys = notes_gateway.request(
        "POST", "/api/key_value/v1/keys", {"prefix": "note:"}, headers=auth(notes_token)
    )
    assert (status, keys) == (200, [])


def test_not_json_and_not_an_object_are_400(notes_gateway: Server, notes_token: str) -> None:
    h = auth(notes_token)
    status, _, body = notes_gateway.request(
        "POST", "/api/notes/v1/create_note", raw=b"{nope", headers=h
    )
    assert status == 400 and body["code"] == "invalid_json"
    status, _, body = notes_gateway.request("POST", "/api/notes/v1/create_note", [1], headers=h)
    assert status == 400


def test_no_wrong_or_expired_token_is_401_and_a_missing_scope_403(
    notes_gateway: Server, notes_env: dict[str, str], tmp_path: Path
) -> None:
    path, body = "/api/notes/v1/create_note", {"title": "secret"}
    status, headers, problem = notes_gateway.request("POST", path, body)
    assert status == 401 and headers["www-authenticate"].startswith("Bearer")
    assert set(problem) <= {"type", "title", "status", "code", "detail", "request_id"}
    status, _, _ = notes_gateway.request("POST", path, body, headers=auth("not.a.jwt"))
    assert status == 401
    other = token("notes", env_for("notes", tmp_path / "other-key"))  # signed with another key
    status, _, _ = notes_gateway.request("POST", path, body, headers=auth(other))
    assert status == 401
    short = token("notes", notes_env, "--ttl", "1")
    time.sleep(2.1)
    status, _, problem = notes_gateway.request("POST", path, body, headers=auth(short))
    assert status == 401 and "expired" in problem["detail"]
    kv_only = token("notes", notes_env, "--scope", "KeyValue@1")
    status, _, problem = notes_gateway.request("POST", path, body, headers=auth(kv_only))
    assert status == 403 and problem["code"] == "forbidden"
    status, _, _ = notes_gateway.request(
        "POST", "/api/key_value/v1/keys", {"prefix": ""}, headers=auth(kv_only)
    )
    assert status == 200
    one = token("notes", notes_env, "--scope", "Notes@1.get_note")
    status, _, _ = notes_gateway.request("GET", "/api/notes/v1/notes/x", headers=auth(one))
    assert status == 404
    status, _, _ = notes_gateway.request("POST", path, body, headers=auth(one))
    assert status == 403
    # nothing was created by the refused calls
    status, _, keys = notes_gateway.request(
        "POST", "/api/key_value/v1/keys", {"prefix": "note:"}, headers=auth(kv_only)
    )
    assert keys == []


def test_token_key_is_made_once_in_the_data_dir(notes_env: dict[str, str], tmp_path: Path) -> None:
    key = tmp_path / "data" / "gateway.key"
    assert not key.exists()
    first = token("notes", notes_env)
    assert key.is_file() and stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    token("notes", notes_env)
    assert key.read_bytes() == before
    assert first.count(".") == 2  # a JWT
    env = {**notes_env, "NOTES_GATEWAY_KEY": "short"}
    done = run_cli("notes", "token", env=env)
    assert done.returncode == 2 and "at least 32" in done.stderr and "Traceback" not in done.stderr


def test_body_limit_cors_and_metrics(notes_env: dict[str, str], tmp_path: Path) -> None:
    env = {
        **notes_env,
        "NOTES_GATEWAY_MAX_BODY_BYTES": "200",
        "NOTES_GATEWAY_CORS_ORIGINS": "http://app.example",
    }
    with serve("notes", ["gateway"], env, tmp_path) as gw:
        h = auth(token("notes", env))
        status, _, body = gw.request(
            "POST", "/api/notes/v1/create_note", {"title": "x" * 500}, headers=h
        )
        assert status == 413 and body["code"] == "body_too_large"
        status, headers, _ = gw.request(
            "OPTIONS",
            "/api/notes/v1/create_note",
            headers={
                "origin": "http://app.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "authorization,content-type",
            },
        )
        assert status == 200
        assert headers["access-control-allow-origin"] == "http://app.example"
        status, headers, _ = gw.request(
            "GET", "/healthz", headers={"origin": "http://evil.example"}
        )
        assert "access-control-allow-origin" not in headers
        gw.request("POST", "/api/notes/v1/create_note", {"title": "m"}, headers=h)
        status, _, _ = gw.request("GET", "/metrics")
        assert status == 401
        status, headers, text = gw.request("GET", "/metrics", headers=h)
        assert status == 200 and headers["content-type"].startswith("text/plain")
        assert (
            'specloom_http_requests_total{operation="Notes@1.create_note",status="200"} 1.0' in text
        )
        assert 'status="413"' in text
    assert "request_id=" in gw.log.read_text()


def test_healthz_lists_the_modules(notes_gateway: Server) -> None:
    status, _, health = notes_gateway.request("GET", "/healthz")
    assert status == 200 and health["status"] == "ok"
    assert [(m["module"], m["mode"]) for m in health["modules"]] == [
        ("store", "impl"),
        ("notes", "impl"),
    ]


def test_events_stream_over_the_websocket(notes_gateway: Server, notes_token: str) -> None:
    from websockets.sync.client import connect

    ws_url = notes_gateway.url.replace("http://", "ws://") + "/ws/events?all=1&token=" + notes_token
    with connect(ws_url, open_timeout=10) as ws:
        notes_gateway.request(
            "POST", "/api/notes/v1/create_note", {"title": "ws"}, headers=auth(notes_token)
        )
        seen = []
        while not any(e["message_type"] == "response" for e in seen):
            seen.append(json.loads(ws.recv(timeout=10)))
        request = next(e for e in seen if e["message_type"] == "request")
        assert request["source_agent"] == "gateway"
        assert request["payload"]["metadata"]["method"] == "create_note"
    from websockets.exceptions import InvalidStatus

    bad = notes_gateway.url.replace("http://", "ws://") + "/ws/events?token=nope"
    try:
        with connect(bad, open_timeout=10):
            raise AssertionError("a bad token got the event stream")
    except InvalidStatus as exc:  # refused before the upgrade: no data
        assert exc.response.status_code == 403


def test_bad_usage_is_one_line(notes_env: dict[str, str]) -> None:
    done = run_cli("notes", "mock", "--port", "1", env=notes_env)
    assert done.returncode == 2 and "--http" in done.stderr
    done = run_cli("notes", "mock", "--http", "Nope@1", env=notes_env)
    assert done.returncode == 2 and "unknown contract" in done.stderr
    assert "Traceback" not in done.stderr
    assert sys.executable
