"""Signed envelopes over a real nats-server: every attack (unsigned, forged, tampered, stale,
replayed) gets an ``unauthorized`` error reply and a security event, and never reaches the
implementation; signed callers, rotated keys and keys from the environment work."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import nats
import pytest
from specloom_runtime import Envelope
from specloom_runtime.natsserver import LocalNatsServer
from specloom_runtime.signing import Signer, signer_from_env
from specloom_runtime.transport import connect
from specloom_runtime.transport.nats_transport import SECURITY_TOPIC, NatsTransport
from specloom_runtime.transport.subjects import rpc_subject

SYSTEM = "sysx"
KEYS = {"k1": b"first secret", "k2": b"second secret"}


def run(coro_fn: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(asyncio.wait_for(coro_fn(), timeout=30))


class Database:
    def __init__(self) -> None:
        self.calls = 0

    async def create(self, table: str, data: dict[str, Any]) -> str:
        self.calls += 1
        return f"{table}-{self.calls}"

    async def read(self, table: str, id: str) -> dict[str, Any] | None:
        return None

    async def query(self, table: str, filters: list[Any]) -> list[dict[str, Any]]:
        return []


def nats_transport(server: LocalNatsServer, signer: Signer | None) -> NatsTransport:
    t = connect(server.url, system=SYSTEM, token=server.token, signer=signer)
    assert isinstance(t, NatsTransport)
    return t


def test_each_attack_is_rejected_before_the_implementation(
    rt: ModuleType, db: ModuleType, nats_server: LocalNatsServer
) -> None:
    async def main() -> None:
        impl = Database()
        host = nats_transport(nats_server, Signer(KEYS, active="k1"))
        await host.start()
        rt.ServiceHost("agent-02-database", host, [(db.DATABASE_V1, impl)])
        events: list[Envelope] = []

        async def keep(envelope: Envelope) -> None:
            events.append(envelope)

        watcher = nats_transport(nats_server, Signer(KEYS))
        await watcher.start()
        watcher.subscribe(SECURITY_TOPIC, keep)
        await asyncio.gather(host.ready(), watcher.ready())

        # a caller signing with the newer key (rotation: the host knows both) is served
        async with nats_transport(nats_server, Signer(KEYS, active="k2")) as caller:
            client = db.DatabaseV1Client(caller, "agent-03", "agent-02-database")
            assert await client.create("users", {}) == "users-1"
        assert impl.calls == 1

        request = Envelope.make_request(
            "agent-03", "agent-02-database", "Database", 1, "create", {"table": "t", "data": {}}
        )
        good = Signer(KEYS, active="k1")
        signed = good.sign(request)
        tampered = json.loads(signed.model_dump_json())
        tampered["payload"]["data"]["table"] = "other"
        attacks = {
            "unsigned": request.model_dump_json().encode(),
            "forged": Signer({"k1": b"guessed"}).sign(request).model_dump_json().encode(),
            "unknown key": Signer({"k9": b"x"}).sign(request).model_dump_json().encode(),
            "tampered": json.dumps(tampered).encode(),
            "stale": good.sign(request, ts=1_000_000.0).model_dump_json().encode(),
        }
        expected = {
            "unsigned": "unsigned",
            "forged": "bad signature",
            "unknown key": "unknown key",
            "tampered": "bad signature",
            "stale": "stale",
        }
        subject = rpc_subject(SYSTEM, "Database", 1, "create")
        nc = await nats.connect(nats_server.url, token=nats_server.token)
        try:
            for name, data in attacks.items():
                reply = Envelope.model_validate_json((await nc.request(subject, data, 5)).data)
                assert reply.message_type == "error", name
                assert reply.payload.data["code"] == "unauthorized", name
                assert reply.payload.data["message"] == expected[name], name
            replay = good.sign(request).model_dump_json().encode()
            first = Envelope.model_validate_json((await nc.request(subject, replay, 5)).data)
            assert first.message_type == "response"  # the genuine request is served once
            again = Envelope.model_validate_json((await nc.request(subject, replay, 5)).data)
            assert again.payload.data == {
                "code": "unauthorized",
                "message": "replayed",
                "details": {},
            }
        finally:
            await nc.close()
        assert impl.calls == 2  # the rotated-key call and the genuine one; no attack got through
        for _ in range(100):
            if len(events) == 6:
                break
            await asyncio.sleep(0.02)
        reasons = sorted(e.payload.data["reason"] for e in events)
        assert reasons == sorted([*expected.values(), "replayed"]), reasons
        await watcher.close()
        await host.close()

    run(main)


def test_an_unsigned_caller_cannot_use_a_signed_system_nor_trust_it(
    rt: ModuleType, db: ModuleType, nats_server: LocalNatsServer
) -> None:
    async def main() -> None:
        impl = Database()
        host = nats_transport(nats_server, Signer(KEYS))
        await host.start()
        rt.ServiceHost("agent-02-database", host, [(db.DATABASE_V1, impl)])
        await host.ready()
        async with nats_transport(nats_server, None) as caller:
            client = db.DatabaseV1Client(caller, "agent-03", "agent-02-database")
            with pytest.raises(rt.Unauthorized):
                await client.create("users", {})
        # a caller with a key the host does not have rejects the (validly signed) reply too
        async with nats_transport(nats_server, Signer({"k3": b"other"})) as caller:
            client = db.DatabaseV1Client(caller, "agent-03", "agent-02-database")
            with pytest.raises(rt.Unauthorized):
                await client.create("users", {})
        assert impl.calls == 0
        await host.close()

    run(main)


def test_keys_come_from_the_environment_or_a_secret_file(tmp_path: Path) -> None:
    assert signer_from_env({}) is None
    secret = tmp_path / "keys"
    secret.write_text("# rotated monthly\nold=aaa\nnew=bbb\n")
    signer = signer_from_env(
        {"SPECLOOM_SIGNING_KEY_FILE": str(secret), "SPECLOOM_SIGNING_KID": "new"}
    )
    assert signer is not None and signer.active == "new" and set(signer.keys) == {"old", "new"}
    from_env = signer_from_env({"SPECLOOM_SIGNING_KEYS": "a=1,b=2"})
    assert from_env is not None and from_env.active == "a"
    with pytest.raises(ValueError):
        signer_from_env({"SPECLOOM_SIGNING_KEYS": "no-separator"})


def test_a_signed_caller_rejects_unsigned_forged_and_replayed_replies(
    rt: ModuleType, db: ModuleType, nats_server: LocalNatsServer
) -> None:
    """A responder that is not the system (no key, a wrong key, or one replaying a reply it
    saw) cannot answer a signed caller: each reply is ``unauthorized`` and a security event."""

    async def main() -> None:
        subject = rpc_subject(SYSTEM, "Database", 1, "create")
        seen: list[dict[str, Any]] = []
        outsider = Signer({"k1": b"not the system's secret"})
        system_signer = Signer(KEYS)
        replies: list[bytes] = []
        mode = ["unsigned"]
        nc = await nats.connect(nats_server.url, token=nats_server.token)

        async def respond(msg: Any) -> None:
            request = Envelope.model_validate_json(msg.data)
            data = request.make_response("users-1").model_dump(mode="json")
            del data["payload"]["metadata"]["auth"]  # the request's signature, copied over
            reply = Envelope.model_validate(data)
            if mode[0] == "forged":
                reply = outsider.sign(reply)
            elif mode[0] == "valid":
                reply = system_signer.sign(reply)
                replies.append(reply.model_dump_json().encode())
            elif mode[0] == "replayed":
                # the valid reply seen before, its signature kept and its correlation id set to
                # the new request's (the same bytes unchanged would not answer the request)
                data = Envelope.model_validate_json(replies[0]).model_dump(mode="json")
                data["correlation_id"] = request.correlation_id
                reply = Envelope.model_validate(data)
            await msg.respond(reply.model_dump_json().encode())

        async def on_event(msg: Any) -> None:
            seen.append(json.loads(msg.data))

        await nc.subscribe(subject, cb=respond)
        await nc.subscribe(f"{SYSTEM}.events.Runtime.v1.security_violation", cb=on_event)
        await nc.flush()
        async with nats_transport(nats_server, Signer(KEYS)) as caller:
            client = db.DatabaseV1Client(caller, "agent-03", "agent-02-database")
            for kind, reason in (("unsigned", "unsigned"), ("forged", "bad signature")):
                mode[0] = kind
                with pytest.raises(rt.Unauthorized, match=f"reply rejected: {reason}"):
                    await client.create("users", {})
            mode[0] = "valid"
            assert await client.create("users", {}) == "users-1"
            mode[0] = "replayed"
            with pytest.raises(rt.Unauthorized, match="reply rejected: bad signature"):
                await client.create("users", {})
            for _ in range(100):
                if len(seen) >= 3:
                    break
                await asyncio.sleep(0.02)
        reasons = [e["payload"]["data"]["reason"] for e in seen]
        assert reasons == ["unsigned", "bad signature", "bad signature"], reasons
        await nc.close()

    run(main)
