"""Erasing 1,000 people in one request: the time intake answers, and until reporting has applied it.

The real intake and reporting apps (in this process, HTTP over ASGI) on an embedded PostgreSQL, key
vault and broker. Each run imports 2 × N people into a new cohort (their names sealed, one key each in
the vault), waits until reporting has them all, then erases N of them with one `POST /v1/erasures`:
intake scrubs their rows, writes N ParticipantErased and destroys N keys in the vault. "Applied" means
reporting has committed every ParticipantErased (its processed_events rows).

Floor in the same run, on the other N people: the same scrub as N plain UPDATEs in intake's database
(one transaction) plus N plain UPDATEs destroying their keys in the vault: no HTTP, no events.

    .venv/bin/python -m bench.erasure [--people 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from uuid import UUID

import asyncpg
import httpx
from fastapi import FastAPI

from bench.intake_bulk_import import ADMIN, ADMIN_TOKEN, as_csv, open_cohort, post_import, rows, setup
from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.reporting.app import create_app as create_reporting
from services.reporting.settings import ReportingSettings
from shared.embedded.scratch import scratch_infrastructure
from shared.logging import configure_logging

TIMEOUT_S = 300


@dataclass(frozen=True)
class Run:
    answered_s: float
    applied_s: float
    floor_s: float


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.state.runtime.running():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=TIMEOUT_S) as http:
            yield http


async def processed(url: str, event_type: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(
            await conn.fetchval("SELECT count(*) FROM processed_events WHERE event_type = $1", event_type)
        )
    finally:
        await conn.close()


async def until(url: str, event_type: str, wanted: int) -> float:
    deadline = time.perf_counter() + TIMEOUT_S
    while (seen := await processed(url, event_type)) < wanted:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"only {seen} of {wanted} {event_type} applied after {TIMEOUT_S}s")
        await asyncio.sleep(0.01)
    return time.perf_counter()


async def people_of(url: str, cohort: str) -> list[UUID]:
    conn = await asyncpg.connect(url)
    try:
        found = await conn.fetch(
            "SELECT participant_id FROM participants WHERE cohort_id = $1 ORDER BY seq", UUID(cohort)
        )
        return [row["participant_id"] for row in found]
    finally:
        await conn.close()


async def floor(intake_url: str, vault_url: str, ids: list[UUID]) -> float:
    """The same scrub and key destruction as plain UPDATEs, one per person, in each database."""
    intake, vault = await asyncpg.connect(intake_url), await asyncpg.connect(vault_url)
    try:
        started = time.perf_counter()
        async with intake.transaction():
            await intake.executemany(
                """UPDATE participants SET status = 'erased', name = 'erased', email = '', job_title = '',
                       themes_free_text = '', expectations = '', withdrawal_note = '', external_ref = NULL,
                       erased_at = now(), updated_at = now() WHERE participant_id = $1""",
                [(i,) for i in ids],
            )
        async with vault.transaction():
            await vault.executemany(
                "UPDATE vault_keys SET key = NULL, destroyed_at = now() WHERE subject = $1",
                [(i,) for i in ids],
            )
        return time.perf_counter() - started
    finally:
        await intake.close()
        await vault.close()


async def main(count: int, runs: int) -> None:
    configure_logging("console", "warning")
    with scratch_infrastructure("mentornet-bench-erasure-") as (postgres, kafka):
        common = {
            "kafka_bootstrap": kafka.bootstrap, "topic_prefix": "bench.", "session_timeout_ms": 1500,
            "heartbeat_interval_ms": 300, "log_level": "warning", "admin_token": ADMIN_TOKEN,
            "vault_database_url": await postgres.create_database("vault"),
        }  # fmt: skip
        intake_url = await postgres.create_database("intake")
        reporting_url = await postgres.create_database("reporting")
        intake = create_intake(IntakeSettings(database_url=intake_url, **common))  # type: ignore[arg-type]
        reporting = create_reporting(ReportingSettings(database_url=reporting_url, **common))  # type: ignore[arg-type]
        measured = []
        async with serving(intake) as http, reporting.state.runtime.running():
            company, auth = await setup(http)
            for run in range(runs):
                cohort = await open_cohort(http, f"Erasure bench {run}")
                imported = await post_import(http, auth, cohort, as_csv(rows(2 * count, f"e{run}")), False)
                assert imported["accepted"] == 2 * count, imported
                ids = await people_of(intake_url, cohort)
                await until(reporting_url, "ParticipantRegistered", 2 * count * (run + 1))
                erased, kept = ids[:count], ids[count:]
                started = time.perf_counter()
                answer = await http.post(
                    "/v1/erasures", json={"participant_ids": [str(i) for i in erased]}, headers=ADMIN
                )
                answered = time.perf_counter()
                assert answer.status_code == 200, answer.text
                assert answer.json() == {
                    "erased": count,
                    "already_erased": 0,
                    "not_found": [],
                    "keys": "destroyed",
                }
                applied = await until(reporting_url, "ParticipantErased", count * (run + 1))
                floor_s = await floor(intake_url, common["vault_database_url"], kept)
                measured.append(Run(answered - started, applied - started, floor_s))
    report(measured, count)


def report(measured: list[Run], count: int) -> None:
    def seconds(values: list[float]) -> str:
        each = ", ".join(f"{v * 1000:,.0f}" for v in values)
        return f"{statistics.median(values) * 1000:>7,.0f} ms (median; runs: {each})"

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(
        f"each run: {count:,} people erased in one POST /v1/erasures, of {2 * count:,} imported into a new cohort"
    )
    print(
        f"answered (intake scrubbed, events written, keys destroyed)  {seconds([r.answered_s for r in measured])}"
    )
    print(
        f"applied by reporting (every ParticipantErased committed)    {seconds([r.applied_s for r in measured])}"
    )
    print(
        f"floor: {count:,} plain UPDATEs in intake + {count:,} in the vault   {seconds([r.floor_s for r in measured])}"
    )
    ratio = statistics.median(r.floor_s / r.answered_s for r in measured)
    print(f"floor / answered: {ratio:.2f} (median)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3, help="erasures measured; the median is reported")
    args = parser.parse_args()
    asyncio.run(main(args.people, args.runs))
