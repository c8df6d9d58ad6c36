"""The operator's view of dead letters: list them, show one, and send them back to be applied.

A consumer that keeps failing an event puts it on the dead-letter topic (shared/messaging/consumer.py)
with the original key, value and headers plus `x-error` and where it came from (`x-original-topic`,
`-partition`, `-offset`, `x-consumer-group`). Its offset there is its id. A replay sends it back to its
original topic under its original key, marked for the one group that failed it (`x-replay-for-group`):
that group applies it once (by event id), every other group passes it by. Each replay is recorded on the
dead-letter topic itself (a record with `x-replay-of`), so a second replay says so instead of sending.
What is shown of an event is its envelope and its ids, never its other fields (names are personal).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from shared.messaging.consumer import REPLAY_FOR_GROUP
from shared.messaging.kafka import client_options, make_producer
from shared.messaging.relay import POSITION_HEADER, PRODUCER_HEADER
from shared.settings import ServiceSettings
from shared.topics import DEAD_LETTER

ORIGIN = ("x-original-topic", "x-original-partition", "x-original-offset", "x-consumer-group")
SET_BY_DEAD_LETTERING = ("x-error", *ORIGIN)
REPLAY_OF = "x-replay-of"  # on the record that notes a replay: the dead letter's offset
ENVELOPE = (
    "event_id",
    "event_type",
    "schema_version",
    "occurred_at",
    "producer",
    "correlation_id",
    "causation_id",
)


@dataclass(frozen=True)
class Replay:
    at: datetime
    to: str
    offset: int  # of the note on the dead-letter topic


@dataclass
class DeadLetter:
    offset: int  # its id: its offset on the dead-letter topic
    topic: str
    partition: int
    original_offset: int
    group: str
    error: str
    at: datetime
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]  # the original record's own headers
    replayed: Replay | None = None

    @property
    def envelope(self) -> dict[str, Any]:
        return envelope(self.value)

    def age(self, now: datetime | None = None) -> str:
        return age((now or datetime.now(UTC)) - self.at)

    def facts(self) -> dict[str, Any]:
        """What an operator may see: where it came from, the error, the envelope and ids, the headers."""
        return {
            "id": self.offset,
            "original_topic": self.topic,
            "original_partition": self.partition,
            "original_offset": self.original_offset,
            "consumer_group": self.group,
            "error": self.error,
            "dead_lettered_at": self.at.isoformat(),
            "key": self.key.decode(errors="replace") if self.key is not None else None,
            "headers": {k: v.decode(errors="replace") for k, v in self.headers},
            "event": self.envelope,
            "replayed_at": self.replayed.at.isoformat() if self.replayed else None,
        }


def envelope(value: bytes | None) -> dict[str, Any]:
    """The event's envelope and every id it carries (fields named *_id or *_ids); nothing else."""
    try:
        data = json.loads(value or b"")
    except (ValueError, UnicodeDecodeError):
        return {"undecodable": f"{len(value or b'')} bytes that are not JSON"}
    if not isinstance(data, dict):
        return {"undecodable": f"JSON {type(data).__name__}, not an event object"}
    return {k: v for k, v in data.items() if k in ENVELOPE or k.endswith("_id") or k.endswith("_ids")}


def age(delta: timedelta) -> str:
    """A duration as an operator reads it: 42s, 3m05s, 2h10m, 4d03h."""
    s = max(int(delta.total_seconds()), 0)
    if s < 60:
        return f"{s}s"
    if s < 3_600:
        return f"{s // 60}m{s % 60:02d}s"
    if s < 86_400:
        return f"{s // 3_600}h{s % 3_600 // 60:02d}m"
    return f"{s // 86_400}d{s % 86_400 // 3_600:02d}h"


def _named(record: ConsumerRecord) -> dict[str, str]:
    return {k: v.decode(errors="replace") for k, v in record.headers or ()}


def _at(record: ConsumerRecord) -> datetime:
    return datetime.fromtimestamp(record.timestamp / 1000, UTC)


async def list_dead_letters(settings: ServiceSettings, idle_s: float = 1.0) -> list[DeadLetter]:
    """Every dead letter in order, each with its replay if one was made."""
    letters: dict[int, DeadLetter] = {}
    replays: dict[int, Replay] = {}
    for record in await _read_all(settings, idle_s):
        named = _named(record)
        if REPLAY_OF in named:
            replays.setdefault(
                int(named[REPLAY_OF]), Replay(_at(record), named.get("x-replayed-to", ""), record.offset)
            )
            continue
        letters[record.offset] = DeadLetter(
            offset=record.offset,
            topic=named.get("x-original-topic", ""),
            partition=int(named.get("x-original-partition", "-1")),
            original_offset=int(named.get("x-original-offset", "-1")),
            group=named.get("x-consumer-group", ""),
            error=named.get("x-error", ""),
            at=_at(record),
            key=record.key,
            value=record.value,
            headers=[(k, v) for k, v in record.headers or () if k not in SET_BY_DEAD_LETTERING],
        )
    for offset, replay in replays.items():
        if offset in letters:
            letters[offset].replayed = replay
    return list(letters.values())


@dataclass
class ReplayOutcome:
    sent: list[DeadLetter] = field(default_factory=list)
    already: list[DeadLetter] = field(default_factory=list)  # replayed before: not sent again
    unknown: list[int] = field(default_factory=list)  # no dead letter at these offsets


async def replay(
    settings: ServiceSettings, offsets: Collection[int] = (), group: str | None = None, idle_s: float = 1.0
) -> ReplayOutcome:
    """Send the dead letters named (by offset), or all of `group` not yet replayed, back to their topics."""
    letters = await list_dead_letters(settings, idle_s)
    by_offset = {d.offset: d for d in letters}
    outcome = ReplayOutcome(unknown=[o for o in offsets if o not in by_offset])
    chosen = [by_offset[o] for o in offsets if o in by_offset]
    if group is not None:
        chosen += [d for d in letters if d.group == group and d.offset not in offsets]
    producer = make_producer(settings, client_id="mentornet-dead-letter-replay")
    await producer.start()
    try:
        for letter in chosen:
            if letter.replayed is not None:
                outcome.already.append(letter)
                continue
            await _send_back(producer, settings, letter)
            outcome.sent.append(letter)
    finally:
        await producer.stop()
    return outcome


async def _send_back(producer: AIOKafkaProducer, settings: ServiceSettings, letter: DeadLetter) -> None:
    """The original record to its topic and key, for its group only and judged by event id (without the
    relay's position: the group's watermark may have passed it while it waited), then the note."""
    headers = [
        (k, v) for k, v in letter.headers if k not in (PRODUCER_HEADER, POSITION_HEADER, REPLAY_FOR_GROUP)
    ]
    headers.append((REPLAY_FOR_GROUP, letter.group.encode()))
    await producer.send_and_wait(letter.topic, letter.value, key=letter.key, headers=headers)
    note = [
        (REPLAY_OF, str(letter.offset).encode()),
        ("x-replayed-to", letter.topic.encode()),
        ("x-consumer-group", letter.group.encode()),
    ]
    await producer.send_and_wait(settings.topic(DEAD_LETTER.base_name), b"", key=letter.key, headers=note)
    letter.replayed = Replay(datetime.now(UTC), letter.topic, -1)


async def _read_all(settings: ServiceSettings, idle_s: float) -> list[ConsumerRecord]:
    """The dead-letter topic from its start to the high-water mark its fetches report (the embedded
    broker's end offsets are unreliable), or until it stays quiet for `idle_s`."""
    consumer = AIOKafkaConsumer(**client_options(settings), enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [
            TopicPartition(settings.topic(DEAD_LETTER.base_name), p) for p in range(DEAD_LETTER.partitions)
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list[ConsumerRecord] = []
        while True:
            batch = await consumer.getmany(*partitions, timeout_ms=int(idle_s * 1000))
            records += [r for rs in batch.values() for r in rs]
            ends = [consumer.highwater(tp) for tp in partitions]
            positions = [await consumer.position(tp) for tp in partitions]
            if not batch or all(h is not None and p >= h for h, p in zip(ends, positions, strict=True)):
                return records
            await asyncio.sleep(0)
    finally:
        await consumer.stop()
