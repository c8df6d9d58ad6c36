"""Bulk import: validate every row, then register the accepted ones in batched transactions.

Rejected rows change nothing. Accepted rows are written a batch at a time (participants, retry
records and outbox events together), so a batch is all in or all out and the relay can start
publishing the first batch while the next one is written.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from services.intake.domain import importing
from services.intake.domain import participant as domain
from services.intake.domain.errors import NotFound
from services.intake.domain.importing import Prior, RowResult, Screening, SourceRow
from services.intake.domain.participant import Participant
from services.intake.domain.registration import Registration
from services.intake.service_layer.clock import now, today
from services.intake.store import cohorts, companies, idempotency
from services.intake.store import participants as store
from services.intake.store.idempotency import Claim
from shared.events import ParticipantRegistered
from shared.messaging import outbox


@dataclass(frozen=True)
class ImportLimits:
    max_rows: int
    batch_size: int
    timezone: str


async def import_file(
    pool: asyncpg.Pool,
    company_id: UUID,
    cohort_id: UUID,
    data: bytes,
    content_type: str,
    dry_run: bool,
    limits: ImportLimits,
) -> dict[str, Any]:
    """The report of an import: one result per row, in file order."""
    fmt = importing.format_of(content_type)
    async with pool.acquire() as conn:
        cohort = await cohorts.get_cohort(conn, cohort_id)
    if cohort is None:
        raise NotFound("cohort_not_found", f"no cohort {cohort_id}")
    cohort.ensure_open(today(limits.timezone))
    rows, checked = await asyncio.to_thread(_parse_and_check, data, fmt, cohort_id, limits.max_rows)
    valid = [c.registration for c in checked if c.registration is not None]
    async with pool.acquire() as conn:
        known = await companies.existing_companies(conn, {c for r in valid for c in r.avoid_company_ids})
        refs = [r.external_ref for r in valid if r.external_ref is not None]
        earlier = await idempotency.answers(conn, company_id, "external_ref", refs)
        taken = await store.taken_emails(conn, cohort_id, {r.email.lower() for r in valid})
    priors = {ref: Prior(a.request_hash, a.participant_id) for ref, a in earlier.items()}
    screening = importing.screen(checked, company_id, known, priors, taken)
    if not dry_run:
        for start in range(0, len(screening.to_register), limits.batch_size):
            batch = screening.to_register[start : start + limits.batch_size]
            await _register_batch(pool, company_id, batch, screening)
    return _report(cohort_id, fmt, dry_run, rows, screening)


def _parse_and_check(
    data: bytes, fmt: importing.Format, cohort_id: UUID, max_rows: int
) -> tuple[list[SourceRow], list[importing.Checked]]:
    """The CPU-bound part, off the event loop so the service keeps answering meanwhile."""
    rows = importing.parse(data, fmt, max_rows)
    return rows, importing.check(rows, cohort_id)


async def _register_batch(
    pool: asyncpg.Pool, company_id: UUID, batch: list[tuple[SourceRow, Registration]], screening: Screening
) -> None:
    """One transaction for the batch; rows that lost a race meanwhile are reported, not written."""
    at = now()
    made: list[tuple[SourceRow, Registration, Participant, ParticipantRegistered]] = [
        (source, registration, *domain.register(registration, company_id, uuid4(), at))
        for source, registration in batch
    ]
    claims = {
        registration.external_ref: Claim(
            "external_ref",
            registration.external_ref,
            registration.fingerprint(),
            participant.participant_id,
            201,
            domain.view(participant),
        )
        for _, registration, participant, _ in made
        if registration.external_ref is not None
    }
    results: dict[int, RowResult] = {}
    async with pool.acquire() as conn, conn.transaction():
        earlier = await idempotency.claim(conn, company_id, list(claims.values()))
        fresh = []
        for source, registration, participant, event in made:
            ref = registration.external_ref
            answer = earlier.get(("external_ref", ref)) if ref is not None else None
            if answer is None:
                fresh.append((source, registration, participant, event))
            elif answer.request_hash == registration.fingerprint():
                results[source.row] = RowResult(
                    source.row, "accepted", source.line, ref, answer.participant_id, True
                )
            else:
                problem = importing.external_ref_conflict(str(ref), answer.participant_id)
                results[source.row] = RowResult(source.row, "rejected", source.line, ref, errors=(problem,))
        inserted = await store.insert_participants(conn, [p for _, _, p, _ in fresh])
        lost = [
            (source, registration) for source, registration, p, _ in fresh if p.participant_id not in inserted
        ]
        await idempotency.release(
            conn, company_id, "external_ref", [r.external_ref for _, r in lost if r.external_ref]
        )
        await outbox.append(conn, [event for _, _, p, event in fresh if p.participant_id in inserted])
    for source, registration, participant, _ in fresh:
        ref = registration.external_ref
        if participant.participant_id in inserted:
            results[source.row] = RowResult(
                source.row, "accepted", source.line, ref, participant.participant_id
            )
        else:
            errors = (importing.duplicate_email(),)
            results[source.row] = RowResult(source.row, "rejected", source.line, ref, errors=errors)
    screening.results.update(results)


def _report(
    cohort_id: UUID, fmt: str, dry_run: bool, rows: list[SourceRow], screening: Screening
) -> dict[str, Any]:
    """Rows screened as acceptable but not written (a dry run) are reported as they would be."""
    would_accept = {source.row: registration for source, registration in screening.to_register}
    results = []
    for source in rows:
        result = screening.results.get(source.row)
        if result is None:
            result = RowResult(source.row, "accepted", source.line, would_accept[source.row].external_ref)
        results.append(_row(result))
    accepted = sum(1 for r in results if r["status"] == "accepted")
    return {
        "cohort_id": str(cohort_id),
        "format": fmt,
        "dry_run": dry_run,
        "rows": len(results),
        "accepted": accepted,
        "rejected": len(results) - accepted,
        "replayed": sum(1 for r in results if r["replayed"]),
        "results": results,
    }


def _row(result: RowResult) -> dict[str, Any]:
    return {
        "row": result.row,
        "line": result.line,
        "status": result.status,
        "external_ref": result.external_ref,
        "participant_id": str(result.participant_id) if result.participant_id else None,
        "replayed": result.replayed,
        "errors": [
            {"field": ".".join(map(str, e.loc)), "message": e.msg, "type": e.type} for e in result.errors
        ],
    }
