"""The web app's flow in one screen: it consumes no events; every page and form and its use case.

Every page reads and writes through the four services' HTTP APIs (store/intake.py, matching.py,
sessions.py, reporting.py); the web app's own database holds only sign-in sessions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from services.web.service_layer import company, home, language, pair, people, signin, staff, uploads
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
    # a partner company's HR contact
    "GET /company": company.company_home,
    # a partner company's HR contact: its own people, uploads and dashboard (entrypoints/http/people.py)
    "GET /company/people": people.list_people,
    "GET /company/people/new": people.choices,
    "POST /company/people": people.register,
    "GET /company/people/{participant_id}": people.person,
    "POST /company/people/{participant_id}": people.change,
    "POST /company/people/{participant_id}/withdrawal": people.withdraw,
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
}
