"""`mentornet status`: per service, what an operator needs to know at a glance.

Up and ready come from each service's `/healthz` and `/readyz`; outbox pending and parked events from
its `/ops/status` (the operator asks each service's API, never its database). Consumer lag per group and
partition is read from the broker: the group's committed offset against the partition's high-water mark
as a fetch reports it (the embedded broker's end offsets are wrong). Dead letters waiting are those on
the dead-letter topic for the service's group that no replay has sent back yet.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.messaging.dead_letters import list_dead_letters
from shared.messaging.kafka import client_options
from shared.messaging.rebuild import committed_offsets
from shared.settings import ServiceSettings
from shared.topics import ALL_TOPICS, consumed_by


@dataclass
class PartitionLag:
    topic: str
    partition: int
    committed: int | None  # None: the group has committed nothing there yet
    end: int
    lag: int


@dataclass
class ServiceStatus:
    service: str
    url: str
    up: bool
    ready: bool | None = None
    problem: str | None = None  # why it is down, or which readiness checks fail
    outbox_pending: int | None = None
    parked_waiting: int | None = None
    consumer_group: str | None = None
    lag: list[PartitionLag] = field(default_factory=list)
    dead_letters_waiting: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        """One line per fact."""
        name = self.service
        if not self.up:
            found = [f"{name}: down ({self.problem}) at {self.url}"]
        else:
            found = [f"{name}: up at {self.url}"]
            found.append(f"{name}: ready" if self.ready else f"{name}: not ready: {self.problem}")
            pending = (
                "unknown (its /ops/status did not answer)"
                if self.outbox_pending is None
                else self.outbox_pending
            )
            found.append(f"{name}: outbox pending {pending}")
            if self.parked_waiting:
                found.append(f"{name}: parked events waiting {self.parked_waiting}")
        if self.consumer_group is None:
            found.append(f"{name}: consumes no topic")
        for p in self.lag:
            committed = "nothing" if p.committed is None else p.committed
            found.append(
                f"{name}: lag {p.lag} in group {self.consumer_group} on {p.topic}[{p.partition}]"
                f" (committed {committed}, end {p.end})"
            )
        found.append(f"{name}: dead letters waiting {self.dead_letters_waiting}")
        return found


async def _ask(client: httpx.AsyncClient, status: ServiceStatus) -> dict[str, Any] | None:
    try:
        healthy = await client.get(f"{status.url}/healthz")
    except httpx.HTTPError as error:
        status.up, status.problem = False, f"{type(error).__name__}: {error}".rstrip(": ")
        return None
    if healthy.status_code != 200:
        status.up, status.problem = False, f"/healthz answered {healthy.status_code}"
        return None
    status.up = True
    ready = await client.get(f"{status.url}/readyz")
    status.ready = ready.status_code == 200
    if not status.ready:
        checks = (
            ready.json().get("checks", {})
            if ready.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        failing = {k: v for k, v in checks.items() if v != "ok"}
        status.problem = (
            "; ".join(f"{k}: {v}" for k, v in failing.items()) or f"/readyz answered {ready.status_code}"
        )
    own = await client.get(f"{status.url}/ops/status")
    if own.status_code != 200:
        return None
    found: dict[str, Any] = own.json()
    status.outbox_pending = found["outbox_pending"]
    status.parked_waiting = found["parked_waiting"]
    return found


async def high_water(
    settings: ServiceSettings, partitions: list[TopicPartition], timeout_s: float = 10
) -> dict[TopicPartition, int]:
    """Each partition's next offset, from the high-water mark its fetch reports."""
    consumer = AIOKafkaConsumer(
        **client_options(settings), enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        known = await consumer.topics()
        present = [tp for tp in partitions if tp.topic in known]
        if not present:
            return {tp: 0 for tp in partitions}
        consumer.assign(present)
        first = await consumer.beginning_offsets(present)
        await consumer.seek_to_beginning(*present)
        deadline = asyncio.get_running_loop().time() + timeout_s
        while (
            any(consumer.highwater(tp) is None for tp in present)
            and asyncio.get_running_loop().time() < deadline
        ):
            await consumer.getmany(*present, timeout_ms=200, max_records=1)
        return {tp: consumer.highwater(tp) or first.get(tp, 0) if tp in present else 0 for tp in partitions}
    finally:
        await consumer.stop()


async def gather(settings: ServiceSettings, urls: dict[str, str]) -> list[ServiceStatus]:
    """The status of every service named in `urls` (service -> base URL)."""
    found = {name: ServiceStatus(service=name, url=url.rstrip("/"), up=False) for name, url in urls.items()}
    async with httpx.AsyncClient(timeout=5) as client:
        answers = dict(
            zip(found, await asyncio.gather(*(_ask(client, s) for s in found.values())), strict=True)
        )
    partitions: dict[str, list[TopicPartition]] = {}
    for name, status in found.items():
        answer = answers[name]
        if answer is not None:
            status.consumer_group = answer["consumer_group"]
            topics = list(answer["consumes"])
        else:  # down: the group and topics it would have, as its runtime names them
            topics = [settings.topic(t.base_name) for t in consumed_by(name)]
            status.consumer_group = f"{settings.topic_prefix}mentornet-{name}" if topics else None
        counts = {settings.topic(t.base_name): t.partitions for t in ALL_TOPICS}
        partitions[name] = [TopicPartition(t, p) for t in topics for p in range(counts.get(t, 1))]
    wanted = sorted(
        {tp for tps in partitions.values() for tp in tps}, key=lambda tp: (tp.topic, tp.partition)
    )
    ends = await high_water(settings, wanted) if wanted else {}
    letters = await list_dead_letters(settings)
    for name, status in found.items():
        if status.consumer_group is None:
            continue
        committed = await committed_offsets(settings, status.consumer_group, partitions[name])
        for tp in partitions[name]:
            done = committed.get(tp)
            end = ends.get(tp, 0)
            status.lag.append(PartitionLag(tp.topic, tp.partition, done, end, max(end - (done or 0), 0)))
        status.dead_letters_waiting = sum(
            1 for d in letters if d.group == status.consumer_group and d.replayed is None
        )
    return list(found.values())
