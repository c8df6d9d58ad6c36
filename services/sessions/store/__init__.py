"""All of sessions' SQL, one module per table group: `store.pairs.pair(conn, pair_id)`."""

from services.sessions.store import (
    agreements,
    cohorts,
    companies,
    evaluations,
    notes,
    pairs,
    participants,
    rebuild,
    sessions,
    tokens,
)

__all__ = [
    "agreements",
    "cohorts",
    "companies",
    "evaluations",
    "notes",
    "pairs",
    "participants",
    "rebuild",
    "sessions",
    "tokens",
]
