"""Staff change a company after creating it, in the browser: its HR contact and its must-not-pair list
(competitors). Bad input is said next to the field, keeps what was typed and writes nothing; a form
without the CSRF token is refused; what is saved reaches the other services."""

from __future__ import annotations

import re
import time
import uuid

from playwright.sync_api import Page, expect

from tests.web.browser import check_page, screenshot, sign_in
from tests.web.conftest import STAFF_TOKEN, Stack, fetch
from tests.web.staff_support import create_company


def company_row(stack: Stack, company_id: str) -> dict[str, object]:
    return fetch(stack, "intake", "SELECT * FROM companies WHERE company_id = $1", uuid.UUID(company_id))[0]


def eventually(check, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.5)


def test_staff_change_a_companys_hr_contact_and_must_not_pair_list(page: Page, stack: Stack, web: str):
    page.goto(f"{web}/sign-in")
    page.get_by_role("button", name="English").click()
    sign_in(page, web, STAFF_TOKEN)
    rival = create_company(page, web, "Havbryg Rivals", "Ib Hav", "ib@havbryg.example")
    ours = create_company(page, web, "Solvang Foods", "Rita Sol", "rs@solvang.example")
    check_page(page)

    # --- the HR contact: bad input next to its field, what was typed kept, nothing written -------------
    before = company_row(stack, ours)
    page.get_by_label("HR contact's name").fill("  ")
    page.get_by_label("HR contact's email").fill("rita-at-solvang")
    page.get_by_role("button", name="Save the HR contact").click()
    expect(page.get_by_label("HR contact's name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-hr_contact_name")).to_be_visible()
    expect(page.get_by_label("HR contact's email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-hr_contact_email")).to_be_visible()
    expect(page.get_by_label("HR contact's email")).to_have_value("rita-at-solvang")
    expect(page.get_by_role("alert")).to_have_count(1)  # the refused form's summary only
    check_page(page)
    assert company_row(stack, ours) == before
    page.get_by_label("HR contact's name").fill("Mads Berg")
    page.get_by_label("HR contact's email").fill("mabe@solvang.example")
    page.get_by_role("button", name="Save the HR contact").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.locator("dl.facts")).to_contain_text("Mads Berg · mabe@solvang.example")
    assert (company_row(stack, ours)["hr_contact_name"], company_row(stack, ours)["name"]) == (
        "Mads Berg",
        "Solvang Foods",
    )
    # the other services hear of the new contact (what a pair's members and the dashboards show)
    eventually(
        lambda: (
            [
                r["hr_contact_email"]
                for r in fetch(
                    stack,
                    "sessions",
                    "SELECT hr_contact_email FROM companies WHERE company_id = $1",
                    uuid.UUID(ours),
                )
            ]
            == ["mabe@solvang.example"]
        )
    )

    # --- the must-not-pair list: another company ticked; a company intake does not know is refused -----
    expect(page.locator("#avoided")).to_have_text("No companies.")
    box = page.get_by_role("checkbox", name="Havbryg Rivals")
    box.evaluate("(el, value) => { el.value = value }", str(uuid.uuid4()))  # as if it vanished meanwhile
    box.check()
    page.get_by_role("button", name="Save the must-not-pair list").click()
    expect(page.locator("#f-avoid_company_ids")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-avoid_company_ids")).to_contain_text("not a partner company")
    check_page(page)
    assert company_row(stack, ours)["avoid_company_ids"] == []
    page.goto(f"{web}/staff/companies/{ours}")
    page.get_by_role("checkbox", name="Havbryg Rivals").check()
    expect(page.get_by_role("checkbox", name="Solvang Foods")).to_have_count(0)  # never itself
    page.get_by_role("button", name="Save the must-not-pair list").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.locator("#avoided")).to_have_text("Havbryg Rivals")
    expect(page.get_by_role("checkbox", name="Havbryg Rivals")).to_be_checked()
    check_page(page)
    screenshot(page, "web-staff-company-settings")
    assert company_row(stack, ours)["avoid_company_ids"] == [uuid.UUID(rival)]

    # --- a form without the CSRF token, or from another site, changes nothing --------------------------
    token = page.locator("form[action='/sign-out'] input[name=csrf_token]").input_value()
    missing = page.request.post(f"{web}/staff/companies/{ours}/avoid-companies", form={})
    forged = page.request.post(
        f"{web}/staff/companies/{ours}/contact",
        form={"csrf_token": token, "hr_contact_name": "Eve", "hr_contact_email": "eve@evil.example"},
        headers={"Origin": "https://evil.example"},
    )
    assert (missing.status, forged.status) == (403, 403)
    after = company_row(stack, ours)
    assert (after["avoid_company_ids"], after["hr_contact_name"]) == ([uuid.UUID(rival)], "Mads Berg")
    page.goto(f"{web}/staff/companies/{ours}")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Solvang Foods$"))
