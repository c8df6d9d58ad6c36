"""Searching everything the system keeps for a person's strings: every table of a database as text,
every topic from the beginning as raw bytes."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import ConsumerRecord

from shared.settings import ServiceSettings


async def found_in_database(database_url: str, strings: Sequence[str]) -> dict[str, list[str]]:
    """string -> every schema.table.column holding it (text, json, arrays, bytes), for those found."""
    conn = await asyncpg.connect(database_url)
    try:
        columns = await conn.fetch(
            """SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
               WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
               ORDER BY table_schema, table_name, ordinal_position"""
        )
        assert columns, f"no tables in {database_url}: the scan would prove nothing"
        found: dict[str, list[str]] = {}
        for c in columns:
            table = f'"{c["table_schema"]}"."{c["table_name"]}"'
            column = f'"{c["column_name"]}"'
            for string in strings:
                if c["data_type"] == "bytea":
                    test, argument = f"position($1::bytea IN {column}) > 0", string.encode()
                else:
                    test, argument = f"strpos({column}::text, $1) > 0", string  # type: ignore[assignment]
                if await conn.fetchval(f"SELECT count(*) FROM {table} WHERE {test}", argument):
                    found.setdefault(string, []).append(f"{c['table_name']}.{c['column_name']}")
        return found
    finally:
        await conn.close()


async def every_record(settings: ServiceSettings) -> list[ConsumerRecord]:
    """Every record of every topic with the settings' prefix, from the beginning."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        topics = [t for t in await admin.list_topics() if t.startswith(settings.topic_prefix)]
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()  # noqa: SLF001 - metadata for an unsubscribed client
        partitions = [
            TopicPartition(topic, p) for topic in topics for p in consumer.partitions_for_topic(topic) or ()
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list[ConsumerRecord] = []
        quiet = 0
        while quiet < 3:  # end offsets are unreliable on the embedded broker: read until it stays quiet
            batch = await consumer.getmany(timeout_ms=500)
            found = [r for rs in batch.values() for r in rs]
            records += found
            quiet = 0 if found else quiet + 1
        return records
    finally:
        await consumer.stop()


def found_in_records(records: Sequence[ConsumerRecord], strings: Sequence[str]) -> dict[str, list[str]]:
    """string -> the topics whose raw bytes (value, key, headers) hold it, for those found."""
    found: dict[str, list[str]] = {}
    for record in records:
        raw = b"".join([record.value or b"", record.key or b"", *(v for _, v in record.headers or ())])
        for string in strings:
            if string.encode() in raw:
                found.setdefault(string, []).append(record.topic)
    return found
