"""processed_events is pruned, and an old event re-delivered after its id was pruned is still not applied
twice: not when the relay re-sends the whole history (a new broker), not when a record comes again."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.events import encode
from shared.messaging import inbox
from shared.messaging.parking import replay
from shared.topics import INTAKE
from tests.foundation.probe_service import consumer, emit, participant, seen
from tests.foundation.test_parking import upgraded, v99  # noqa: F401 - its fixture, used by name
from tests.support.events import publish
from tests.support.services import eventually


def counter(runtime, name: str) -> float:
    sample = runtime.metrics.registry.get_sample_value(
        f"mentornet_events_{name}_total", {"topic": runtime.settings.topic(INTAKE.base_name)}
    )
    return sample or 0.0


async def ids_kept(runtime) -> tuple[int, int]:
    """(ids kept, watermark rows)."""
    async with runtime.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT count(*) FILTER (WHERE NOT watermark) AS ids, count(*) FILTER (WHERE watermark) AS marks"
            " FROM processed_events"
        )
    return int(row["ids"]), int(row["marks"])


async def test_history_resent_after_pruning_is_recognised_and_new_events_still_apply(make_settings):
    settings = await make_settings(
        service_name="probe", processed_events_keep_s=0.0, processed_events_prune_every_s=0.2
    )
    events = [participant(f"p{i}") for i in range(40)]
    async with consumer(settings).running() as runtime:
        await emit(runtime, events)
        await eventually(lambda: seen(runtime), equals=40)
        await eventually(lambda: _ids_only(runtime), equals=0)  # the runtime's pruning task did it
        _, marks = await ids_kept(runtime)
        assert 1 <= marks <= INTAKE.partitions  # one watermark per partition that got events

        async with runtime.pool.acquire() as conn:  # as after a restart of the embedded broker
            await conn.execute("UPDATE relay_state SET cluster_id = 'a-broker-that-is-gone'")
        await eventually(lambda: counter(runtime, "published"), equals=80, timeout_s=30)
        await eventually(lambda: counter(runtime, "duplicate"), equals=40, timeout_s=30)
        assert await seen(runtime) == 40  # a second application would have failed on the primary key
        assert counter(runtime, "failed") == counter(runtime, "dead_lettered") == 0
        assert counter(runtime, "consumed") == 40

        await emit(runtime, [participant("new")])
        await eventually(lambda: seen(runtime), equals=41)


async def test_a_record_delivered_again_after_pruning_is_not_applied_twice(make_settings, kafka):
    settings = await make_settings(service_name="probe")
    async with consumer(settings).running() as runtime:
        await emit(runtime, [participant(f"p{i}") for i in range(10)])
        await eventually(lambda: seen(runtime), equals=10)
        async with runtime.pool.acquire() as conn:
            assert await inbox.prune(conn, keep_s=0.0) >= 10 - INTAKE.partitions
        records = await _read_all(settings.topic(INTAKE.base_name), kafka)
        await _send_again(records, kafka)
        await eventually(lambda: counter(runtime, "duplicate"), equals=10)
        assert await seen(runtime) == 10
        assert counter(runtime, "failed") == 0


async def test_records_without_an_outbox_position_keep_their_ids(make_settings):
    settings = await make_settings(service_name="probe")
    async with consumer(settings).running() as runtime:
        await publish(settings, [participant(f"raw{i}") for i in range(3)])  # not through a relay
        await eventually(lambda: seen(runtime), equals=3)
        async with runtime.pool.acquire() as conn:
            assert await inbox.prune(conn, keep_s=0.0) == 0
        assert await ids_kept(runtime) == (3, 0)


async def test_ids_younger_than_the_keep_window_stay(make_settings):
    settings = await make_settings(service_name="probe")
    async with consumer(settings).running() as runtime:
        await emit(runtime, [participant(f"p{i}") for i in range(5)])
        await eventually(lambda: seen(runtime), equals=5)
        async with runtime.pool.acquire() as conn:
            assert await inbox.prune(conn, keep_s=3600.0) == 0
        assert await ids_kept(runtime) == (5, 0)


async def _ids_only(runtime) -> int:
    return (await ids_kept(runtime))[0]


async def _read_all(topic: str, bootstrap: str) -> list:
    reader = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await reader.start()
    try:
        batches = await reader.getmany(timeout_ms=3000)
    finally:
        await reader.stop()
    return [record for records in batches.values() for record in records]


async def _send_again(records: list, bootstrap: str) -> None:
    """The same records with the same headers, as a relay retrying or an operator re-sending would."""
    raw = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await raw.start()
    try:
        for record in records:
            await raw.send(record.topic, record.value, key=record.key, headers=list(record.headers))
        await raw.flush()
    finally:
        await raw.stop()


async def test_a_parked_event_replayed_after_the_ids_around_it_were_pruned_is_applied_once(
    make_settings, request
):
    settings = await make_settings(service_name="probe")
    before = [participant(f"before{i}") for i in range(3)]
    future = participant("future")
    after = [participant(f"after{i}") for i in range(3)]
    old = consumer(settings)
    async with old.running():
        async with old.pool.acquire() as conn, conn.transaction():  # one partition, relay-stamped
            for event, version, payload in [
                *((e, 1, encode(e)) for e in before),
                (future, 99, v99(future)),
                *((e, 1, encode(e)) for e in after),
            ]:
                await conn.execute(
                    "INSERT INTO outbox (event_id, topic, key, event_type, schema_version, payload)"
                    " VALUES ($1, $2, 'one-partition', 'ParticipantRegistered', $3, $4)",
                    event.event_id, INTAKE.base_name, version, payload,
                )  # fmt: skip
        await eventually(lambda: seen(old), equals=6)
        await eventually(lambda: counter(old, "parked"), equals=1)  # counted just after its commit
        async with old.pool.acquire() as conn:
            assert await inbox.prune(conn, keep_s=0.0) == 5  # after2 stays as the watermark, above future

    request.getfixturevalue("upgraded")
    new = consumer(settings)
    async with new.running():
        await replay(settings)
        await eventually(lambda: seen(new), equals=7)
        assert counter(new, "consumed") == 1
        await replay(settings)  # again: recognised by its id this time
        await eventually(lambda: counter(new, "duplicate"), equals=1)
        assert await seen(new) == 7
