"""The embedded broker beside a 3-broker Apache Kafka cluster, in one run, each against its raw floor.

For each broker, on the same PostgreSQL:
- consumer throughput: the real consumer into a projection (bench/consumer_throughput.py's pipeline)
  against its raw floor (aiokafka `getmany` + `COPY` of the same rows);
- end-to-end latency registration -> dashboard: a participant registered at intake over HTTP until
  reporting's staff figures count them (intake and reporting running as processes, `python -m
  services.<name>`), p50 and p99, against the raw floor (one record produced with acks=all until a
  consumer holds it).
The cluster runs as the cluster tests do (tests/cluster/conftest.py): 3 brokers, a 3-voter KRaft quorum,
topics with 3 replicas and min.insync.replicas=2, idempotent producers.

    .venv/bin/python -m bench.cluster_vs_embedded [--events 50000] [--registrations 100]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench.consumer_throughput import make_events, pipeline, produce, raw_floor
from services.intake.settings import IntakeSettings
from services.reporting.settings import ReportingSettings
from shared.embedded.apache_kafka import ApacheKafkaCluster
from shared.embedded.ports import free_port
from shared.embedded.postgres import EmbeddedPostgres
from shared.embedded.scratch import scratch_infrastructure
from shared.logging import configure_logging
from shared.messaging.kafka import ensure_topics
from shared.settings import ServiceSettings
from shared.topics import INTAKE

ROOT = Path(__file__).resolve().parents[1]
ADMIN = "bench-admin-token"
STAFF = {"Authorization": f"Bearer {ADMIN}"}


@dataclass(frozen=True)
class Broker:
    label: str
    bootstrap: str
    replicas: int  # topic replication factor; min.insync.replicas is 2 with 3 replicas
    idempotent: bool

    def settings(self, cls: type[ServiceSettings], database_url: str, **more: Any) -> ServiceSettings:
        values: dict[str, Any] = dict(
            database_url=database_url, kafka_bootstrap=self.bootstrap, topic_prefix=f"bench-{self.label}.",
            session_timeout_ms=1500, heartbeat_interval_ms=300, log_level="warning", admin_token=ADMIN,
            enable_idempotence=self.idempotent, topic_replication_factor=self.replicas,
            topic_min_insync_replicas=2 if self.replicas >= 3 else 1,
        )  # fmt: skip
        return cls(**{**values, **more})


@dataclass(frozen=True)
class Figures:
    produce: float
    floor: float
    consumer: float
    round_trip_ms: list[float]
    end_to_end_ms: list[float]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def round_trips(broker: Broker, count: int) -> list[float]:
    """One record at a time, produced with acks=all until an assigned consumer holds it."""
    topic = f"bench-{broker.label}.round-trip"
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 1, broker.replicas)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap, acks="all", enable_idempotence=broker.idempotent
    )
    consumer = AIOKafkaConsumer(
        bootstrap_servers=broker.bootstrap, enable_auto_commit=False, fetch_max_wait_ms=500
    )
    await producer.start()
    await consumer.start()
    try:
        partition = TopicPartition(topic, 0)
        consumer.assign([partition])
        consumer.seek(partition, 0)
        for _ in range(5):  # warm both connections
            await producer.send_and_wait(topic, b"warm", partition=0)
            await consumer.getone()
        took = []
        for _ in range(count):
            started = time.perf_counter()
            await producer.send_and_wait(topic, b"ping", partition=0)
            await consumer.getone()
            took.append((time.perf_counter() - started) * 1000)
        return took
    finally:
        await consumer.stop()
        await producer.stop()


def spawn(settings: ServiceSettings, port: int, logs: Path) -> subprocess.Popen[bytes]:
    """`python -m services.<name>` on `port`, with `settings` in its environment as MENTORNET_*."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MENTORNET_")}
    for name, value in settings.model_dump(mode="json").items():
        if value is not None:
            env[f"MENTORNET_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
    env["MENTORNET_HTTP_PORT"] = str(port)
    with open(logs / f"{settings.service_name}.log", "ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", f"services.{settings.service_name}"], env=env, cwd=ROOT,
            stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip


@asynccontextmanager
async def service(settings: ServiceSettings, logs: Path) -> AsyncIterator[str]:
    """The service as a process on a free port, ready; yields its URL and stops it after."""
    port = free_port()
    process = await asyncio.to_thread(spawn, settings, port, logs)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{settings.service_name} did not start: see {logs}")
                try:
                    if (await client.get(f"{url}/readyz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def staff_mentees(report: dict) -> int:
    rows = {row["figure"]: row["value"] for row in report["tables"]["summary"]["rows"]}
    return int(rows.get("mentees", 0))


async def end_to_end(broker: Broker, postgres: EmbeddedPostgres, count: int, logs: Path) -> list[float]:
    """Registered at intake over HTTP, until reporting's staff figures count them: one at a time."""
    prefix = f"bench-{broker.label}-e2e."  # topics of their own, not the throughput run's events
    vault = await postgres.create_database(f"vault_{broker.label}")  # the key vault both share
    intake_settings = broker.settings(
        IntakeSettings, await postgres.create_database(f"intake_{broker.label}"), topic_prefix=prefix,
        vault_database_url=vault,
    )  # fmt: skip
    reporting_settings = broker.settings(
        ReportingSettings, await postgres.create_database(f"reporting_{broker.label}"), topic_prefix=prefix,
        vault_database_url=vault,
    )  # fmt: skip
    async with service(intake_settings, logs) as intake, service(reporting_settings, logs) as reporting:
        async with httpx.AsyncClient(base_url=intake, timeout=10) as client:
            company = await client.post(
                "/v1/companies", headers=STAFF,
                json={"name": "Nordvind", "hr_contact_name": "Lone", "hr_contact_email": "l@n.dk"},
            )  # fmt: skip
            company_id = company.json()["company_id"]
            key = (await client.post(f"/v1/companies/{company_id}/api-keys", headers=STAFF, json={})).json()
            today = date.today()
            cohort = (
                await client.post(
                    "/v1/cohorts",
                    headers=STAFF,
                    json={
                        "name": "2027",
                        "intake_opens_on": str(today - timedelta(days=1)),
                        "intake_closes_on": str(today + timedelta(days=30)),
                    },
                )  # fmt: skip
            ).json()["cohort_id"]
            company_key = {"Authorization": f"Bearer {key['api_key']}"}
            async with httpx.AsyncClient(base_url=reporting, timeout=10) as dashboard:

                async def mentees() -> int:
                    answer = await dashboard.get(f"/api/programme/cohorts/{cohort}", headers=STAFF)
                    return staff_mentees(answer.json()) if answer.status_code == 200 else -1

                deadline = time.monotonic() + 60
                while await mentees() < 0:  # reporting knows the cohort
                    if time.monotonic() > deadline:
                        raise RuntimeError("reporting never saw the cohort")
                    await asyncio.sleep(0.05)
                took = []
                for n in range(count):
                    started = time.perf_counter()
                    answer = await client.post(
                        "/v1/participants", headers=company_key, json=registration(n, cohort)
                    )
                    assert answer.status_code == 201, answer.text
                    for _ in itertools.count():  # polled as a staff browser would, every 5 ms
                        if await mentees() >= n + 1:
                            break
                        await asyncio.sleep(0.005)
                    took.append((time.perf_counter() - started) * 1000)
                return took


def registration(n: int, cohort: str) -> dict[str, object]:
    return {
        "cohort_id": cohort, "role": "mentee", "name": f"Leader {n}", "email": f"leader{n}@nordvind.dk",
        "job_title": "Team lead", "leadership_level": 2, "years_experience": 3, "industry": "energy",
        "function": "operations", "languages": ["da"], "region": "midtjylland", "meeting_preference": "either",
        "themes": ["strategy"], "expectations": "A view from outside", "consent": True,
    }  # fmt: skip


async def settled(cluster: ApacheKafkaCluster, topic: str, timeout_s: float = 60) -> None:
    """Until every partition of `topic` has a leader and all its replicas in sync."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        replicas = (await asyncio.to_thread(cluster.metadata, [topic])).replicas.get(topic)
        if replicas and all(len(isr) == len(all_of) for all_of, isr in replicas.values()):
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{topic} not fully replicated within {timeout_s} s")


async def measure(
    broker: Broker,
    postgres: EmbeddedPostgres,
    events: int,
    batch: int,
    registrations: int,
    logs: Path,
    cluster: ApacheKafkaCluster | None = None,
) -> Figures:
    url = await postgres.create_database(f"bench_{broker.label}")
    settings = broker.settings(
        ServiceSettings, url, service_name="bench", consumer_batch_size=batch,
        vault_database_url=await postgres.create_database(f"bench_vault_{broker.label}"),
    )  # fmt: skip
    await ensure_topics(settings)
    topic = settings.topic(INTAKE.base_name)
    if cluster is not None:  # new partitions elect their leaders and fill their ISRs: not to be timed
        await settled(cluster, topic)
    produced = await produce(broker.bootstrap, topic, make_events(events))
    floor = await raw_floor(broker.bootstrap, topic, url, events)
    ours = await pipeline(settings, events)
    trips = await round_trips(broker, registrations)
    latencies = await end_to_end(broker, postgres, registrations, logs)
    return Figures(produced, floor, ours, trips, latencies)


def report(label: str, f: Figures) -> None:
    rt50, rt99 = percentile(f.round_trip_ms, 50), percentile(f.round_trip_ms, 99)
    e50, e99 = percentile(f.end_to_end_ms, 50), percentile(f.end_to_end_ms, 99)
    print(f"== {label}")
    print(f"  raw produce (acks=all):                  {f.produce:>10,.0f} events/s")
    print(f"  raw floor (getmany + COPY):              {f.floor:>10,.0f} events/s")
    print(
        f"  mentornet consumer into projection:      {f.consumer:>10,.0f} events/s  ratio {f.consumer / f.floor:.2f}"
    )
    print(f"  raw round trip (produce -> consumed):    p50 {rt50:7.1f} ms  p99 {rt99:7.1f} ms")
    print(
        f"  registration -> staff dashboard:         p50 {e50:7.1f} ms  p99 {e99:7.1f} ms"
        f"  ({e50 / rt50:.1f}x / {e99 / rt99:.1f}x the round trip; mean {statistics.fmean(f.end_to_end_ms):.1f} ms)"
    )  # fmt: skip


async def main(events: int, batch: int, registrations: int) -> None:
    configure_logging("console", "warning")
    logs = Path(tempfile.mkdtemp(prefix="mentornet-bench-logs-"))
    load = os.getloadavg()
    with scratch_infrastructure("mentornet-bench-") as (postgres, kafka):
        embedded = Broker("embedded", kafka.bootstrap, replicas=1, idempotent=False)
        on_embedded = await measure(embedded, postgres, events, batch, registrations, logs)
        data_dir = Path(tempfile.mkdtemp(prefix="mentornet-bench-cluster-"))
        cluster = ApacheKafkaCluster(data_dir, nodes=3)
        await asyncio.to_thread(cluster.start)
        try:
            three = Broker("cluster", cluster.bootstrap, replicas=3, idempotent=True)
            on_cluster = await measure(three, postgres, events, batch, registrations, logs, cluster)
        finally:
            cluster.kill()
            shutil.rmtree(data_dir, ignore_errors=True)
    after = os.getloadavg()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"load average (1/5/15 min): before {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}, after {after[0]:.1f}/{after[1]:.1f}/{after[2]:.1f}"
    )
    print(f"events: {events:,}, consumer batch: {batch:,}, registrations: {registrations} (one at a time)")
    report("embedded broker (tansu, 1 node, no replication, idempotence off)", on_embedded)
    report("Apache Kafka, 3 brokers (KRaft), 3 replicas, min.insync.replicas=2, idempotent", on_cluster)
    print(
        f"cluster / embedded: consumer {on_cluster.consumer / on_embedded.consumer:.2f},"
        f" registration -> dashboard p50 {percentile(on_cluster.end_to_end_ms, 50) / percentile(on_embedded.end_to_end_ms, 50):.2f}"
    )  # fmt: skip
    shutil.rmtree(logs, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--registrations", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(main(args.events, args.batch, args.registrations))
