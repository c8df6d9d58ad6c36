"""Logs (issue 16): every line a started process writes to its log file is JSON, the files rotate by
size, a line that repeats (a broker that is down) is rate-limited, and no line about a message that
failed says what the message held."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import asyncpg
import httpx
import pytest
import structlog
from aiokafka import AIOKafkaProducer

from shared.embedded.kafka import EmbeddedKafka
from shared.embedded.logfiles import as_json_line, logged_popen
from shared.embedded.ports import free_port
from shared.events import Event, ParticipantRegistered, encode
from shared.events.registry import headers_for
from shared.logging import RepeatLimit
from shared.runtime import Consumption, ServiceRuntime
from shared.topics import INTAKE
from tests.foundation.probe_service import MIGRATIONS, participant
from tests.support.services import eventually

NAME = "Zacharias Quist"  # a display name no log line may repeat


def json_lines(path: Path) -> list[dict[str, object]]:
    lines = path.read_text().splitlines()
    parsed = []
    for line in lines:
        value = json.loads(line)  # raises on a plain-text line
        assert isinstance(value, dict), line
        parsed.append(value)
    return parsed


def _wait(process: subprocess.Popen[bytes], path: Path, expected_lines: int) -> None:
    process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(path.read_text().splitlines()) < expected_lines:
        time.sleep(0.05)  # the pump writes what the child wrote last


LOUD = """
import logging, sys, warnings
print("a plain line before logging is set up", file=sys.stderr, flush=True)
from shared.logging import configure_logging
import structlog
configure_logging("json")
structlog.get_logger().info("service line", n=1)
logging.getLogger("uvicorn.error").warning("Started server process")
logging.getLogger("aiokafka").error("Unable connect to node with id %s", 1)
logging.getLogger("asyncpg.pool").warning("a connection was closed")
warnings.warn("asyncpg: something deprecated")
raise RuntimeError("the process ends with an uncaught exception")
"""


def test_every_line_of_a_started_process_is_json(tmp_path: Path) -> None:
    log = tmp_path / "service.log"
    process = logged_popen([sys.executable, "-c", LOUD], log, "service", cwd=os.getcwd())
    _wait(process, log, 7)
    lines = json_lines(log)
    events = [str(line["event"]) for line in lines]
    assert events[0] == "a plain line before logging is set up" and lines[0]["logger"] == "service"
    assert {"service line", "Started server process", "Unable connect to node with id 1"} <= set(events)
    assert [line["logger"] for line in lines if line.get("logger") == "py.warnings"]
    assert lines[-1]["event"] == "uncaught exception" and "RuntimeError" in str(lines[-1]["exception"])


def test_plain_lines_of_postgres_or_the_broker_are_wrapped_with_their_level() -> None:
    line = json.loads(
        as_json_line("2026-12-03 10:00:00 UTC [42] FATAL:  the database system is down\n", "pg")
    )
    assert line["level"] == "critical" and line["logger"] == "pg" and line["event"].endswith("is down")
    kept = '{"event": "already json", "level": "info"}'
    assert as_json_line(kept + "\n", "x") == kept


def test_log_files_rotate_by_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORNET_LOG_MAX_BYTES", "4096")
    monkeypatch.setenv("MENTORNET_LOG_BACKUPS", "2")
    log = tmp_path / "broker.log"
    script = 'for i in $(seq 1 400); do echo "plain line number $i of a chatty child"; done'
    process = logged_popen(["sh", "-c", script], log, "broker")
    process.wait(timeout=30)
    rotated = [log, log.with_name("broker.log.1"), log.with_name("broker.log.2")]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "number 400 " not in log.read_text():
        time.sleep(0.05)
    assert all(path.exists() for path in rotated)
    assert not log.with_name("broker.log.3").exists()  # only the settings' count is kept
    for path in rotated:
        assert path.stat().st_size <= 4096
        assert all(line["logger"] == "broker" for line in json_lines(path))
    assert "number 400 " in log.read_text()


def test_a_repeating_line_passes_its_first_few_per_window_then_says_how_many_were_dropped() -> None:
    now = [0.0]
    limit = RepeatLimit(3, 10.0, clock=lambda: now[0])
    let = [limit.admit("broker down") for _ in range(10)]
    assert let == [0, 0, 0, None, None, None, None, None, None, None]
    assert limit.admit("another line") == 0  # each line is its own
    now[0] = 10.0
    assert limit.admit("broker down") == 7  # the first one of the next window tells the dropped count
    assert limit.admit("broker down") == 0


async def test_a_consumer_whose_broker_is_down_writes_a_few_lines_not_a_flood(
    make_settings, tmp_path: Path
) -> None:
    """A service process (matching, its consumer running) with a broker of its own, which is stopped:
    over the seconds after, its log grows by a few lines per window, each repeat counted."""
    broker = EmbeddedKafka(port=free_port())
    broker.start()
    settings = await make_settings(service_name="matching", kafka_bootstrap=broker.bootstrap)
    port = free_port()
    env = {
        **os.environ,
        "MENTORNET_SERVICE_NAME": "matching",
        "MENTORNET_DATABASE_URL": settings.database_url,
        "MENTORNET_KAFKA_BOOTSTRAP": broker.bootstrap,
        "MENTORNET_TOPIC_PREFIX": settings.topic_prefix,
        "MENTORNET_HTTP_PORT": str(port),
        "MENTORNET_LOG_FORMAT": "json",
        "MENTORNET_SESSION_TIMEOUT_MS": "1500",
        "MENTORNET_HEARTBEAT_INTERVAL_MS": "300",
        "MENTORNET_LOG_REPEAT_FIRST": "2",
        "MENTORNET_LOG_REPEAT_WINDOW_S": "4",
    }
    log = tmp_path / "matching.log"
    process = logged_popen([sys.executable, "-m", "services.matching"], log, "matching", env=env)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:

            async def ready() -> bool:
                try:
                    return (await client.get("/readyz")).status_code == 200
                except httpx.HTTPError:
                    return False

            await eventually(ready, timeout_s=60)
        broker.stop()
        await eventually(lambda: log.stat().st_size > 0)
        # unlimited, aiokafka's reconnect loop alone writes ~14 KB/s (measured: 548 KB in 40 s)
        await asyncio.sleep(5)  # the first lines of every kind, and the first windows, are through
        before = log.stat().st_size
        await asyncio.sleep(8)
        grown = log.stat().st_size - before
    finally:
        process.terminate()
        process.wait(timeout=30)
        broker.stop()
    lines = json_lines(log)
    assert grown < 10_000, f"{grown} bytes in 8 s with the broker down"  # unlimited: ~100 KB
    assert any(int(str(line.get("suppressed", 0))) > 0 for line in lines), "repeats were dropped and counted"


async def test_a_dead_lettered_event_leaves_no_trace_of_its_content_in_the_logs(make_settings, kafka) -> None:
    """Two ways to the dead-letter topic: bytes that do not decode (a name where a profile belongs) and a
    projection that fails on an event, with the name in its error. The logs say ids, topic, partition,
    offset, the error's kind: never the name."""
    settings = await make_settings(service_name="probe", consumer_retries=1, consumer_backoff_s=0.01)

    async def project(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
        for event in events:
            if isinstance(event, ParticipantRegistered) and event.display_name == NAME:
                raise ValueError(f"cannot store {event.display_name}")

    undecodable = json.loads(encode(participant(NAME)))
    undecodable["profile"] = {"leadership_level": NAME}
    failing = participant(NAME)
    runtime = ServiceRuntime(settings, MIGRATIONS, Consumption(topics=[INTAKE], projection=project))
    raw = AIOKafkaProducer(bootstrap_servers=kafka)
    with structlog.testing.capture_logs() as logs:
        async with runtime.running() as sink:
            await raw.start()
            try:
                for value in (json.dumps(undecodable).encode(), encode(failing)):
                    await raw.send_and_wait(
                        settings.topic(INTAKE.base_name),
                        value,
                        key=str(uuid.uuid4()).encode(),
                        headers=headers_for("ParticipantRegistered", failing.SCHEMA_VERSION),
                    )
            finally:
                await raw.stop()
            topic = {"topic": settings.topic(INTAKE.base_name)}
            await eventually(
                lambda: sink.metrics.registry.get_sample_value("mentornet_events_dead_lettered_total", topic),
                equals=2.0,
            )
    dead = [entry for entry in logs if entry["event"] == "event dead-lettered"]
    assert len(dead) == 2
    assert {str(entry["error"]).split(":")[0] for entry in dead} == {"UndecodableEvent", "ValueError"}
    assert all({"topic", "partition", "offset"} <= entry.keys() for entry in dead)
    for entry in logs:
        assert NAME not in repr(entry), entry
