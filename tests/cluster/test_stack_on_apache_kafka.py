"""`mentornet run --broker apache-kafka`: the whole system on one Apache Kafka node whose data lives in
the stack's data directory. Stopped and started again it is the same cluster with the same log: nothing is
re-sent, nothing re-applied, and new events flow."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from shared.embedded.apache_kafka import ApacheKafkaCluster
from shared.embedded.ports import free_port, free_port_outside_ephemeral
from shared.embedded.stack import SERVICES, EmbeddedStack, StackSettings
from shared.topics import broker_clients
from tests.foundation.test_stack import (
    _count,
    _duplicates,
    _people_everywhere,
    _programme,
    _projections,
    _register,
)
from tests.support.services import eventually


@pytest.fixture
def stack_settings() -> Iterator[StackSettings]:
    data_dir = Path(tempfile.mkdtemp(prefix="mentornet-stack-ak-"))
    os.chmod(data_dir, 0o755)
    ports = {f"{name}_port": free_port() for name in ("postgres", *SERVICES)}
    for name in ("kafka", "kafka_controller"):  # restarted in the test: keep them out of the ephemeral range
        ports[f"{name}_port"] = free_port_outside_ephemeral()
    yield StackSettings(data_dir=data_dir, admin_token="stack-test-admin", broker="apache-kafka", **ports)
    shutil.rmtree(data_dir, ignore_errors=True)


async def test_the_stack_on_apache_kafka_keeps_its_log_across_a_restart_and_sends_nothing_again(
    stack_settings,
):
    stack = EmbeddedStack(stack_settings)
    try:  # a start that fails half-way still stops what it started
        await asyncio.to_thread(stack.start, progress=lambda _: None)
        assert isinstance(stack.kafka, ApacheKafkaCluster)
        assert stack.kafka.bootstrap == f"127.0.0.1:{stack_settings.kafka_port}"
        intake = f"http://127.0.0.1:{stack_settings.intake_port}"
        async with httpx.AsyncClient(base_url=intake, timeout=10) as client:
            key, cohort = await _programme(client)
            for n in range(4):
                await _register(client, key, cohort, n)
        await eventually(lambda: _people_everywhere(stack), equals=[4, 4, 4], timeout_s=60)
        before = {service: await _projections(stack, service) for service in SERVICES}
        first_cluster = stack.kafka.cluster_id
        published_at = await _published_at(stack)
    finally:
        await asyncio.to_thread(stack.stop, progress=lambda _: None)
    assert (stack_settings.data_dir / "kafka" / "node-1" / "log" / "meta.properties").exists()

    stack = EmbeddedStack(stack_settings)
    try:  # a start that fails half-way still stops what it started
        await asyncio.to_thread(stack.start, progress=lambda _: None)
        assert stack.kafka.cluster_id == first_cluster
        for service in broker_clients():  # each relay saw the same cluster: nothing to send again
            assert await _text(stack, service, "SELECT cluster_id FROM relay_state") == first_cluster
        assert await _published_at(stack) == published_at
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{stack_settings.intake_port}") as client:
            await _register(client, key, cohort, 99)
        await eventually(lambda: _people_everywhere(stack), equals=[5, 5, 5], timeout_s=60)
        for service in ("matching", "sessions", "reporting"):
            assert await _duplicates(stack, service) == 0  # offsets and log kept: nothing redelivered
        after = {service: await _projections(stack, service) for service in SERVICES}
        assert after["matching"]["participants"] != before["matching"]["participants"]
        assert await _count(stack, "intake", "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
    finally:
        await asyncio.to_thread(stack.stop, progress=lambda _: None)


async def _published_at(stack: EmbeddedStack) -> list[str]:
    conn = await asyncpg.connect(stack.database_url("intake"))
    try:
        rows = await conn.fetch("SELECT position, published_at FROM outbox ORDER BY position")
        return [f"{r['position']} {r['published_at']}" for r in rows]
    finally:
        await conn.close()


async def _text(stack: EmbeddedStack, service: str, sql: str) -> str | None:
    conn = await asyncpg.connect(stack.database_url(service))
    try:
        value = await conn.fetchval(sql)
        return None if value is None else str(value)
    finally:
        await conn.close()
