"""One meaning everywhere (issue 13 §1): what ``validate`` accepts is what the generated models,
mocks and tests accept, and a value comes back as exactly the JSON that was sent.

A small event-log system whose shared type and params use formats (date-time, uuid, uri, email),
optional properties and no ``additionalProperties`` (extra properties allowed and kept); its
implementation echoes. Everything runs for real: the CLI, the generated package, its tests.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from genkit import ok, pytest_generated, run, specloom, write_tree

SPECS = {
    "specs/system.yaml": "specloom: 1\nsystem: {name: evts, title: Events, version: 0.1.0}\n",
    "specs/types/event.yaml": textwrap.dedent(
        """\
        types:
          Event:
            type: object
            required: [id, at, source]
            properties:
              id: {type: string, format: uuid}
              at: {type: string, format: date-time}
              source: {type: string, format: uri}
              contact: {type: string, format: email}
              note: {type: string}
              count: {type: integer, minimum: 0}
        """
    ),
    "specs/contracts/log.v1.yaml": textwrap.dedent(
        """\
        contract: Log
        version: 1
        description: Event log.
        methods:
          append:
            summary: Append an event, return it.
            params:
              event: {$ref: "#/types/Event"}
              when: {type: string, format: date-time}
            returns: {$ref: "#/types/Event"}
        examples:
          - name: append echoes the exact event
            steps:
              - call: append
                with:
                  event: &ev
                    id: 6F9619FF-8B86-D011-B42D-00CF4FC964FF
                    at: "2024-01-01T10:00:00.500+02:00"
                    source: "HTTP://Example.com/a/../b"
                    contact: a@example.org
                    extra: {kept: [1, 2]}
                  when: "2024-01-01t10:00:00z"
                returns: *ev
        """
    ),
    "specs/modules/01-log.yaml": textwrap.dedent(
        """\
        module: log
        number: 1
        title: Log
        scope: keeps events
        provides: [Log@1]
        brief: keep them
        """
    ),
}

IMPL = '''"""Log: echoes."""

from __future__ import annotations

from evts.modules.log import LogBase
from evts.types import Event


class LogImpl(LogBase):
    """Log"""

    async def append(self, event: Event, when: str) -> Event:
        """Append an event, return it."""
        return event
'''

PROBE = r"""
import json, sys
from specloom_runtime.service import wire_json
from evts.types import Event
from evts.contracts.log_v1 import LOG_V1

sent = json.loads(sys.argv[1])
required = ("id", "at", "source")
event = Event.model_validate(sent)
out = {
    "roundtrip": event.model_dump(mode="json", by_alias=True, exclude_unset=True),
    "wire": wire_json({"event": Event.model_validate({k: sent[k] for k in required})}),
    "result": LOG_V1.methods["append"].result.dump_python(event, mode="json", exclude_unset=True),
}
rejected = {}
for name, bad in [("naive", "2024-01-01T10:00:00"), ("string_count", "3")]:
    value = dict(sent, at=bad) if name == "naive" else dict(sent, count=bad)
    try:
        Event.model_validate(value)
        rejected[name] = False
    except Exception:
        rejected[name] = True
out["rejected"] = rejected
print(json.dumps(out))
"""


def test_formats_extras_and_optionals_survive_the_trip(tmp_path: Path) -> None:
    root = write_tree(tmp_path, SPECS)
    # A naive date-time (no offset) is refused by validate, as by the runtime (RFC 3339).
    contract = root / "specs/contracts/log.v1.yaml"
    good = contract.read_text("utf-8")
    contract.write_text(good.replace("2024-01-01t10:00:00z", "2024-01-01T10:00:00"), "utf-8")
    proc = specloom("validate", "specs", cwd=root)
    assert proc.returncode == 1 and "is not a 'date-time'" in proc.stderr, proc.stderr
    contract.write_text(good, "utf-8")

    ok(specloom("generate", "specs", cwd=root))
    (root / "impl/log.py").write_text(IMPL, "utf-8")
    out = root / "generated"
    # format: email needs no email-validator; no datetime/UUID/AnyUrl objects anywhere.
    types_py = (out / "evts/types.py").read_text("utf-8")
    assert "EmailStr" not in types_py and "AwareDatetime" not in types_py
    assert 'extra="allow"' in types_py  # additionalProperties absent: allowed and kept
    tests = pytest_generated(out)
    assert tests.returncode == 0 and "skipped" not in tests.stdout, tests.stdout + tests.stderr

    sent = {
        "id": "6F9619FF-8B86-D011-B42D-00CF4FC964FF",
        "at": "2024-01-01T10:00:00.500+02:00",
        "source": "HTTP://Example.com/a/../b",
        "contact": "a@example.org",
        "extra": {"kept": [1, 2]},
    }
    probe = ok(run([sys.executable, "-c", PROBE, json.dumps(sent)], out))
    result = json.loads(probe.stdout)
    assert result["roundtrip"] == sent  # the exact strings, and the extra property
    assert result["result"] == sent
    # Unset optional fields stay off the wire (not null).
    assert result["wire"] == {"event": {k: sent[k] for k in ("id", "at", "source")}}
    # One strictness: the shared type refuses "3" for an integer, as the params models do.
    assert result["rejected"] == {"naive": True, "string_count": True}
