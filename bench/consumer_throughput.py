"""Events per second through one mentornet consumer into its projection, against the raw floor.

Floor: aiokafka `getmany` + asyncpg `COPY` of the same rows into a table of the same shape, no decoding,
no de-duplication. Pipeline: the real consumer (FastStream batch subscriber, pydantic decoding with
upcasting, event ids recorded in the same transaction, offsets committed after it).
Both read the same topic from the same embedded broker and write to the same PostgreSQL.

    .venv/bin/python -m bench.consumer_throughput [--events 100000] [--plain]

Names are sealed under per-person keys as intake publishes them (`--plain`: as before sealing), so the
pipeline opens each one: a vault lookup per batch for keys not cached and an AES-GCM decrypt per name.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import time
import uuid
from collections.abc import Sequence

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.embedded.scratch import scratch_infrastructure
from shared.events import Event, ParticipantProfile, ParticipantRegistered, encode
from shared.events.registry import headers_for
from shared.logging import configure_logging
from shared.messaging.consumer import Delivery
from shared.messaging.kafka import ensure_topics
from shared.privacy.sealing import seal_events
from shared.privacy.vault import Vault
from shared.runtime import Consumption, ServiceRuntime
from shared.settings import ServiceSettings
from shared.topics import INTAKE

TABLE = """CREATE TABLE IF NOT EXISTS {name} (
    participant_id uuid PRIMARY KEY, company_id uuid NOT NULL, cohort_id uuid NOT NULL,
    role text NOT NULL, display_name text NOT NULL, region text NOT NULL, level int NOT NULL)"""
COLUMNS = ["participant_id", "company_id", "cohort_id", "role", "display_name", "region", "level"]


def make_events(count: int) -> list[ParticipantRegistered]:
    companies = [uuid.uuid4() for _ in range(20)]
    cohort = uuid.uuid4()
    profile = ParticipantProfile(
        leadership_level=3, years_experience=9, industry="energy", function="operations",
        languages=("da", "en"), region="Midtjylland", meeting_preference="either", themes=("strategy", "people"),
    )  # fmt: skip
    return [
        ParticipantRegistered(
            participant_id=uuid.uuid4(),
            company_id=companies[i % 20],
            cohort_id=cohort,
            role="mentee" if i % 2 else "mentor",
            display_name=f"Leader {i}",
            profile=profile,
            producer="bench",
        )  # fmt: skip
        for i in range(count)
    ]


async def sealed(settings: ServiceSettings, events: list[ParticipantRegistered]) -> list[Event]:
    """The names sealed as intake seals them (a key per person made in the vault)."""
    vault = Vault(settings.model_copy(update={"vault_writer": True}))
    await vault.start()
    try:
        done: list[Event] = []
        for start in range(0, len(events), 5_000):
            done += await seal_events(vault, events[start : start + 5_000])
        return done
    finally:
        await vault.stop()


async def produce(bootstrap: str, topic: str, payloads: list[bytes]) -> float:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=512 * 1024
    )
    await producer.start()
    start = time.perf_counter()
    try:
        headers = headers_for(
            "ParticipantRegistered", ParticipantRegistered.SCHEMA_VERSION
        )  # as the relay sends
        futures = [
            await producer.send(topic, value, key=str(i % 97).encode(), headers=headers)
            for i, value in enumerate(payloads)
        ]
        await producer.flush()
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return len(payloads) / (time.perf_counter() - start)


async def raw_floor(bootstrap: str, topic: str, url: str, count: int) -> float:
    """Read every record with getmany and COPY fixed-shape rows: what no consumer can beat."""
    import json

    conn = await asyncpg.connect(url)
    await conn.execute(TABLE.format(name="floor_projection"))
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=f"floor-{uuid.uuid4().hex}", enable_auto_commit=False,
        auto_offset_reset="earliest", session_timeout_ms=1500, heartbeat_interval_ms=300, max_poll_records=5000,
    )  # fmt: skip
    await consumer.start()
    seen, start = 0, None
    try:
        while seen < count:
            batches = await consumer.getmany(timeout_ms=1000, max_records=5000)
            records = [r for batch in batches.values() for r in batch]
            if not records:
                continue
            start = start or time.perf_counter()
            rows = []
            for record in records:
                data = json.loads(record.value)
                rows.append(
                    (uuid.UUID(data["participant_id"]), uuid.UUID(data["company_id"]), uuid.UUID(data["cohort_id"]),
                     data["role"], data["display_name"], data["profile"]["region"], data["profile"]["leadership_level"])
                )  # fmt: skip
            await conn.copy_records_to_table("floor_projection", records=rows, columns=COLUMNS)
            await consumer.commit()
            seen += len(records)
    finally:
        await consumer.stop()
        await conn.close()
    assert start is not None
    return count / (time.perf_counter() - start)


async def project(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
    rows = [
        (e.participant_id, e.company_id, e.cohort_id, e.role, e.display_name, e.profile.region,
         e.profile.leadership_level)
        for e in events
        if isinstance(e, ParticipantRegistered)
    ]  # fmt: skip
    await conn.copy_records_to_table("bench_projection", records=rows, columns=COLUMNS)


async def pipeline(settings: ServiceSettings, count: int) -> float:
    done = asyncio.Event()
    progress = {"applied": 0, "start": 0.0, "end": 0.0}

    async def timed_projection(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
        progress["start"] = progress["start"] or time.perf_counter()
        await project(conn, events)

    async def count_commits(deliveries: Sequence[Delivery]) -> None:
        progress["applied"] += len(deliveries)
        if progress["applied"] >= count:
            progress["end"] = time.perf_counter()
            done.set()

    conn = await asyncpg.connect(settings.database_url)
    await conn.execute(TABLE.format(name="bench_projection"))
    await conn.close()
    consumption = Consumption(topics=[INTAKE], projection=timed_projection, after_db_commit=count_commits)
    async with ServiceRuntime(settings, "bench.migrations", consumption).running():
        await asyncio.wait_for(done.wait(), timeout=600)
    return count / (progress["end"] - progress["start"])


async def main(count: int, batch: int, plain: bool) -> None:
    configure_logging("console", "warning")
    with scratch_infrastructure("mentornet-bench-") as (postgres, kafka):
        url = await postgres.create_database("bench")
        settings = ServiceSettings(
            service_name="bench", database_url=url, kafka_bootstrap=kafka.bootstrap, topic_prefix="bench.",
            vault_database_url=await postgres.create_database("bench_vault"),
            session_timeout_ms=1500, heartbeat_interval_ms=300, consumer_batch_size=batch, log_level="warning",
        )  # fmt: skip
        topic = settings.topic(INTAKE.base_name)
        await ensure_topics(settings)
        made = make_events(count)
        events: list[Event] = list(made) if plain else await sealed(settings, made)
        payloads = [encode(event) for event in events]
        produced = await produce(kafka.bootstrap, topic, payloads)
        floor = await raw_floor(kafka.bootstrap, topic, url, count)
        ours = await pipeline(settings, count)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        names = "plain" if plain else "sealed"
        print(
            f"events: {count}, names {names}, consumer batch: {batch}, (raw produce: {produced:,.0f} events/s)"
        )
        print(f"raw floor (getmany + COPY):          {floor:>10,.0f} events/s")
        print(f"mentornet consumer into projection:  {ours:>10,.0f} events/s")
        print(f"ratio: {ours / floor:.2f}  (target: >= 20,000 events/s and ratio >= 0.25)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--plain", action="store_true", help="names as before sealing (no vault, no decrypt)")
    args = parser.parse_args()
    asyncio.run(main(args.events, args.batch, args.plain))
