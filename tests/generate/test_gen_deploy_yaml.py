"""The deployment YAML is written by libyaml's emitter for documents whose strings are all
printable ASCII: it must give the same bytes as PyYAML's pure-Python emitter (the one used for
every other document), so that which of the two runs never changes the output."""

from __future__ import annotations

import random
import string

import yaml

from generator.render.deploy import _FAST_DUMPER, PURE_DUMPER, to_yaml

STRINGS = [
    "", " ", "plain", "yes", "no", "on", "~", "null", "1.0", "0x1F", "1e3", "-", "---", "...",
    "a: b", "a #b", "#x", "- item", "[x]", "{x}", "'q'", '"q"', "back\\slash", "tab\there",
    "line\nbreak", "two\n\nbreaks", "trailing ", " leading", "cr\rlf", "nel\x85", "ls\u2028",
    "bom\ufeff", "bell\x07", "del\x7f", "é unicode ✓", "emoji 😀", "%TAG", "!tag", "&anchor",
    "*alias", "|", ">", "@at", "`tick`", "x" * 300, "word " * 80, "=", "<<", "a\n",
]  # fmt: skip


def _docs(strings: list[str]) -> list[object]:
    return [
        {"kind": "ConfigMap", "data": {f"K{i}": s for i, s in enumerate(strings)}},
        {"list": strings, "nested": [{"name": s, "value": [s, {s: s}]} for s in strings]},
        {"numbers": [0, -1, 3.5, True, None], "empty": {}, "none": []},
    ]


def test_every_document_is_written_as_the_pure_python_emitter_writes_it() -> None:
    for doc in _docs(STRINGS) + [{"k": s} for s in STRINGS] + [{s: [s]} for s in STRINGS]:
        assert to_yaml(doc) == to_yaml(doc, PURE_DUMPER), doc


def test_libyaml_writes_printable_ascii_as_the_pure_emitter_does() -> None:
    assert yaml.__with_libyaml__, "PyYAML without libyaml: the fast emitter is not in use"
    assert _FAST_DUMPER.__mro__[1] is yaml.CSafeDumper
    rng = random.Random(16)
    alphabet = string.printable[:95]  # the printable ASCII characters, space included
    tricky = [s for s in STRINGS if s and all(c in alphabet for c in s)]
    for _ in range(200):
        strings = tricky + [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(20)
        ]
        for doc in _docs(strings):
            assert to_yaml(doc, _FAST_DUMPER) == to_yaml(doc, PURE_DUMPER), doc
