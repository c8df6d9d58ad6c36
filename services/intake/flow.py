"""Intake's flow in one screen: the events it consumes (for its reminders, and members' tokens for their
own data export); every endpoint and command and its use case."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from services.intake.service_layer import (
    cohorts,
    companies,
    consent,
    erasure,
    export,
    imports,
    participants,
    reminder_projection,
    reminders,
    retention,
    vocabulary,
)
from shared.events import (
    AgreementRecorded,
    EvaluationOpened,
    EvaluationSubmitted,
    Event,
    MemberTokenIssued,
    PairEnded,
    PairMatched,
    SessionCorrected,
    SessionHeld,
    SessionRetracted,
)
from shared.messaging.dispatch import Handler

EVENT_HANDLERS: Mapping[type[Event], Sequence[Handler]] = {
    MemberTokenIssued: [export.member_token_issued],
    # what the reminder rules read (intake's own projection of pairs and sessions)
    PairMatched: [reminder_projection.pair_matched],
    PairEnded: [reminder_projection.pair_ended],
    SessionHeld: [reminder_projection.session_held],
    SessionCorrected: [reminder_projection.session_held],
    SessionRetracted: [reminder_projection.session_retracted],
    AgreementRecorded: [reminder_projection.agreement_recorded],
    EvaluationOpened: [reminder_projection.evaluation_opened],
    EvaluationSubmitted: [reminder_projection.evaluation_submitted],
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
    # consent texts: staff publish versions (da, en); anyone reads them
    "POST /v1/consent-texts": consent.publish_text,
    "GET /v1/consent-texts": consent.list_texts,
    "GET /v1/consent-texts/{version}": consent.get_text,
    # withdrawing consent erases the person: staff, their company, or the person themself (pair token)
    "POST /v1/participants/{participant_id}/consent/withdrawal": consent.withdraw_consent,
    # personal data: staff, or the person themself (their pair token)
    "GET /v1/participants/{participant_id}/export": export.export_participant,
    # staff erase people: intake scrubbed, ParticipantErased, the vault key destroyed
    "POST /v1/participants/{participant_id}/erasure": erasure.erase_one,
    "POST /v1/erasures": erasure.erase_many,
    # retention: a cohort closed more than MENTORNET_RETENTION_DAYS ago, anonymised in one step
    "GET /v1/cohorts/{cohort_id}/retention": retention.retention_of,
    "POST /v1/cohorts/{cohort_id}/anonymisation": retention.anonymise_cohort,
    # bulk import: by the company, or by staff on its behalf
    "POST /v1/cohorts/{cohort_id}/imports": imports.import_file,
    "POST /v1/companies/{company_id}/cohorts/{cohort_id}/imports": imports.import_file,
    # reminders: staff run them now and list them; a member opts out with a signed token
    "POST /v1/reminders/runs": reminders.run_now,
    "GET /v1/reminders": reminders.list_reminders,
    "GET /v1/reminders/opt-outs": reminders.list_opt_outs,
    "POST /v1/reminders/opt-out": reminders.opt_out,
    "POST /v1/reminders/opt-in": reminders.opt_in,
    "POST /v1/reminders/preference": reminders.preference,
    # public
    "GET /v1/vocabulary": vocabulary.vocabulary,
    # mentornet-intake: `import` drives the import endpoints over HTTP (a dry run, then the accepted rows)
    "cli import": imports.import_file,
    "cli template": vocabulary.template,
}
