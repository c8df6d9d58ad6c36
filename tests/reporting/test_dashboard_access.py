"""Signing in to the dashboard: a form or a one-time link opens an expiring server-side session whose
cookie is a random value, never the credential; no secret in an address; every POST from this site."""

from __future__ import annotations

import httpx

from services.reporting.store.sign_ins import Kind
from tests.reporting.conftest import Running
from tests.reporting.programme import KEYS, REVOKED_KEY
from tests.reporting.support import ADMIN, auth, html_cells, signed_link

COOKIE = "mentornet_reporting"


async def test_without_credentials_the_dashboard_asks_to_sign_in(running: Running):
    for path in ("/dashboard", f"/dashboard/cohorts/{running.programme.cohort_id}"):
        response = await running.client.get(path)
        assert response.status_code == 401
        assert 'action="/dashboard/login"' in response.text
    assert (await running.client.get("/")).headers["location"] == "/dashboard"


async def _stored(running: Running) -> list[str]:
    async with running.app.state.runtime.pool.acquire() as conn:
        rows = await conn.fetch("SELECT * FROM dashboard_sign_ins")
    return [str(value) for row in rows for value in row.values()]


async def _expire(running: Running, kind: Kind) -> None:
    async with running.app.state.runtime.pool.acquire() as conn:
        await conn.execute(
            "UPDATE dashboard_sign_ins SET expires_at = now() - interval '1 second' WHERE kind = $1", kind
        )


async def test_the_sign_in_form_opens_a_server_side_session_that_sign_out_ends(running: Running):
    client = running.client
    signed_in = await client.post("/dashboard/login", data={"token": KEYS["A"]})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/dashboard"
    cookie = signed_in.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Max-Age=28800" in cookie and "Secure" not in cookie  # plain http here
    value = signed_in.cookies[COOKIE]
    assert KEYS["A"] not in cookie and len(value) >= 40
    stored = await _stored(running)
    assert not any(KEYS["A"] in v or value in v for v in stored), "only hashes are kept"
    try:
        client.cookies.set(COOKIE, value)
        listing = await client.get("/dashboard")
        assert listing.status_code == 200 and "Nordlys Energi" in listing.text and "2027" in listing.text
        page = await client.get(f"/dashboard/cohorts/{running.programme.cohort_id}")
        assert html_cells(page.text)["summary/participants/value"] == "5"
        csv = await client.get(f"/api/company/cohorts/{running.programme.cohort_id}/tables/summary.csv")
        assert csv.status_code == 200 and "participants" in csv.text
        signed_out = await client.post("/dashboard/logout", headers={"Origin": "http://testserver"})
        assert signed_out.status_code == 303
        assert f'{COOKIE}=""' in signed_out.headers["set-cookie"]
        assert "Max-Age=0" in signed_out.headers["set-cookie"]
        client.cookies.set(COOKIE, value)  # a browser that kept it: the session is gone here
        assert (await client.get("/dashboard")).status_code == 401
    finally:
        client.cookies.clear()


async def test_a_session_ends_when_it_expires(running: Running):
    client = running.client
    value = (await client.post("/dashboard/login", data={"token": ADMIN})).cookies[COOKIE]
    try:
        client.cookies.set(COOKIE, value)
        assert (await client.get("/dashboard")).status_code == 200
        await _expire(running, "session")
        assert (await client.get("/dashboard")).status_code == 401
        assert (await client.get("/api/cohorts")).status_code == 401
    finally:
        client.cookies.clear()


async def test_wrong_empty_or_revoked_credentials_do_not_sign_in(running: Running):
    for token, message in (("nope", "not valid"), ("", "Enter a token"), (REVOKED_KEY, "not valid")):
        response = await running.client.post("/dashboard/login", data={"token": token})
        assert response.status_code == 401
        assert message in response.text
        assert "set-cookie" not in response.headers


async def test_a_secret_in_the_address_signs_no_one_in(running: Running):
    cohort = running.programme.cohort_id
    for path in (f"/dashboard/cohorts/{cohort}?token={ADMIN}", f"/api/cohorts?token={ADMIN}"):
        response = await running.client.get(path)
        assert response.status_code == 401 and "set-cookie" not in response.headers


async def test_a_one_time_code_signs_one_browser_in_from_a_link(running: Running):
    client, cohort = running.client, running.programme.cohort_id
    assert (await client.post("/api/sign-in-codes")).status_code == 401
    assert (await client.post("/api/sign-in-codes", headers=auth("mn_wrong"))).status_code == 401
    link = await signed_link(client, f"/dashboard/cohorts/{cohort}", KEYS["B"])
    try:
        opened = await client.get(link)
        assert opened.status_code == 303 and opened.headers["location"] == f"/dashboard/cohorts/{cohort}"
        assert "HttpOnly" in opened.headers["set-cookie"]
        client.cookies.set(COOKIE, opened.cookies[COOKIE])
        page = await client.get(f"/dashboard/cohorts/{cohort}")
        assert page.status_code == 200 and "Fjordbank" in page.text
    finally:
        client.cookies.clear()
    again = await client.get(link)
    assert again.status_code == 401 and "has been used or has expired" in again.text
    late = await signed_link(client, "/dashboard", ADMIN)
    await _expire(running, "code")
    assert (await client.get(late)).status_code == 401


async def test_the_cookie_is_secure_over_https_and_behind_a_trusted_proxy(running: Running):
    transport = httpx.ASGITransport(app=running.app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as https:
        assert "Secure" in (await https.post("/dashboard/login", data={"token": ADMIN})).headers["set-cookie"]
    behind = {"X-Forwarded-Proto": "https"}
    untrusted = await running.client.post("/dashboard/login", data={"token": ADMIN}, headers=behind)
    assert "Secure" not in untrusted.headers["set-cookie"]  # anyone can send the header
    running.client.cookies.clear()
    running.settings.trust_forwarded_headers = True
    try:
        trusted = await running.client.post("/dashboard/login", data={"token": ADMIN}, headers=behind)
        assert "Secure" in trusted.headers["set-cookie"]
    finally:
        running.settings.trust_forwarded_headers = False
        running.client.cookies.clear()


async def test_a_post_with_the_cookie_from_another_site_is_refused(running: Running):
    client = running.client
    value = (await client.post("/dashboard/login", data={"token": ADMIN})).cookies[COOKIE]
    try:
        client.cookies.set(COOKIE, value)
        for origin in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {}):
            for path in ("/api/rebuild", "/dashboard/logout", "/dashboard/login"):
                refused = await client.post(path, headers=origin, data={"token": ADMIN})
                assert refused.status_code == 403, (path, origin, refused.text)
                assert refused.json()["code"] == "cross_origin"
        from_a_page = {"Referer": "http://testserver/dashboard"}
        assert (await client.get("/dashboard")).status_code == 200  # still signed in
        assert (await client.post("/dashboard/logout", headers=from_a_page)).status_code == 303
    finally:
        client.cookies.clear()
    # an API client (bearer, no cookie) sends no Origin: not a browser, nothing to forge
    assert (await client.post("/api/sign-in-codes", headers=auth(ADMIN))).status_code == 201


async def test_pages_load_nothing_from_anywhere(running: Running):
    headers = {"Authorization": f"Bearer {ADMIN}"}
    page = await running.client.get(f"/dashboard/cohorts/{running.programme.cohort_id}", headers=headers)
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "same-origin"
    for marker in ("<script", "src=", "http://", "https://", "@import", "url(http"):
        assert marker not in page.text.replace('xmlns="http://www.w3.org/2000/svg"', ""), marker
