"""Kills under load: nats-server is killed (SIGKILL) while 64 callers keep requests in flight
against a host on it. Every call ends on its own, with its result or a clean error
(``ServiceUnavailable`` / ``RequestTimeout``), within its deadline plus a small slack: none hangs.
Once the server is back (same port, token and data), host and callers reconnect on their own,
calls succeed again and every success carries an answer of its own (none is delivered twice)."""

from __future__ import annotations

import asyncio
import time
from types import ModuleType
from typing import Any

from specloom_runtime.natsserver import LocalNatsServer
from test_nats_transport import Database, run, serve, transport

CALLERS = 64
TIMEOUT_MS = 400
SLACK_S = 2.0  # far above any scheduling delay; a hung call waits forever


class NumberedDatabase(Database):
    """Each create answers a number of its own, taken before it waits."""

    async def create(self, table: str, data: dict[str, Any]) -> str:
        self.calls += 1
        number = self.calls
        await asyncio.sleep(0.002)
        return f"{self.name}:{table}-{number}"


def test_killing_the_server_under_load_ends_every_call_then_service_resumes(
    db: ModuleType, rt: ModuleType, tmp_path: Any
) -> None:
    async def main(server: LocalNatsServer) -> None:
        host_bus = await serve(rt, db, server, NumberedDatabase(db))
        outcomes: list[str] = []
        answers: list[str] = []
        stop = asyncio.Event()
        try:
            async with transport(server) as caller:
                client = db.DatabaseV1Client(
                    caller, "agent-03-core-engine", "agent-02-database", timeout_ms=TIMEOUT_MS
                )

                async def one() -> None:
                    started = time.monotonic()
                    try:
                        answers.append(
                            await asyncio.wait_for(
                                client.create("users", {}), TIMEOUT_MS / 1000 + SLACK_S
                            )
                        )
                        outcomes.append("ok")
                    except (rt.ServiceUnavailable, rt.RequestTimeout):
                        outcomes.append("error")
                    except TimeoutError:
                        outcomes.append(f"hung {time.monotonic() - started:.1f}s")

                async def caller_loop() -> None:
                    while not stop.is_set():
                        await one()

                loops = [asyncio.ensure_future(caller_loop()) for _ in range(CALLERS)]
                await asyncio.sleep(0.5)
                before = outcomes.count("ok")
                assert before > 0, outcomes[:5]
                server.kill()  # SIGKILL: no goodbye to any client
                await asyncio.sleep(1.5)
                await asyncio.to_thread(server.start)  # same port, token and data
                deadline = time.monotonic() + 20
                mark = len(outcomes)
                while outcomes[mark:].count("ok") < 200:
                    assert time.monotonic() < deadline, "no recovery after the restart"
                    await asyncio.sleep(0.1)
                stop.set()
                await asyncio.gather(*loops)
        finally:
            await host_bus.close()
        hung = [o for o in outcomes if o.startswith("hung")]
        assert not hung, hung[:5]
        assert "error" in outcomes  # the kill was felt: some calls failed cleanly
        assert len(answers) == len(set(answers)) == outcomes.count("ok")

    with LocalNatsServer(data_dir=tmp_path / "nats") as server:
        run(lambda: main(server))
