"""Matching's flow in one table: each consumed event to its handlers, each endpoint and command to its use case."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from services.matching.service_layer import cohorts, export, offline, pairs, pins, projection, runs
from shared.events import (
    CohortOpened,
    CohortUpdated,
    CompanyRegistered,
    Event,
    MemberTokenIssued,
    ParticipantErased,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
)
from shared.messaging.dispatch import Handler

EVENT_HANDLERS: dict[type[Event], Sequence[Handler]] = {
    CohortOpened: [projection.name_cohort],
    CohortUpdated: [projection.name_cohort],
    CompanyRegistered: [projection.name_company],
    ParticipantRegistered: [projection.keep_profiles],
    ParticipantProfileUpdated: [projection.keep_profiles],
    ParticipantWithdrawn: [projection.withdraw],
    MemberTokenIssued: [export.member_token_issued],  # the only event of sessions' matching reads
    ParticipantErased: [projection.erase],
}

COMMANDS: dict[str, Callable[..., Any]] = {
    "GET /v1/cohorts/{cohort_id}": cohorts.get_cohort,
    "GET /v1/cohorts/{cohort_id}/settings": cohorts.get_settings,
    "PUT /v1/cohorts/{cohort_id}/settings": cohorts.save_settings,
    "POST /v1/cohorts/{cohort_id}/runs": runs.start_run,
    "GET /v1/cohorts/{cohort_id}/runs": runs.list_runs,
    "GET /v1/runs/{run_id}": runs.get_run,
    "POST /v1/runs/{run_id}/approve": runs.approve,
    "POST /v1/cohorts/{cohort_id}/pins": pins.add_pin,
    "DELETE /v1/cohorts/{cohort_id}/pins/{mentee_id}": pins.remove_pin,
    "POST /v1/cohorts/{cohort_id}/exclusions": pins.add_exclusion,
    "DELETE /v1/cohorts/{cohort_id}/exclusions/{mentee_id}/{mentor_id}": pins.lift_exclusion,
    "GET /v1/cohorts/{cohort_id}/pairs": pairs.list_pairs,
    "POST /v1/pairs/{pair_id}/end": pairs.end_pair,
    "GET /v1/participants/{participant_id}/export": export.export_participant,  # staff, or the person
    "cli matching-solve": offline.solve_instance,
}
