"""Bulk import: each batch of rows is checked, screened and registered in one transaction.

Rejected rows change nothing. A batch's participants, retry records and outbox events are written
together, so a batch is all in or all out, and the relay publishes the first batch while the next
one is being checked. Duplicates are found across the whole file: what earlier batches accepted is
remembered while screening the later ones.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import structlog

from services.intake.domain import importing
from services.intake.domain import participant as domain
from services.intake.domain.consent import unknown_version
from services.intake.domain.errors import (
    cohort_not_found,
    company_not_found,
    duplicate_email_problem,
    external_ref_conflict_problem,
)
from services.intake.domain.importing import Checked, Prior, RowResult, Screening, Seen, SourceRow
from services.intake.domain.registration import Registration
from services.intake.service_layer import consent
from services.intake.service_layer.clock import now, today
from services.intake.store import cohorts, companies, idempotency
from services.intake.store import participants as store
from services.intake.store.idempotency import Claim
from shared.messaging import outbox
from shared.privacy.sealing import seal_events
from shared.privacy.vault import Vault

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ImportLimits:
    max_rows: int
    batch_size: int
    timezone: str


async def import_file(
    pool: asyncpg.Pool,
    vault: Vault,
    company_id: UUID,
    cohort_id: UUID,
    data: bytes,
    content_type: str,
    dry_run: bool,
    limits: ImportLimits,
) -> dict[str, Any]:
    """The report of an import: one result per row, in file order.

    Staff import on a company's behalf, for a company named in the path: it must exist (404)."""
    started = time.monotonic()
    async with pool.acquire() as conn:
        if await companies.get_company(conn, company_id) is None:
            raise company_not_found(company_id)
        fmt = importing.format_of(content_type)
        cohort = await cohorts.get_cohort(conn, cohort_id)
    if cohort is None:
        raise cohort_not_found(cohort_id)
    cohort.ensure_open(today(limits.timezone))
    rows = await asyncio.to_thread(importing.parse, data, fmt, limits.max_rows)
    seen, results, would_accept = Seen(), dict[int, RowResult](), dict[int, str | None]()
    batches = [rows[start : start + limits.batch_size] for start in range(0, len(rows), limits.batch_size)]

    def checking(index: int) -> asyncio.Future[list[Checked]]:
        """Check a batch in a thread: the event loop keeps serving, and the next batch is checked
        while this one waits on the database."""
        return asyncio.ensure_future(asyncio.to_thread(importing.check, batches[index], cohort_id))

    pending = checking(0) if batches else None
    try:
        for index in range(len(batches)):
            assert pending is not None
            checked = await pending
            pending = checking(index + 1) if index + 1 < len(batches) else None
            screening = await _screen(pool, company_id, cohort_id, checked, seen, limits.timezone)
            results.update(screening.results)
            if dry_run:
                would_accept.update((source.row, r.external_ref) for source, r in screening.to_register)
            else:
                await _register_batch(
                    pool, vault, company_id, screening.to_register, results, limits.timezone
                )
    finally:
        if pending is not None:
            pending.cancel()
    report = _report(cohort_id, fmt, dry_run, rows, results, would_accept)
    log.info(
        "import done",
        company_id=str(company_id),
        cohort_id=str(cohort_id),
        dry_run=dry_run,
        rows=report["rows"],
        accepted=report["accepted"],
        rejected=report["rejected"],
        replayed=report["replayed"],
        seconds=round(time.monotonic() - started, 3),
    )
    return report


async def _screen(
    pool: asyncpg.Pool, company_id: UUID, cohort_id: UUID, checked: list[Checked], seen: Seen, timezone: str
) -> Screening:
    """Look up what the batch's rows refer to, then decide each row (a consent text version the row
    names must exist)."""
    valid = [c.registration for c in checked if c.registration is not None]
    async with pool.acquire() as conn:
        versions = (await consent.versions(conn, timezone)).known
    unknown = {r.consent_text_version for r in valid if r.consent_text_version} - versions
    if unknown:
        checked = [
            Checked(c.source, None, (unknown_version(c.registration.consent_text_version, ()),))
            if c.registration is not None and c.registration.consent_text_version in unknown
            else c
            for c in checked
        ]
        valid = [c.registration for c in checked if c.registration is not None]
    async with pool.acquire() as conn:
        known = await companies.existing_companies(conn, {c for r in valid for c in r.avoid_company_ids})
        refs = [r.external_ref for r in valid if r.external_ref is not None]
        earlier = await idempotency.answers(conn, company_id, "external_ref", refs)
        taken = await store.taken_emails(conn, cohort_id, {r.email.lower() for r in valid})
    priors = {ref: Prior(a.request_hash, a.participant_id) for ref, a in earlier.items()}
    return importing.screen(checked, company_id, known, priors, taken, seen)


async def _register_batch(
    pool: asyncpg.Pool,
    vault: Vault,
    company_id: UUID,
    batch: list[tuple[SourceRow, Registration]],
    results: dict[int, RowResult],
    timezone: str,
) -> None:
    """One transaction for the batch; rows that lost a race meanwhile are reported, not written.

    A row that names no consent text version gets the one in force; claims keep the row's own
    fingerprint, so the same file imported again after a new version is a replay, not a conflict."""
    at = now()
    async with pool.acquire() as conn, conn.transaction():
        company_avoid = await companies.company_avoid_list(conn, company_id)
        versions = await consent.versions(conn, timezone)
        sent = {}
        made = []
        for source, registration in batch:
            participant, event = domain.register(
                versions.apply(registration), company_id, uuid4(), at, company_avoid
            )
            sent[participant.participant_id] = registration.fingerprint()
            made.append((source, participant, event))
        claims = [
            Claim(
                "external_ref",
                p.registration.external_ref,
                sent[p.participant_id],
                p.participant_id,
                201,
                None,
            )
            for _, p, _ in made
            if p.registration.external_ref is not None
        ]
        earlier = await idempotency.claim(conn, company_id, claims)
        fresh = []
        for source, participant, event in made:
            ref = participant.registration.external_ref
            answer = earlier.get(("external_ref", ref)) if ref is not None else None
            if answer is None:
                fresh.append((source, participant, event))
            elif answer.request_hash == sent[participant.participant_id]:
                results[source.row] = RowResult(
                    source.row, "accepted", source.line, ref, answer.participant_id, True
                )
            else:
                problem = external_ref_conflict_problem(str(ref), answer.participant_id)
                results[source.row] = RowResult(source.row, "rejected", source.line, ref, errors=(problem,))
        inserted = await store.insert_participants(conn, [p for _, p, _ in fresh])
        lost = [p.registration.external_ref for _, p, _ in fresh if p.participant_id not in inserted]
        await idempotency.release(conn, company_id, "external_ref", [ref for ref in lost if ref is not None])
        published = [event for _, p, event in fresh if p.participant_id in inserted]
        await outbox.append(conn, await seal_events(vault, published))
    for source, participant, _ in fresh:
        ref = participant.registration.external_ref
        if participant.participant_id in inserted:
            results[source.row] = RowResult(
                source.row, "accepted", source.line, ref, participant.participant_id
            )
        else:
            errors = (duplicate_email_problem(),)
            results[source.row] = RowResult(source.row, "rejected", source.line, ref, errors=errors)


def _report(
    cohort_id: UUID,
    fmt: str,
    dry_run: bool,
    rows: list[SourceRow],
    results: dict[int, RowResult],
    would_accept: dict[int, str | None],
) -> dict[str, Any]:
    """Rows screened as acceptable but not written (a dry run) are reported as they would be."""
    reported = []
    for source in rows:
        result = results.get(source.row) or RowResult(
            source.row, "accepted", source.line, would_accept[source.row]
        )
        reported.append(_row(result))
    accepted = sum(1 for r in reported if r["status"] == "accepted")
    return {
        "cohort_id": str(cohort_id),
        "format": fmt,
        "dry_run": dry_run,
        "rows": len(reported),
        "accepted": accepted,
        "rejected": len(reported) - accepted,
        "replayed": sum(1 for r in reported if r["replayed"]),
        "results": reported,
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
