"""A person's data export from every service: staff on request, and the person themself with their
personal pair token (which intake, matching and reporting learn from sessions' MemberTokenIssued)."""

from __future__ import annotations

import json

from tests.end_to_end.system import STAFF, running_system
from tests.privacy.rights_support import MENTEE_NOTE, MENTOR_NOTE, TERMS, bearer, matched_pair
from tests.support.services import eventually

EXPORT = {
    "intake": "/v1/participants/{}/export",
    "matching": "/v1/participants/{}/export",
    "sessions": "/v1/participants/{}/export",
    "reporting": "/api/participants/{}/export",
}


async def exports(system, participant_id: str, headers: dict) -> dict[str, tuple[int, dict]]:
    found = {}
    for service, path in EXPORT.items():
        answer = await getattr(system, service).get(path.format(participant_id), headers=headers)
        found[service] = (answer.status_code, answer.json())
    return found


async def test_staff_export_holds_what_every_service_keeps_about_the_person_but_no_note_text(make_settings):
    async with running_system(make_settings) as system:
        programme = await matched_pair(system)

        async def complete() -> dict | None:
            found = await exports(system, programme.mentee_id, STAFF)
            reporting = found["reporting"][1]["data"]
            ready = reporting["participant"] and reporting["pairs"] and len(reporting["sessions"]) == 2
            return found if ready else None

        found = await eventually(complete, timeout_s=30)
        assert {service: status for service, (status, _) in found.items()} == dict.fromkeys(EXPORT, 200)
        intake = found["intake"][1]
        assert intake["requested_by"] == "staff" and intake["participant_id"] == programme.mentee_id
        assert intake["data"]["registration"]["email"] == "mette@nordvind.example"
        assert intake["data"]["registration"]["consented_at"]
        assert intake["data"]["company"]["name"] == "Nordvind 2027"
        matching = found["matching"][1]["data"]
        assert matching["participant"]["display_name"] == "Mette Jensen"
        assert [p["pair_id"] for p in matching["pairs"]] == [programme.pair_id]
        assert matching["proposals"][0]["mentor_id"] == programme.mentor_id
        sessions = found["sessions"][1]["data"]
        (pair,) = sessions["pairs"]
        assert pair["pair"]["role"] == "mentee" and len(pair["sessions"]) == 2
        assert pair["own_notes"] == {"count": 1}  # staff learn that she wrote notes, not what
        assert pair["personal_token"]["generation"] == 1 and "token_hash" not in json.dumps(pair)
        assert pair["agreement"]["frequency"] == "monthly"
        everything = json.dumps([body for _, body in found.values()])
        assert MENTEE_NOTE not in everything and MENTOR_NOTE not in everything and TERMS not in everything


async def test_a_member_exports_their_own_data_from_every_service_with_only_their_own_notes(make_settings):
    async with running_system(make_settings) as system:
        programme = await matched_pair(system)
        mentee = bearer(programme.mentee_token)

        async def all_answer() -> dict | None:
            found = await exports(system, programme.mentee_id, mentee)
            return found if all(status == 200 for status, _ in found.values()) else None

        found = await eventually(all_answer, timeout_s=30)  # once each service has the token's hash
        assert {body["requested_by"] for _, body in found.values()} == {"self"}
        assert found["intake"][1]["data"]["registration"]["name"] == "Mette Jensen"
        (pair,) = found["sessions"][1]["data"]["pairs"]
        assert [n["notes"] for n in pair["own_notes"]] == [MENTEE_NOTE]
        assert pair["agreement"]["terms"] == TERMS
        everything = json.dumps([body for _, body in found.values()])
        assert MENTOR_NOTE not in everything  # the other member's notes are theirs alone

        # The mentor, with her own token, gets her own notes and never the mentee's.
        mentor = await exports(system, programme.mentor_id, bearer(programme.mentor_token))
        (pair,) = mentor["sessions"][1]["data"]["pairs"]
        assert [n["notes"] for n in pair["own_notes"]] == [MENTOR_NOTE]
        assert MENTEE_NOTE not in json.dumps(mentor["sessions"][1])


async def test_a_member_cannot_export_someone_else_and_a_reissued_link_stops_working(make_settings):
    async with running_system(make_settings) as system:
        programme = await matched_pair(system)
        mentee = bearer(programme.mentee_token)

        async def own_export_answers() -> bool:
            found = await exports(system, programme.mentee_id, mentee)
            return all(status == 200 for status, _ in found.values())

        await eventually(own_export_answers, timeout_s=30)
        other = await exports(system, programme.mentor_id, mentee)
        assert {service: status for service, (status, _) in other.items()} == dict.fromkeys(EXPORT, 404)
        anonymous = await exports(system, programme.mentee_id, {})
        assert {service: status for service, (status, _) in anonymous.items()} == dict.fromkeys(EXPORT, 401)
        company = await exports(system, programme.mentee_id, programme.company_keys["Nordvind"])
        assert all(status in (401, 403) for status, _ in company.values())

        reissued = await system.sessions.post(
            f"/v1/pairs/{programme.pair_id}/tokens", headers=STAFF, json={"roles": ["mentee"]}
        )
        assert reissued.status_code == 201, reissued.text
        new = bearer(reissued.json()["tokens"][0]["token"])

        async def old_refused_new_accepted() -> dict:
            old = await exports(system, programme.mentee_id, mentee)
            renewed = await exports(system, programme.mentee_id, new)
            return {s: (old[s][0], renewed[s][0]) for s in EXPORT}

        await eventually(old_refused_new_accepted, equals=dict.fromkeys(EXPORT, (401, 200)), timeout_s=30)
