"""The web app's flow in one screen: it consumes no events; every page and form and its use case.

Every page reads and writes through the four services' HTTP APIs (store/intake.py, matching.py,
sessions.py, reporting.py); the web app's own database holds only sign-in sessions and uploads, until
they expire (service_layer/housekeeping.py deletes them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from services.web.service_layer import (
    company,
    home,
    language,
    pair,
    pair_year,
    people,
    reminders,
    retention,
    rights,
    signin,
    staff,
    staff_cohorts,
    staff_companies,
    staff_erasure,
    staff_matching,
    staff_pairs,
    staff_participants,
    staff_year,
    uploads,
)
from shared.events import Event
from shared.messaging.dispatch import Handler

EVENT_HANDLERS: Mapping[type[Event], Sequence[Handler]] = {}

COMMANDS: Mapping[str, Callable[..., Any]] = {
    # everyone: start, sign in and out, language
    "GET /": home.start,
    "GET /sign-in": signin.sign_in_form,
    "POST /sign-in": signin.sign_in,
    "POST /sign-out": signin.sign_out,
    "POST /language": language.choose_language,
    # programme staff
    "GET /staff": staff.staff_home,
    "GET /staff/dashboard": staff.dashboard_link,  # to reporting's dashboard, signed in by a one-time code
    "GET /staff/companies": staff_companies.list_companies,
    "POST /staff/companies": staff_companies.create_company,
    "GET /staff/companies/{company_id}": staff_companies.company_page,
    "POST /staff/companies/{company_id}/contact": staff_companies.change_contact,
    "POST /staff/companies/{company_id}/avoid-companies": staff_companies.set_avoid_companies,
    "POST /staff/companies/{company_id}/api-keys": staff_companies.issue_key,
    "POST /staff/companies/{company_id}/api-keys/{key_id}/revoke": staff_companies.revoke_key,
    "GET /staff/cohorts": staff_cohorts.list_cohorts,
    "POST /staff/cohorts": staff_cohorts.create_cohort,
    "GET /staff/cohorts/{cohort_id}": staff_cohorts.cohort_page,
    "POST /staff/cohorts/{cohort_id}/window": staff_cohorts.change_window,
    "POST /staff/cohorts/{cohort_id}/settings": staff_cohorts.save_settings,
    "GET /staff/participants": staff_participants.participants,
    "GET /staff/participants/{participant_id}": rights.staff_person,
    "GET /staff/participants/{participant_id}/export.zip": rights.staff_export,
    "GET /staff/cohorts/{cohort_id}/retention": retention.retention_page,
    "POST /staff/cohorts/{cohort_id}/anonymisation": retention.anonymise,
    "GET /staff/participants/{participant_id}/erasure": staff_erasure.erasure_page,
    "POST /staff/participants/{participant_id}/erasure": staff_erasure.erase,
    # matching: run, review, pin and exclude, run again, approve
    "POST /staff/cohorts/{cohort_id}/runs": staff_matching.start_run,
    "GET /staff/runs/{run_id}": staff_matching.run_review,
    "GET /staff/runs/{run_id}/pin": staff_matching.pin_form,
    "POST /staff/cohorts/{cohort_id}/pins": staff_matching.pin,
    "POST /staff/cohorts/{cohort_id}/pins/remove": staff_matching.unpin,
    "POST /staff/cohorts/{cohort_id}/exclusions": staff_matching.exclude,
    "POST /staff/cohorts/{cohort_id}/exclusions/{mentee_id}/{mentor_id}/remove": staff_matching.unexclude,
    "POST /staff/runs/{run_id}/approve": staff_matching.approve,
    # pairs: end early, re-match, the members' personal links
    "GET /staff/cohorts/{cohort_id}/pairs": staff_pairs.pairs_page,
    "GET /staff/cohorts/{cohort_id}/pairs/{pair_id}": staff_pairs.pair_page,
    "POST /staff/cohorts/{cohort_id}/pairs/{pair_id}/end": staff_pairs.end_pair,
    "POST /staff/cohorts/{cohort_id}/pairs/{pair_id}/links": staff_pairs.issue_links,
    # the programme year: timeline, closing, evaluations and their results (entrypoints/http/staff_year.py)
    "GET /staff/cohorts/{cohort_id}/year": staff_year.year_page,
    "POST /staff/cohorts/{cohort_id}/year/timeline": staff_year.set_timeline,
    "POST /staff/cohorts/{cohort_id}/year/closure": staff_year.close_cohort,
    "POST /staff/cohorts/{cohort_id}/year/evaluations": staff_year.open_evaluation,
    # reminder mails: staff's list; a member's choice from a mail's link or the pair page
    "GET /staff/reminders": reminders.staff_page,
    "GET /reminders/opt-out": reminders.link_page,
    "POST /reminders/opt-out": reminders.choose_by_link,
    "GET /pair/{pair_id}/reminders": reminders.pair_page,
    "POST /pair/{pair_id}/reminders": reminders.choose_on_pair_page,
    # a partner company's HR contact
    "GET /company": company.company_home,
    # a partner company's HR contact: its own people, uploads and dashboard (entrypoints/http/people.py)
    "GET /company/people": people.list_people,
    "GET /company/people/new": people.choices,
    "POST /company/people": people.register,
    "GET /company/people/{participant_id}": people.person,
    "POST /company/people/{participant_id}": people.change,
    "POST /company/people/{participant_id}/withdrawal": people.withdraw,
    "GET /company/people/{participant_id}/consent-withdrawal": rights.company_person,
    "POST /company/people/{participant_id}/consent-withdrawal": rights.company_withdraw_consent,
    "GET /company/uploads/new": people.choices,
    "POST /company/uploads": uploads.check,
    "GET /company/uploads/{upload_id}": uploads.upload,
    "GET /company/uploads/{upload_id}/progress": uploads.upload,
    "POST /company/uploads/{upload_id}/import": uploads.start,
    "GET /company/dashboard": people.dashboard,
    # a mentor or mentee: the personal link, the pair, its sessions (entrypoints/http/pair.py)
    "GET /p/{token}": pair.open_link,
    "GET /pair": pair.member,
    "POST /pair/sign-out": pair.sign_out,
    "GET /pair/signed-out": pair.sign_out,
    "GET /pair/{pair_id}": pair.overview,
    "GET /pair/{pair_id}/sessions/new": pair.member,
    "POST /pair/{pair_id}/sessions": pair.log_session,
    "GET /pair/{pair_id}/sessions/{session_id}": pair.session,
    "POST /pair/{pair_id}/sessions/{session_id}": pair.correct,
    "POST /pair/{pair_id}/sessions/{session_id}/retraction": pair.retract,
    "GET /pair/{pair_id}/export.zip": rights.member_export,
    "GET /pair/{pair_id}/consent-withdrawal": rights.member_participant,
    "POST /pair/{pair_id}/consent-withdrawal": rights.withdraw_member_consent,
    # a member's agreement and evaluations (entrypoints/http/pair_year.py)
    "GET /pair/{pair_id}/agreement": pair_year.agreement_page,
    "POST /pair/{pair_id}/agreement": pair_year.record_agreement,
    "POST /pair/{pair_id}/agreement/confirmation": pair_year.confirm_agreement,
    "GET /pair/{pair_id}/evaluations": pair_year.evaluations_page,
    "GET /pair/{pair_id}/evaluations/{evaluation_id}": pair_year.evaluation,
    "POST /pair/{pair_id}/evaluations/{evaluation_id}": pair_year.answer,
    "POST /pair/{pair_id}/evaluations/{evaluation_id}/quote-withdrawal": pair_year.withdraw_quote,
}
