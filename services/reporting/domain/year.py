"""The programme year's figures, as pure functions: the timeline, which pairs have an agreement, and
evaluation response rates and averages.

Evaluation answers never reach a partner company: the company view holds the timeline and its own
pairs' agreement count only. Staff see averages per role and per company; a company's figures from
fewer than 3 answers are shown as "<3" with no average (the shared small-number rule).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from services.reporting.domain.model import Cohort
from services.reporting.domain.suppression import shown, unless_suppressed

QUESTIONS = ("expectations_met", "learning", "openness", "programme")
ROLES = ("mentor", "mentee")


def timeline(cohort: Cohort) -> dict[str, Any]:
    return {
        "cohort_id": cohort.cohort_id,
        "name": cohort.title,
        "kickoff_on": cohort.kickoff_on,
        "midpoint_on": cohort.midpoint_on,
        "closing_on": cohort.closing_on,
        "closed_on": cohort.closed_on,
    }


def averages(answers: Iterable[Mapping[str, Any]]) -> dict[str, float] | None:
    """The mean of each question, to one decimal; None without answers."""
    rows = list(answers)
    if not rows:
        return None
    return {q: round(sum(r[q] for r in rows) / len(rows), 1) for q in QUESTIONS}


def rate(answered: int, could: int) -> float | None:
    return round(answered / could, 2) if could else None


def evaluation_figures(
    evaluation: Mapping[str, Any], answers: Sequence[Mapping[str, Any]], company_names: Mapping[UUID, str]
) -> dict[str, Any]:
    """One evaluation for staff: per role the response rate and averages; per company, "<3"-guarded."""
    own = [a for a in answers if a["evaluation_id"] == evaluation["evaluation_id"]]
    could = {"mentor": evaluation["mentors"], "mentee": evaluation["mentees"]}
    roles = {}
    for role in ROLES:
        theirs = [a for a in own if a["role"] == role]
        roles[role] = {
            "members": could[role],
            "answered": len(theirs),
            "response_rate": rate(len(theirs), could[role]),
            "averages": averages(theirs),
        }
    per_company: dict[UUID | None, list[Mapping[str, Any]]] = {}
    for a in own:
        per_company.setdefault(a["company_id"], []).append(a)
    companies = []
    for company_id, answered in sorted(
        per_company.items(), key=lambda kv: company_names.get(kv[0], "") if kv[0] else ""
    ):
        count = shown(len(answered))
        companies.append(
            {
                "company": company_names.get(company_id, "unknown") if company_id else "unknown",
                "answered": count,
                "averages": unless_suppressed(averages(answered), count),
            }
        )
    return {
        "evaluation_id": evaluation["evaluation_id"],
        "kind": evaluation["kind"],
        "opens_on": evaluation["opens_on"],
        "closes_on": evaluation["closes_on"],
        "roles": roles,
        "companies": companies,
    }


def agreement_figures(pairs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Staff: each pair and whether it has an agreement confirmed by both."""
    listed = [
        {
            "pair_id": p["pair_id"],
            "mentee": p["mentee_name"],
            "mentor": p["mentor_name"],
            "has_agreement": p["frequency"] is not None,
            "frequency": p["frequency"],
            "recorded_on": p["recorded_on"],
            "confirmed_by_both": bool(p["confirmed_by_mentor"] and p["confirmed_by_mentee"]),
        }
        for p in pairs
    ]
    return {
        "pairs": len(listed),
        "with_agreement": sum(p["has_agreement"] for p in listed),
        "confirmed_by_both": sum(p["confirmed_by_both"] for p in listed),
        "by_pair": listed,
    }


def company_agreement_counts(pairs: Sequence[Mapping[str, Any]], company_id: UUID) -> dict[str, Any]:
    """A company: how many of the pairs its people are in have an agreement; counts only, "<3" rule."""
    own = [p for p in pairs if company_id in (p["mentee_company_id"], p["mentor_company_id"])]
    return {
        "pairs": shown(len(own)),
        "with_agreement": shown(sum(p["frequency"] is not None for p in own)),
    }


def published_quote(quote: Mapping[str, Any]) -> dict[str, Any]:
    """A consented quote as staff see it: its words, signed "Mentor 2027" / "Mentee 2027" only."""
    return {
        "quote": quote["quote"],
        "signed": f"{quote['role'].capitalize()} {quote['year']}",
        "kind": quote["kind"],
    }
