"""The dashboard in a real browser: headless Chromium opens both views and the numbers it shows are
the report's numbers, exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.reporting.browser import ChromiumMissing, chromium_binary, dump_dom, evaluate, screenshot, serving
from tests.reporting.conftest import Running
from tests.reporting.programme import COMPANIES, KEYS
from tests.reporting.support import ADMIN, auth, expected_cells, html_cells, signed_link

pytestmark = pytest.mark.browser


def require_chromium() -> None:
    """A missing browser fails the test (it is not skipped): the dashboard would go unchecked."""
    try:
        chromium_binary()
    except ChromiumMissing as missing:
        pytest.fail(str(missing), pytrace=False)


async def _json(running: Running, view: str, token: str) -> dict[str, Any]:
    url = f"/api/{view}/cohorts/{running.programme.cohort_id}"
    return (await running.client.get(url, headers=auth(token))).json()


async def test_staff_dashboard_shows_the_programme_figures(running: Running, tmp_path: Path):
    require_chromium()
    report = await _json(running, "programme", ADMIN)
    async with serving(running.app) as base:
        page = f"/dashboard/cohorts/{running.programme.cohort_id}"
        dom = await dump_dom(base + await signed_link(running.client, page, ADMIN))
        shot = await screenshot(base + await signed_link(running.client, page, ADMIN), tmp_path / "staff.png")
    cells = html_cells(dom)
    assert cells == expected_cells(report)
    assert cells["summary/participants/value"] == "13"
    assert cells["summary/sessions/value"] == "9"
    assert cells["summary/hours/value"] == "14.75"
    assert cells["summary/at_risk/value"] == "2"
    p3 = str(running.programme.pair("P3"))
    assert cells[f"at_risk/{p3}/mentee"] == "Dorte Eg"
    assert cells[f"at_risk/{p3}/mentor_hr_contact"] == "Cecilie Carlsen <cecilie@kystlogistik.example>"
    assert cells["sessions_over_time/2027-03/sessions_per_pair"] == "0.43"
    assert cells["ended/mentee changed role/pairs"] == "1"
    assert dom.count("<svg") == 5  # the charts, drawn on the server
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000


async def test_company_dashboard_shows_only_its_own_aggregates(running: Running):
    require_chromium()
    report = await _json(running, "company", KEYS["B"])
    async with serving(running.app) as base:
        page = f"/dashboard/cohorts/{running.programme.cohort_id}"
        dom = await dump_dom(base + await signed_link(running.client, page, KEYS["B"]))
    cells = html_cells(dom)
    assert cells == expected_cells(report)
    assert cells["summary/participants/value"] == "5"
    assert cells["summary/mentees/value"] == "<3"
    assert cells["summary/sessions/value"] == "7"
    assert cells["at_risk/no_recent_session/pairs"] == "<3"
    assert cells["ended/other reasons/pairs"] == "<3"
    assert "Fjordbank" in dom
    assert COMPANIES["A"][0] not in dom and COMPANIES["C"][0] not in dom
    assert "Gustav Hav" not in dom  # its own mentor, in a pair at risk: still no name


async def test_a_used_or_wrong_sign_in_link_gets_the_sign_in_form(running: Running):
    require_chromium()
    async with serving(running.app) as base:
        link = base + await signed_link(running.client, "/dashboard", ADMIN)
        assert "That sign-in link" not in await dump_dom(link)  # its first use signs in
        used = await dump_dom(link)  # a new browser profile: the code is used up
        wrong = await dump_dom(f"{base}/dashboard?code=not-a-code")
        with_token = await dump_dom(f"{base}/dashboard?token={ADMIN}")  # a secret in a link opens nothing
    for dom in (used, wrong):
        assert "That sign-in link has been used or has expired" in dom
        assert 'action="/dashboard/login"' in dom
    assert 'action="/dashboard/login"' in with_token


PHONE = {
    "inner_width": "window.innerWidth",
    "scroll_width": "document.scrollingElement.scrollWidth",
    "bars": "document.querySelectorAll('svg.chart .bar').length",
    "hidden": """[...document.querySelectorAll('svg.chart g.point')]
        .filter(point => point.dataset.value === '<3')
        .map(point => ({
            bars: [...point.querySelectorAll('.bar')].map(bar => bar.getBBox().height),
            marker: point.querySelectorAll('.marker').length,
            shown: point.querySelector('text.value').textContent,
            said: point.querySelector('title').textContent,
        }))""",
    "described": "[...document.querySelectorAll('svg.chart desc')].map(d => d.textContent).join(' | ')",
}


async def test_both_dashboards_fit_a_phone_and_a_hidden_count_has_no_bar(running: Running, tmp_path: Path):
    require_chromium()
    cohort = running.programme.cohort_id
    async with serving(running.app) as base:
        company = await evaluate(
            base + await signed_link(running.client, f"/dashboard/cohorts/{cohort}", KEYS["B"]),
            PHONE,
            screenshot_to=tmp_path / "phone.png",
        )
        staff = await evaluate(
            base + await signed_link(running.client, f"/dashboard/cohorts/{cohort}", ADMIN), PHONE
        )
    for page in (company, staff):
        assert page["inner_width"] == 390
        assert page["scroll_width"] <= page["inner_width"], "the page scrolls sideways at phone width"
        assert page["bars"] > 0
    assert company["hidden"], "the company view has counts shown as <3 in its charts"
    for point in company["hidden"]:
        assert point == {
            "bars": [],
            "marker": 1,
            "shown": "<3",
            "said": point["said"].split(":")[0]
            + ": fewer than 3 (hidden so no individual can be singled out)",
        }
    assert "fewer than 3" in company["described"] and "<3" not in company["described"]
    assert staff["hidden"] == []
    assert (tmp_path / "phone.png").read_bytes().startswith(b"\x89PNG")


async def test_a_browser_signs_in_with_the_form(running: Running):
    """The form posts from the page itself: the browser's Origin passes the cross-site check (with a
    no-referrer policy Chromium would send `Origin: null` and be refused), and no script reads the
    session's cookie (HttpOnly)."""
    require_chromium()
    fill = (
        f"document.getElementById('token').value = {ADMIN!r}; document.querySelector('form.login').submit()"
    )
    seen = {
        "path": "location.pathname",
        "heading": "document.querySelector('h1').textContent",
        "cookie": "document.cookie",
    }
    async with serving(running.app) as base:
        page = await evaluate(f"{base}/dashboard/login", seen, first=fill)
    assert page["path"] == "/dashboard" and page["heading"] != "Sign in", page
    assert page["cookie"] == ""
