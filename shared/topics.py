"""Every topic: its partition count, who writes it and who reads it. The one place topics are defined.

A service's composition root asks `consumed_by(name)` for the topics it subscribes to; nobody else
lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.events import intake, matching, sessions
from shared.events.envelope import Event


@dataclass(frozen=True)
class Topic:
    base_name: str
    partitions: int
    producer: str
    consumers: tuple[str, ...] = ()

    def name(self, prefix: str = "") -> str:
        return f"{prefix}{self.base_name}"


INTAKE = Topic(
    "mentornet.intake", partitions=3, producer="intake", consumers=("matching", "sessions", "reporting")
)
MATCHING = Topic(
    "mentornet.matching", partitions=3, producer="matching", consumers=("intake", "sessions", "reporting")
)
# intake reads it for its reminders and for MemberTokenIssued (a member's own data export); matching for
# MemberTokenIssued only
SESSIONS = Topic(
    "mentornet.sessions", partitions=3, producer="sessions", consumers=("reporting", "intake", "matching")
)
DEAD_LETTER = Topic("mentornet.dead-letter", partitions=1, producer="any")
PARKED = Topic("mentornet.parked", partitions=1, producer="any")  # newer schema versions, until replayed

ALL_TOPICS = (INTAKE, MATCHING, SESSIONS, DEAD_LETTER, PARKED)

_TOPIC_OF_MODULE = {intake.__name__: INTAKE, matching.__name__: MATCHING, sessions.__name__: SESSIONS}
_TOPIC_OF_EVENT_TYPE = {
    name: topic
    for module, topic in ((intake, INTAKE), (matching, MATCHING), (sessions, SESSIONS))
    for name, cls in vars(module).items()
    if isinstance(cls, type) and issubclass(cls, Event) and cls.__module__ == module.__name__
}


def home_topic(event_type: str) -> Topic | None:
    """The topic a named event type is produced to (by name, so an upgraded class of it counts too)."""
    return _TOPIC_OF_EVENT_TYPE.get(event_type)


def topic_of(event: Event) -> Topic:
    """A service's events go to its own topic; the contract module says whose event it is."""
    return _TOPIC_OF_MODULE[type(event).__module__]


def consumed_by(service: str) -> list[Topic]:
    """The topics a service subscribes to, in the order declared above."""
    return [topic for topic in ALL_TOPICS if service in topic.consumers]


def broker_clients() -> tuple[str, ...]:
    """Every service that produces or consumes a topic: the ones that connect to the broker."""
    named = [
        *(t.producer for t in ALL_TOPICS if t.producer != "any"),
        *(c for t in ALL_TOPICS for c in t.consumers),
    ]
    return tuple(dict.fromkeys(named))


def uses_broker(service: str) -> bool:
    """Whether a service produces or consumes events at all (the web app does neither)."""
    return service in broker_clients()
