"""Staff erase a person from their page in a browser: a confirmation that names them and must be ticked,
then the person reads as erased ("slettet" in Danish) on their page and on their pair's page, while the
pair is still listed."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.web.browser import check_page, sign_in
from tests.web.conftest import STAFF_TOKEN, Stack
from tests.web.people_support import eventually, matched_pair


def test_staff_erase_a_person_from_their_page_after_confirming(page: Page, stack: Stack, web: str):
    pair = matched_pair(stack, "Mette Sletmig", "Dorte Bliver")
    mentee_id = pair.mentee["participant_id"]
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    sign_in(page, web, STAFF_TOKEN)

    page.goto(f"{web}/staff/participants/{mentee_id}")
    page.get_by_role("link", name="Erase this person").click()
    expect(page).to_have_url(f"{web}/staff/participants/{mentee_id}/erasure")
    expect(page.locator("dl.facts")).to_contain_text("Mette Sletmig")
    check_page(page)
    page.get_by_role("button", name="Erase this person for good").click()  # not confirmed: refused
    expect(page.locator("#confirm-error")).to_be_visible()
    with stack.api("intake") as intake:
        assert (
            intake.get(f"/v1/participants/{mentee_id}/export").json()["data"]["registration"]["status"]
            == "active"
        )

    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Erase this person for good").click()
    expect(page).to_have_url(re.compile(rf"/staff/participants/{mentee_id}\?erased=done$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("erased")
    expect(page.get_by_role("status")).to_have_text("The person is erased.")
    expect(page.get_by_role("link", name="Erase this person")).to_have_count(0)
    check_page(page)
    assert "Mette Sletmig" not in page.content()

    with stack.api("sessions") as sessions:

        def erased_in_sessions() -> bool | None:
            listed = sessions.get("/v1/pairs", params={"cohort_id": pair.cohort_id}).json()
            return listed[0]["mentee_name"] == "erased" or None

        eventually(erased_in_sessions)
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "da", "url": web}])
    page.goto(f"{web}/staff/cohorts/{pair.cohort_id}/pairs/{pair.pair_id}")
    expect(page.locator("dl.facts")).to_contain_text("slettet")
    expect(page.locator("dl.facts")).to_contain_text("Dorte Bliver")
    assert "Mette Sletmig" not in page.content()
