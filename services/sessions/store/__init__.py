"""All of sessions' SQL, one module per table group: `store.pairs.pair(conn, pair_id)`."""

from services.sessions.store import companies, notes, pairs, participants, rebuild, sessions, tokens

__all__ = ["companies", "notes", "pairs", "participants", "rebuild", "sessions", "tokens"]
