"""A mentee and a mentor on a phone (390 x 844): the personal link signs the browser in and leaves the
address bar clean, the pair page says who is who and whom to contact, a session is logged in a few
taps (a bad field first), corrected and retracted; notes are the pair's alone; another pair is a 404."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import Page, expect

from tests.web.browser import PHONE, check_page, screenshot
from tests.web.conftest import Stack, query
from tests.web.people_support import matched_pair

ZONE = ZoneInfo("Europe/Copenhagen")


def sessions_of(stack: Stack, pair_id: str, token: str) -> list[dict]:
    with stack.api("sessions", token) as api:
        answer = api.get(f"/v1/pairs/{pair_id}/sessions")
        assert answer.status_code == 200, answer.text
        return list(answer.json())


def test_a_mentee_logs_corrects_and_retracts_sessions_on_a_phone(page: Page, stack: Stack, web: str):
    assert page.viewport_size == PHONE
    pair = matched_pair(stack, "Mette Jensen", "Jens Lund")
    token = pair.tokens["mentee"]
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])

    page.goto(f"{web}/p/{token}")
    expect(page).to_have_url(f"{web}/pair/{pair.pair_id}")  # the secret is gone from the address
    assert token not in page.url
    cookie = next(c for c in page.context.cookies() if c["name"] == "mentornet_pair")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and token not in cookie["value"]
    assert all(token not in c["value"] for c in page.context.cookies())
    rows = query(stack, "SELECT id_hash FROM member_sessions")
    assert cookie["value"] not in [r["id_hash"] for r in rows]  # only its hash is kept

    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentoring pair")
    members = page.locator("ul.members")
    expect(members).to_contain_text("Jens Lund")
    expect(members).to_contain_text(pair.mentor_company.name)
    expect(members).to_contain_text("Mette Jensen")
    expect(members).to_contain_text(pair.mentee_company.hr_contact_email)
    expect(page.get_by_text(re.compile("You take the first step: contact your mentor"))).to_be_visible()
    check_page(page)
    screenshot(page, "web-pair")

    # a bad field first: a day in the future, said next to the date; nothing logged
    page.get_by_role("link", name="Log a session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")
    check_page(page)
    page.get_by_label("Date").fill("2099-01-01")
    page.get_by_label("Start").fill("08:00")
    page.get_by_label("Private notes").fill("We talked about the reorganisation.")
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_label("Date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-held_on")).to_be_visible()
    expect(page.get_by_label("Private notes")).to_have_value("We talked about the reorganisation.")
    check_page(page)
    screenshot(page, "web-pair-log-error")
    assert sessions_of(stack, pair.pair_id, token) == []

    # the quick way: today is already there, an hour and in person are the defaults; the start is all
    today = datetime.now(ZONE).date()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Start").fill("00:05")
    page.get_by_label("90 min").check()
    page.get_by_label("Online").check()
    page.get_by_label("Coaching").check()
    page.get_by_label("Sharing experience").check()
    page.get_by_label("5 of 5").check()
    page.get_by_role("button", name="Save the session").click()
    expect(page).to_have_url(f"{web}/pair/{pair.pair_id}?done=logged")
    expect(page.get_by_role("status")).to_have_text("Session saved.")
    first = page.locator("li.session").first
    expect(first).to_contain_text("90 min")
    expect(first).to_contain_text("We talked about the reorganisation.")
    check_page(page)

    page.get_by_role("link", name="Log a session").click()
    started = datetime.now()
    page.get_by_label("Start").fill("00:10")  # one field: the rest are the defaults
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_role("status")).to_have_text("Session saved.")
    assert (datetime.now() - started).total_seconds() < 60
    logged = sessions_of(stack, pair.pair_id, token)
    assert sorted((s["start_time"], s["duration_minutes"], s["format"]) for s in logged) == [
        ("00:05", 90, "online"),
        ("00:10", 60, "in_person"),
    ]

    # correct the first: 75 minutes, from the list
    page.get_by_role("link", name=re.compile("Correct or retract.*00:05")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the session")
    expect(page.get_by_label("Private notes")).to_have_value("We talked about the reorganisation.")
    check_page(page)
    screenshot(page, "web-pair-correct")
    page.get_by_label("Other", exact=True).check()
    page.get_by_label(re.compile("Other length")).fill("75")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_role("status")).to_have_text("Correction saved.")
    expect(page.locator("li.session", has_text="00:05")).to_contain_text("75 min")

    # retract the second
    page.get_by_role("link", name=re.compile("Correct or retract.*00:10")).click()
    page.get_by_label("Why?").select_option("logged_by_mistake")
    page.get_by_role("button", name="Retract").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("retracted"))
    expect(page.locator("li.session")).to_have_count(1)
    check_page(page)
    assert [(s["start_time"], s["duration_minutes"]) for s in sessions_of(stack, pair.pair_id, token)] == [
        ("00:05", 75)
    ]

    # the notes passed through the web app and stayed nowhere in it: not its database, not its log
    for table in ("web_sessions", "member_sessions", "member_pairs", "company_uploads", "sign_in_failures"):
        assert "reorganisation" not in repr(query(stack, f"SELECT * FROM {table}")), table
    web_log = stack.stack._log_path("web")
    assert web_log.exists() and "reorganisation" not in web_log.read_text(errors="replace")

    # the mentor, on another phone, sees the same sessions and the notes: they are the pair's
    mentor_page = page.context.browser.new_context(viewport=PHONE, locale="en-GB").new_page()  # type: ignore[union-attr]
    mentor_page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    mentor_page.goto(f"{web}/p/{pair.tokens['mentor']}")
    expect(mentor_page.locator("li.session")).to_contain_text("We talked about the reorganisation.")
    expect(mentor_page.get_by_text(re.compile("Your mentee will contact you"))).to_be_visible()
    mentor_page.context.close()

    # sign out: this browser forgets the pair
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This browser has forgotten your pair")
    check_page(page)
    response = page.goto(f"{web}/pair/{pair.pair_id}")
    assert response is not None and response.status == 404


def test_another_pairs_page_and_sessions_are_404_and_notes_stay_with_the_pair(
    page: Page, stack: Stack, web: str
):
    ours, theirs = (
        matched_pair(stack, "Sara Lund", "Dorte Friis"),
        matched_pair(stack, "Carl Berg", "Erik Skov"),
    )
    with stack.api("sessions", theirs.tokens["mentee"]) as api:
        today = datetime.now(ZONE).date().isoformat()
        body = {"held_on": today, "start_time": "00:01", "duration_minutes": 60, "format": "phone",
                "notes": "Their secret notes"}  # fmt: skip
        their_session = api.post(f"/v1/pairs/{theirs.pair_id}/sessions", json=body).json()["session_id"]
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    page.goto(f"{web}/p/{ours.tokens['mentee']}")
    expect(page).to_have_url(f"{web}/pair/{ours.pair_id}")

    # in Danish, and by keyboard alone: Tab to the start time, type it, Enter saves
    page.get_by_role("button", name="Dansk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jeres mentorpar")
    check_page(page)
    page.get_by_role("link", name="Registrér en samtale").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrér en samtale")
    start = page.get_by_label("Start")
    for _ in range(10):
        page.keyboard.press("Tab")
        if start.evaluate("e => e === document.activeElement"):
            break
    expect(start).to_be_focused()
    page.keyboard.type("0100A")  # 01:00 in a 24-hour field and in a 12-hour one (AM)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Samtalen er gemt.")
    check_page(page)
    screenshot(page, "web-pair-da")
    assert [s["start_time"] for s in sessions_of(stack, ours.pair_id, ours.tokens["mentee"])] == ["01:00"]
    page.get_by_role("button", name="English").click()

    # a correction from a stale page (the mentor corrected it meanwhile) is refused, not overwritten
    page.get_by_role("link", name=re.compile("Correct or retract.*01:00")).click()
    page.get_by_label("120 min").check()
    with stack.api("sessions", ours.tokens["mentor"]) as mentor:
        [logged] = sessions_of(stack, ours.pair_id, ours.tokens["mentor"])
        body = {k: logged[k] for k in ("held_on", "start_time", "duration_minutes", "format", "tools")}
        changed = mentor.put(
            f"/v1/pairs/{ours.pair_id}/sessions/{logged['session_id']}", json={**body, "duration_minutes": 45}
        )
        assert changed.status_code == 200, changed.text
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator("#e-_form")).to_contain_text("read it again")
    expect(page.get_by_label("120 min")).to_be_checked()  # what was chosen stays
    check_page(page)
    assert sessions_of(stack, ours.pair_id, ours.tokens["mentee"])[0]["duration_minutes"] == 45
    page.goto(f"{web}/pair/{ours.pair_id}")

    for path in (
        f"/pair/{theirs.pair_id}",
        f"/pair/{theirs.pair_id}/sessions/new",
        f"/pair/{theirs.pair_id}/sessions/{their_session}",
        f"/pair/{ours.pair_id}/sessions/{their_session}",
        "/p/mnp_not-a-real-token",
    ):
        response = page.goto(f"{web}{path}")
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        assert "Their secret notes" not in page.content() and "Carl Berg" not in page.content()
    check_page(page)
    # a form posted at their pair from our browser logs nothing there
    csrf = query(stack, "SELECT csrf_token FROM member_sessions ORDER BY created_at DESC LIMIT 1")[0][
        "csrf_token"
    ]
    answer = page.request.post(
        f"{web}/pair/{theirs.pair_id}/sessions",
        form={
            "member_csrf": str(csrf),
            "held_on": today,
            "start_time": "00:02",
            "duration_minutes": "60",
            "format": "phone",
        },  # fmt: skip
    )
    assert answer.status == 404
    assert len(sessions_of(stack, theirs.pair_id, theirs.tokens["mentee"])) == 1
    # a company's HR contact or staff are not members: the pair pages do not exist for them
    with httpx.Client(base_url=web) as stranger:
        assert stranger.get(f"/pair/{ours.pair_id}").status_code == 404
        assert stranger.get("/pair").status_code == 404
    # a form without the member's CSRF token, or from another site, is refused
    refused = page.request.post(
        f"{web}/pair/{ours.pair_id}/sessions",
        form={"held_on": today, "start_time": "00:03", "duration_minutes": "60", "format": "phone"},
    )
    forged = page.request.post(
        f"{web}/pair/{ours.pair_id}/sessions",
        form={
            "member_csrf": str(csrf),
            "held_on": today,
            "start_time": "00:03",
            "duration_minutes": "60",
            "format": "phone",
        },  # fmt: skip
        headers={"Origin": "https://evil.example"},
    )
    assert (refused.status, forged.status) == (403, 403)
    assert len(sessions_of(stack, ours.pair_id, ours.tokens["mentee"])) == 1


def test_one_browser_holds_several_pairs_and_a_reissued_link_stops_the_old_one(
    page: Page, stack: Stack, web: str
):
    first, second = matched_pair(stack, "Ida Holm", "Ole Bak"), matched_pair(stack, "Eva Lind", "Bo Dahl")
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    page.goto(f"{web}/p/{first.tokens['mentor']}")
    expect(page).to_have_url(f"{web}/pair/{first.pair_id}")
    page.goto(f"{web}/p/{second.tokens['mentor']}")  # a mentor with a second mentee: the same browser
    expect(page).to_have_url(f"{web}/pair/{second.pair_id}")
    assert len([c for c in page.context.cookies() if c["name"] == "mentornet_pair"]) == 1
    page.get_by_role("link", name="All your pairs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your pairs")
    check_page(page)
    page.get_by_role("link", name="As Mentor 1").click()
    expect(page).to_have_url(f"{web}/pair/{first.pair_id}")
    expect(page.locator("ul.members")).to_contain_text("Ida Holm")

    # staff issue the first pair's mentor a new link: the old one no longer opens the pair
    with stack.api("sessions") as staff:
        reissued = staff.post(f"/v1/pairs/{first.pair_id}/tokens", json={"roles": ["mentor"]})
        assert reissued.status_code == 201, reissued.text
        new_token = reissued.json()["tokens"][0]["token"]
    response = page.goto(f"{web}/pair/{first.pair_id}")
    assert response is not None and response.status == 404
    assert query(stack, "SELECT 1 FROM member_pairs WHERE credential = $1", first.tokens["mentor"]) == []
    response = page.goto(f"{web}/p/{first.tokens['mentor']}")
    assert response is not None and response.status == 404
    page.goto(f"{web}/p/{new_token}")
    expect(page).to_have_url(f"{web}/pair/{first.pair_id}")
    expect(page.locator("ul.members")).to_contain_text("Ole Bak")
    response = page.goto(f"{web}/pair/{second.pair_id}")  # the other pair is untouched
    assert response is not None and response.status == 200
