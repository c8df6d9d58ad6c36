"""All of matching's SQL: the projection of intake, cohort settings, runs, pins, exclusions, pairs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from asyncpg import Record  # noqa: E402 - a short name for the rows this module returns

from shared.events import ParticipantProfileUpdated, ParticipantRegistered, ParticipantWithdrawn

# --- the projection of intake ---------------------------------------------------------------


async def name_cohort(conn: asyncpg.Connection, cohort_id: UUID, name: str) -> None:
    await conn.execute(
        """INSERT INTO cohorts (cohort_id, name) VALUES ($1, $2)
           ON CONFLICT (cohort_id) DO UPDATE SET name = excluded.name""",
        cohort_id,
        name,
    )


async def name_company(conn: asyncpg.Connection, company_id: UUID, name: str) -> None:
    await conn.execute(
        """INSERT INTO companies (company_id, name) VALUES ($1, $2)
           ON CONFLICT (company_id) DO UPDATE SET name = excluded.name""",
        company_id,
        name,
    )


async def ensure_cohorts(conn: asyncpg.Connection, cohort_ids: Iterable[UUID]) -> None:
    await conn.execute(
        "INSERT INTO cohorts (cohort_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING", sorted(cohort_ids)
    )


async def keep_profiles(
    conn: asyncpg.Connection, events: Sequence[ParticipantRegistered | ParticipantProfileUpdated]
) -> None:
    """Store each profile unless a later one is already stored; a withdrawal stays a withdrawal."""
    await conn.executemany(
        """INSERT INTO participants
               (participant_id, cohort_id, company_id, role, display_name, profile, profile_as_of)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (participant_id) DO UPDATE SET
               cohort_id = excluded.cohort_id, company_id = excluded.company_id, role = excluded.role,
               display_name = excluded.display_name, profile = excluded.profile,
               profile_as_of = excluded.profile_as_of
           WHERE participants.profile_as_of IS NULL OR participants.profile_as_of <= excluded.profile_as_of""",
        [
            (
                event.participant_id,
                event.cohort_id,
                event.company_id,
                event.role,
                event.display_name,
                event.profile.model_dump(mode="json"),
                event.occurred_at,
            )
            for event in events
        ],
    )


async def mark_withdrawn(conn: asyncpg.Connection, event: ParticipantWithdrawn) -> None:
    await conn.execute(
        """INSERT INTO participants (participant_id, cohort_id, company_id, role, withdrawn)
           VALUES ($1, $2, $3, $4, true)
           ON CONFLICT (participant_id) DO UPDATE SET withdrawn = true""",
        event.participant_id,
        event.cohort_id,
        event.company_id,
        event.role,
    )


async def forget_pins_of(conn: asyncpg.Connection, participant_id: UUID) -> None:
    await conn.execute("DELETE FROM pins WHERE mentee_id = $1 OR mentor_id = $1", participant_id)


# --- cohorts and their participants ---------------------------------------------------------


async def lock_cohort(conn: asyncpg.Connection, cohort_id: UUID) -> None:
    """Serialise decisions that change a cohort's pairs (approve, end, withdraw) until commit."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", str(cohort_id))


async def cohort(conn: asyncpg.Connection, cohort_id: UUID) -> Record | None:
    return await conn.fetchrow("SELECT * FROM cohorts WHERE cohort_id = $1", cohort_id)


async def save_settings(
    conn: asyncpg.Connection, cohort_id: UUID, weights: dict[str, float], fairness: bool, industry: str
) -> Record:
    row = await conn.fetchrow(
        """UPDATE cohorts SET weights = $2, fairness = $3, industry_preference = $4, settings_updated_at = now()
           WHERE cohort_id = $1 RETURNING *""",
        cohort_id,
        weights,
        fairness,
        industry,
    )
    assert row is not None
    return row


async def participant(conn: asyncpg.Connection, participant_id: UUID) -> Record | None:
    return await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1", participant_id)


async def participants(conn: asyncpg.Connection, cohort_id: UUID) -> list[Record]:
    """Everyone of the cohort matching knows a profile for, withdrawn or not."""
    return await conn.fetch(
        """SELECT p.*, c.name AS company_name FROM participants p
           LEFT JOIN companies c ON c.company_id = p.company_id
           WHERE p.cohort_id = $1 AND p.profile IS NOT NULL ORDER BY p.profile_as_of, p.participant_id""",
        cohort_id,
    )


async def names(conn: asyncpg.Connection, ids: Sequence[UUID]) -> dict[UUID, str]:
    rows = await conn.fetch(
        "SELECT participant_id, display_name FROM participants WHERE participant_id = ANY($1::uuid[])",
        list(ids),
    )
    return {r["participant_id"]: r["display_name"] for r in rows}


# --- staff decisions ------------------------------------------------------------------------


async def pins(conn: asyncpg.Connection, cohort_id: UUID) -> list[Record]:
    return await conn.fetch("SELECT * FROM pins WHERE cohort_id = $1 ORDER BY created_at", cohort_id)


async def pin(conn: asyncpg.Connection, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> None:
    await conn.execute(
        """INSERT INTO pins (cohort_id, mentee_id, mentor_id) VALUES ($1, $2, $3)
           ON CONFLICT (cohort_id, mentee_id) DO UPDATE SET mentor_id = excluded.mentor_id, created_at = now()""",
        cohort_id,
        mentee_id,
        mentor_id,
    )


async def unpin(conn: asyncpg.Connection, cohort_id: UUID, mentee_id: UUID) -> bool:
    done = await conn.execute(
        "DELETE FROM pins WHERE cohort_id = $1 AND mentee_id = $2", cohort_id, mentee_id
    )
    return done != "DELETE 0"


async def exclusions(conn: asyncpg.Connection, cohort_id: UUID) -> list[Record]:
    return await conn.fetch("SELECT * FROM exclusions WHERE cohort_id = $1 ORDER BY created_at", cohort_id)


async def exclude(conn: asyncpg.Connection, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> None:
    await conn.execute(
        "INSERT INTO exclusions (cohort_id, mentee_id, mentor_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        cohort_id,
        mentee_id,
        mentor_id,
    )
    await conn.execute(
        "DELETE FROM pins WHERE cohort_id = $1 AND mentee_id = $2 AND mentor_id = $3",
        cohort_id,
        mentee_id,
        mentor_id,
    )


async def unexclude(conn: asyncpg.Connection, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> bool:
    done = await conn.execute(
        "DELETE FROM exclusions WHERE cohort_id = $1 AND mentee_id = $2 AND mentor_id = $3",
        cohort_id,
        mentee_id,
        mentor_id,
    )
    return done != "DELETE 0"


# --- runs -----------------------------------------------------------------------------------


async def add_run(
    conn: asyncpg.Connection, run: dict[str, Any], proposals: Sequence[tuple[Any, ...]]
) -> None:
    """Store a run and its proposals; older proposed runs of the cohort can no longer be approved."""
    await conn.execute(
        "UPDATE runs SET status = 'superseded' WHERE cohort_id = $1 AND status = 'proposed'", run["cohort_id"]
    )
    await conn.execute(
        """INSERT INTO runs (run_id, cohort_id, status, settings, objective, solver, unmatched, dropped_pins)
           VALUES ($1, $2, 'proposed', $3, $4, $5, $6, $7)""",
        run["run_id"],
        run["cohort_id"],
        run["settings"],
        run["objective"],
        run["solver"],
        run["unmatched"],
        run["dropped_pins"],
    )
    await conn.executemany(
        """INSERT INTO proposals (run_id, mentee_id, mentor_id, score, explanation, pinned)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        proposals,
    )


async def run(conn: asyncpg.Connection, run_id: UUID, *, for_update: bool = False) -> Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM runs WHERE run_id = $1{lock}", run_id)


async def runs(conn: asyncpg.Connection, cohort_id: UUID) -> list[Record]:
    return await conn.fetch(
        """SELECT run_id, cohort_id, status, created_at, approved_at, objective FROM runs
           WHERE cohort_id = $1 ORDER BY created_at DESC""",
        cohort_id,
    )


async def proposals(conn: asyncpg.Connection, run_id: UUID) -> list[Record]:
    return await conn.fetch(
        """SELECT pr.*, e.display_name AS mentee_name, m.display_name AS mentor_name,
                  e.company_id AS mentee_company_id, m.company_id AS mentor_company_id
           FROM proposals pr
           JOIN participants e ON e.participant_id = pr.mentee_id
           JOIN participants m ON m.participant_id = pr.mentor_id
           WHERE pr.run_id = $1 ORDER BY pr.score DESC, pr.mentee_id""",
        run_id,
    )


async def mark_approved(conn: asyncpg.Connection, run_id: UUID) -> None:
    await conn.execute("UPDATE runs SET status = 'approved', approved_at = now() WHERE run_id = $1", run_id)


# --- pairs ----------------------------------------------------------------------------------


async def add_pairs(conn: asyncpg.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    await conn.executemany(
        """INSERT INTO pairs (pair_id, cohort_id, run_id, mentee_id, mentor_id, mentee_company_id,
                              mentor_company_id, score, explanation)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        rows,
    )


async def pairs(conn: asyncpg.Connection, cohort_id: UUID, *, active_only: bool = False) -> list[Record]:
    active = " AND p.ended_on IS NULL" if active_only else ""
    return await conn.fetch(
        f"""SELECT p.*, e.display_name AS mentee_name, m.display_name AS mentor_name FROM pairs p
            LEFT JOIN participants e ON e.participant_id = p.mentee_id
            LEFT JOIN participants m ON m.participant_id = p.mentor_id
            WHERE p.cohort_id = $1{active} ORDER BY p.matched_at, p.mentee_id""",
        cohort_id,
    )


async def pairs_of_run(conn: asyncpg.Connection, run_id: UUID) -> list[Record]:
    return await conn.fetch("SELECT * FROM pairs WHERE run_id = $1 ORDER BY score DESC, mentee_id", run_id)


async def pair(conn: asyncpg.Connection, pair_id: UUID, *, for_update: bool = False) -> Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM pairs WHERE pair_id = $1{lock}", pair_id)


async def active_pairs_of(conn: asyncpg.Connection, participant_id: UUID) -> list[Record]:
    return await conn.fetch(
        "SELECT * FROM pairs WHERE (mentee_id = $1 OR mentor_id = $1) AND ended_on IS NULL", participant_id
    )


async def never_again(conn: asyncpg.Connection, cohort_id: UUID) -> list[Record]:
    """Pairs of this cohort's people that ended with "do not match again"."""
    return await conn.fetch(
        """SELECT DISTINCT p.mentee_id, p.mentor_id FROM pairs p
           JOIN participants e ON e.participant_id = p.mentee_id
           WHERE e.cohort_id = $1 AND p.do_not_rematch""",
        cohort_id,
    )


async def end_pair(
    conn: asyncpg.Connection, pair_id: UUID, ended_on: date, reason: str, do_not_rematch: bool
) -> Record:
    row = await conn.fetchrow(
        """UPDATE pairs SET ended_on = $2, end_reason = $3, do_not_rematch = $4
           WHERE pair_id = $1 RETURNING *""",
        pair_id,
        ended_on,
        reason,
        do_not_rematch,
    )
    assert row is not None
    return row
