"""Sessions' flow in one screen: each consumed event to its handlers, each endpoint to its use case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.sessions.service_layer import (
    agreements,
    evaluations,
    export,
    pairs,
    projection,
    sessions,
    tokens,
)
from shared.events import (
    CohortClosed,
    CohortOpened,
    CohortUpdated,
    CompanyRegistered,
    Event,
    PairEnded,
    PairMatched,
    ParticipantErased,
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
    CohortOpened: [projection.cohort_stated],
    CohortUpdated: [projection.cohort_stated],
    CohortClosed: [projection.cohort_closed],
    ParticipantErased: [projection.participant_erased],
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
    # the programme year: a pair's agreement, evaluations (members answer, staff open and read)
    "PUT /v1/pairs/{pair_id}/agreement": agreements.record_agreement,
    "POST /v1/pairs/{pair_id}/agreement/confirmation": agreements.confirm_agreement,
    "GET /v1/pairs/{pair_id}/agreement": agreements.agreement_of,
    "GET /v1/cohorts/{cohort_id}/agreements": agreements.agreements_of_cohort,
    "POST /v1/cohorts/{cohort_id}/evaluations": evaluations.open_evaluation,
    "GET /v1/cohorts/{cohort_id}/evaluations": evaluations.evaluations_of_cohort,
    "GET /v1/cohorts/{cohort_id}/quotes": evaluations.quotes_of_cohort,
    "GET /v1/pairs/{pair_id}/evaluations": evaluations.evaluations_of_pair,
    "POST /v1/pairs/{pair_id}/evaluations/{evaluation_id}/answer": evaluations.answer_evaluation,
    "DELETE /v1/pairs/{pair_id}/evaluations/{evaluation_id}/quote-consent": evaluations.withdraw_quote_consent,
    "GET /v1/participants/{participant_id}/export": export.export_participant,  # staff, or the person
}
