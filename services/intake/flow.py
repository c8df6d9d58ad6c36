"""Intake's flow in one screen: the one event it consumes (members' tokens, for their own data export);
every endpoint and command and its use case."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from services.intake.service_layer import cohorts, companies, export, imports, participants, vocabulary
from shared.events import Event, MemberTokenIssued
from shared.messaging.dispatch import Handler

EVENT_HANDLERS: Mapping[type[Event], Sequence[Handler]] = {
    MemberTokenIssued: [export.member_token_issued],
}

COMMANDS: Mapping[str, Callable[..., Any]] = {
    # staff: partner companies and their API keys
    "POST /v1/companies": companies.create_company,
    "GET /v1/companies": companies.list_companies,
    "GET /v1/companies/{company_id}": companies.get_company,
    "PATCH /v1/companies/{company_id}": companies.change_contact,
    "PUT /v1/companies/{company_id}/avoid-companies": companies.set_avoid_list,
    "POST /v1/companies/{company_id}/api-keys": companies.issue_key,
    "GET /v1/companies/{company_id}/api-keys": companies.list_keys,
    "DELETE /v1/companies/{company_id}/api-keys/{key_id}": companies.revoke_key,
    "GET /v1/companies/{company_id}/participants": participants.list_company_page,
    # staff open cohorts; staff and companies read them
    "POST /v1/cohorts": cohorts.create_cohort,
    "GET /v1/cohorts": cohorts.list_cohorts,
    "GET /v1/cohorts/{cohort_id}": cohorts.get_cohort,
    "PATCH /v1/cohorts/{cohort_id}": cohorts.change_cohort,
    "POST /v1/cohorts/{cohort_id}/closure": cohorts.close_cohort,
    # a company's own participants
    "POST /v1/participants": participants.register,
    "GET /v1/participants": participants.list_page,
    "GET /v1/participants/{participant_id}": participants.get,
    "PATCH /v1/participants/{participant_id}": participants.update,
    "POST /v1/participants/{participant_id}/withdrawal": participants.withdraw,
    # personal data: staff, or the person themself (their pair token)
    "GET /v1/participants/{participant_id}/export": export.export_participant,
    # bulk import: by the company, or by staff on its behalf
    "POST /v1/cohorts/{cohort_id}/imports": imports.import_file,
    "POST /v1/companies/{company_id}/cohorts/{cohort_id}/imports": imports.import_file,
    # public
    "GET /v1/vocabulary": vocabulary.vocabulary,
    # mentornet-intake: `import` drives the import endpoints over HTTP (a dry run, then the accepted rows)
    "cli import": imports.import_file,
    "cli template": vocabulary.template,
}
