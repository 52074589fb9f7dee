"""``make bench``: how fast specloom is, measured against its own import floor in the same run.

Every timing is a cold CLI process (``specloom ...`` as a user runs it), the median of several
runs, wall clock, with its peak memory (max RSS of the largest process: specloom, ruff or the
datamodel-code-generator child). The floor is ``python -c "import jinja2, yaml, jsonschema,
click"``: what any tool built on these libraries pays before doing anything, measured in the same
run so that ratios hold on a busy or a slow machine.

    .venv/bin/python benchmarks/run.py [--quick] [--repeat N] [--sizes 10,100,1000]
                                       [--markdown FILE]

Rows: the flagship (``specs/``): validate; full generate into an empty output with nothing
cached, then with the caches warm (shared types, compiled templates, formatted files, schema-valid
spec files, tool digest: ``SPECLOOM_CACHE_DIR``); no-op regenerate; ``check``;
datamodel-code-generator alone on the flagship's shared types (the peer). Every process has
bytecode compiled (as an installed package has), in a folder of the benchmark.
Synthetic systems of 10, 100 and 1,000 modules (``synth_specs.py``, 5 methods each): full
generate with nothing cached and with warm caches, per module and per method; no-op
regenerate. The in-process bus of the generated flagship: round trips per second through the
generated client to an in-memory create (random id + deep copy, as the flagship's old
DatabaseImpl), against a direct await of the same implementation object. Over NATS
(``bench_nats.py``, a local nats-server): the generated client against raw nats-py request/reply
on the same server in the same run (rounds alternate), sequential and 64 concurrent, rate,
p50/p99 and CPU per round trip.
The HTTP
gateway (``bench_gateway.py``): requests/s, p50 and p99 under 32 concurrent loopback connections,
against a bare Starlette endpoint on the same uvicorn.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

sys.path.insert(0, str(ROOT))

import bench_bus  # noqa: E402
import bench_gateway  # noqa: E402
import bench_nats  # noqa: E402
import synth_specs  # noqa: E402

BIN = Path(sys.executable).parent
SPECLOOM = [str(BIN / "specloom")] if (BIN / "specloom").exists() else None
FLOOR = [sys.executable, "-c", "import jinja2, yaml, jsonschema, click"]


@dataclass
class Row:
    name: str
    seconds: float
    runs: int
    peak_mib: float = 0.0
    modules: int = 0
    methods: int = 0
    target: str = ""
    ok: bool | None = None
    note: str = ""


@dataclass
class Bench:
    work: Path
    repeat: int
    rows: list[Row] = field(default_factory=list)
    floor: float = 0.0

    def env(self, cache: Path) -> dict[str, str]:
        """A run's environment: its own specloom cache; bytecode written (as for an installed
        package, where pip compiles it) to a folder of the benchmark, not into the tree."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SPECLOOM_", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX"))
        }
        env["SPECLOOM_CACHE_DIR"] = str(cache)
        env["PYTHONPYCACHEPREFIX"] = str(self.work / "pycache")
        return env


def specloom_cmd(*args: str) -> list[str]:
    if SPECLOOM:
        return [*SPECLOOM, *args]
    return [sys.executable, "-c", "from generator.cli import main; main()", *args]


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one process run to completion; raises if it fails."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"benchmark command failed ({proc.returncode}): {cmd}\n{tail}")
    return seconds, usage.ru_maxrss / 1024


def measure(
    bench: Bench,
    cmd: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    before: Callable[[], None] | None = None,
    repeat: int | None = None,
) -> tuple[float, float, int]:
    """Median seconds, max peak MiB and run count of ``cmd``; ``before`` runs untimed each time."""
    times, peaks = [], []
    n = repeat or bench.repeat
    for _ in range(n):
        if before:
            before()
        seconds, peak = timed(cmd, cwd, env)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks), n


def discard(path: Path, trash: Path) -> None:
    """Move ``path`` out of the way (deleting thousands of files is slow on some disks)."""
    if path.exists():
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{path.name}-{time.monotonic_ns()}")


def flagship(bench: Bench) -> None:
    proj = bench.work / "flagship"
    shutil.copytree(ROOT / "specs", proj / "specs")
    trash = bench.work / "trash"
    cold_cache, warm_cache = bench.work / "cache-cold", bench.work / "cache-warm"

    def empty_output() -> None:
        discard(proj / "generated", trash)
        discard(proj / "impl", trash)

    def nothing_cached() -> None:
        empty_output()
        discard(cold_cache, trash)

    t, peak, n = measure(bench, specloom_cmd("validate", "specs"), proj, bench.env(warm_cache))
    bench.rows.append(Row("flagship: validate", t, n, peak, 12))

    peer = peer_codegen(bench, proj)

    gen = specloom_cmd("generate", "specs")
    t, peak, n = measure(bench, gen, proj, bench.env(cold_cache), nothing_cached)
    bench.rows.append(
        Row(
            "flagship: generate, empty output, nothing cached",
            t,
            n,
            peak,
            12,
            target=f"<= 1.25x peer ({1.25 * peer:.2f}s)",
            ok=t <= 1.25 * peer,
        )
    )
    timed(gen, proj, bench.env(warm_cache))  # fill the warm cache
    t, peak, n = measure(bench, gen, proj, bench.env(warm_cache), empty_output)
    bench.rows.append(
        Row(
            "flagship: generate, empty output, caches warm",
            t,
            n,
            peak,
            12,
            target="<= 2.5x floor",
            ok=t <= 2.5 * bench.floor,
        )
    )
    t, peak, n = measure(bench, gen, proj, bench.env(warm_cache))
    bench.rows.append(
        Row(
            "flagship: no-op regenerate",
            t,
            n,
            peak,
            12,
            target="<= 1.5x floor",
            ok=t <= 1.5 * bench.floor,
        )
    )
    t, peak, n = measure(bench, specloom_cmd("check", "specs"), proj, bench.env(warm_cache))
    bench.rows.append(
        Row("flagship: check", t, n, peak, 12, target="<= 1.5x floor", ok=t <= 1.5 * bench.floor)
    )


def peer_codegen(bench: Bench, proj: Path) -> float:
    """datamodel-codegen alone (CLI, builtin formatter) on the flagship's shared types."""
    from generator.validate import validate_specs

    result = validate_specs(proj / "specs")
    if result.spec is None:
        raise SystemExit("the flagship specs do not validate")
    types = {t.name: t.schema for t in result.spec.types}
    cmd = datamodel_codegen_cmd(bench.work, types)
    t, peak, n = measure(bench, cmd, bench.work, bench.env(bench.work / "cache-peer"))
    bench.rows.append(
        Row(f"peer: datamodel-codegen alone, {len(types)} shared types", t, n, peak, note="peer")
    )
    return t


def datamodel_codegen_cmd(folder: Path, types: dict | None = None) -> list[str]:
    """datamodel-codegen with the options specloom uses, on ``types`` (JSON Schemas by name)."""
    from generator.render.types_module import _json_schema

    source = folder / "types.json"
    source.write_text(json.dumps(_json_schema(types or {"Empty": {"type": "object"}}, "orchestra")))
    return [
        str(BIN / "datamodel-codegen"),
        *("--input", str(source), "--input-file-type", "jsonschema"),
        *("--output", str(folder / "types_peer.py")),
        *("--output-model-type", "pydantic_v2.BaseModel", "--target-python-version", "3.11"),
        *("--use-annotated", "--field-constraints", "--use-standard-collections"),
        *("--use-union-operator", "--disable-timestamp", "--enum-field-as-literal", "all"),
        *("--use-schema-description", "--use-field-description", "--formatters", "builtin"),
    ]


def synthetic(bench: Bench, sizes: list[int], methods: int = 5) -> None:
    """Each size: full generate into an empty output, nothing cached, then with caches warm."""
    trash = bench.work / "trash"
    per_method: dict[int, float] = {}
    for size in sizes:
        proj = bench.work / f"synth-{size}"
        synth_specs.write_system(proj / "specs", size, methods)
        gen = specloom_cmd("generate", "specs")
        cold, warm = bench.work / f"cache-synth-{size}-cold", bench.work / "cache-synth"
        repeat = min(bench.repeat, 3) if size >= 1000 else bench.repeat

        def empty_output(proj: Path = proj) -> None:
            discard(proj / "generated", trash)
            discard(proj / "impl", trash)

        def nothing_cached(cold: Path = cold, empty: Callable[[], None] = empty_output) -> None:
            empty()
            discard(cold, trash)

        t, peak, n = measure(bench, gen, proj, bench.env(cold), nothing_cached, repeat)
        per_method[size] = t / (size * methods)
        row = Row(
            f"synthetic {size} modules: generate, nothing cached", t, n, peak, size, size * methods
        )
        if size >= 1000:
            flat = per_method.get(100)
            row.target = "< 15s, <= 2.5 ms/method, < 500 MiB"
            row.ok = t < 15 and per_method[size] <= 0.0025 and peak < 500
            if flat is not None:
                row.target += ", flat from 100 (<= 1.2x)"
                row.ok = row.ok and per_method[size] <= 1.2 * flat
        bench.rows.append(row)
        timed(gen, proj, bench.env(warm))  # warm the caches
        t, peak, n = measure(bench, gen, proj, bench.env(warm), empty_output, repeat)
        bench.rows.append(
            Row(
                f"synthetic {size} modules: generate, caches warm", t, n, peak, size, size * methods
            )
        )
        if size >= 100:
            t, peak, n = measure(bench, gen, proj, bench.env(warm), repeat=repeat)
            bench.rows.append(
                Row(f"synthetic {size} modules: no-op regenerate", t, n, peak, size, size * methods)
            )
            one_method_changed(bench, proj, gen, bench.env(warm), size, methods, repeat, t)


def one_method_changed(
    bench: Bench,
    proj: Path,
    gen: list[str],
    env: dict[str, str],
    size: int,
    methods: int,
    repeat: int,
    noop: float,
) -> None:
    """Regenerate after one method's summary changed (a new text each run, so no cached output
    answers it), caches warm and the previous output in place: the incremental render."""
    contract = next(iter(sorted((proj / "specs" / "contracts").glob("*.yaml"))))
    original = contract.read_text()
    runs = iter(range(1, 1000))

    def change_one_method() -> None:
        text = json.loads(original)
        first = next(iter(text["methods"].values()))
        first["summary"] = f"{first['summary']} Changed {next(runs)}."
        contract.write_text(json.dumps(text, indent=1))

    t, peak, n = measure(bench, gen, proj, env, change_one_method, repeat)
    contract.write_text(original)
    row = Row(f"synthetic {size} modules: one method changed", t, n, peak, size, size * methods)
    if size >= 1000:
        row.target = f"<= 2x no-op ({2 * noop:.2f}s)"
        row.ok = t <= 2 * noop
    bench.rows.append(row)


def incremental(bench: Bench, sizes: list[int], methods: int = 5) -> None:
    """The no-op and one-method rows alone (no cold runs): the set is generated once to warm the
    caches, then the no-op regenerate and the one-method change are measured as in ``synthetic``."""
    for size in sizes:
        proj = bench.work / f"incr-{size}"
        synth_specs.write_system(proj / "specs", size, methods)
        gen = specloom_cmd("generate", "specs")
        env = bench.env(bench.work / f"cache-incr-{size}")
        repeat = min(bench.repeat, 3) if size >= 1000 else bench.repeat
        timed(gen, proj, env)  # warm the caches, output in place
        t, peak, n = measure(bench, gen, proj, env, repeat=repeat)
        bench.rows.append(
            Row(f"synthetic {size} modules: no-op regenerate", t, n, peak, size, size * methods)
        )
        one_method_changed(bench, proj, gen, env, size, methods, repeat, t)


def bus(bench: Bench, n: int = 20_000) -> None:
    """In-process: the generated client -> bus -> host -> an in-memory create (the flagship's
    old DatabaseImpl: random id + deep copy), against a direct await of the same object."""
    repeats = [asyncio.run(bench_bus.run_generated(n, ROOT)) for _ in range(3)]
    direct = statistics.median(r["direct await"] for r in repeats)
    rate = statistics.median(r["generated client+bus"] for r in repeats)
    floor = statistics.median(r["direct await, constant"] for r in repeats)
    overhead = direct / rate
    bench.rows.append(
        Row(
            "bus: direct await of an in-memory Database@1.create (id + deep copy)",
            1 / direct,
            3,
            note=f"rate; a constant-time create awaited directly: {1e6 / floor:.2f} us",
        )
    )
    bench.rows.append(
        Row(
            "bus: generated client -> bus -> host -> in-memory create",
            1 / rate,
            3,
            target=">= 20,000/s, overhead <= 5x",
            ok=rate >= 20_000 and overhead <= 5,
            note=f"rate; overhead x{overhead:.1f} a direct await, "
            f"{1e6 / rate - 1e6 / direct:.1f} us of client, bus and host per call",
        )
    )


def nats(bench: Bench, n: int = 2000) -> None:
    """Generated client over NATS vs raw nats-py request/reply, same server, same run: raw and
    generated rounds alternate (bench_nats.py), each figure the median of 5 rounds."""
    out = bench_nats.measure(n, rounds=5)
    for mode in ("sequential", "64 concurrent"):
        raw = out[f"raw nats-py, {mode}"]
        ours = out[f"generated client, {mode}"]
        ratio = ours["rate"] / raw["rate"]
        for label, r, generated in (
            ("raw nats-py request/reply", raw, False),
            ("generated client -> NATS -> host -> create", ours, True),
        ):
            bench.rows.append(
                Row(
                    f"nats: {label}, {mode}",
                    1 / r["rate"],
                    5,
                    target=">= 0.7x raw" if generated else "",
                    ok=(ratio >= 0.7) if generated else None,
                    note=f"rate; p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
                    f"CPU {r['cpu_us']:.0f} us/round trip"
                    + (
                        f"; x{ratio:.2f} raw (CPU x{raw['cpu_us'] / r['cpu_us']:.2f})"
                        if generated
                        else ""
                    ),
                )
            )


def gateway(bench: Bench) -> None:
    out = bench_gateway.run()
    bare, gw = out["bare"], out["gateway"]
    ratio = gw["rps"] / bare["rps"]
    bench.rows.append(
        Row(
            "http: bare Starlette endpoint (same uvicorn)",
            1 / bare["rps"],
            2,
            note=f"rate; p50 {bare['p50_ms']:.1f} ms, p99 {bare['p99_ms']:.1f} ms, "
            f"server CPU {bare['server_cpu_ms']:.2f} ms/request",
        )
    )
    bench.rows.append(
        Row(
            "http: gateway (JWT auth, params+result validation, bus, constant-time Database.read)",
            1 / gw["rps"],
            2,
            target=">= 0.5x bare",
            ok=ratio >= 0.5 and gw["errors"] == 0,
            note=f"rate; {ratio:.2f}x bare, p50 {gw['p50_ms']:.1f} ms, p99 {gw['p99_ms']:.1f} ms, "
            f"server CPU {gw['server_cpu_ms']:.2f} ms/request",
        )
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average {load}"
    )


def table(bench: Bench) -> str:
    head = (
        "| case | median | x floor | per module | per method | peak MiB | runs | target | ok |\n"
        "|---|---:|---:|---:|---:|---:|---:|---|:-:|\n"
    )
    lines = []
    for r in bench.rows:
        if r.note.startswith("rate"):
            extra = r.note.removeprefix("rate").lstrip("; ")
            median = f"{1 / r.seconds:,.0f}/s" + (f" ({extra})" if extra else "")
            ratio = per_module = per_method = peak = ""
        else:
            median = f"{r.seconds:.3f}s"
            ratio = f"{r.seconds / bench.floor:.2f}" if bench.floor else ""
            per_module = f"{1000 * r.seconds / r.modules:.1f} ms" if r.modules else ""
            per_method = f"{1000 * r.seconds / r.methods:.2f} ms" if r.methods else ""
            peak = f"{r.peak_mib:.0f}"
        ok = "" if r.ok is None else ("yes" if r.ok else "**no**")
        cells = [r.name, median, ratio, per_module, per_method, peak, str(r.runs), r.target, ok]
        lines.append("| " + " | ".join(cells) + " |")
    return head + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (median)")
    parser.add_argument("--sizes", default="10,100,1000", help="synthetic system sizes")
    parser.add_argument("--quick", action="store_true", help="3 runs, sizes 10 and 100 only")
    parser.add_argument("--markdown", type=Path, default=ROOT / "bench-results" / "latest.md")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated sections: flagship,synthetic,incremental,bus,nats,gateway "
        "(incremental: the no-op and one-method rows of --sizes, without the cold runs; "
        "not in the default run)",
    )
    args = parser.parse_args()
    only = {s for s in args.only.split(",") if s}

    def wanted(section: str) -> bool:
        return not only or section in only

    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.quick:
        args.repeat = 3
        sizes = [s for s in sizes if s < 1000]
    started = machine()
    work = Path(tempfile.mkdtemp(prefix="specloom-bench-"))
    bench = Bench(work, args.repeat)
    try:
        warm_up = bench.env(work / "cache-warm-up")
        timed(FLOOR, work, warm_up)  # bytecode of the libraries and of specloom, once
        shutil.copytree(ROOT / "specs", work / "warm-up" / "specs")
        timed(specloom_cmd("generate", "specs"), work / "warm-up", warm_up)
        timed(datamodel_codegen_cmd(work / "warm-up"), work, warm_up)
        t, peak, n = measure(bench, FLOOR, work, warm_up)
        bench.floor = t
        bench.rows.append(Row("floor: import jinja2, yaml, jsonschema, click", t, n, peak))
        sections: list[tuple[str, Callable[[], None]]] = [
            ("flagship", lambda: flagship(bench)),
            ("synthetic", lambda: synthetic(bench, sizes)),
            ("incremental", lambda: incremental(bench, sizes)),
            ("bus", lambda: bus(bench)),
            ("nats", lambda: nats(bench)),
            ("gateway", lambda: gateway(bench)),
        ]
        print(f"floor {t:.3f}s", file=sys.stderr, flush=True)
        for section, run in sections:
            if wanted(section) and (section != "incremental" or section in only):
                print(f"{section} ...", file=sys.stderr, flush=True)
                run()
    finally:
        print("cleaning up ...", file=sys.stderr, flush=True)
        shutil.rmtree(work, ignore_errors=True)
    text = f"Machine: {started} (at start).\n\n{table(bench)}"
    print(text)
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(text)
    failed = [r.name for r in bench.rows if r.ok is False]
    if failed:
        print(f"{len(failed)} target(s) missed: {'; '.join(failed)}", file=sys.stderr)


if __name__ == "__main__":
    main()
