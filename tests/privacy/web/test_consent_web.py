"""The consent text version a person agreed to, shown where people look: the company's person page, the
staff's participant page (with the text itself, in the reader's language) and the member's own page."""

from __future__ import annotations

import uuid
from datetime import date

from playwright.sync_api import Page, expect

from tests.web.browser import check_page, sign_in, sign_out
from tests.web.conftest import STAFF_TOKEN, Stack
from tests.web.people_support import eventually, matched_pair


def publish(stack: Stack) -> str:
    version = f"2027-{uuid.uuid4().hex[:6]}"
    with stack.api("intake") as staff:
        answer = staff.post(
            "/v1/consent-texts",
            json={"version": version, "text_da": "Jeg giver samtykke til programmet.",
                  "text_en": "I consent to the programme.", "published_on": str(date.today())},
        )  # fmt: skip
        assert answer.status_code == 201, answer.text
    return version


def test_the_agreed_consent_version_is_shown_to_company_staff_and_the_member(
    page: Page, stack: Stack, web: str
):
    version = publish(stack)
    pair = matched_pair(stack, "Mette Samtykke", "Dorte Samtykke")
    mentee_id = pair.mentee["participant_id"]
    assert pair.mentee["consent_text_version"] == version  # registered with no version: today's
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])

    sign_in(page, web, pair.mentee_company.key)
    page.goto(f"{web}/company/people/{mentee_id}")
    expect(page.locator("#consent")).to_contain_text(f"consent text {version}")
    check_page(page)
    sign_out(page)

    sign_in(page, web, STAFF_TOKEN)
    page.goto(f"{web}/staff/participants/{mentee_id}")
    expect(page.locator("#consent")).to_contain_text(f"consent text {version}")
    page.get_by_text(f"The consent text, version {version}").click()
    expect(page.get_by_text("I consent to the programme.")).to_be_visible()
    check_page(page)
    sign_out(page)

    def consent_line() -> bool:
        page.goto(f"{web}/p/{pair.tokens['mentee']}")
        return page.locator("#consent").count() == 1

    eventually(consent_line)  # once intake has learnt her token from sessions
    expect(page.locator("#consent")).to_contain_text(f"version {version}")
    check_page(page)
