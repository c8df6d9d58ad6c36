"""Several instances of a service, as real processes (`python -m services.<name>`), on the 3-broker
cluster: two processes of a service share its database and its consumer group. Their consumers split
the partitions between them; one relay publishes at a time and another takes over within seconds when the
publishing process is killed; a rebalance in the middle of a slow batch loses nothing and applies nothing
twice."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from services.intake.settings import IntakeSettings
from services.matching.settings import MatchingSettings
from services.reporting.settings import ReportingSettings
from services.sessions.settings import SessionsSettings
from services.web.settings import WebSettings
from shared.embedded.ports import free_port
from shared.settings import ServiceSettings
from shared.topics import consumed_by, uses_broker
from tests.foundation.probe_service import participant
from tests.foundation.test_stack import _programme, _register
from tests.support.events import publish
from tests.support.services import eventually

ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "stack-test-admin"  # what tests.foundation.test_stack's helpers sign in with
SETTINGS: dict[str, type[ServiceSettings]] = {
    "intake": IntakeSettings,
    "matching": MatchingSettings,
    "sessions": SessionsSettings,
    "reporting": ReportingSettings,
    "web": WebSettings,
}
TAKEOVER_LIMIT_S = 10.0


@dataclass
class Instance:
    """One process of a service on its own HTTP port."""

    service: str
    port: int
    process: subprocess.Popen[bytes]
    log_file: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self) -> str:
        return self.log_file.read_text(errors="replace")[-3000:]

    async def status(self) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=5) as client:
            answer = await client.get(f"{self.url}/ops/status")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    async def ready(self, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        async with httpx.AsyncClient(timeout=3) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise AssertionError(f"{self.service} exited: {self.log_tail()}")
                try:
                    if (await client.get(f"{self.url}/readyz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise AssertionError(f"{self.service} on {self.port} not ready in {timeout_s}s: {self.log_tail()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process.wait()


def environment(settings: ServiceSettings, port: int) -> dict[str, str]:
    """The process's environment: every setting as MENTORNET_<FIELD>, as the stack and compose pass them."""
    values = settings.model_dump(mode="json")
    values["kafka_password"] = settings.kafka_password.get_secret_value()  # dumps say ********
    env = {key: value for key, value in os.environ.items() if not key.startswith("MENTORNET_")}
    for name, value in values.items():
        if value is not None:
            env[f"MENTORNET_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
    env["MENTORNET_HTTP_PORT"] = str(port)
    return env


@asynccontextmanager
async def instances(
    settings: ServiceSettings, count: int = 2, **per_instance: ServiceSettings
) -> AsyncIterator[list[Instance]]:
    """`count` processes of one service on `settings` (all ready when this yields); stopped after."""
    logs = Path(tempfile.mkdtemp(prefix=f"mentornet-{settings.service_name}-"))
    started: list[Instance] = []
    try:
        for n in range(count):
            started.append(launch(per_instance.get(f"i{n}", settings), logs / f"{n}.log"))
        await asyncio.gather(*(instance.ready() for instance in started))
        yield started
    finally:
        for instance in started:
            await asyncio.to_thread(instance.stop)


def launch(settings: ServiceSettings, log_file: Path) -> Instance:
    port = free_port()
    with open(log_file, "ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", f"services.{settings.service_name}"],
            env=environment(settings, port),
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            start_new_session=True,
        )
    return Instance(settings.service_name, port, process, log_file)


def all_partitions(settings: ServiceSettings) -> set[str]:
    return {
        f"{settings.topic(topic.base_name)}:{partition}"
        for topic in consumed_by(settings.service_name)
        for partition in range(topic.partitions)
    }


async def split_between(pair: list[Instance], everything: set[str]) -> list[set[str]]:
    """Each instance's assignment, once both hold some, none holds the same, and together all of them."""

    async def split() -> list[set[str]] | None:
        held = [set((await instance.status())["assigned"]) for instance in pair]
        whole = all(held) and not (held[0] & held[1]) and held[0] | held[1] == everything
        return held if whole else None

    return list(await eventually(split, timeout_s=60, interval_s=0.3))


async def test_every_service_runs_as_two_instances_and_the_consumers_split_the_partitions(
    make_settings: Callable[..., Any],
) -> None:
    for service, cls in SETTINGS.items():  # one pair at a time: the machine is small
        settings = await make_settings(cls, admin_token=ADMIN_TOKEN)
        async with instances(settings) as pair:
            statuses = [await instance.status() for instance in pair]
            assert {s["service"] for s in statuses} == {service}
            if not uses_broker(service):  # the web app: ready, and no relay, consumer or broker at all
                assert not any(s["publishing"] for s in statuses)
                assert all(s["consumer_group"] is None and s["assigned"] == [] for s in statuses)
                continue
            await eventually(lambda p=pair: _publishers(p), equals=1, timeout_s=30)
            everything = all_partitions(settings)
            assert {s["consumer_group"] for s in statuses} == {f"{settings.topic_prefix}mentornet-{service}"}
            first, second = await split_between(pair, everything)
            assert first and second and not first & second and first | second == everything


async def _publishers(pair: list[Instance]) -> int:
    return sum([(await instance.status())["publishing"] for instance in pair])


async def test_another_relay_publishes_within_seconds_when_the_publishing_process_is_killed(
    make_settings: Callable[..., Any],
) -> None:
    settings = await make_settings(IntakeSettings, admin_token=ADMIN_TOKEN, task_restart_backoff_s=0.5)
    async with instances(settings) as pair:
        await eventually(lambda: _publishers(pair), equals=1, timeout_s=30)
        async with httpx.AsyncClient(base_url=pair[0].url, timeout=10) as client:
            key, cohort = await _programme(client)
        for n, instance in enumerate(pair * 2):  # either instance writes its outbox; one relay sends all
            async with httpx.AsyncClient(base_url=instance.url, timeout=10) as client:
                await _register(client, key, cohort, n)
        await eventually(lambda: _pending(pair[0]), equals=0, timeout_s=30)
        assert await _publishers(pair) == 1  # still one: the other waits at the lock

        statuses = [await instance.status() for instance in pair]
        publisher, survivor = (pair[0], pair[1]) if statuses[0]["publishing"] else (pair[1], pair[0])
        publisher.process.kill()  # kill -9: no shutdown, PostgreSQL frees the lock when its socket closes
        killed_at = time.monotonic()
        publisher.process.wait()
        await eventually(lambda: _publishing(survivor), timeout_s=TAKEOVER_LIMIT_S * 3, interval_s=0.05)
        took = time.monotonic() - killed_at
        print(f"relay takeover after kill -9: {took:.2f} s")
        assert took < TAKEOVER_LIMIT_S

        async with httpx.AsyncClient(base_url=survivor.url, timeout=10) as client:
            await _register(client, key, cohort, 99)
        await eventually(lambda: _pending(survivor), equals=0, timeout_s=30)  # the survivor publishes
        published, written = await _published(settings)
        assert published == written >= 3 + 5  # the programme's events and the five participants


async def _publishing(instance: Instance) -> bool:
    return bool((await instance.status())["publishing"])


async def _pending(instance: Instance) -> int:
    return int((await instance.status())["outbox_pending"])


async def _published(settings: ServiceSettings) -> tuple[int, int]:
    conn = await asyncpg.connect(settings.database_url)
    try:
        row = await conn.fetchrow("SELECT count(published_at), count(*) FROM outbox")
        return int(row[0]), int(row[1])
    finally:
        await conn.close()


async def test_a_rebalance_during_a_slow_batch_loses_nothing_and_applies_nothing_twice(
    make_settings: Callable[..., Any], operator: ServiceSettings
) -> None:
    """Matching's projection made slow (every batch waits inside its transaction): a second instance
    joins while the first is in the middle of a batch, then is killed in the middle of its own; every
    participant is applied once, by one of them."""
    count = 240
    slow = {"consumer_batch_size": 20, "consumer_batch_delay_s": 1.5, "consumer_fetch_min_bytes": 1}
    settings = await make_settings(MatchingSettings, **slow)
    logs = Path(tempfile.mkdtemp(prefix="mentornet-rebalance-"))
    first = launch(settings, logs / "first.log")
    second: Instance | None = None
    try:
        await first.ready()
        events = [participant(f"p{n}") for n in range(count)]
        # intake's events, put on intake's topic by the operator (matching's user may not write there)
        await publish(operator.model_copy(update={"topic_prefix": settings.topic_prefix}), events)
        await eventually(lambda: _applied(settings), timeout_s=60, interval_s=0.2)  # first batches in
        assert await _applied(settings) < count  # the first instance is still busy: slow batches

        second = launch(settings, logs / "second.log")  # joins: a rebalance while a batch is open
        await second.ready()
        await split_between([first, second], all_partitions(settings))
        before = await _applied(settings)
        await eventually(lambda: _consumed(second), timeout_s=30, interval_s=0.05)  # a batch committed
        await asyncio.sleep(0.5)  # into its next batch, which lasts 1.5 s
        assert await _in_a_batch(settings)
        by_second = await _counted(second)  # what it committed; the batch it is in will roll back
        second.process.kill()  # dies in the middle of that batch: a second rebalance, once its session ends
        second.process.wait()
        assert await _applied(settings) < count, "both stopped too late to rebalance mid-work"
        print(f"applied before the second instance joined and left: {before}")

        await eventually(lambda: _applied(settings), equals=count, timeout_s=180, interval_s=0.5)
        await asyncio.sleep(2 * 1.5)  # any batch still in flight would show a surplus now
        assert await _applied(settings) == count
        by_first = await _counted(first)
        print(f"applied by the first: {by_first}, by the second: {by_second}")
        # the projection ran once per event in all: a batch redelivered after a rebalance was passed by
        assert (
            by_first["mentornet_events_consumed_total"] + by_second["mentornet_events_consumed_total"]
            == count
        )
        conn = await asyncpg.connect(settings.database_url)
        try:
            ids = {row["event_id"] for row in await conn.fetch("SELECT event_id FROM processed_events")}
            participants = await conn.fetchval("SELECT count(*) FROM participants")
        finally:
            await conn.close()
        assert ids == {event.event_id for event in events}  # each recorded once (its primary key)
        assert participants == count
        assert not _dead_lettered(first, second), "a redelivered event was not recognised as applied"
        assert first.process.poll() is None
    finally:
        for instance in (first, second):
            if instance is not None:
                await asyncio.to_thread(instance.stop)


async def _applied(settings: ServiceSettings) -> int:
    conn = await asyncpg.connect(settings.database_url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM processed_events"))
    finally:
        await conn.close()


async def _in_a_batch(settings: ServiceSettings) -> bool:
    """Some consumer of this database is in the middle of a batch (its transaction waiting)."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        busy = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state = 'idle in transaction' AND pid <> pg_backend_pid()"
        )
        return bool(busy)
    finally:
        await conn.close()


async def _consumed(instance: Instance) -> float:
    return (await _counted(instance))["mentornet_events_consumed_total"]


async def _counted(instance: Instance) -> dict[str, float]:
    """The instance's applied and passed-by (already applied) events, from its /metrics."""
    async with httpx.AsyncClient(timeout=5) as client:
        text = (await client.get(f"{instance.url}/metrics")).text
    names = ("mentornet_events_consumed_total", "mentornet_events_duplicate_total")
    counted = dict.fromkeys(names, 0.0)
    for line in text.splitlines():
        name = line.split("{")[0].split(" ")[0]
        if name in counted:
            counted[name] += float(line.rsplit(" ", 1)[1])
    return counted


def _dead_lettered(*pair: Instance | None) -> list[str]:
    return [
        line
        for instance in pair
        if instance is not None
        for line in instance.log_file.read_text(errors="replace").splitlines()
        if "event dead-lettered" in line
    ]
