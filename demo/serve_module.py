"""Host one module of the flagship on NATS, in this process (used by ``make demo-services``).

    python demo/serve_module.py MODULE NATS_URL        (token in $SPECLOOM_NATS_TOKEN)

Like the generated ``python -m orchestra serve MODULE --nats URL``: the module's implementation
(or its mock) is served on the NATS transport, its dependencies are clients over NATS, and
``SPECLOOM_METRICS_PORT`` serves its /metrics. Prints one JSON line when ready; SIGTERM or
SIGINT stops it cleanly.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import System, metrics_prometheus  # noqa: E402
from specloom_runtime.transport import connect  # noqa: E402


async def main(module: str, url: str) -> None:
    definition = next(d for d in MODULES if d.name == module)
    transport = connect(url, system="orchestra", token=os.environ.get("SPECLOOM_NATS_TOKEN"))
    metrics = metrics_prometheus.from_env()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with System([definition], clients=CLIENTS, bus=transport) as system:
            running = system.modules[module]
            ready = {"module": module, "mode": running.mode, "pid": os.getpid()}
            ready["metrics_port"] = metrics.port if metrics else None
            print(json.dumps(ready), flush=True)
            await stop.wait()
    finally:
        if metrics is not None:
            metrics.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
