"""Reporting's flow in one screen: each consumed event to its handlers, each endpoint to its use case."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from services.reporting.service_layer import export, projection, rebuild, sign_ins, year
from services.reporting.service_layer.reports import Reports
from shared.events import (
    AgreementRecorded,
    CohortClosed,
    CohortOpened,
    CohortUpdated,
    CompanyApiKeyIssued,
    CompanyApiKeyRevoked,
    CompanyRegistered,
    EvaluationOpened,
    EvaluationQuoteConsented,
    EvaluationQuoteWithdrawn,
    EvaluationSubmitted,
    Event,
    MemberTokenIssued,
    PairEnded,
    PairMatched,
    ParticipantErased,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
    SessionCorrected,
    SessionHeld,
    SessionRetracted,
)
from shared.messaging.dispatch import Handler

EVENT_HANDLERS: dict[type[Event], Sequence[Handler]] = {
    CohortOpened: [projection.state_cohorts],
    CohortUpdated: [projection.state_cohorts],
    CompanyRegistered: [projection.register_companies],
    CompanyApiKeyIssued: [projection.issue_keys],
    CompanyApiKeyRevoked: [projection.revoke_keys],
    ParticipantRegistered: [projection.record_profiles],
    ParticipantProfileUpdated: [projection.record_profiles],
    ParticipantWithdrawn: [projection.withdraw],
    ParticipantErased: [projection.erase],
    PairMatched: [projection.match_pairs],
    PairEnded: [projection.end_pairs],
    SessionHeld: [projection.record_sessions],
    SessionCorrected: [projection.record_sessions],
    SessionRetracted: [projection.retract_sessions],
    CohortClosed: [projection.close_cohorts],
    AgreementRecorded: [projection.state_agreements],
    EvaluationOpened: [projection.open_evaluations],
    EvaluationSubmitted: [projection.record_answers],
    EvaluationQuoteConsented: [projection.record_quotes],
    EvaluationQuoteWithdrawn: [projection.withdraw_quotes],
    MemberTokenIssued: [export.member_tokens_issued],
}

COMMANDS: dict[str, Callable[..., Any]] = {
    "GET /api/cohorts": Reports.cohorts,
    "POST /api/sign-in-codes": sign_ins.issue_code,  # a link's one-time hand-off (?code= on a page)
    "GET /api/programme/cohorts/{cohort_id}": Reports.programme,
    "GET /api/programme/cohorts/{cohort_id}/tables/{table}.csv": Reports.programme,
    "GET /api/company/cohorts/{cohort_id}": Reports.company,
    "GET /api/company/cohorts/{cohort_id}/tables/{table}.csv": Reports.company,
    "GET /api/programme/cohorts/{cohort_id}/year": year.staff_year,
    "GET /api/company/cohorts/{cohort_id}/year": year.company_year,
    "GET /api/participants/{participant_id}/export": export.export_participant,  # staff, or the person
    "GET /": Reports.cohorts,  # redirects to the cohort list
    "GET /dashboard": Reports.cohorts,
    "GET /dashboard/cohorts/{cohort_id}": Reports.for_viewer,
    "GET /dashboard/login": sign_ins.open_session,  # the form that signs in
    "POST /dashboard/login": sign_ins.open_session,
    "POST /dashboard/logout": sign_ins.close_session,
    "cli rebuild": rebuild.rebuild,  # POST /api/rebuild: the shared operations endpoint (shared/http)
}
