"""Reporting at programme scale: catch-up speed of its projections, time to compute and render each
view, and time to rebuild everything from the topics.

A synthetic cohort (default 40 companies, 2,000 mentees, 1,400 mentors, 1,900 pairs, about 8 sessions
per pair with corrections and retractions, some pairs ended) is published straight onto the topics the
way the outbox relays would, to an embedded broker, and consumed by the real reporting service.

    .venv/bin/python -m bench.reporting_dashboard [--mentees 2000] [--sessions-per-pair 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import httpx
from aiokafka import AIOKafkaProducer

from services.reporting.app import create_app, project
from services.reporting.service_layer.rebuild import rebuild
from services.reporting.settings import ReportingSettings
from shared.embedded.scratch import scratch_infrastructure
from shared.events import (
    CohortOpened,
    CompanyApiKeyIssued,
    CompanyRegistered,
    Event,
    PairEnded,
    PairMatched,
    ParticipantProfile,
    ParticipantRegistered,
    SessionCorrected,
    SessionHeld,
    SessionRetracted,
    encode,
)
from shared.events.registry import headers_for
from shared.http.auth import hash_key
from shared.logging import configure_logging
from shared.topics import topic_of

TODAY = date(2027, 11, 15)
TOOLS = ("coaching", "supervision", "instruction", "advice", "sharing_experience")
ADMIN = "bench-admin"


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, clock(hour), tzinfo=UTC)


def programme(companies: int, mentees: int, sessions_per_pair: int) -> tuple[uuid.UUID, str, list[Event]]:
    """One cohort's whole year of events; returns (cohort id, a company key, events)."""
    rng = random.Random(2027)
    cohort = uuid.uuid4()
    company_ids = [uuid.uuid4() for _ in range(companies)]
    key = "mn_bench-company-0"
    events: list[Event] = [
        CohortOpened(
            cohort_id=cohort,
            name="2027",
            intake_opens_on=date(2027, 1, 4),
            intake_closes_on=date(2027, 2, 15),
        )
    ]
    for i, company in enumerate(company_ids):
        events.append(CompanyRegistered(company_id=company, name=f"Company {i:02d}", hr_contact_name=f"HR {i}",
                                        hr_contact_email=f"hr@c{i}.example"))  # fmt: skip
        events.append(CompanyApiKeyIssued(company_id=company, key_id=uuid.uuid4(), key_hash=hash_key(f"mn_bench-company-{i}")))  # fmt: skip
    profile = ParticipantProfile(leadership_level=3, years_experience=10, industry="energy", function="ops",
                                 languages=("da",), region="Hovedstaden", meeting_preference="either")  # fmt: skip

    def register(role: str, n: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
        people = []
        for j in range(n):
            person, company = uuid.uuid4(), rng.choice(company_ids)
            events.append(ParticipantRegistered(participant_id=person, company_id=company, cohort_id=cohort, role=role,
                                                display_name=f"{role} {j}", profile=profile))  # fmt: skip
            people.append((person, company))
        return people

    mentee_list = register("mentee", mentees)
    mentor_list = register("mentor", int(mentees * 0.7))
    for n, (mentee, mentee_company) in enumerate(mentee_list[: int(mentees * 0.95)]):
        mentor, mentor_company = rng.choice(
            [m for m in rng.sample(mentor_list, 5) if m[1] != mentee_company] or mentor_list[:1]
        )
        pair, matched = uuid.uuid4(), date(2027, 2, 1) + timedelta(days=rng.randrange(60))
        events.append(PairMatched(pair_id=pair, cohort_id=cohort, mentee_id=mentee, mentor_id=mentor,
                                  mentee_company_id=mentee_company, mentor_company_id=mentor_company, score=0.7,
                                  occurred_at=at(matched)))  # fmt: skip
        day = matched
        for _ in range(rng.randrange(sessions_per_pair * 2 + 1)):
            day += timedelta(days=rng.randrange(20, 40))
            if day >= TODAY:
                break
            session = uuid.uuid4()
            fields = dict(session_id=session, pair_id=pair, cohort_id=cohort, held_on=day, started_at=at(day, 16),
                          duration_minutes=rng.choice((60, 90, 120)), format=rng.choice(("in_person", "online")),
                          tools=tuple(rng.sample(TOOLS, rng.randrange(1, 3))), logged_by="mentee")  # fmt: skip
            events.append(SessionHeld(**fields, version=1, occurred_at=at(day, 18)))
            if rng.random() < 0.05:
                events.append(
                    SessionCorrected(**{**fields, "duration_minutes": 75}, version=2, occurred_at=at(day, 20))
                )
            elif rng.random() < 0.02:
                events.append(SessionRetracted(session_id=session, pair_id=pair, cohort_id=cohort, reason="duplicate",
                                               version=2, occurred_at=at(day, 20)))  # fmt: skip
        if n % 25 == 0:
            events.append(PairEnded(pair_id=pair, cohort_id=cohort, mentee_id=mentee, mentor_id=mentor,
                                    ended_on=day, reason=rng.choice(("moved", "role changed", "no chemistry")),
                                    occurred_at=at(day, 21)))  # fmt: skip
    return cohort, key, events


async def publish(settings: ReportingSettings, events: list[Event]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", linger_ms=5,
                                max_batch_size=256 * 1024)  # fmt: skip
    await producer.start()
    try:
        for e in events:
            await producer.send(settings.topic(topic_of(e).base_name), encode(e), key=e.key.encode(),
                                headers=headers_for(e.event_type, e.schema_version))  # fmt: skip
        await producer.flush()
    finally:
        await producer.stop()


async def median_ms(work: Callable[[], Awaitable[object]], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def main(companies: int, mentees: int, sessions_per_pair: int) -> None:
    configure_logging("console", "warning")
    with scratch_infrastructure("mentornet-bench-") as (postgres, kafka):
        settings = ReportingSettings(
            database_url=await postgres.create_database("bench_reporting"), kafka_bootstrap=kafka.bootstrap,
            vault_database_url=await postgres.create_database("bench_vault"),
            topic_prefix="bench.", session_timeout_ms=1500, heartbeat_interval_ms=300, log_level="warning",
            admin_token=ADMIN, rebuild_idle_ms=500,
        )  # fmt: skip
        cohort, key, events = programme(companies, mentees, sessions_per_pair)
        kinds: dict[str, int] = {}
        for e in events:
            kinds[e.event_type] = kinds.get(e.event_type, 0) + 1
        app = create_app(settings, today=lambda: TODAY)
        runtime = app.state.runtime
        async with runtime.running():
            started = time.perf_counter()
            await publish(settings, events)
            while True:
                async with runtime.pool.acquire() as conn:
                    if await conn.fetchval("SELECT count(*) FROM processed_events") == len(events):
                        break
                await asyncio.sleep(0.05)
            incremental = time.perf_counter() - started
            staff, company = {"Authorization": f"Bearer {ADMIN}"}, {"Authorization": f"Bearer {key}"}
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench"
            ) as client:
                timings = {
                    "staff report, computed (load + figures)": await median_ms(lambda: app.state.reports.programme(cohort)),
                    "staff report, JSON over HTTP": await median_ms(lambda: client.get(f"/api/programme/cohorts/{cohort}", headers=staff)),
                    "staff dashboard, HTML page": await median_ms(lambda: client.get(f"/dashboard/cohorts/{cohort}", headers=staff)),
                    "staff at-risk table, CSV": await median_ms(lambda: client.get(f"/api/programme/cohorts/{cohort}/tables/at_risk.csv", headers=staff)),
                    "company report, JSON over HTTP": await median_ms(lambda: client.get(f"/api/company/cohorts/{cohort}", headers=company)),
                    "company dashboard, HTML page": await median_ms(lambda: client.get(f"/dashboard/cohorts/{cohort}", headers=company)),
                }  # fmt: skip
                page = await client.get(f"/dashboard/cohorts/{cohort}", headers=staff)
                report = (await client.get(f"/api/programme/cohorts/{cohort}", headers=staff)).json()
            result = await rebuild(runtime.pool, settings, runtime.producer, project)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"events: {len(events):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(kinds.items()))})")
        print(
            f"incremental catch-up (publish -> all applied): {incremental:6.2f} s  {len(events) / incremental:>9,.0f} events/s"
        )
        print(
            f"rebuild (empty + replay all topics):           {result.seconds:6.2f} s  {result.applied / result.seconds:>9,.0f} events/s"
        )
        for label, ms in timings.items():
            print(f"{label + ':':<48}{ms:8.1f} ms (median of 5)")
        at_risk = len(report["tables"]["at_risk"]["rows"])
        print(
            f"staff dashboard page size: {len(page.content) / 1024:,.0f} KiB ({at_risk:,} pairs at risk listed)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=40)
    parser.add_argument("--mentees", type=int, default=2_000)
    parser.add_argument("--sessions-per-pair", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(main(args.companies, args.mentees, args.sessions_per_pair))
