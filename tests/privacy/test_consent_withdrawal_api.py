"""Withdrawing consent leads to erasure: asked by staff, by the person's own company, or by the person
themself with their pair token; recorded (when, by whom), and the person is erased in every service."""

from __future__ import annotations

from shared.privacy import ERASED
from tests.end_to_end.system import STAFF, running_system
from tests.privacy.rights_support import bearer, matched_pair
from tests.support.services import eventually


async def test_a_member_withdraws_their_own_consent_and_is_erased_everywhere(make_settings):
    async with running_system(make_settings) as system:
        programme = await matched_pair(system)
        path = f"/v1/participants/{programme.mentee_id}/consent/withdrawal"

        async def intake_knows_her_token() -> bool:
            answer = await system.intake.get(
                f"/v1/participants/{programme.mentee_id}/export", headers=bearer(programme.mentee_token)
            )
            return answer.status_code == 200

        await eventually(intake_knows_her_token, timeout_s=30)
        other_member = await system.intake.post(path, headers=bearer(programme.mentor_token))
        assert other_member.status_code == 404  # her mentor cannot withdraw her consent
        other_company = await system.intake.post(path, headers=programme.company_keys["Fjordbank"])
        assert other_company.status_code == 404
        assert (await system.intake.post(path)).status_code == 401

        withdrawn = await system.intake.post(path, headers=bearer(programme.mentee_token))
        assert withdrawn.status_code == 200, withdrawn.text
        answer = withdrawn.json()
        assert (answer["withdrawn_by"], answer["status"], answer["keys"]) == ("self", "erased", "destroyed")

        exported = await system.intake.get(f"/v1/participants/{programme.mentee_id}/export", headers=STAFF)
        registration = exported.json()["data"]["registration"]
        assert (registration["name"], registration["email"], registration["status"]) == (ERASED, "", "erased")

        async def gone_from_the_others() -> bool:
            names = []
            for service, prefix in (("matching", "v1"), ("reporting", "api")):
                found = await getattr(system, service).get(
                    f"/{prefix}/participants/{programme.mentee_id}/export", headers=STAFF
                )
                names.append(found.json()["data"]["participant"]["display_name"])
            return all(name != "Mette Jensen" for name in names)

        await eventually(gone_from_the_others, timeout_s=30)


async def test_staff_or_the_persons_company_withdraw_consent(make_settings):
    async with running_system(make_settings) as system:
        programme = await matched_pair(system)
        by_company = await system.intake.post(
            f"/v1/participants/{programme.mentee_id}/consent/withdrawal",
            headers=programme.company_keys["Nordvind"],
        )
        assert by_company.status_code == 200 and by_company.json()["withdrawn_by"] == "company"
        by_staff = await system.intake.post(
            f"/v1/participants/{programme.mentor_id}/consent/withdrawal", headers=STAFF
        )
        assert by_staff.status_code == 200 and by_staff.json()["withdrawn_by"] == "staff"
        again = await system.intake.post(
            f"/v1/participants/{programme.mentor_id}/consent/withdrawal", headers=STAFF
        )
        assert again.status_code == 200 and again.json()["withdrawn_at"] == by_staff.json()["withdrawn_at"]
        unknown = await system.intake.post(
            "/v1/participants/00000000-0000-4000-8000-000000000000/consent/withdrawal", headers=STAFF
        )
        assert unknown.status_code == 404
