"""One flagship implementation in a process of its own (see flagkit.py).

    python worker.py MODULE CONTRACT METHOD JSON_ARGS...   call methods in order, print results
    python worker.py MODULE CONTRACT --hold METHOD JSON    call, print, then wait to be killed
    python worker.py database Database@1 --merge ID PREFIX N   N updates of one record

Every other module is served by its mock, so only MODULE's own code runs.
"""

import asyncio
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import DeclaredError, System  # noqa: E402


def _plain(value: object) -> object:
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


async def main(module: str, key: str, args: list[str]) -> None:
    others = [d.name for d in MODULES if d.name != module]
    async with System(MODULES, clients=CLIENTS, force_mock=others) as system:
        assert system.modules[module].mode == "impl", system.modules[module].reason
        client = system.client(key, source_agent="worker")
        if args[0] == "--merge":
            record_id, prefix, count = args[1], args[2], int(args[3])
            for i in range(count):
                ok = await client.update(table="counters", id=record_id, data={f"{prefix}{i}": i})
                assert ok is True
            print(json.dumps({"done": count}), flush=True)
            return
        hold = args[0] == "--hold"
        calls = args[1:] if hold else args
        results = []
        for method, raw in zip(calls[::2], calls[1::2], strict=True):
            try:
                results.append(_plain(await getattr(client, method)(**json.loads(raw))))
            except DeclaredError as exc:
                results.append({"raised": exc.code})
        print(json.dumps(results), flush=True)
        if hold:
            await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
