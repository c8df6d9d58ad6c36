"""A member's phone sends what an attacker would: a NUL in the notes or the start time. Each is a 422
naming the field (it was a 500: PostgreSQL cannot store NUL), and nothing is logged (issue 16)."""

from __future__ import annotations

import pytest

from tests.sessions.support import bearer, matched_pair, session_body


@pytest.mark.parametrize("field", ["notes", "start_time"])
async def test_a_nul_in_a_session_or_its_correction_is_a_422_naming_the_field(running, field):
    matched, tokens = await matched_pair(running.settings, running.client)
    member, path = bearer(tokens["mentee"]), f"/v1/pairs/{matched.pair_id}/sessions"
    refused = await running.client.post(path, headers=member, json=session_body(**{field: "10:\x0000"}))
    assert refused.status_code == 422, refused.text
    assert [(p["loc"], p["type"]) for p in refused.json()["detail"]] == [(["body", field], "nul_character")]
    assert (await running.client.get(path, headers=member)).json() == []

    logged = await running.client.post(path, headers=member, json=session_body(notes="fine"))
    assert logged.status_code == 201, logged.text
    session = f"{path}/{logged.json()['session_id']}"
    corrected = await running.client.put(
        session, headers=member, json=session_body(**{field: "10:\x0000"}, base_version=1)
    )
    assert corrected.status_code == 422, corrected.text
    assert [(p["loc"], p["type"]) for p in corrected.json()["detail"]] == [(["body", field], "nul_character")]
    [kept] = (await running.client.get(path, headers=member)).json()
    assert (kept["notes"], kept["version"]) == ("fine", 1)
