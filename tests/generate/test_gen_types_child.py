"""datamodel-code-generator's child process (``python -m generator.render.types_module``): it
warms up on a small schema while the parent works, and its answer is the same module a fresh
process without any warm-up generates."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from genkit import FLAGSHIP_SPECS, ROOT, env, ok, specloom

from generator.errors import SpecloomError
from generator.render.types_module import TypesJob, _json_schema
from generator.validate import validate_specs

COLD = (
    "import sys\n"
    "from generator.render.types_module import _run_codegen\n"
    "sys.stdout.write(_run_codegen(sys.stdin.read()))\n"
)


def test_the_warm_child_generates_what_a_cold_process_does() -> None:
    result = validate_specs(FLAGSHIP_SPECS)
    assert result.spec is not None
    types = {t.name: t.schema for t in result.spec.types}
    source = json.dumps(_json_schema(types, "orchestra"), sort_keys=True)
    cold = subprocess.run(
        [sys.executable, "-c", COLD],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env(),
        check=True,
    ).stdout
    job = TypesJob().prestart()
    try:
        job.submit(types, package="orchestra", use_cache=False)
        warm = job.result()
    finally:
        job.cancel()
    assert warm == cold
    assert "class Task(BaseModel)" in warm and "from specloom_runtime.formats import" in warm


def test_a_failing_schema_is_one_clean_line_from_the_child() -> None:
    job = TypesJob().prestart()
    try:
        # a $ref that is no string: datamodel-code-generator raises, the child reports one line
        job.submit({"Broken": {"$ref": 5}}, package="p", use_cache=False)
        with pytest.raises(SpecloomError) as exc:
            job.result()
    finally:
        job.cancel()
    assert exc.value.message.startswith("datamodel-code-generator failed on the shared types")
    assert "\n" not in exc.value.message


def _children_marked(marker: str) -> list[int]:
    """Processes whose environment holds ``marker`` (the child inherits the CLI's)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if f"SPECLOOM_TEST_MARK={marker}".encode() in environ.split(b"\0"):
            found.append(int(proc.name))
    return found


@pytest.mark.parametrize("case", ["usage error", "spec errors", "no-op"])
def test_a_child_started_first_thing_is_never_left_behind(tmp_path: Path, case: str) -> None:
    """The console script starts the child before parsing the command line (types cache
    empty): whatever the run then does without it, the child is gone when specloom exits."""
    shutil.copytree(FLAGSHIP_SPECS, tmp_path / "specs")
    if case == "no-op":
        ok(specloom("generate", "specs", cwd=tmp_path))
    elif case == "spec errors":
        (tmp_path / "specs" / "modules" / "99-bad.yaml").write_text("module: [\n", "utf-8")
    for run in range(2):
        marker = f"{case}-{run}-{uuid.uuid4().hex}"
        folder = "nowhere" if case == "usage error" else "specs"
        proc = specloom(
            "generate", folder, cwd=tmp_path, cache=tmp_path / f"empty-{run}",
            SPECLOOM_TEST_MARK=marker,
        )  # fmt: skip
        want = {"usage error": 2, "spec errors": 1, "no-op": 0}[case]
        assert proc.returncode == want, proc.stdout + proc.stderr
        assert _children_marked(marker) == []


def test_a_cached_types_module_from_other_generator_code_is_not_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache key holds the code that calls datamodel-code-generator, not only its version and
    input: an entry stored under the old key (version + input, as before an option such as
    ``strict_types`` was added) is ignored, and the module is generated afresh."""
    import hashlib

    from generator.render.types_module import _codegen_version, render_types

    types = {"Note": {"type": "object", "properties": {"body": {"type": "string"}}}}
    source = json.dumps(_json_schema(types, "notes"), sort_keys=True)
    old_key = hashlib.sha256(f"{_codegen_version()}\n{source}".encode()).hexdigest()
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path))
    (tmp_path / "types").mkdir()
    (tmp_path / "types" / f"{old_key}.py").write_text("STALE = True\n", "utf-8")
    text = render_types(types, package="notes")
    assert "STALE" not in text
    assert "class Note(BaseModel)" in text and "StrictStr" in text
    assert render_types(types, package="notes") == text  # and its own entry is served


@pytest.mark.parametrize("specs", ["flagship", "shared-types"])
def test_types_py_of_a_real_generate_is_lint_clean_with_no_fix_and_stable(
    tmp_path: Path, specs: str
) -> None:
    """``types.py`` comes out of the child import-sorted (no ``ruff check --fix`` in the render
    step): after a cold ``generate``, ``ruff check`` with the generated ``ruff.toml`` (plus the
    rules a fix pass fixes) finds nothing, ``ruff format --check`` agrees, two cold runs with
    separate caches write the same bytes, and the flagship's is the checked-in one."""
    import yaml
    from genkit import run, tool, write_tree
    from test_gen_raw_lint import SHARED_TYPES

    if specs == "flagship":
        shutil.copytree(FLAGSHIP_SPECS, tmp_path / "specs")
    else:
        tree = {
            "specs/system.yaml": {
                "specloom": 1,
                "system": {"name": "kinds", "title": "K", "version": "0.1.0", "description": "k"},
            },
            "specs/types/kinds.yaml": {"types": SHARED_TYPES},
        }
        write_tree(tmp_path, {rel: yaml.safe_dump(d, sort_keys=False) for rel, d in tree.items()})
    texts = []
    for i in range(2):
        out = tmp_path / f"out{i}"
        ok(specloom("generate", "specs", "--out", out, cwd=tmp_path, cache=tmp_path / f"c{i}"))
        (types_py,) = out.glob("*/types.py")
        texts.append(types_py.read_bytes())
    out = tmp_path / "out0"
    rel = str(types_py.relative_to(tmp_path / "out1"))
    lint = run(
        [tool("ruff"), "check", "--no-cache", "--no-fix", "--config", "ruff.toml"]
        + ["--extend-select", "I,F401,RUF022,PIE790", "--output-format", "concise", rel],
        out,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = run([tool("ruff"), "format", "--check", "--no-cache", "--config", "ruff.toml", rel], out)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    assert texts[0] == texts[1]
    if specs == "flagship":
        assert texts[0] == (ROOT / "generated" / "orchestra" / "types.py").read_bytes()


def test_the_format_step_fixes_only_for_user_templates(tmp_path: Path) -> None:
    """Without ``fix`` the batch is ``ruff format`` alone (an unsorted, unused import stays as
    written); with it (a run with user templates) ``ruff check --fix`` sorts and prunes first."""
    from generator.render.format import format_python

    text = "import sys\nimport os\n\nprint(os.sep)\n"
    config = 'line-length = 100\ntarget-version = "py311"\n'
    plain = format_python({"pkg/m.py": text}, config, use_cache=False)
    assert plain["pkg/m.py"] == text
    fixed = format_python({"pkg/m.py": text}, config, use_cache=False, fix=True)
    assert fixed["pkg/m.py"] == "import os\n\nprint(os.sep)\n"


def test_line_separators_in_a_description_stay_inside_their_docstring_line() -> None:
    """U+2028, U+0085 and a form feed are not line breaks to Python: types.py must keep them in
    the description's text, not break the docstring there (``str.splitlines`` would)."""
    from generator.render.types_module import render_types

    odd = "one\u2028two\x85three\x0cfour"
    types = {
        "Thing": {
            "type": "object",
            "description": odd,
            "properties": {"label": {"type": "string", "description": odd}},
        }
    }
    text = render_types(types, package="odd", use_cache=False)
    assert text.count(odd) == 2, text
    compile(text, "types.py", "exec")
