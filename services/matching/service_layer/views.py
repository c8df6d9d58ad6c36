"""The shapes matching answers, built from stored rows: cohorts, settings, runs, pairs, staff choices."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from services.matching.domain.model import Weights
from services.matching.domain.pool import Member, full_capacity


def settings_view(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "cohort_id": str(row["cohort_id"]),
        "weights": Weights.from_mapping(row["weights"]).as_dict(),
        "fairness": row["fairness"],
        "industry_preference": row["industry_preference"],
    }


def cohort_view(
    row: Mapping[str, Any],
    people: Sequence[Member],
    active: Sequence[Mapping[str, Any]],
    pins: Sequence[Mapping[str, Any]],
    exclusions: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The pool as matching sees it now: who is present, who waits, how many mentor places are free."""
    present = [m for m in people if not m.withdrawn]
    paired = {p["mentee_id"] for p in active}
    mentors = [m for m in present if m.role == "mentor"]
    load = Counter(p["mentor_id"] for p in active)
    return {
        "cohort_id": str(row["cohort_id"]),
        "name": row["name"],
        "settings": settings_view(row),
        "mentees": sum(m.role == "mentee" for m in present),
        "mentees_waiting": sum(m.role == "mentee" and m.participant_id not in paired for m in present),
        "mentors": len(mentors),
        "free_mentor_places": sum(max(full_capacity(m) - load[m.participant_id], 0) for m in mentors),
        "active_pairs": len(active),
        "pins": [{"mentee_id": str(p["mentee_id"]), "mentor_id": str(p["mentor_id"])} for p in pins],
        "exclusions": [
            {"mentee_id": str(e["mentee_id"]), "mentor_id": str(e["mentor_id"])} for e in exclusions
        ],
    }


def choice_view(cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> dict[str, str]:
    """A pin or an exclusion staff just made."""
    return {"cohort_id": str(cohort_id), "mentee_id": str(mentee_id), "mentor_id": str(mentor_id)}


def run_summary(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "run_id": str(row["run_id"]),
        "status": row["status"],
        "created_at": row["created_at"].isoformat(),
        "approved_at": row["approved_at"].isoformat() if row["approved_at"] else None,
        "objective": row["objective"],
    }


def run_view(
    run: Mapping[str, Any], proposals: Sequence[Mapping[str, Any]], names: Mapping[UUID, str]
) -> dict[str, Any]:
    """A run with its proposals and explanations; `names` are the unmatched mentees' names."""
    return {
        "run_id": str(run["run_id"]),
        "cohort_id": str(run["cohort_id"]),
        "status": run["status"],
        "created_at": run["created_at"].isoformat(),
        "approved_at": run["approved_at"].isoformat() if run["approved_at"] else None,
        "settings": run["settings"],
        "objective": run["objective"],
        "solver": run["solver"],
        "proposals": [
            {
                "mentee_id": str(p["mentee_id"]),
                "mentee_name": p["mentee_name"],
                "mentor_id": str(p["mentor_id"]),
                "mentor_name": p["mentor_name"],
                "score": p["score"],
                "explanation": p["explanation"],
                "pinned": p["pinned"],
            }
            for p in proposals
        ],
        "unmatched": [{**u, "mentee_name": names.get(UUID(u["mentee_id"]), "")} for u in run["unmatched"]],
        "dropped_pins": run["dropped_pins"],
    }


def pair_view(p: Mapping[str, Any]) -> dict[str, Any]:
    """A pair; with the two names when the row has them."""
    view = {
        "pair_id": str(p["pair_id"]),
        "cohort_id": str(p["cohort_id"]),
        "mentee_id": str(p["mentee_id"]),
        "mentor_id": str(p["mentor_id"]),
        "score": p["score"],
        "explanation": p["explanation"],
        "matched_at": p["matched_at"].isoformat(),
        "ended_on": p["ended_on"].isoformat() if p["ended_on"] else None,
        "end_reason": p["end_reason"],
        "do_not_rematch": p["do_not_rematch"],
    }
    for name in ("mentee_name", "mentor_name"):
        if name in p:
            view[name] = p[name]
    return view


def approval_view(run_id: UUID, pairs: Sequence[Mapping[str, Any]], newly: int) -> dict[str, Any]:
    return {
        "run_id": str(run_id),
        "status": "approved",
        "newly_matched": newly,
        "pairs": [pair_view(p) for p in pairs],
    }
