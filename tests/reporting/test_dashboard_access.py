"""Signing in to the dashboard: a form or a link sets an HTTP-only cookie; nothing else gets in."""

from __future__ import annotations

from tests.reporting.conftest import Running
from tests.reporting.programme import KEYS, REVOKED_KEY
from tests.reporting.support import ADMIN, html_cells


async def test_without_credentials_the_dashboard_asks_to_sign_in(running: Running):
    for path in ("/dashboard", f"/dashboard/cohorts/{running.programme.cohort_id}"):
        response = await running.client.get(path)
        assert response.status_code == 401
        assert 'action="/dashboard/login"' in response.text
    assert (await running.client.get("/")).headers["location"] == "/dashboard"


async def test_the_sign_in_form_sets_a_cookie_that_opens_pages_and_csv_until_sign_out(running: Running):
    client = running.client
    signed_in = await client.post("/dashboard/login", data={"token": KEYS["A"]})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/dashboard"
    cookie = signed_in.headers["set-cookie"]
    assert cookie.startswith("mentornet_reporting=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    jar = {"mentornet_reporting": KEYS["A"]}
    try:
        client.cookies.update(jar)
        listing = await client.get("/dashboard")
        assert listing.status_code == 200 and "Nordlys Energi" in listing.text and "2027" in listing.text
        page = await client.get(f"/dashboard/cohorts/{running.programme.cohort_id}")
        assert html_cells(page.text)["summary/participants/value"] == "5"
        csv = await client.get(f"/api/company/cohorts/{running.programme.cohort_id}/tables/summary.csv")
        assert csv.status_code == 200 and "participants" in csv.text
        signed_out = await client.post("/dashboard/logout")
        assert signed_out.status_code == 303
        assert 'mentornet_reporting=""' in signed_out.headers["set-cookie"]
        assert "Max-Age=0" in signed_out.headers["set-cookie"]
    finally:
        client.cookies.clear()


async def test_wrong_empty_or_revoked_credentials_do_not_sign_in(running: Running):
    for token, message in (("nope", "not valid"), ("", "Enter a token"), (REVOKED_KEY, "not valid")):
        response = await running.client.post("/dashboard/login", data={"token": token})
        assert response.status_code == 401
        assert message in response.text
        assert "set-cookie" not in response.headers


async def test_a_link_with_a_token_signs_in_and_drops_the_token_from_the_address(running: Running):
    cohort = running.programme.cohort_id
    response = await running.client.get(f"/dashboard/cohorts/{cohort}?token={ADMIN}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/dashboard/cohorts/{cohort}"
    assert response.headers["set-cookie"].startswith(f"mentornet_reporting={ADMIN}")
    running.client.cookies.clear()


async def test_pages_load_nothing_from_anywhere(running: Running):
    headers = {"Authorization": f"Bearer {ADMIN}"}
    page = await running.client.get(f"/dashboard/cohorts/{running.programme.cohort_id}", headers=headers)
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["cache-control"] == "no-store"
    for marker in ("<script", "src=", "http://", "https://", "@import", "url(http"):
        assert marker not in page.text.replace('xmlns="http://www.w3.org/2000/svg"', ""), marker
