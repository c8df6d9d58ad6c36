"""The web app's flow in one screen: it consumes no events; every page and form and its use case.

Every page reads and writes through the four services' HTTP APIs (store/intake.py, matching.py,
sessions.py, reporting.py); the web app's own database holds only sign-in sessions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from services.web.service_layer import company, home, language, signin, staff
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
}
