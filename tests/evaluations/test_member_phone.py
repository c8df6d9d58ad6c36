"""In the browser: staff set a cohort's timeline and open its mid-point evaluation; the mentee, on a
phone (390 x 844), records the pair's agreement and the mentor confirms it from their own phone; the
mentee answers the evaluation once, with a quote consented for publication; staff see the rates, the
agreement and the quote signed "Mentee <year>" only; the mentee withdraws the consent and the quote is
unlisted; staff close the cohort."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.web import conftest as web_stack
from tests.web.browser import PHONE, check_page, launch, sign_in
from tests.web.conftest import STAFF_TOKEN, Stack, context, page, query, web  # noqa: F401
from tests.web.people_support import eventually, matched_pair

ZONE = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """The whole stack for this module only: gone before the next module's tests."""
    yield from web_stack.stack.__wrapped__()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for this module only: Playwright's loop must be gone before the asyncio tests after it."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def test_staff_open_an_evaluation_and_a_member_answers_it_on_a_phone(page: Page, stack: Stack, web: str):  # noqa: F811
    today = datetime.now(ZONE).date()
    pair = matched_pair(stack, "Mette Jensen", "Jens Lund")
    with stack.api("sessions", pair.tokens["mentee"]) as mentee_api:
        body = {
            "held_on": today.isoformat(),
            "start_time": "00:02",
            "duration_minutes": 60,
            "format": "online",
        }
        assert mentee_api.post(f"/v1/pairs/{pair.pair_id}/sessions", json=body).status_code == 201
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])

    # staff: the timeline and the mid-point evaluation
    kickoff = today - timedelta(days=5)
    sign_in(page, web, STAFF_TOKEN)
    page.goto(f"{web}/staff/cohorts/{pair.cohort_id}")
    page.get_by_role("link", name="Programme year: timeline and evaluations").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The programme year")
    page.get_by_label("Kick-off").fill(kickoff.isoformat())
    page.get_by_label("Mid-point").fill((today - timedelta(days=10)).isoformat())  # before the kick-off
    page.get_by_role("button", name="Save the timeline").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Mid-point").fill((today + timedelta(days=100)).isoformat())
    page.get_by_label("Closing").fill((today + timedelta(days=200)).isoformat())
    page.get_by_role("button", name="Save the timeline").click()
    expect(page.get_by_role("status")).to_have_text("Timeline saved.")
    page.get_by_label("Which evaluation").select_option("midpoint")
    page.get_by_label("Opens").fill(today.isoformat())
    page.get_by_label("Closes").fill((today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Open the evaluation").click()
    expect(page.get_by_role("status")).to_have_text("Evaluation opened.")
    check_page(page)

    # the mentee on a phone: the agreement, with confidentiality confirmed
    mentee = page.context.browser.new_context(viewport=PHONE, locale="en-GB").new_page()  # type: ignore[union-attr]
    mentee.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    mentee.goto(f"{web}/p/{pair.tokens['mentee']}")
    mentee.get_by_role("link", name="Your agreement").click()
    expect(mentee.get_by_role("heading", level=1)).to_have_text("Your agreement")
    check_page(mentee)
    mentee.get_by_label("How often do you meet?").select_option("monthly")
    mentee.get_by_label("Practical terms").fill("Harbour café, first Monday, two hours")
    mentee.get_by_label(re.compile("stays between us")).check()
    mentee.get_by_role("button", name="Save the agreement").click()
    expect(mentee.get_by_role("status")).to_have_text("Agreement saved.")
    expect(mentee.locator("dl.facts")).to_contain_text("not yet")  # the mentor has not confirmed

    # the mentor confirms from their own phone
    mentor = page.context.browser.new_context(viewport=PHONE, locale="en-GB").new_page()  # type: ignore[union-attr]
    mentor.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    mentor.goto(f"{web}/p/{pair.tokens['mentor']}")
    mentor.get_by_role("link", name="Your agreement").click()
    expect(mentor.get_by_label("Practical terms")).to_have_value("Harbour café, first Monday, two hours")
    mentor.get_by_role("button", name="I confirm the agreement and its confidentiality").click()
    expect(mentor.get_by_role("status")).to_have_text("You confirmed the agreement.")
    expect(mentor.locator("dl.facts")).not_to_contain_text("not yet")
    mentor.context.close()

    # the mentee answers the evaluation: a missing scale first, then the whole answer, once
    mentee.goto(f"{web}/pair/{pair.pair_id}")
    mentee.get_by_role("link", name="Evaluations").click()
    mentee.get_by_role("link", name=re.compile("^Answer")).click()
    expect(mentee.get_by_role("heading", level=1)).to_have_text("Mid-point evaluation")
    check_page(mentee)
    for question in ("met my expectations", "I learned", "openly"):
        mentee.get_by_role("group", name=re.compile(question)).get_by_label("4 of 5").check()
    mentee.get_by_label("What did the relation give you?").fill("Courage to delegate")
    mentee.get_by_label("A quote we may publish").fill("A view from outside changed how I lead.")
    mentee.get_by_label(re.compile("you may publish my quote")).check()
    mentee.get_by_role("button", name="Send my answer").click()
    expect(mentee.locator("#e-scores\\.programme")).to_be_visible()
    expect(mentee.get_by_label("What did the relation give you?")).to_have_value("Courage to delegate")
    mentee.get_by_role("group", name=re.compile("well organised")).get_by_label("5 of 5").check()
    mentee.get_by_role("button", name="Send my answer").click()
    expect(mentee.get_by_role("status")).to_have_text("Thank you: your answer is saved.")
    expect(mentee.locator("li.session")).to_contain_text("answered")
    expect(mentee.get_by_role("link", name=re.compile("^Answer"))).to_have_count(0)
    check_page(mentee)
    mentee.get_by_role("button", name="Dansk").click()  # the same page in Danish
    expect(mentee.get_by_role("heading", level=1)).to_have_text("Evalueringer")
    expect(mentee.locator("li.session")).to_contain_text("besvaret")
    check_page(mentee)
    mentee.context.close()

    # staff: the figures, the agreement and the quote signed by role and year only
    def results_in() -> bool:
        page.goto(f"{web}/staff/cohorts/{pair.cohort_id}/year")
        return "1 of 1" in (page.locator("[data-cell='rate-midpoint-mentee']").all_inner_texts() or [""])[0]

    eventually(results_in, timeout_s=30)
    expect(page.locator("[data-cell='rate-midpoint-mentor']")).to_have_text("0 of 1")
    expect(
        page.get_by_text(re.compile("1 of 1 pairs have an agreement; 1 confirmed by both"))
    ).to_be_visible()
    quote = page.locator("blockquote.quote")
    expect(quote).to_contain_text("A view from outside changed how I lead.")
    expect(quote.locator("footer")).to_have_text(f"Mentee {kickoff.year}")
    expect(quote).not_to_contain_text("Mette")
    expect(page.get_by_text("Courage to delegate")).to_have_count(0)  # what it gave stays unpublished
    check_page(page)

    # the mentee withdraws the consent to publish the quote from their evaluations page: it is unlisted
    mentee = page.context.browser.new_context(viewport=PHONE, locale="en-GB").new_page()  # type: ignore[union-attr]
    mentee.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    mentee.goto(f"{web}/p/{pair.tokens['mentee']}")
    mentee.goto(f"{web}/pair/{pair.pair_id}/evaluations")
    expect(mentee.locator("li.session")).to_contain_text("Your quote is published")
    check_page(mentee)
    mentee.get_by_role("button", name=re.compile("^Withdraw my consent to publish the quote")).click()
    expect(mentee.get_by_role("status")).to_have_text("Your quote is no longer published.")
    expect(mentee.get_by_role("button", name=re.compile("^Withdraw"))).to_have_count(0)
    check_page(mentee)
    mentee.context.close()
    page.goto(f"{web}/staff/cohorts/{pair.cohort_id}/year")
    expect(page.locator("blockquote.quote")).to_have_count(0)

    # the free text passed through the web app and stayed nowhere in it: not its log, not its database
    web_log = stack.stack._log_path("web")
    assert web_log.exists()
    for written in ("Harbour café", "Courage to delegate", "changed how I lead"):
        assert written not in web_log.read_text(errors="replace")
        for table in ("web_sessions", "member_sessions", "member_pairs"):
            assert written not in repr(query(stack, f"SELECT * FROM {table}")), table

    page.get_by_role("button", name="Close the cohort").first.click()
    expect(page.get_by_role("status")).to_have_text("The cohort is closed.")
    expect(page.get_by_text("Closed on")).to_be_visible()
