"""Bulk import of 10,000 participants: rows/s until intake answers, and until a consumer sees them all.

Starts its own PostgreSQL and broker, runs intake as its own process (uvicorn, HTTP over TCP) and the
consumer in this process: the real matching app when it starts, otherwise a stand-in consumer on the
same runtime (`--consumer` picks). "Visible" means the consumer committed the event: its
processed_events row is written in the same transaction as its projection.

Floors in the same run: the same number of pre-built events appended straight to intake's outbox
(no HTTP, no validation) until the consumer has them, and a raw COPY of the participant and outbox
rows into intake's database.

    .venv/bin/python -m bench.intake_bulk_import [--rows 10000] [--runs 3] [--consumer auto|matching|standin]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from services.intake.domain import participant as domain
from services.intake.domain.importing import COLUMNS
from services.intake.domain.registration import Registration
from shared.embedded.ports import free_port
from shared.embedded.scratch import scratch_infrastructure
from shared.events import Event, ParticipantRegistered
from shared.logging import configure_logging
from shared.messaging import outbox
from shared.messaging.dispatch import Dispatcher
from shared.runtime import Consumption, ServiceRuntime
from shared.settings import ServiceSettings
from shared.topics import INTAKE

ADMIN_TOKEN = "bench-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
TIMEOUT_S = 300
REGIONS = ["hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland"]
THEMES = [
    "strategy",
    "change_management",
    "communication",
    "team_development",
    "career_development",
    "innovation",
]
INDUSTRIES = ["energy", "finance", "it_software", "manufacturing", "public_sector", "healthcare"]
FUNCTIONS = ["operations", "finance", "hr", "it", "sales", "general_management"]
STANDIN_TABLE = """CREATE TABLE IF NOT EXISTS standin_participants (
    participant_id uuid PRIMARY KEY, company_id uuid NOT NULL, cohort_id uuid NOT NULL, role text NOT NULL,
    display_name text NOT NULL, leadership_level int NOT NULL, themes text[] NOT NULL)"""


def rows(count: int, tag: str) -> list[dict[str, Any]]:
    """Participants as an HR system would send them: varied, each with its own external_ref."""
    made = []
    for i in range(count):
        mentor = i % 3 == 0
        made.append(
            {
                "role": "mentor" if mentor else "mentee",
                "external_ref": f"{tag}-{i}",
                "name": f"Leader {tag} {i}",
                "email": f"leader.{tag}.{i}@example.com",
                "job_title": "Director" if mentor else "Team lead",
                "leadership_level": 4 if mentor else 1 + i % 3,
                "years_experience": 5 + i % 20,
                "industry": INDUSTRIES[i % len(INDUSTRIES)],
                "function": FUNCTIONS[i % len(FUNCTIONS)],
                "languages": ["da", "en"] if i % 4 else ["en"],
                "region": REGIONS[i % len(REGIONS)],
                "meeting_preference": ["in_person", "online", "either"][i % 3],
                "themes": [THEMES[i % 6], THEMES[(i + 2) % 6]],
                "themes_free_text": "Growing as a leader of leaders" if i % 5 == 0 else "",
                "expectations": "Someone who has been there, and will tell me honestly what they see.",
                "capacity": 1 + i % 3 if mentor else None,
                "consent": True,
            }
        )
    return made


def as_csv(items: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for item in items:
        writer.writerow(
            {
                k: ";".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                for k, v in item.items()
            }
        )
    return out.getvalue().encode()


async def standin_project(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
    await Dispatcher({ParticipantRegistered: [_standin_row]})(conn, events)


async def _standin_row(conn: asyncpg.Connection, event: ParticipantRegistered) -> None:
    await conn.execute(
        "INSERT INTO standin_participants VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        event.participant_id, event.company_id, event.cohort_id, event.role, event.display_name,
        event.profile.leadership_level, list(event.profile.themes),
    )  # fmt: skip


async def start_consumer(stack: AsyncExitStack, choice: str, settings: dict[str, Any], url: str) -> str:
    """The real matching app if asked for (or 'auto' and it starts); else the stand-in."""
    if choice in ("auto", "matching"):
        try:
            from services.matching.app import create_app
            from services.matching.settings import MatchingSettings

            app = create_app(MatchingSettings(**settings, service_name="matching", database_url=url))
            await stack.enter_async_context(app.state.runtime.running())
            return "the real matching app (services.matching.app.create_app)"
        except Exception as error:  # noqa: BLE001 - matching is being rewritten; say so and fall back
            if choice == "matching":
                raise
            print(f"matching app did not start ({error!r}); measuring with the stand-in consumer")
    conn = await asyncpg.connect(url)
    await conn.execute(STANDIN_TABLE)
    await conn.close()
    consumption = Consumption(topics=[INTAKE], projection=standin_project)
    runtime = ServiceRuntime(
        ServiceSettings(**settings, service_name="standin", database_url=url), "bench.migrations", consumption
    )
    await stack.enter_async_context(runtime.running())
    return "a stand-in consumer (ServiceRuntime projecting ParticipantRegistered into a table)"


async def visible(conn: asyncpg.Connection) -> int:
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM processed_events WHERE event_type = 'ParticipantRegistered'"
        )
    )


async def until_visible(conn: asyncpg.Connection, wanted: int) -> float:
    deadline = time.perf_counter() + TIMEOUT_S
    while (seen := await visible(conn)) < wanted:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"only {seen} of {wanted} events visible after {TIMEOUT_S}s")
        await asyncio.sleep(0.01)
    return time.perf_counter()


def spawn_intake(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    output = open(log, "ab")  # noqa: SIM115 - owned by the child
    return subprocess.Popen(
        [sys.executable, "-m", "services.intake"], env={**os.environ, **env}, stdout=output, stderr=output
    )


async def wait_ready(http: httpx.AsyncClient, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"intake exited: see {log}")
        try:
            if (await http.get("/readyz")).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"intake not ready: see {log}")


async def setup(http: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    """A partner company and its API key, made through the API as staff would."""
    company = (
        await http.post(
            "/v1/companies",
            json={"name": "Bench A/S", "hr_contact_name": "HR", "hr_contact_email": "hr@example.com"},
            headers=ADMIN,
        )
    ).json()
    key = (
        await http.post(
            f"/v1/companies/{company['company_id']}/api-keys", json={"label": "bench"}, headers=ADMIN
        )
    ).json()
    return company["company_id"], {"Authorization": f"Bearer {key['api_key']}"}


async def open_cohort(http: httpx.AsyncClient, name: str) -> str:
    today = datetime.now(UTC).date()
    window = {
        "intake_opens_on": str(today - timedelta(days=2)),
        "intake_closes_on": str(today + timedelta(days=30)),
    }
    return str(
        (await http.post("/v1/cohorts", json={"name": name, **window}, headers=ADMIN)).json()["cohort_id"]
    )


async def post_import(
    http: httpx.AsyncClient, auth: dict[str, str], cohort: str, body: bytes, dry_run: bool
) -> dict[str, Any]:
    answer = await http.post(
        f"/v1/cohorts/{cohort}/imports",
        content=body,
        params={"dry_run": str(dry_run).lower()},
        headers={**auth, "Content-Type": "text/csv"},
    )
    answer.raise_for_status()
    return answer.json()


def prebuilt_events(company: str, cohort: str, count: int, run: int) -> list[ParticipantRegistered]:
    now = datetime.now(UTC)
    return [
        domain.register(
            Registration.model_validate({**r, "cohort_id": cohort}), uuid.UUID(company), uuid.uuid4(), now
        )[1]
        for r in rows(count, f"floor{run}")
    ]


async def copy_floor(url: str, company: str, cohort: str, count: int) -> float:
    """COPY the rows an import writes (participants and outbox) in one transaction: the database's floor."""
    now = datetime.now(UTC)
    made = [
        domain.register(
            Registration.model_validate({**r, "cohort_id": cohort}), uuid.UUID(company), uuid.uuid4(), now
        )
        for r in rows(count, "copy")
    ]
    participant_rows = [
        (p.participant_id, uuid.UUID(company), uuid.UUID(cohort), p.registration.role, p.registration.name, p.registration.email,
         p.registration.job_title, p.registration.leadership_level, p.registration.years_experience, p.registration.industry,
         p.registration.function, list(p.registration.languages), p.registration.region, p.registration.meeting_preference,
         list(p.registration.themes), p.registration.expectations, p.registration.capacity, now, now, now)
        for p, _ in made
    ]  # fmt: skip
    participant_columns = [
        "participant_id", "company_id", "cohort_id", "role", "name", "email", "job_title", "leadership_level",
        "years_experience", "industry", "function", "languages", "region", "meeting_preference", "themes",
        "expectations", "capacity", "consented_at", "registered_at", "updated_at",
    ]  # fmt: skip
    outbox_rows = [
        (e.event_id, INTAKE.base_name, e.key, e.event_type, 1, e.model_dump_json().encode()) for _, e in made
    ]
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "CREATE TEMP TABLE p (LIKE participants INCLUDING DEFAULTS); CREATE TEMP TABLE o (LIKE outbox INCLUDING DEFAULTS)"
        )
        start = time.perf_counter()
        async with conn.transaction():
            await conn.copy_records_to_table("p", records=participant_rows, columns=participant_columns)
            await conn.copy_records_to_table(
                "o",
                records=outbox_rows,
                columns=["event_id", "topic", "key", "event_type", "schema_version", "payload"],
            )
        return count / (time.perf_counter() - start)
    finally:
        await conn.close()


@dataclass(frozen=True)
class Run:
    dry_s: float
    accepted_s: float
    visible_s: float
    floor_s: float


async def measure(
    http: httpx.AsyncClient, auth: dict[str, str], watcher: asyncpg.Connection, intake_url: str,
    company: str, count: int, run: int,
) -> Run:  # fmt: skip
    """One import of `count` rows into a fresh cohort, then the outbox floor with as many events."""
    cohort = await open_cohort(http, f"Bench {run}")
    body = as_csv(rows(count, f"run{run}"))
    already = await visible(watcher)
    start = time.perf_counter()
    checked = await post_import(http, auth, cohort, body, dry_run=True)
    dry_s = time.perf_counter() - start

    start = time.perf_counter()
    report = await post_import(http, auth, cohort, body, dry_run=False)
    accepted_s = time.perf_counter() - start
    assert report["accepted"] == count == checked["accepted"], (report["rejected"], checked["rejected"])
    visible_s = await until_visible(watcher, already + count) - start

    events = prebuilt_events(company, cohort, count, run)
    conn = await asyncpg.connect(intake_url)
    try:
        start = time.perf_counter()
        async with conn.transaction():
            await outbox.append(conn, events)
        floor_s = await until_visible(watcher, already + 2 * count) - start
    finally:
        await conn.close()
    return Run(dry_s, accepted_s, visible_s, floor_s)


async def main(count: int, runs: int, consumer_choice: str, fast_unsafe: bool) -> None:
    configure_logging("console", "warning")
    process: subprocess.Popen[bytes] | None = None
    with scratch_infrastructure("mentornet-bench-intake-", fast_unsafe) as (postgres, kafka):
        try:
            intake_url = await postgres.create_database("intake")
            consumer_url = await postgres.create_database("consumer")
            common = {
            "vault_database_url": await postgres.create_database("vault"),
            "kafka_bootstrap": kafka.bootstrap, "topic_prefix": "bench.", "session_timeout_ms": 1500,
            "heartbeat_interval_ms": 300, "log_level": "warning", "log_format": "json",
        }  # fmt: skip
            port = free_port()
            env = {f"MENTORNET_{k.upper()}": str(v) for k, v in common.items()}
            env |= {
                "MENTORNET_DATABASE_URL": intake_url,
                "MENTORNET_HTTP_PORT": str(port),
                "MENTORNET_ADMIN_TOKEN": ADMIN_TOKEN,
            }
            log = postgres.data_dir / "intake.log"
            process = spawn_intake(env, log)
            async with (
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=TIMEOUT_S) as http,
                AsyncExitStack() as stack,
            ):
                await wait_ready(http, process, log)
                measured_with = await start_consumer(stack, consumer_choice, common, consumer_url)
                company, auth = await setup(http)
                watcher = await asyncpg.connect(consumer_url)
                stack.push_async_callback(watcher.close)
                warm = await post_import(
                    http, auth, await open_cohort(http, "Warm-up"), as_csv(rows(200, "warm")), False
                )
                await until_visible(watcher, warm["accepted"])
                measured = [
                    await measure(http, auth, watcher, intake_url, company, count, n) for n in range(runs)
                ]
                copy = await copy_floor(intake_url, company, await open_cohort(http, "Copy floor"), count)
            report(measured, count, copy, measured_with, fast_unsafe)
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=15)


def report(measured: list[Run], count: int, copy: float, measured_with: str, fast_unsafe: bool) -> None:
    def rate(seconds: list[float]) -> str:
        each = ", ".join(f"{count / s:,.0f}" for s in seconds)
        return f"{count / statistics.median(seconds):>7,.0f} rows/s (median; runs: {each})"

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"PostgreSQL fsync {'off' if fast_unsafe else 'on'}; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"consumer: {measured_with}")
    print(
        f"each run: {count:,} CSV rows, every one with an external_ref, in one HTTP request, into a new cohort"
    )
    print(f"dry run (validate only)              {rate([r.dry_s for r in measured])}")
    print(f"import answered, all accepted        {rate([r.accepted_s for r in measured])}")
    print(
        f"all visible in the consumer          {rate([r.visible_s for r in measured])}  <- end to end, target >= 2,000"
    )
    print(f"floor: pre-built events in the outbox -> consumer   {rate([r.floor_s for r in measured])}")
    print(f"floor: COPY of the participant + outbox rows         {copy:>7,.0f} rows/s")
    ratio = statistics.median(r.floor_s / r.visible_s for r in measured)
    print(f"end to end / outbox floor: {ratio:.2f} (median)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="imports measured; the median is reported")
    parser.add_argument("--consumer", choices=["auto", "matching", "standin"], default="auto")
    parser.add_argument("--fast-unsafe", action="store_true", help="PostgreSQL with fsync off")
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.runs, args.consumer, args.fast_unsafe))
