"""Staff: partner companies, their HR contact and API keys (a new key is shown once)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.web.domain.forms import filled
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import intake

Json = dict[str, Any]
COMPANY_FIELDS = ("name", "hr_contact_name", "hr_contact_email")
CONTACT_FIELDS = ("hr_contact_name", "hr_contact_email")


async def list_companies(web: Web, visitor: Visitor) -> list[Json]:
    found = await intake.companies(web.apis.intake, visitor.credential)
    return sorted(found, key=lambda c: str(c["name"]).casefold())


async def create_company(web: Web, visitor: Visitor, form: Mapping[str, Any]) -> Json:
    return await intake.create_company(web.apis.intake, visitor.credential, filled(form, COMPANY_FIELDS))


async def company_page(web: Web, visitor: Visitor, company_id: UUID) -> Json:
    """The company with its keys (newest first) and the other companies (its must-not-pair choices)."""
    company = await intake.company(web.apis.intake, visitor.credential, company_id)
    keys = await intake.api_keys(web.apis.intake, visitor.credential, company_id)
    keys.sort(key=lambda k: str(k["created_at"]), reverse=True)
    others = [c for c in await list_companies(web, visitor) if c["company_id"] != company["company_id"]]
    avoided = set(company.get("avoid_company_ids") or ())
    return {
        "company": company,
        "keys": keys,
        "other_companies": [(c["company_id"], c["name"]) for c in others],
        "avoided_names": [c["name"] for c in others if c["company_id"] in avoided],
    }


async def change_contact(web: Web, visitor: Visitor, company_id: UUID, form: Mapping[str, Any]) -> Json:
    """Both fields as typed (trimmed): one left empty is refused by intake next to it, not kept silently."""
    body = {name: str(form.get(name) or "").strip() for name in CONTACT_FIELDS}
    return await intake.change_company(web.apis.intake, visitor.credential, company_id, body)


async def set_avoid_companies(web: Web, visitor: Visitor, company_id: UUID, chosen: list[str]) -> Json:
    return await intake.set_avoid_companies(web.apis.intake, visitor.credential, company_id, chosen)


async def issue_key(web: Web, visitor: Visitor, company_id: UUID, form: Mapping[str, Any]) -> Json:
    return await intake.issue_key(web.apis.intake, visitor.credential, company_id, filled(form, ("label",)))


async def revoke_key(web: Web, visitor: Visitor, company_id: UUID, key_id: UUID) -> Json:
    return await intake.revoke_key(web.apis.intake, visitor.credential, company_id, key_id)
