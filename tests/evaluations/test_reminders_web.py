"""Reminders in the running stack, clicked through in Chromium: a pair at risk is mailed through the
stack's own SMTP server, the mentee stops reminders from the mail's link, the mentor from the pair page on
a phone (and back again), and staff see what was sent and who opted out."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from shared.embedded.smtp import kept_mails
from tests.web import conftest as web_stack
from tests.web.browser import PHONE, check_page, launch, sign_in
from tests.web.conftest import STAFF_TOKEN, Stack
from tests.web.people_support import eventually, matched_pair

ZONE = ZoneInfo("Europe/Copenhagen")
context, page, web = web_stack.context, web_stack.page, web_stack.web  # the web tests' fixtures, used here


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


def _text_of(stack: Stack, address: str) -> list[str]:
    """The plain text of every mail the stack's SMTP server kept for `address`."""
    found = []
    for kept in kept_mails(stack.stack.smtp.maildir):
        if address.lower() in kept.to.lower():
            message = email.message_from_bytes(kept.path.read_bytes())
            plain = next(p for p in message.walk() if p.get_content_type() == "text/plain")
            found.append(plain.get_payload(decode=True).decode())  # type: ignore[union-attr]
    return found


def test_members_stop_reminders_from_a_mail_and_the_pair_page_and_staff_see_it(
    page: Page, stack: Stack, web: str
):
    pair = matched_pair(stack, "Mette Jensen", "Jens Lund")
    later = (datetime.now(ZONE).date() + timedelta(days=30)).isoformat()  # no first session in 30 days
    with stack.api("intake") as intake:

        def mailed() -> bool:
            assert intake.post("/v1/reminders/runs", json={"today": later}).status_code == 200
            return len(_text_of(stack, pair.mentee["email"])) == 1

        eventually(mailed)  # once intake has the pair from matching's topic
        (text,) = _text_of(stack, pair.mentee["email"])
    assert text.startswith("Kære Mette Jensen") and "Jens Lund" in text  # Danish: her first language
    link = re.search(r"(http://\S+/reminders/opt-out\?token=\S+)", text)
    assert link and link.group(1).startswith(web)

    # the mentee, from the mail: opening the link changes nothing; the button does
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders by email")
    expect(page.get_by_text("You receive reminders by email.")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Stop reminders").click()
    expect(page.get_by_role("status")).to_have_text("Done: you will get no more reminders.")
    expect(page.get_by_text("You receive no reminders by email.")).to_be_visible()
    page.goto(f"{web}/reminders/opt-out?token={pair.pair_id}.mentee.forged")
    expect(page.get_by_text(re.compile("This link is not valid"))).to_be_visible()

    # the mentor, on a phone, from the pair page: off, then on again
    mentor = page.context.browser.new_context(viewport=PHONE, locale="en-GB").new_page()  # type: ignore[union-attr]
    mentor.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    mentor.goto(f"{web}/p/{pair.tokens['mentor']}")
    mentor.get_by_role("link", name="Reminders by email").click()
    expect(mentor.get_by_text("You receive reminders by email.")).to_be_visible()
    check_page(mentor)
    mentor.get_by_role("button", name="Stop reminders").click()
    expect(mentor.get_by_role("status")).to_have_text("Done: you will get no more reminders.")
    mentor.get_by_role("button", name="Send me reminders again").click()
    expect(mentor.get_by_role("status")).to_have_text("Done: you will get reminders again.")
    expect(mentor.get_by_text("You receive reminders by email.")).to_be_visible()
    mentor.context.close()

    # staff: the reminders sent (to whom, why) and who opted out
    sign_in(page, web, STAFF_TOKEN)
    page.get_by_role("link", name="Reminders").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")
    rows = page.locator("tr.reminder").filter(has_text="Pair at risk")
    expect(rows.filter(has_text="Mette Jensen (Mentee)")).to_have_count(1)
    expect(rows.filter(has_text="Jens Lund (Mentor)")).to_have_count(1)
    expect(rows.filter(has_text="Programme staff")).to_have_count(1)
    opted = page.locator("li.opt-out")
    expect(opted.filter(has_text="Mette Jensen")).to_contain_text("from a mail")
    expect(opted.filter(has_text="Jens Lund")).to_have_count(0)  # opted in again
    check_page(page)

    with stack.api("intake") as intake:  # the rules run again: nothing new for this pair
        again = intake.post("/v1/reminders/runs", json={"today": later})
        assert again.status_code == 200 and again.json()["decided"] == 0
    assert len(_text_of(stack, pair.mentee["email"])) == 1
