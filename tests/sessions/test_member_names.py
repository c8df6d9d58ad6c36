"""Staff handing out a pair's tokens see who the two members are: names come from intake's events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.events import ParticipantProfile, ParticipantProfileUpdated, ParticipantRegistered
from tests.sessions.support import STAFF, pair_matched, publish
from tests.support.services import eventually

PROFILE = ParticipantProfile(
    leadership_level=2, years_experience=4, industry="energy", function="operations",
    languages=("da",), region="midtjylland", meeting_preference="either",
)  # fmt: skip


def named(participant_id, cohort_id, role: str, name: str, minutes_ago: int, cls=ParticipantRegistered):
    return cls(
        participant_id=participant_id, company_id=participant_id, cohort_id=cohort_id, role=role,
        display_name=name, profile=PROFILE, producer="intake",
        occurred_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
    )  # fmt: skip


async def test_the_staff_pair_list_names_both_members_with_the_newest_name(running):
    matched = pair_matched()
    renamed = named(
        matched.mentee_id, matched.cohort_id, "mentee", "Mette Holm", 1, ParticipantProfileUpdated
    )
    registered = named(matched.mentee_id, matched.cohort_id, "mentee", "Mette Jensen", 5)
    mentor = named(matched.mentor_id, matched.cohort_id, "mentor", "Jens Lund", 5)
    await publish(running.settings, [matched, renamed, registered, mentor])  # the rename arrives first

    async def listed() -> tuple[str, str] | None:
        answer = await running.client.get(f"/v1/pairs?cohort_id={matched.cohort_id}", headers=STAFF)
        pair = answer.json()[0] if answer.json() else {}
        names = (pair.get("mentee_name"), pair.get("mentor_name"))
        return names if None not in names else None

    await eventually(listed, equals=("Mette Holm", "Jens Lund"))
