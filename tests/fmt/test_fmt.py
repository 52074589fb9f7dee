"""``specloom fmt``: canonical key order, comments kept, idempotent, meaning unchanged.

Property tests run over every spec file of the repository (the flagship, the examples and the
valid validation cases): formatting twice equals formatting once, the formatted file loads (with
specloom's own loader) to the same data, keeps the order of user-named maps and every comment,
and any shuffle of the schema-named keys formats to the same text.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.fmt import format_text
from generator.fmt.order import SchemaWalker
from generator.fmt.rewrite import FormatRefused, _yaml
from generator.load.files import detect_kind
from generator.load.located import parse_yaml
from generator.validate.schema import schema_for

ROOT = Path(__file__).resolve().parents[2]
SPECLOOM = str(Path(sys.executable).with_name("specloom"))


def _spec_files() -> list[Path]:
    found = []
    folders = ["specs", "examples/notes/specs", "examples/versions/specs"]
    folders += ["tests/cases/valid_minimal/specs", "tests/cases/warning_no_adapter/specs"]
    for folder in folders:
        found += sorted((ROOT / folder).rglob("*.yaml"))
    return found


FILES = _spec_files()
IDS = [str(p.relative_to(ROOT)) for p in FILES]


def _comments(text: str) -> list[str]:
    """Full-line comments, as a sorted multiset."""
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


def _user_orders(data: object, path: str = "") -> dict[str, list[str]]:
    """The key order of every map whose keys the user names (methods, params, types...)."""
    out: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key in ("methods", "params", "properties", "types", "errors", "events"):
            if isinstance(data.get(key), dict):
                out[f"{path}.{key}"] = list(data[key])
        for k, v in data.items():
            out.update(_user_orders(v, f"{path}.{k}"))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.update(_user_orders(v, f"{path}[{i}]"))
    return out


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_fmt_is_idempotent_and_keeps_meaning_comments_and_user_order(path: Path) -> None:
    text = path.read_text("utf-8")
    once = format_text(text)
    assert format_text(once) == once
    before, after = parse_yaml(text).data, parse_yaml(once).data
    assert after == before
    assert _user_orders(after) == _user_orders(before)
    assert _comments(once) == _comments(text)


def _shuffle(node: object, schemas: list, walker: SchemaWalker, rnd: random.Random) -> None:
    """Shuffle the schema-named keys of every map (user-named maps keep their order)."""
    if isinstance(node, CommentedMap):
        for key in list(node.keys()):
            subs = [c for s, b in schemas for c in walker.child(s, b, key)]
            _shuffle(node[key], subs, walker, rnd)
        named = {k for s, b in schemas for k in walker.keys(s, b)}
        keys = list(node.keys())
        if named and set(keys) <= named:
            rnd.shuffle(keys)
            for key in keys:
                node.move_to_end(key)
    elif isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            _shuffle(item, [c for s, b in schemas for c in walker.child(s, b, i)], walker, rnd)


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, len(FILES) - 1), seed=st.integers(0, 2**32 - 1))
def test_any_key_order_formats_to_the_same_canonical_text(index: int, seed: int) -> None:
    text = FILES[index].read_text("utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")) + "\n"
    y = _yaml()
    data = y.load(text)
    kind = detect_kind(parse_yaml(text).data)
    schema = schema_for(kind)
    _shuffle(data, [(schema, schema["$id"])], SchemaWalker(), random.Random(seed))
    buf = io.StringIO()
    y.dump(data, buf)
    shuffled = buf.getvalue()
    assert parse_yaml(shuffled).data == parse_yaml(text).data
    assert format_text(shuffled) == format_text(text)


def test_comments_travel_with_their_keys() -> None:
    text = (
        "# header\n"
        "version: 1  # the major version\n"
        "contract: Shop\n"
        "# the methods\n"
        "methods:\n"
        "  buy:\n"
        "    # about the params\n"
        "    params:\n"
        "      sku: {description: The product., type: string}  # eol\n"
        "    summary: Buy a thing.\n"
        "# the description\n"
        "description: Shop things.\n"
    )
    out = format_text(text)
    assert out == (
        "# header\n"
        "contract: Shop\n"
        "version: 1  # the major version\n"
        "# the description\n"
        "description: Shop things.\n"
        "# the methods\n"
        "methods:\n"
        "  buy:\n"
        "    summary: Buy a thing.\n"
        "    # about the params\n"
        "    params:\n"
        "      sku: {type: string, description: The product.}  # eol\n"
    )
    assert format_text(out) == out


def test_fmt_refuses_what_it_cannot_format_safely() -> None:
    with pytest.raises(FormatRefused, match="E_YAML_DUPLICATE_KEY|duplicate"):
        format_text("contract: A\ncontract: B\n")
    with pytest.raises(FormatRefused, match="not a spec file"):
        format_text("hello: world\n")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SPECLOOM, *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_cli_check_write_and_refusal(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "system.yaml").write_text(
        "system: {title: T, name: t, version: 1.0.0}\nspecloom: 1\n", "utf-8"
    )
    bad = specs / "contracts" / "broken.yaml"
    bad.parent.mkdir()
    bad.write_text("contract: [unclosed\n", "utf-8")
    check = _run("fmt", "--check", "--diff", "specs", cwd=tmp_path)
    assert check.returncode == 1
    assert "would reformat specs/system.yaml" in check.stderr
    assert "+system: {name: t, title: T, version: 1.0.0}" in check.stdout
    assert "specs/contracts/broken.yaml: error[E_FMT]: not formatted" in check.stderr
    assert (specs / "system.yaml").read_text("utf-8").startswith("system:")  # --check wrote nothing
    bad.unlink()
    write = _run("fmt", "specs", cwd=tmp_path)
    assert write.returncode == 0, write.stderr
    assert (specs / "system.yaml").read_text("utf-8") == (
        "specloom: 1\nsystem: {name: t, title: T, version: 1.0.0}\n"
    )
    again = _run("fmt", "--check", "specs", cwd=tmp_path)
    assert again.returncode == 0 and "0 file(s) would reformat" in again.stdout
