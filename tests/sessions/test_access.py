"""Who may reach a pair: staff, and the pair's two members with their personal tokens; nobody else."""

from __future__ import annotations

import uuid

from shared.http.auth import new_key
from tests.sessions.support import STAFF, bearer, matched_pair, session_body


async def test_staff_issue_member_tokens_shown_once_and_issuing_again_revokes_the_old(running):
    matched, tokens = await matched_pair(running.settings, running.client)
    client = running.client

    me = (await client.get("/v1/me", headers=bearer(tokens["mentee"]))).json()
    assert me["role"] == "mentee" and me["pair_id"] == str(matched.pair_id)
    assert (await client.get("/v1/me", headers=bearer(tokens["mentor"]))).json()["role"] == "mentor"

    status = (await client.get(f"/v1/pairs/{matched.pair_id}", headers=STAFF)).json()
    assert {(t["role"], t["generation"]) for t in status["tokens"]} == {("mentor", 1), ("mentee", 1)}
    assert tokens["mentee"] not in str(status)  # only hashes are kept: never shown again

    again = await client.post(
        f"/v1/pairs/{matched.pair_id}/tokens", headers=STAFF, json={"roles": ["mentee"]}
    )
    assert again.status_code == 201
    [fresh] = again.json()["tokens"]
    assert fresh["role"] == "mentee" and fresh["generation"] == 2

    sessions = f"/v1/pairs/{matched.pair_id}/sessions"
    assert (await client.get(sessions, headers=bearer(tokens["mentee"]))).status_code == 404
    assert (await client.get("/v1/me", headers=bearer(tokens["mentee"]))).status_code == 401
    assert (await client.get(sessions, headers=bearer(fresh["token"]))).status_code == 200
    assert (await client.get(sessions, headers=bearer(tokens["mentor"]))).status_code == 200


async def test_another_pairs_token_gets_404_on_every_pair_resource(running):
    client = running.client
    pair_a, tokens_a = await matched_pair(running.settings, client)
    pair_b, tokens_b = await matched_pair(running.settings, client)
    logged = await client.post(
        f"/v1/pairs/{pair_b.pair_id}/sessions", headers=bearer(tokens_b["mentor"]), json=session_body()
    )
    assert logged.status_code == 201
    session_b = logged.json()["session_id"]

    intruder = bearer(tokens_a["mentor"])
    for method, path, body in _pair_resources(pair_b.pair_id, session_b):
        answer = await client.request(method, path, headers=intruder, json=body)
        assert answer.status_code == 404, (method, path, answer.text)
        assert answer.json() == {"detail": "not found", "code": "not_found"}

    # Nor through its own pair's path: a session id of pair B is not found under pair A.
    own_path = f"/v1/pairs/{pair_a.pair_id}/sessions/{session_b}"
    assert (await client.get(own_path, headers=intruder)).status_code == 404
    put = await client.put(own_path, headers=intruder, json=session_body(duration_minutes=30))
    assert put.status_code == 404
    retract = await client.post(f"{own_path}/retraction", headers=intruder, json={"reason": "duplicate"})
    assert retract.status_code == 404

    unchanged = await client.get(f"/v1/pairs/{pair_b.pair_id}/sessions/{session_b}", headers=STAFF)
    assert unchanged.json()["session"]["version"] == 1


async def test_a_partner_companys_key_and_no_credentials_get_404_even_with_bad_input(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    logged = await client.post(
        f"/v1/pairs/{pair.pair_id}/sessions", headers=bearer(tokens["mentee"]), json=session_body()
    )
    session_id = logged.json()["session_id"]
    company_key = bearer(new_key("mnc"))
    for headers in (company_key, {}, bearer("garbage"), {"Authorization": "Basic Zm9vOmJhcg=="}):
        for method, path, body in _pair_resources(pair.pair_id, session_id):
            answer = await client.request(method, path, headers=headers, json=body)
            assert answer.status_code == 404, (headers, method, path, answer.text)
        # Bad input does not reveal more than a good one: still 404, not 422.
        bad = await client.post(
            f"/v1/pairs/{pair.pair_id}/sessions", headers=headers, json={"duration_minutes": 1}
        )
        assert bad.status_code == 404
    assert (await client.get("/v1/pairs", headers=company_key)).status_code == 401
    assert (await client.get("/v1/me", headers=company_key)).status_code == 401


async def test_a_member_cannot_issue_tokens_and_staff_listing_is_staff_only(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    answer = await client.post(f"/v1/pairs/{pair.pair_id}/tokens", headers=bearer(tokens["mentor"]))
    assert answer.status_code == 403
    assert (await client.get("/v1/pairs", headers=bearer(tokens["mentor"]))).status_code == 401
    listed = (await client.get("/v1/pairs", headers=STAFF, params={"cohort_id": str(pair.cohort_id)})).json()
    assert [p["pair_id"] for p in listed] == [str(pair.pair_id)]


def _pair_resources(pair_id: uuid.UUID, session_id: str) -> list[tuple[str, str, dict | None]]:
    base = f"/v1/pairs/{pair_id}"
    return [
        ("GET", base, None),
        ("GET", f"{base}/sessions", None),
        ("POST", f"{base}/sessions", session_body(start_time="08:00")),
        ("GET", f"{base}/sessions/{session_id}", None),
        ("PUT", f"{base}/sessions/{session_id}", session_body(duration_minutes=30)),
        ("POST", f"{base}/sessions/{session_id}/retraction", {"reason": "duplicate"}),
        ("POST", f"{base}/tokens", None),
    ]


async def test_the_api_is_described_by_openapi(running):
    spec = (await running.client.get("/openapi.json")).json()
    assert {"/v1/pairs/{pair_id}/sessions", "/v1/pairs/{pair_id}/tokens", "/v1/me"} <= set(spec["paths"])
    assert (await running.client.get("/docs")).status_code == 200
