"""Staff: run matching, review the proposal (each pair's score per criterion, unmatched mentees with their
reason), pin and exclude pairs, run again, approve."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.web.domain.errors import NotFound
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
    pool, runs = await asyncio.gather(
        matching.cohort(web.apis.matching, visitor.credential, cohort_id),
        matching.runs(web.apis.matching, visitor.credential, cohort_id),
    )
    names: dict[str, str] = {}
    for proposal in run["proposals"]:
        names.setdefault(str(proposal["mentee_id"]), proposal["mentee_name"])
        names.setdefault(str(proposal["mentor_id"]), proposal["mentor_name"])
    for unmatched in run["unmatched"]:
        names.setdefault(str(unmatched["mentee_id"]), unmatched["mentee_name"])
    pinned = {str(p["mentee_id"]) for p in pool["pins"]}
    latest = runs[0]["run_id"] if runs else None
    return {
        "run": run,
        "pool": pool,
        "names": names,
        "pinned": pinned,
        "latest": str(latest) == str(run["run_id"]),
        "criteria": CRITERIA,
    }


async def pin_form(web: Web, visitor: Visitor, run_id: UUID) -> Json:
    """Pin any pair: the mentees the run worked on (everyone without an active pair) and every active
    mentor of the cohort (from intake, so also those the run left without a mentee)."""
    run = await matching.run(web.apis.matching, visitor.credential, run_id)
    cohort_id = UUID(str(run["cohort_id"]))
    mentors = await _active_mentors(web, visitor, cohort_id)
    mentees = [(str(p["mentee_id"]), p["mentee_name"]) for p in [*run["proposals"], *run["unmatched"]]]
    return {
        "run": run,
        "mentees": sorted(mentees, key=lambda m: str(m[1]).casefold()),
        "mentors": sorted(
            ((str(p["participant_id"]), p["name"]) for p in mentors), key=lambda m: str(m[1]).casefold()
        ),
    }


async def _active_mentors(web: Web, visitor: Visitor, cohort_id: UUID) -> list[Json]:
    companies = await intake.companies(web.apis.intake, visitor.credential)
    filters = {"cohort_id": str(cohort_id), "status": "active", "role": "mentor"}
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
    """The pair a form names: `mentee_id` and `mentor_id`, or one `pair` button's "mentee/mentor"."""
    chosen = str(form.get("pair") or "")
    if chosen:
        mentee, _, mentor = chosen.partition("/")
        return {"mentee_id": mentee, "mentor_id": mentor}
    return filled(form, ("mentee_id", "mentor_id"))


async def pin(web: Web, visitor: Visitor, cohort_id: UUID, form: Mapping[str, Any]) -> None:
    await matching.pin(web.apis.matching, visitor.credential, cohort_id, _pair(form))


async def unpin(web: Web, visitor: Visitor, cohort_id: UUID, form: Mapping[str, Any]) -> None:
    """Remove the pin of the mentee the form names (`unpin`)."""
    try:
        mentee_id = UUID(str(form.get("unpin")))
    except ValueError as bad:
        raise NotFound("no such pin", "pin_not_found") from bad
    await matching.unpin(web.apis.matching, visitor.credential, cohort_id, mentee_id)


async def exclude(web: Web, visitor: Visitor, cohort_id: UUID, form: Mapping[str, Any]) -> None:
    await matching.exclude(web.apis.matching, visitor.credential, cohort_id, _pair(form))


async def unexclude(web: Web, visitor: Visitor, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> None:
    await matching.unexclude(web.apis.matching, visitor.credential, cohort_id, mentee_id, mentor_id)


async def approve(web: Web, visitor: Visitor, run_id: UUID) -> Json:
    return await matching.approve(web.apis.matching, visitor.credential, run_id)
