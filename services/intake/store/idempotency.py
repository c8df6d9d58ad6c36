"""SQL for the answers remembered for retries (Idempotency-Key and external_ref)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

import asyncpg

Scope = Literal["header", "external_ref"]


@dataclass(frozen=True)
class Answer:
    """What the first call answered, and the fingerprint of what it asked."""

    request_hash: str
    participant_id: UUID
    status_code: int
    response: dict[str, Any] | None  # None: registered by an import, answer with the participant now


@dataclass(frozen=True)
class Claim:
    scope: Scope
    key: str
    request_hash: str
    participant_id: UUID
    status_code: int
    response: dict[str, Any] | None


def _answer(row: asyncpg.Record) -> Answer:
    return Answer(row["request_hash"], row["participant_id"], row["status_code"], row["response"])


async def claim(
    conn: asyncpg.Connection, company_id: UUID, claims: Sequence[Claim]
) -> dict[tuple[str, str], Answer]:
    """Record these answers unless their keys are taken; returns the earlier answers of taken keys.

    A key being claimed by a transaction still running makes this wait for it: concurrent retries
    are serialised by the primary key, and the later one sees the earlier one's answer.
    """
    if not claims:
        return {}
    inserted = await conn.fetch(
        """INSERT INTO idempotency_keys (company_id, scope, key, request_hash, participant_id, status_code, response)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::uuid[], $6::int[], $7::text[]::jsonb[])
           ON CONFLICT DO NOTHING RETURNING scope, key""",
        company_id,
        [c.scope for c in claims],
        [c.key for c in claims],
        [c.request_hash for c in claims],
        [c.participant_id for c in claims],
        [c.status_code for c in claims],
        [None if c.response is None else json.dumps(c.response) for c in claims],
    )
    won = {(row["scope"], row["key"]) for row in inserted}
    taken = [c for c in claims if (c.scope, c.key) not in won]
    if not taken:
        return {}
    rows = await conn.fetch(
        """SELECT i.* FROM idempotency_keys i
           JOIN unnest($2::text[], $3::text[]) AS t(scope, key) USING (scope, key)
           WHERE i.company_id = $1""",
        company_id,
        [c.scope for c in taken],
        [c.key for c in taken],
    )
    return {(row["scope"], row["key"]): _answer(row) for row in rows}


async def answers(
    conn: asyncpg.Connection, company_id: UUID, scope: Scope, keys: Iterable[str]
) -> dict[str, Answer]:
    rows = await conn.fetch(
        "SELECT * FROM idempotency_keys WHERE company_id = $1 AND scope = $2 AND key = ANY($3::text[])",
        company_id,
        scope,
        list(keys),
    )
    return {row["key"]: _answer(row) for row in rows}


async def release(conn: asyncpg.Connection, company_id: UUID, scope: Scope, keys: Sequence[str]) -> None:
    """Forget claims whose registration did not happen after all."""
    if keys:
        await conn.execute(
            "DELETE FROM idempotency_keys WHERE company_id = $1 AND scope = $2 AND key = ANY($3::text[])",
            company_id,
            scope,
            list(keys),
        )


async def prune(conn: asyncpg.Connection, older_than_s: float) -> tuple[int, int]:
    """Forget Idempotency-Key answers older than the window; keep external_ref claims (a company's own
    id for a person) but drop their stored answer, which is then answered from the participant.

    Returns (header records deleted, external_ref answers dropped)."""
    deleted = await conn.fetchval(
        """WITH gone AS (DELETE FROM idempotency_keys
                         WHERE scope = 'header' AND created_at < now() - make_interval(secs => $1)
                         RETURNING 1)
           SELECT count(*) FROM gone""",
        older_than_s,
    )
    dropped = await conn.fetchval(
        """WITH lean AS (UPDATE idempotency_keys SET response = NULL
                         WHERE scope = 'external_ref' AND response IS NOT NULL
                           AND created_at < now() - make_interval(secs => $1)
                         RETURNING 1)
           SELECT count(*) FROM lean""",
        older_than_s,
    )
    return int(deleted), int(dropped)
