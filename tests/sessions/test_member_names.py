"""Staff handing out a pair's tokens see who the two members are: names come from intake's events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.events import (
    CompanyRegistered,
    ParticipantProfile,
    ParticipantProfileUpdated,
    ParticipantRegistered,
)
from tests.sessions.support import STAFF, bearer, known_pair, matched_pair, pair_matched, publish
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


async def test_a_member_sees_both_members_with_their_companies_and_hr_contacts(running):
    matched = pair_matched()
    mentee_company = CompanyRegistered(
        company_id=matched.mentee_company_id, name="Nordvind Energi", hr_contact_name="Lone Holm",
        hr_contact_email="loho@nordvind.example", producer="intake",
    )  # fmt: skip
    mentor_company = CompanyRegistered(
        company_id=matched.mentor_company_id, name="Fjordbank", hr_contact_name="Per Dahl",
        hr_contact_email="pd@fjordbank.example", producer="intake",
    )  # fmt: skip
    renamed = CompanyRegistered(
        company_id=matched.mentor_company_id, name="Fjordbank A/S", hr_contact_name="Per Dahl",
        hr_contact_email="pd@fjordbank.example", producer="intake",
    )  # fmt: skip
    await publish(
        running.settings,
        [
            renamed,
            mentor_company.model_copy(update={"occurred_at": renamed.occurred_at - timedelta(days=1)}),
            mentee_company,
            named(matched.mentee_id, matched.cohort_id, "mentee", "Mette Jensen", 5),
            named(matched.mentor_id, matched.cohort_id, "mentor", "Jens Lund", 5),
            matched,
        ],
    )
    await known_pair(running.client, matched.pair_id)
    tokens = await running.client.post(f"/v1/pairs/{matched.pair_id}/tokens", headers=STAFF)
    mentee_token = next(t["token"] for t in tokens.json()["tokens"] if t["role"] == "mentee")

    async def card() -> list[dict[str, object]]:
        answer = await running.client.get(f"/v1/pairs/{matched.pair_id}", headers=bearer(mentee_token))
        return answer.json()["members"]

    await eventually(card, equals=[
        {"role": "mentee", "name": "Mette Jensen", "company": "Nordvind Energi",
         "hr_contact_name": "Lone Holm", "hr_contact_email": "loho@nordvind.example"},
        {"role": "mentor", "name": "Jens Lund", "company": "Fjordbank A/S",
         "hr_contact_name": "Per Dahl", "hr_contact_email": "pd@fjordbank.example"},
    ])  # fmt: skip
    # Another pair's member sees nothing of it
    _, other_tokens = await matched_pair(running.settings, running.client)
    stranger = await running.client.get(
        f"/v1/pairs/{matched.pair_id}", headers=bearer(other_tokens["mentee"])
    )
    assert stranger.status_code == 404
    assert "Mette" not in stranger.text
