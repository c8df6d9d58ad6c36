"""Approval re-checks the present: a proposal overtaken since its run is named with the reason."""

from __future__ import annotations

import uuid

from services.matching.domain.pool import Member, stale_proposals


def member(role: str, capacity: int | None = None, withdrawn: bool = False) -> Member:
    profile = {} if capacity is None else {"capacity": capacity}
    return Member(uuid.uuid4(), uuid.uuid4(), role, profile, withdrawn)


def test_proposals_that_still_fit_are_not_stale():
    anna, bo, dorte = member("mentee"), member("mentee"), member("mentor", capacity=2)
    people = {m.participant_id: m for m in (anna, bo, dorte)}
    proposals = [(anna.participant_id, dorte.participant_id), (bo.participant_id, dorte.participant_id)]
    assert stale_proposals(people, [], proposals) == []


def test_a_withdrawal_a_pairing_meanwhile_and_full_places_are_each_named():
    anna, bo, carl = member("mentee"), member("mentee"), member("mentee", withdrawn=True)
    dorte, erik = member("mentor"), member("mentor")  # one place each by default
    people = {m.participant_id: m for m in (anna, bo, carl, dorte, erik)}
    active = [(bo.participant_id, erik.participant_id)]
    proposals = [
        (anna.participant_id, dorte.participant_id),
        (bo.participant_id, dorte.participant_id),
        (carl.participant_id, dorte.participant_id),
        (anna.participant_id, erik.participant_id),
    ]
    reasons = [why.split(": ", 1)[1] for why in stale_proposals(people, active, proposals)]
    assert reasons == [
        "the mentee is already in an active pair",
        "a participant withdrew",
        "the mentor has no free capacity left",
    ]


def test_someone_matching_no_longer_knows_counts_as_withdrawn():
    anna, gone = member("mentee"), uuid.uuid4()
    stale = stale_proposals({anna.participant_id: anna}, [], [(anna.participant_id, gone)])
    assert stale == [f"{anna.participant_id}-{gone}: a participant withdrew"]
