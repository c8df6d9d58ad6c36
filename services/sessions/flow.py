"""Sessions' flow in one screen: each consumed event to its handlers, each endpoint to its use case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.sessions.service_layer import pairs, projection, sessions, tokens
from shared.events import (
    CompanyRegistered,
    Event,
    PairEnded,
    PairMatched,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
)
from shared.messaging.dispatch import Handler

EVENT_HANDLERS: dict[type[Event], list[Handler]] = {
    PairMatched: [projection.pair_matched],
    PairEnded: [projection.pair_ended],
    ParticipantRegistered: [projection.participant_named],
    ParticipantProfileUpdated: [projection.participant_named],
    ParticipantWithdrawn: [projection.participant_withdrawn],
    CompanyRegistered: [projection.company_registered],
}

COMMANDS: dict[str, Callable[..., Any]] = {
    "GET /v1/me": pairs.pair_view,
    "GET /v1/pairs": pairs.list_pairs,
    "GET /v1/pairs/{pair_id}": pairs.pair_view,
    "POST /v1/pairs/{pair_id}/tokens": tokens.issue_tokens,
    "POST /v1/pairs/{pair_id}/sessions": sessions.log_session,
    "GET /v1/pairs/{pair_id}/sessions": sessions.sessions_of_pair,
    "GET /v1/pairs/{pair_id}/sessions/{session_id}": sessions.session_history,
    "PUT /v1/pairs/{pair_id}/sessions/{session_id}": sessions.correct_session,
    "POST /v1/pairs/{pair_id}/sessions/{session_id}/retraction": sessions.retract_session,
}
