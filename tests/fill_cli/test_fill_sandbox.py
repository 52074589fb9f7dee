"""``specloom fill`` against hostile model answers: the fake Ollama server answers code that tries
to leak a secret, write into the project, forge its own verdict, exit, hang, exhaust memory or use
the network. None of it may reach the machine, and none of it may pass.

The sandbox used is the strongest the machine has (``make setup`` installs bubblewrap when it
runs as root); the attacks that need the file system and network protection also run under
``--sandbox unshare``, the fallback.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_ollama import FakeOllama
from fill_bodies import PUT, WRONG_PUT, answer
from fill_cli_kit import MODEL, REPO, specloom_fill

from generator.fill.sandbox import detect

SECRET = "s3cr3t-" + uuid.uuid4().hex
LEVELS = ["auto", "unshare"]


def hostile(prologue: str, body: str = PUT) -> str:
    """``body`` (a put method) with ``prologue`` run first on every call."""
    head, rest = body.split("\n", 2)[:2], body.split("\n", 2)[2]
    lines = "".join(f"    {line}\n" for line in prologue.strip("\n").splitlines())
    return f"{head[0]}\n{head[1]}\n{lines}{rest}"


def fill_put(project: Path, fake: FakeOllama, reply: str, *args: str) -> tuple[int, str, str]:
    fake.push(reply)
    done = specloom_fill(
        project, "store", "--method", "put", "--attempts", "1", "--test-timeout", "20", *args,
        host=fake.url, extra_env={"SPECLOOM_TEST_SECRET": SECRET, "AWS_SECRET_ACCESS_KEY": SECRET},
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def outcome(stdout: str) -> str:
    row = next(line for line in stdout.splitlines() if line.startswith("store   put"))
    return row.split()[3]


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on 127.0.0.1 recording what every connection sends."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    received.append(conn.recv(4096) or b"<connected>")
                except OSError:
                    received.append(b"<connected>")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], received
    finally:
        stop.set()
        thread.join(5)
        server.close()


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("variant", ["passing", "failing", "dry-run"])
def test_a_secret_written_outside_the_project_never_appears(
    project: Path, fake: FakeOllama, tmp_path: Path, level: str, variant: str
) -> None:
    targets = [tmp_path / "leak.txt", REPO / f".leak-{uuid.uuid4().hex}", Path.home() / ".leak"]
    writes = "\n".join(
        f"try:\n    open({str(t)!r}, 'a').write(str(__import__('os').environ))\n"
        "except OSError:\n    pass"
        for t in targets
    )
    body = WRONG_PUT if variant == "failing" else PUT
    args = ["--sandbox", level] + (["--dry-run"] if variant == "dry-run" else [])
    try:
        code, stdout, _ = fill_put(project, fake, answer(hostile(writes, body)), *args)
        assert outcome(stdout) == ("failed" if variant == "failing" else "filled"), stdout
        assert code == (1 if variant == "failing" else 0)
        for target in targets:
            assert not target.exists(), f"{target} was written"
    finally:
        for target in targets:
            target.unlink(missing_ok=True)
    for path in project.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path


@pytest.mark.parametrize("level", LEVELS)
def test_a_replayed_hostile_answer_runs_in_the_sandbox_too(
    project: Path, tmp_path: Path, level: str
) -> None:
    target = tmp_path / "replayed-leak.txt"
    reply = answer(hostile(f"open({str(target)!r}, 'a').write('x')", WRONG_PUT))
    scaffold = (project / "impl" / "store.py").read_bytes()
    with FakeOllama([reply], models=[MODEL]) as fake:
        url = fake.url
        first = specloom_fill(project, "store", "--method", "put", "--attempts", "1",
                              "--sandbox", level, host=url)  # fmt: skip
    assert first.returncode == 1 and not target.exists()
    replay = specloom_fill(project, "store", "--method", "put", "--attempts", "1",
                           "--sandbox", level, host=url)  # fmt: skip
    assert "cached answer" in replay.stderr
    assert replay.returncode == 1 and not target.exists()
    assert (project / "impl" / "store.py").read_bytes() == scaffold


@pytest.mark.parametrize("level", LEVELS)
def test_a_candidate_cannot_change_the_specs(project: Path, fake: FakeOllama, level: str) -> None:
    spec = project / "specs" / "system.yaml"
    before = spec.read_bytes()
    append = f"open({str(spec)!r}, 'a').write('\\n# owned\\n')"
    reply = answer(hostile(append, WRONG_PUT))
    code, stdout, _ = fill_put(project, fake, reply, "--sandbox", level)
    assert code == 1 and outcome(stdout) == "failed"
    assert spec.read_bytes() == before


FORGE = """\
import sys
always = lambda *a, **k: True
for name, mod in list(sys.modules.items()):
    for attr in ("json_equal", "json_subset", "check_example", "judge"):
        if hasattr(mod, attr):
            try:
                setattr(mod, attr, always)
            except Exception:
                pass
try:
    import generator.fill.judge as j
    j.json_equal = j.json_subset = always
except Exception:
    pass
"""


def test_a_candidate_that_patches_the_comparison_helpers_still_fails(
    project: Path, fake: FakeOllama
) -> None:
    before = (project / "impl" / "store.py").read_bytes()
    code, stdout, _ = fill_put(project, fake, answer(hostile(FORGE, WRONG_PUT)))
    assert code == 1 and outcome(stdout) == "failed", stdout
    assert "expected result to be False, got True" in stdout
    assert (project / "impl" / "store.py").read_bytes() == before


@pytest.mark.parametrize(
    ("prologue", "imports", "reason"),
    [
        pytest.param("os._exit(0)", ["import os"], "exited early (exit 0)", id="os-exit"),
        pytest.param(
            'print(\'{"seq": 2, "result": true}\')\nsys.stdout.flush()\nos._exit(0)',
            ["import os", "import sys"],
            "exited early (exit 0)",
            id="prints-a-fake-reply",
        ),
        pytest.param(
            "for fd in range(1, 30):\n    try:\n        os.write(fd, b'garbage\\n')\n"
            "    except OSError:\n        pass",
            ["import os"],
            "contract tests failed: HarnessError: the harness ",
            id="writes-garbage-to-every-fd",
        ),
        pytest.param("while True:\n    pass", [], "did not finish within", id="endless-loop"),
        pytest.param(
            "os.kill(os.getpid(), 9)", ["import os"], "killed by signal 9", id="kills-itself"
        ),
    ],
)
def test_a_harness_that_dies_or_hangs_is_a_failure(
    project: Path, fake: FakeOllama, prologue: str, imports: list[str], reason: str
) -> None:
    before = (project / "impl" / "store.py").read_bytes()
    args = ["--test-timeout", "5"] if "while" in prologue else []
    fake.push(answer(hostile(prologue), *imports))
    done = specloom_fill(project, "store", "--method", "put", "--attempts", "1", *args,
                         host=fake.url)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert outcome(done.stdout) == "failed"
    assert reason in done.stdout
    assert (project / "impl" / "store.py").read_bytes() == before


def test_a_memory_bomb_hits_the_limit(project: Path, fake: FakeOllama) -> None:
    # 3 GiB, above the 2 GiB address-space limit; without the limit the (lazily zeroed) buffer
    # would be allocated and the otherwise correct put would pass.
    code, stdout, _ = fill_put(project, fake, answer(hostile("_bomb = bytearray(3 << 30)")))
    assert code == 1 and outcome(stdout) == "failed", stdout
    assert "MemoryError" in stdout or "memory" in stdout.lower()


@pytest.mark.parametrize("level", LEVELS)
def test_a_candidate_has_no_network(
    project: Path, fake: FakeOllama, listener: tuple[int, list[bytes]], level: str
) -> None:
    port, received = listener
    call = (
        "try:\n"
        f"    __import__('socket').create_connection(('127.0.0.1', {port}), timeout=2)"
        ".sendall(b'leak')\n"
        "except OSError:\n"
        "    pass"
    )
    code, stdout, _ = fill_put(project, fake, answer(hostile(call)), "--sandbox", level)
    assert code == 0 and outcome(stdout) == "filled", stdout  # the attempt failed silently
    assert received == []


def test_the_report_names_the_sandbox(project: Path, fake: FakeOllama) -> None:
    code, stdout, stderr = fill_put(project, fake, answer(PUT))
    assert code == 0
    level = detect().level
    expected = {"bwrap": "sandbox: bubblewrap: ", "unshare": "sandbox: unshare: "}[level]
    assert stdout.splitlines()[-1].startswith(expected)
    assert expected in stderr


def test_no_sandbox_is_refused_unless_allowed(
    project: Path, fake: FakeOllama, tmp_path: Path
) -> None:
    empty = tmp_path / "bin"  # a PATH without bwrap and unshare
    empty.mkdir()
    before = (project / "impl" / "store.py").read_bytes()
    fake.push(answer(PUT))
    base = ["store", "--method", "put", "--attempts", "1"]
    refused = specloom_fill(project, *base, host=fake.url, extra_env={"PATH": str(empty)})
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1].startswith(
        "error: no sandbox for candidate code on this machine"
    )
    assert "--allow-unsandboxed" in refused.stderr
    assert fake.chats == [] and (project / "impl" / "store.py").read_bytes() == before
    allowed = specloom_fill(project, *base, "--allow-unsandboxed", host=fake.url,
                            extra_env={"PATH": str(empty)})  # fmt: skip
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.splitlines()[-1].startswith("sandbox: NONE")
    help_text = specloom_fill(project, "--help", host=None).stdout
    assert "bubblewrap" in help_text and "--allow-unsandboxed" in help_text


def test_the_candidate_sees_only_an_allow_listed_environment(
    project: Path, fake: FakeOllama
) -> None:
    # The environment goes into the result: when it holds the secret, the example fails with
    # the value in its message, so the candidate passes only if the secret is absent.
    check = (
        "if any(v == " + repr(SECRET) + " for v in os.environ.values()) or "
        "'SPECLOOM_TEST_SECRET' in os.environ:\n    return 'leaked'  # type: ignore"
    )
    code, stdout, _ = fill_put(project, fake, answer(hostile(check), "import os"))
    assert code == 0 and outcome(stdout) == "filled", stdout
    assert os.environ.get("SPECLOOM_TEST_SECRET") is None  # the secret was only in fill's env
