"""What matching refuses, as the shared refusal kinds (shared/errors.py), each with one code and wording."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from shared.errors import Conflict, NotFound, Refusal


class Unprocessable(Refusal):
    """Well-formed, but breaks a rule of matching (422 with a plain `detail`, nothing changed)."""

    status = 422
    default_code = "unprocessable"


def cohort_not_found(cohort_id: UUID) -> NotFound:
    return NotFound(f"no cohort {cohort_id}", "cohort_not_found")


def run_not_found(run_id: UUID) -> NotFound:
    return NotFound(f"no run {run_id}", "run_not_found")


def pair_not_found(pair_id: UUID) -> NotFound:
    return NotFound(f"no pair {pair_id}", "pair_not_found")


def member_not_found(role: str, participant_id: UUID, cohort_id: UUID) -> NotFound:
    return NotFound(f"no {role} {participant_id} in cohort {cohort_id}", "participant_not_found")


def pin_not_found(cohort_id: UUID, mentee_id: UUID) -> NotFound:
    return NotFound(f"no pin for mentee {mentee_id} in cohort {cohort_id}", "pin_not_found")


def exclusion_not_found(cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> NotFound:
    return NotFound(
        f"no exclusion of {mentee_id} with {mentor_id} in cohort {cohort_id}", "exclusion_not_found"
    )


def run_superseded() -> Conflict:
    return Conflict("a newer run of this cohort replaced this one; approve the newest run", "run_superseded")


def run_out_of_date(stale: Sequence[str]) -> Conflict:
    return Conflict("the run is out of date, start a new run: " + "; ".join(stale), "run_out_of_date")


def pair_already_ended(ended_on: str) -> Conflict:
    return Conflict(f"the pair already ended on {ended_on}", "pair_already_ended")


def mentee_already_paired() -> Conflict:
    return Conflict("the mentee is already in an active pair", "mentee_already_paired")


def breaks_hard_rule(rules: Sequence[str]) -> Unprocessable:
    return Unprocessable("the pair breaks a hard rule: " + "; ".join(rules), "breaks_hard_rule")


def wrong_role(participant_id: UUID, role: str, wanted: str) -> Unprocessable:
    return Unprocessable(f"{participant_id} is a {role}, not a {wanted}", "wrong_role")


def withdrawn(role: str, participant_id: UUID) -> Unprocessable:
    return Unprocessable(f"the {role} {participant_id} has withdrawn", "participant_withdrawn")
