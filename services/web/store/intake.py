"""intake's API as the web app uses it: companies, API keys, cohorts, participants."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.web.domain.errors import Unauthorized
from services.web.store.api import ServiceApi

Json = dict[str, Any]


async def staff_token_works(api: ServiceApi, token: str) -> bool:
    try:
        await api.call("GET", "/v1/companies", token)
    except Unauthorized:
        return False
    return True


async def company_key_works(api: ServiceApi, key: str) -> bool:
    try:
        await api.call("GET", "/v1/cohorts", key)
    except Unauthorized:
        return False
    return True


async def companies(api: ServiceApi, token: str) -> list[Json]:
    return list(await api.call("GET", "/v1/companies", token))


async def company(api: ServiceApi, token: str, company_id: UUID) -> Json:
    found: Json = await api.call("GET", f"/v1/companies/{company_id}", token)
    return found


async def create_company(api: ServiceApi, token: str, body: Json) -> Json:
    created: Json = await api.call("POST", "/v1/companies", token, json=body)
    return created


async def change_company(api: ServiceApi, token: str, company_id: UUID, body: Json) -> Json:
    """The HR contact (intake does not let the name change)."""
    changed: Json = await api.call("PATCH", f"/v1/companies/{company_id}", token, json=body)
    return changed


async def set_avoid_companies(api: ServiceApi, token: str, company_id: UUID, company_ids: list[str]) -> Json:
    """The company's must-not-pair list, whole."""
    body = {"avoid_company_ids": company_ids}
    changed: Json = await api.call("PUT", f"/v1/companies/{company_id}/avoid-companies", token, json=body)
    return changed


async def api_keys(api: ServiceApi, token: str, company_id: UUID) -> list[Json]:
    return list(await api.call("GET", f"/v1/companies/{company_id}/api-keys", token))


async def issue_key(api: ServiceApi, token: str, company_id: UUID, body: Json) -> Json:
    issued: Json = await api.call("POST", f"/v1/companies/{company_id}/api-keys", token, json=body)
    return issued


async def revoke_key(api: ServiceApi, token: str, company_id: UUID, key_id: UUID) -> Json:
    revoked: Json = await api.call("DELETE", f"/v1/companies/{company_id}/api-keys/{key_id}", token)
    return revoked


async def cohorts(api: ServiceApi, credential: str) -> list[Json]:
    return list(await api.call("GET", "/v1/cohorts", credential))


async def cohort(api: ServiceApi, credential: str, cohort_id: UUID) -> Json:
    found: Json = await api.call("GET", f"/v1/cohorts/{cohort_id}", credential)
    return found


async def create_cohort(api: ServiceApi, token: str, body: Json) -> Json:
    created: Json = await api.call("POST", "/v1/cohorts", token, json=body)
    return created


async def change_cohort(api: ServiceApi, token: str, cohort_id: UUID, body: Json) -> Json:
    changed: Json = await api.call("PATCH", f"/v1/cohorts/{cohort_id}", token, json=body)
    return changed


async def company_participants(
    api: ServiceApi, token: str, company_id: UUID, filters: Json, limit: int = 500
) -> list[Json]:
    """Every participant of one company matching the filters (cohort_id, role, status), all pages."""
    found: list[Json] = []
    cursor: str | None = None
    while True:
        params = {**filters, "limit": limit, "cursor": cursor}
        page = await api.call("GET", f"/v1/companies/{company_id}/participants", token, params=params)
        found.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return found


async def participant_export(api: ServiceApi, token: str, participant_id: UUID) -> Json:
    """Staff: everything intake holds about one participant (their registration, company, cohort)."""
    found: Json = await api.call("GET", f"/v1/participants/{participant_id}/export", token)
    return found


async def reminders(api: ServiceApi, token: str) -> list[Json]:
    """Reminders decided and sent, newest first (staff)."""
    return list(await api.call("GET", "/v1/reminders", token))


async def reminder_opt_outs(api: ServiceApi, token: str) -> list[Json]:
    return list(await api.call("GET", "/v1/reminders/opt-outs", token))


async def reminder_preference(api: ServiceApi, choice: str, signed: str, via: str = "mail_link") -> Json:
    """`choice`: opt-out, opt-in or preference; `signed` is the member's signed seat token (no login)."""
    found: Json = await api.call("POST", f"/v1/reminders/{choice}", None, json={"token": signed, "via": via})
    return found


async def erase_participant(api: ServiceApi, token: str, participant_id: UUID) -> Json:
    """Staff erase a person (intake scrubs them, tells every service, destroys their key)."""
    erased: Json = await api.call("POST", f"/v1/participants/{participant_id}/erasure", token)
    return erased


async def retention(api: ServiceApi, token: str, cohort_id: UUID) -> Json:
    """Staff: when the cohort closed, from when it may be anonymised, whether it was."""
    found: Json = await api.call("GET", f"/v1/cohorts/{cohort_id}/retention", token)
    return found


async def anonymise(api: ServiceApi, token: str, cohort_id: UUID) -> Json:
    found: Json = await api.call("POST", f"/v1/cohorts/{cohort_id}/anonymisation", token)
    return found


async def withdraw_consent(api: ServiceApi, credential: str, participant_id: UUID) -> Json:
    """Staff, the company, or the member with their own token: the person is erased."""
    found: Json = await api.call("POST", f"/v1/participants/{participant_id}/consent/withdrawal", credential)
    return found
