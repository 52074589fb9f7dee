"""Shared types of the system, generated from specs/types by specloom (via datamodel-code-generator)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, RootModel, StrictStr


class Note(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    body: StrictStr
    id: Annotated[StrictStr, Field(min_length=1)]
    tags: list[StrictStr]
    title: Annotated[StrictStr, Field(max_length=120, min_length=1)]


class SharedTypes(RootModel[Note]):
    root: Annotated[Note, Field(title="SharedTypes")]
    """
    Any one of the shared types.
    """
