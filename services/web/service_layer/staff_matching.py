"""Staff: run matching, review the proposal (each pair's score per criterion, unmatched mentees with their
reason), pin and exclude pairs, run again, approve."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.web.domain.forms import CRITERIA, filled
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import intake, matching

Json = dict[str, Any]


async def start_run(web: Web, visitor: Visitor, cohort_id: UUID) -> Json:
    return await matching.start_run(web.apis.matching, visitor.credential, cohort_id)


async def run_review(web: Web, visitor: Visitor, run_id: UUID) -> Json:
    """The run, the cohort's current pins and exclusions, and who can be pinned to whom (by name)."""
    run = await matching.run(web.apis.matching, visitor.credential, run_id)
    cohort_id = UUID(str(run["cohort_id"]))
    pool, runs, people = await asyncio.gather(
        matching.cohort(web.apis.matching, visitor.credential, cohort_id),
        matching.runs(web.apis.matching, visitor.credential, cohort_id),
        _active_people(web, visitor, cohort_id),
    )
    names = {str(p["participant_id"]): str(p["name"]) for p in people}
    for proposal in run["proposals"]:
        names.setdefault(str(proposal["mentee_id"]), proposal["mentee_name"])
        names.setdefault(str(proposal["mentor_id"]), proposal["mentor_name"])
    for unmatched in run["unmatched"]:
        names.setdefault(str(unmatched["mentee_id"]), unmatched["mentee_name"])
    pinned = {str(p["mentee_id"]) for p in pool["pins"]}
    latest = runs[0]["run_id"] if runs else None
    by_name = sorted(people, key=lambda p: str(p["name"]).casefold())
    return {
        "run": run,
        "pool": pool,
        "names": names,
        "pinned": pinned,
        "latest": str(latest) == str(run["run_id"]),
        "criteria": CRITERIA,
        "mentees": [(str(p["participant_id"]), p["name"]) for p in by_name if p["role"] == "mentee"],
        "mentors": [(str(p["participant_id"]), p["name"]) for p in by_name if p["role"] == "mentor"],
    }


async def _active_people(web: Web, visitor: Visitor, cohort_id: UUID) -> list[Json]:
    companies = await intake.companies(web.apis.intake, visitor.credential)
    filters = {"cohort_id": str(cohort_id), "status": "active"}
    pages = await asyncio.gather(
        *(
            intake.company_participants(
                web.apis.intake, visitor.credential, UUID(str(c["company_id"])), filters
            )
            for c in companies
        )
    )
    return [person for page in pages for person in page]


def _pair(form: Mapping[str, Any]) -> Json:
    return filled(form, ("mentee_id", "mentor_id"))


async def pin(web: Web, visitor: Visitor, cohort_id: UUID, form: Mapping[str, Any]) -> None:
    await matching.pin(web.apis.matching, visitor.credential, cohort_id, _pair(form))


async def unpin(web: Web, visitor: Visitor, cohort_id: UUID, mentee_id: UUID) -> None:
    await matching.unpin(web.apis.matching, visitor.credential, cohort_id, mentee_id)


async def exclude(web: Web, visitor: Visitor, cohort_id: UUID, form: Mapping[str, Any]) -> None:
    await matching.exclude(web.apis.matching, visitor.credential, cohort_id, _pair(form))


async def unexclude(web: Web, visitor: Visitor, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> None:
    await matching.unexclude(web.apis.matching, visitor.credential, cohort_id, mentee_id, mentor_id)


async def approve(web: Web, visitor: Visitor, run_id: UUID) -> Json:
    return await matching.approve(web.apis.matching, visitor.credential, run_id)
