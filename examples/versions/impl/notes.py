"""Implementation of module notes (Notes): short notes in the store, through KeyValue@1.

Yours to edit: specloom wrote this file once and never overwrites it.
"""

from __future__ import annotations

from shelf.contracts.key_value_v1 import KeyMissing
from shelf.contracts.notes_v1 import NoteNotFound
from shelf.modules.notes import NotesBase


class NotesImpl(NotesBase):
    """Notes"""

    async def add(self, text: str) -> str:
        """Add a note; return its id."""
        existing = await self.deps.key_value.keys(prefix="note:")
        note_id = f"n{len(existing) + 1}"
        await self.deps.key_value.put(key=f"note:{note_id}", value={"text": text})
        return note_id

    async def read(self, note_id: str) -> str:
        """Read a note by id."""
        try:
            value = await self.deps.key_value.get(key=f"note:{note_id}")
        except KeyMissing:
            raise NoteNotFound(f"no note {note_id!r}") from None
        return str(value["text"])
