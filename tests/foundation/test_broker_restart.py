"""The embedded broker forgets everything on restart; producers send their history again and consumers'
de-duplication makes that harmless. Migrations are recorded and never applied twice."""

from __future__ import annotations

import asyncio

import asyncpg

from shared.db import migrator
from shared.embedded.kafka import EmbeddedKafka
from shared.embedded.ports import free_port
from tests.foundation.probe_service import MIGRATIONS, consumer, emit, participant, producer, seen
from tests.support.services import eventually


async def test_a_restarted_broker_gets_the_history_again_and_projections_hold_what_they_held(make_settings):
    port = free_port()
    first = EmbeddedKafka(port=port)
    first.start()
    try:
        source_settings = await make_settings(service_name="probe", kafka_bootstrap=first.bootstrap)
        sink_settings = await make_settings(service_name="probe", kafka_bootstrap=first.bootstrap)
        async with producer(source_settings).running() as source, consumer(sink_settings).running() as sink:
            await emit(source, [participant(f"p{i}") for i in range(20)])
            await eventually(lambda: seen(sink), equals=20)
    finally:
        first.stop()

    second = EmbeddedKafka(port=port)  # same address, new (empty) broker, new cluster id
    second.start()
    try:
        async with producer(source_settings).running() as source, consumer(sink_settings).running() as sink:
            duplicates = {"topic": sink_settings.topic("mentornet.intake")}
            await eventually(
                lambda: sink.metrics.registry.get_sample_value(
                    "mentornet_events_duplicate_total", duplicates
                ),
                equals=20.0,
            )
            assert await seen(sink) == 20
            await emit(source, [participant("new")])
            await eventually(lambda: seen(sink), equals=21)
    finally:
        second.stop()


async def test_migrations_are_recorded_and_applied_once(postgres):
    url = await postgres.create_database("migrations_once")
    conn = await asyncpg.connect(url)
    try:
        plan = migrator.service_migrations("probe", MIGRATIONS)
        assert [m.name for m in await migrator.apply(conn, plan)] == [m.name for m in plan]
        assert await migrator.apply(conn, plan) == []
        recorded = await conn.fetch(
            "SELECT component, version FROM schema_migrations ORDER BY component, version"
        )
        shared = [("shared", m.version) for m in migrator.discover("shared", "shared.db.migrations")]
        assert [(r["component"], r["version"]) for r in recorded] == [("probe", 1), *shared]
    finally:
        await conn.close()


async def test_instances_starting_together_on_a_new_database_apply_each_migration_once(postgres):
    url = await postgres.create_database("migrations_together")
    plan = migrator.service_migrations("probe", MIGRATIONS)
    connections = [await asyncpg.connect(url) for _ in range(6)]
    try:
        results = await asyncio.gather(*(migrator.apply(conn, plan) for conn in connections))
        assert sorted(m.name for applied in results for m in applied) == sorted(m.name for m in plan)
    finally:
        for conn in connections:
            await conn.close()
