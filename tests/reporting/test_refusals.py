"""The API's refusals follow the one error contract of every service: `{detail, code}`."""

from __future__ import annotations

from tests.reporting.conftest import Running
from tests.reporting.programme import KEYS
from tests.reporting.support import ADMIN, auth


async def test_refusals_name_a_stable_code(running: Running):
    client, cohort = running.client, running.programme.cohort_id
    unknown = "00000000-0000-0000-0000-000000000000"
    anonymous = await client.get("/api/cohorts")
    assert anonymous.json() == {"detail": "staff token or company key required", "code": "unauthorized"}
    assert anonymous.headers["www-authenticate"] == "Bearer"
    staff_only = await client.get(f"/api/programme/cohorts/{cohort}", headers=auth(KEYS["A"]))
    assert staff_only.json() == {"detail": "staff credentials required", "code": "staff_only"}
    company_only = await client.get(f"/api/company/cohorts/{cohort}", headers=auth(ADMIN))
    assert company_only.json()["code"] == "company_only"
    missing = await client.get(f"/api/programme/cohorts/{unknown}", headers=auth(ADMIN))
    assert missing.json() == {"detail": "no such cohort", "code": "cohort_not_found"}
    table = await client.get(f"/api/programme/cohorts/{cohort}/tables/ratings.csv", headers=auth(ADMIN))
    assert table.status_code == 404 and table.json()["code"] == "table_not_found"


async def test_the_dashboard_answers_an_unknown_cohort_with_a_page(running: Running):
    unknown = "00000000-0000-0000-0000-000000000000"
    page = await running.client.get(f"/dashboard/cohorts/{unknown}", headers=auth(ADMIN))
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html") and "No such cohort." in page.text
