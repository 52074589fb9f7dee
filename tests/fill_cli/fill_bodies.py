"""Method bodies the scripted fake Ollama answers with (like examples/notes/impl, but each method
stands alone: the scaffold has no ``on_start``, so the store keeps its dict in ``__dict__``)."""

from __future__ import annotations

import json

KEY_MISSING = "from notes.contracts.key_value_v1 import KeyMissing"
NOTE_NOT_FOUND = "from notes.contracts.notes_v1 import NoteNotFound"

PUT = '''\
async def put(self, key: str, value: dict[str, Any]) -> bool:
    """Store a value under a key; return true when the key was new."""
    values = self.__dict__.setdefault("_values", {})
    new = key not in values
    values[key] = dict(value)
    return new
'''
GET = '''\
async def get(self, key: str) -> dict[str, Any]:
    """Read the value stored under a key."""
    values = self.__dict__.setdefault("_values", {})
    if key not in values:
        raise KeyMissing(f"no value under {key!r}")
    return dict(values[key])
'''
DELETE = '''\
async def delete(self, key: str) -> bool:
    """Remove a key; return whether it existed."""
    return self.__dict__.setdefault("_values", {}).pop(key, None) is not None
'''
KEYS = '''\
async def keys(self, prefix: str = "") -> list[str]:
    """List the keys that start with a prefix, sorted."""
    return sorted(k for k in self.__dict__.setdefault("_values", {}) if k.startswith(prefix))
'''
CREATE_NOTE = '''\
async def create_note(
    self, title: str, body: str = "", tags: list[str] | None = None
) -> Note:
    """Create a note and return it with its new id."""
    existing = await self.deps.key_value.keys(prefix="note:")
    note_id = f"{self.config.id_prefix}{len(existing) + 1}"
    note = Note(id=note_id, title=title, body=body, tags=list(tags or []))
    await self.deps.key_value.put(key=f"note:{note_id}", value=note.model_dump())
    return note
'''
GET_NOTE = '''\
async def get_note(self, note_id: str) -> Note:
    """Read a note by id."""
    try:
        data = await self.deps.key_value.get(key=f"note:{note_id}")
    except KeyMissing:
        raise NoteNotFound(f"no note {note_id!r}") from None
    return Note.model_validate(data)
'''
FIND_BY_TAG = '''\
async def find_by_tag(self, tag: str) -> list[Note]:
    """Notes carrying a tag, by id order."""
    found = []
    for key in await self.deps.key_value.keys(prefix="note:"):
        note = Note.model_validate(await self.deps.key_value.get(key=key))
        if tag in note.tags:
            found.append(note)
    return found
'''

# A put that always says "new": the second put of the first example catches it.
WRONG_PUT = PUT.replace("    return new\n", "    return True\n")
# Blocks the event loop: only the test-run timeout ends it.
SLEEPY_PUT = PUT.replace("    return new\n", "    time.sleep(3600)\n    return new\n")
BAD_SIGNATURE_PUT = PUT.replace("value: dict[str, Any]", "value: dict")
SYNTAX_ERROR_PUT = PUT.replace("-> bool:", "-> bool")


def answer(code: str, *imports: str) -> str:
    """An answer as the model gives it under Ollama's structured output (``format``)."""
    return json.dumps({"imports": list(imports), "code": code})


STORE_ANSWERS = [answer(PUT), answer(GET, KEY_MISSING), answer(DELETE), answer(KEYS)]
NOTES_ANSWERS = [
    answer(CREATE_NOTE),
    answer(GET_NOTE, KEY_MISSING, NOTE_NOT_FOUND),
    f"Here it is:\n```python\n{FIND_BY_TAG}```\nIt scans the keys.",  # plain text + fence
]
