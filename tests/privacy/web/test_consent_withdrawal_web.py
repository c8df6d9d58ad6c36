"""A mentee withdraws her consent from her own page on a phone, after a confirmation: she is erased and
the link no longer opens the pair."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from shared.privacy import ERASED
from tests.web.browser import PHONE, check_page, sign_in
from tests.web.conftest import Stack
from tests.web.people_support import eventually, matched_pair


def test_a_mentee_withdraws_her_consent_on_a_phone_and_is_erased(page: Page, stack: Stack, web: str):
    assert page.viewport_size == PHONE
    pair = matched_pair(stack, "Mette Tilbage", "Dorte Tilbage")
    mentee_id = pair.mentee["participant_id"]

    def intake_knows_her_link() -> bool:
        with stack.api("intake", pair.tokens["mentee"]) as api:
            return api.get(f"/v1/participants/{mentee_id}/export").status_code == 200

    eventually(intake_knows_her_link)
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    page.goto(f"{web}/p/{pair.tokens['mentee']}")
    page.get_by_role("link", name="Withdraw my consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw my consent")
    check_page(page)
    page.get_by_role("button", name="Withdraw my consent and erase my data").click()
    expect(page.locator("#confirm-error")).to_contain_text("onfirm the withdrawal")  # nothing withdrawn yet
    with stack.api("intake") as staff:
        assert (
            staff.get(f"/v1/participants/{mentee_id}/export").json()["data"]["registration"]["status"]
            == "active"
        )

    page.get_by_label("I withdraw my consent and understand that my data is erased for good").check()
    page.get_by_role("button", name="Withdraw my consent and erase my data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your consent is withdrawn")
    check_page(page)
    with stack.api("intake") as staff:
        registration = staff.get(f"/v1/participants/{mentee_id}/export").json()["data"]["registration"]
        assert (registration["name"], registration["status"]) == (ERASED, "erased")
    page.goto(f"{web}/pair/{pair.pair_id}")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Your mentoring pair")


def test_hr_records_that_a_person_withdrew_consent_and_they_are_erased(page: Page, stack: Stack, web: str):
    pair = matched_pair(stack, "Sara Tilbage", "Erik Tilbage")
    mentee_id = pair.mentee["participant_id"]
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    sign_in(page, web, pair.mentee_company.key)
    page.goto(f"{web}/company/people/{mentee_id}")
    page.get_by_role("link", name="The person withdraws their consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The person withdraws their consent")
    check_page(page)
    page.get_by_role("button", name="Withdraw consent and erase").click()
    expect(page.locator("#confirm-error")).to_contain_text("onfirm the withdrawal")

    page.get_by_label("The person has withdrawn their consent: erase them for good").check()
    page.get_by_role("button", name="Withdraw consent and erase").click()
    expect(page).to_have_url(f"{web}/company/people/{mentee_id}?done=consent_withdrawn")
    expect(page.get_by_role("status")).to_have_text("The consent is withdrawn and the person erased.")
    check_page(page)
    with stack.api("intake") as staff:
        registration = staff.get(f"/v1/participants/{mentee_id}/export").json()["data"]["registration"]
        assert (registration["name"], registration["status"]) == (ERASED, "erased")
