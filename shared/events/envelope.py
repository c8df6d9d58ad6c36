"""The envelope every event carries, and the base class of all event contracts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

Sealed = Annotated[str, Field(json_schema_extra={"format": "mentornet-sealed"})]
"""A personal value: `enc:v1:<subject>:<base64url>` under the subject's key in the key vault, opened by
consumers before their handlers see it; plain text in events stored before sealing (schema version 1)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    """A fact that happened; subclasses are past-tense and add their payload fields."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    SCHEMA_VERSION: ClassVar[int] = 1
    AGGREGATE_ID: ClassVar[str] = ""
    SEALED: ClassVar[dict[str, str]] = {}
    """Personal fields (a `Sealed` string each) -> the field naming whose key seals them (shared/privacy)."""

    event_id: UUID = Field(default_factory=uuid4)
    event_type: str = ""
    schema_version: int = 0
    occurred_at: datetime = Field(default_factory=utcnow)
    producer: str = ""
    correlation_id: UUID | None = None
    causation_id: UUID | None = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Each contract stamps its own type name and current schema version as defaults."""
        super().__pydantic_init_subclass__(**kwargs)
        cls.model_fields["event_type"].default = cls.__name__
        cls.model_fields["schema_version"].default = cls.SCHEMA_VERSION
        cls.model_rebuild(force=True)

    @property
    def key(self) -> str:
        """The Kafka key: the id of the aggregate the event belongs to."""
        return str(getattr(self, self.AGGREGATE_ID))

    def follow_up(self) -> dict[str, Any]:
        """Envelope fields for an event this one caused: same correlation, this as the cause."""
        return {"correlation_id": self.correlation_id or self.event_id, "causation_id": self.event_id}
