"""All of sessions' SQL, one module per table group: `store.pairs.pair(conn, pair_id)`."""

from services.sessions.store import notes, pairs, participants, sessions, tokens

__all__ = ["notes", "pairs", "participants", "sessions", "tokens"]
