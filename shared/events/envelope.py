"""The envelope every event carries, and the base class of all event contracts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, model_validator


def utcnow() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    """A fact that happened; subclasses are past-tense and add their payload fields."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    SCHEMA_VERSION: ClassVar[int] = 1
    AGGREGATE_ID: ClassVar[str] = ""

    event_id: UUID = Field(default_factory=uuid4)
    event_type: str = ""
    schema_version: int = 0
    occurred_at: datetime = Field(default_factory=utcnow)
    producer: str = ""
    correlation_id: UUID | None = None
    causation_id: UUID | None = None

    @model_validator(mode="before")
    @classmethod
    def _stamp_type_and_version(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            data.setdefault("event_type", cls.__name__)
            if not data.get("schema_version"):
                data["schema_version"] = cls.SCHEMA_VERSION
        return data

    @property
    def key(self) -> str:
        """The Kafka key: the id of the aggregate the event belongs to."""
        return str(getattr(self, self.AGGREGATE_ID))

    def follow_up(self) -> dict[str, Any]:
        """Envelope fields for an event this one caused: same correlation, this as the cause."""
        return {"correlation_id": self.correlation_id or self.event_id, "causation_id": self.event_id}
