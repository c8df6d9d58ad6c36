"""A contract as the next release will have it, to play "the consumer was upgraded" in tests."""

from __future__ import annotations

from typing import ClassVar

from shared.events import intake


class ParticipantRegistered(intake.ParticipantRegistered):
    """Version 99: adds a field version 1 does not know."""

    SCHEMA_VERSION: ClassVar[int] = 99
    pronouns: str = ""
