"""The generated tests of the notes example really catch a broken implementation: a wrong result
type, an undeclared error, a crash and a misused dependency each fail a contract test, run as a
user would (pytest in a subprocess, on a copy of the example). That the unbroken example passes
is checked in test_gen_scaffold."""

from __future__ import annotations

import pytest
from genkit import edit, pytest_generated

CREATE_RETURN = "        return note\n\n    async def get_note"
GET_TRY = """        try:
            data = await self.deps.key_value.get(key=f"note:{note_id}")
        except KeyMissing:
            raise NoteNotFound(f"no note {note_id!r}") from None
"""
BREAKAGES = {
    "wrong-result-type": (
        CREATE_RETURN,
        CREATE_RETURN.replace(
            "return note", 'return {"id": note_id}  # type: ignore[return-value]'
        ),
        "ContractViolation: Notes@1.create_note returned a result that breaks the contract",
    ),
    "undeclared-error": (
        GET_TRY,
        '        data = await self.deps.key_value.get(key=f"note:{note_id}")\n',
        "expected NoteNotFound, got contract_violation: Notes@1.get_note raised undeclared "
        "error 'KeyMissing'",
    ),
    "crash": (
        CREATE_RETURN,
        CREATE_RETURN.replace("return note", 'raise RuntimeError("boom")'),
        "raised internal_error: RuntimeError: boom",
    ),
    "misused-dependency": (
        'await self.deps.key_value.put(key=f"note:{note_id}"',
        'await self.deps.key_value.put(key=f"Note {note_id}"',
        "invalid_params",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_implementation_fails_its_contract_test(notes, breakage: str) -> None:
    old, new, message = BREAKAGES[breakage]
    edit(notes.impl / "notes.py", old, new)
    proc = pytest_generated(notes.out, "tests/contract/test_notes_v1.py")
    assert proc.returncode == 1, proc.stdout
    assert "FAILED tests/contract/test_notes_v1.py::test_implementation" in proc.stdout
    assert message in proc.stdout
    assert "test_notes_v1.py::test_mock" not in proc.stdout  # the mock still passes


IMPORTS = "from notes.modules.notes import NotesBase\n"
SHORTCUTS = {
    "another-implementation": (
        "from impl.store import StoreImpl\n",
        "another module's implementation",
    ),
    "another-base": (
        "from notes.modules.store import StoreBase\n",
        "another module's generated base",
    ),
    "a-mock": ("from notes.mocks.key_value_v1 import KeyValueV1Mock\n", "imports generated mocks"),
    "relative": ("from . import store\n", "another module's implementation"),
}


@pytest.mark.parametrize("shortcut", sorted(SHORTCUTS))
def test_importing_around_the_contracts_fails_the_rules_test(notes, shortcut: str) -> None:
    """Coordination rule 1: an implementation that imports another module's code (instead of
    using its contract client) fails the generated smoke test, naming the line."""
    line, message = SHORTCUTS[shortcut]
    edit(notes.impl / "notes.py", IMPORTS, IMPORTS + line)
    proc = pytest_generated(notes.out, "tests/test_smoke.py")
    assert proc.returncode == 1, proc.stdout
    assert (
        "FAILED tests/test_smoke.py::test_implementation_talks_only_through_contracts[notes]"
        in (proc.stdout)
    )
    assert message in proc.stdout
