"""Implementation of module notes (Notes): short notes in the store, through KeyValue@1.

Yours to edit: specloom wrote this file once and never overwrites it.
"""

from __future__ import annotations

from shelf.contracts.key_value_v1 import KeyMissing
from shelf.contracts.notes_v1 import NoteNotFound
from shelf.modules.notes import NotesBase


class NotesImpl(NotesBase):
    """Notes"""

    _next_number: int | None = None  # the next note number this process will try

    async def add(self, text: str) -> str:
        """Add a note; return its id."""
        note_id = f"n{await self._new_number()}"
        await self.deps.key_value.put(key=f"note:{note_id}", value={"text": text})
        return note_id

    async def read(self, note_id: str) -> str:
        """Read a note by id."""
        try:
            value = await self.deps.key_value.get(key=f"note:{note_id}")
        except KeyMissing:
            raise NoteNotFound(f"no note {note_id!r}") from None
        return str(value["text"])

    async def _new_number(self) -> int:
        """A note number no other create got, even when many run at once.

        ``put`` says whether its key was new, so of all concurrent callers that put the same
        reservation key ``note-id:<n>`` exactly one learns it is the first: that one owns ``n``
        (this holds across several notes processes sharing one store). The local counter keeps
        the callers of this process from all trying the same number.
        """
        if self._next_number is None:
            taken = await self.deps.key_value.keys(prefix="note-id:")
            self._next_number = max(self._next_number or 1, len(taken) + 1)
        while True:
            number = self._next_number
            self._next_number += 1
            if await self.deps.key_value.put(key=f"note-id:{number}", value={}):
                return number
