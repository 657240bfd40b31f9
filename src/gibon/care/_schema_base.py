"""Shared bases for the care schemas: request bodies forbid extra fields, answers read rows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

MAX_ID = 2_147_483_647  # 32-bit INTEGER columns on both databases


Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Versioned(In):
    version: int = Field(
        ge=1, le=MAX_ID, description="the version you last read (optimistic locking)"
    )


class Out(BaseModel):
    """A stored row as the API shows it (``version_id`` is shown as ``version``)."""

    model_config = ConfigDict(from_attributes=True)


class Stamped(Out):
    created_at: datetime
    modified_at: datetime | None = None


class Changed(Out):
    case_version: int | None = Field(
        None, description="the case's version after this change (send it with the next step)"
    )
