"""No bad spec ever shows the user a Python traceback.

Every case folder of tests/cases, plus generated hostile inputs (alias bomb, 10,000-level
nesting, random bytes, a 3 MiB file, Python tags), goes through ``specloom validate`` in a real
subprocess and through ``validate``/``plan`` in every output format in-process. Each run must end
with exit 0 or 1 and clean output: no traceback, no "internal error".
"""

from __future__ import annotations

import random
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from clikit import Run
from spectree import CASES, NOTES_SPECS, write_tree

from generator.cli import main

NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
BAD_WORDS = ("Traceback", "internal error", "Error:", "Exception")


def hostile_inputs() -> dict[str, bytes]:
    rng = random.Random(7)
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return {
        "alias_bomb": ("module: bomb\n" + "\n".join(bomb) + "\n").encode(),
        "deep_flow": b"module: x\nd: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        "deep_block": b"module: x\nd:\n  " + b"- " * 10_000 + b"x\n",
        "deep_map": b"module: x\nd: " + b"{a: " * 5_000 + b"1" + b"}" * 5_000 + b"\n",
        "random_bytes": bytes(rng.randrange(256) for _ in range(4096)),
        "huge": b"module: x\n" + b"# padding\n" * 300_000,
        "python_tag": b"module: !!python/object/apply:os.system ['echo pwned']\n",
        "recursive_alias": b"module: x\nloop: &l {again: *l}\n",
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One spec tree per hostile input: the notes specs plus the bad module file."""
    roots = []
    for name, content in hostile_inputs().items():
        root = tmp_path_factory.mktemp(name)
        shutil.copytree(NOTES_SPECS, root / "specs")
        write_tree(root, {"specs/modules/03-bad.yaml": content})
        roots.append(root)
    return roots


def assert_clean(code: int, out: str, err: str, where: str) -> None:
    assert code in (0, 1), f"{where}: exit {code}\n{err}"
    for word in BAD_WORDS:
        assert word not in err, f"{where}: {word!r} on stderr:\n{err}"
    if code == 1:
        assert (out + err).strip(), f"{where}: failed without saying why"


def test_every_case_and_hostile_input_in_a_subprocess(specloom: Run, hostile: list[Path]) -> None:
    roots = [CASES / n for n in NAMES] + hostile

    def run(root: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
        return root, specloom("validate", "specs", cwd=root)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, roots))
    assert len(results) == len(NAMES) + len(hostile_inputs())
    for root, r in results:
        assert_clean(r.returncode, r.stdout, r.stderr, root.name)
    codes = {root.name: r.returncode for root, r in results}
    assert all(codes[root.name] == 1 for root in hostile)


@pytest.mark.parametrize(
    "args",
    [["validate", "specs", "--format", "github"], ["plan", "specs"]],
    ids=["github", "plan"],  # text runs in the subprocesses above; json is a dump of the same
)
def test_every_case_in_process(
    args: list[str], hostile: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    for root in [CASES / n for n in NAMES] + hostile:
        monkeypatch.chdir(root)
        result = runner.invoke(main, args)
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), (root.name, result.exc_info)
        assert_clean(result.exit_code, result.stdout, result.stderr, f"{root.name} {args}")
