"""A partner company's HR contact and its own people: list, register, change, withdraw; its dashboard.

Everything goes through intake's and reporting's APIs with the company's own key, so another
company's person is intake's 404 (and ours). A refusal writes nothing: intake refuses the whole
request, and we save nothing of our own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.web.domain import people as rules
from services.web.domain.errors import Conflict, Invalid, NotFound
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import company_report, intake, people

STATUSES = ("active", "withdrawn")
ROLES = ("mentee", "mentor")


@dataclass(frozen=True)
class Choices:
    """What the registration form offers: the cohorts and intake's closed lists."""

    cohorts: list[dict[str, Any]]
    vocabulary: dict[str, Any]

    @property
    def open_cohorts(self) -> list[dict[str, Any]]:
        return [c for c in self.cohorts if c.get("intake_state") == "open"]

    def cohort_name(self, cohort_id: object) -> str:
        return next((c["name"] for c in self.cohorts if c["cohort_id"] == str(cohort_id)), "")


async def choices(web: Web, visitor: Visitor) -> Choices:
    cohorts = await intake.cohorts(web.apis.intake, visitor.credential)
    return Choices(cohorts, await people.vocabulary(web.apis.intake))


def _filters(cohort_id: str, status: str, role: str) -> dict[str, str]:
    return {
        "cohort_id": cohort_id if _is_uuid(cohort_id) else "",
        "status": status if status in STATUSES else "",
        "role": role if role in ROLES else "",
    }


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


async def list_people(
    web: Web, visitor: Visitor, cohort_id: str, status: str, role: str, cursor: str | None
) -> dict[str, Any]:
    """A page of the company's own people (100 at a time), filtered, and the cohorts by name."""
    filters = _filters(cohort_id, status, role)
    found = await people.page_of_people(web.apis.intake, visitor.credential, filters, cursor)
    cohorts = await intake.cohorts(web.apis.intake, visitor.credential)
    return {"items": found["items"], "next_cursor": found.get("next_cursor"), "cohorts": cohorts, **filters}


def new_form_values(cohorts: list[dict[str, Any]], cohort_id: str | None) -> dict[str, Any]:
    """An empty form: the cohort chosen (or the only open one), and a fresh key so a double click on
    Register registers once (intake replays the first answer to the same Idempotency-Key)."""
    open_ids = [c["cohort_id"] for c in cohorts if c.get("intake_state") == "open"]
    chosen = cohort_id if cohort_id in open_ids else (open_ids[0] if len(open_ids) == 1 else "")
    return {"cohort_id": chosen, "languages": ["da"], "themes": [], "idempotency_key": str(uuid.uuid4())}


async def register(web: Web, visitor: Visitor, values: dict[str, Any]) -> dict[str, Any]:
    """Register one person; every refusal is raised as problems of the form's fields."""
    body = rules.registration_body(values)
    try:
        return await people.register(
            web.apis.intake, visitor.credential, body, str(values.get("idempotency_key") or "")
        )
    except Conflict as conflict:
        raise Invalid([rules.conflict_problem(conflict.code, conflict.message)]) from conflict


async def person(web: Web, visitor: Visitor, participant_id: UUID) -> dict[str, Any]:
    return await people.person(web.apis.intake, visitor.credential, participant_id)


async def change(
    web: Web, visitor: Visitor, participant_id: UUID, values: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Change what differs from intake's record; (the participant now, whether anything changed)."""
    current = await people.person(web.apis.intake, visitor.credential, participant_id)
    changes = rules.change_body(values, current)
    if not changes:
        return current, False
    try:
        changed = await people.change(web.apis.intake, visitor.credential, participant_id, changes)
    except Conflict as conflict:
        raise Invalid([rules.conflict_problem(conflict.code, conflict.message)]) from conflict
    return changed, True


async def withdraw(
    web: Web, visitor: Visitor, participant_id: UUID, reason: str, note: str
) -> dict[str, Any]:
    return await people.withdraw(web.apis.intake, visitor.credential, participant_id, reason, note)


async def dashboard(web: Web, visitor: Visitor, cohort_id: UUID | None) -> dict[str, Any]:
    """The company's own report from reporting's API (aggregates only; small counts hidden there)."""
    cohorts = await company_report.cohorts(web.apis.reporting, visitor.credential)
    if cohort_id is None:
        if not cohorts:
            return {"cohorts": [], "report": None, "cohort_id": None}
        cohort_id = UUID(cohorts[0]["cohort_id"])
    elif str(cohort_id) not in {c["cohort_id"] for c in cohorts}:
        raise NotFound("no such cohort for this company")
    report = await company_report.report(web.apis.reporting, visitor.credential, cohort_id)
    return {"cohorts": cohorts, "report": report, "cohort_id": str(cohort_id)}
