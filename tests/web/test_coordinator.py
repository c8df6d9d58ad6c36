"""A coordinator runs a programme only by clicking and typing: companies and their keys, a cohort and its
weights, matching reviewed with a pin and an exclusion, approval, the members' personal links, an early
end and a re-match. Every page passes axe-core and fits a phone; bad input is said next to its field,
keeps what was typed and writes nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
from playwright.sync_api import Page, expect

from tests.web.browser import PHONE, check_page, screenshot, sign_in, sign_out
from tests.web.conftest import STAFF_TOKEN, Stack
from tests.web.programme import Person, register
from tests.web.staff_support import (
    create_cohort,
    create_company,
    issue_key,
    issue_personal_links,
    rows,
    until,
)

COMPANIES = {
    "Nordvind Energi": ("Lone Holm", "loho@nordvind.example"),
    "Fjordbank": ("Per Dal", "pd@fjordbank.example"),
    "Kystgruppen": ("Ida Sand", "is@kyst.example"),
}


def test_a_coordinator_runs_a_programme_in_the_browser(page: Page, stack: Stack, web: str):
    page.goto(f"{web}/sign-in")
    page.get_by_role("button", name="English").click()
    sign_in(page, web, STAFF_TOKEN)

    # --- a company: bad input first, then three good ones -------------------------------------------
    page.goto(f"{web}/staff/companies")
    check_page(page)
    before = rows(stack, "intake", "SELECT count(*) FROM companies")
    page.get_by_label("HR contact's name").fill("Lone Holm")
    page.get_by_label("HR contact's email").fill("not-an-email")
    page.get_by_role("button", name="Create company").click()
    name, email = page.get_by_label("Company name"), page.get_by_label("HR contact's email")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-name")).to_be_visible()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_value("not-an-email")  # what was typed stays
    expect(page.get_by_label("HR contact's name")).to_have_value("Lone Holm")
    check_page(page)
    screenshot(page, "web-staff-company-refused")
    assert rows(stack, "intake", "SELECT count(*) FROM companies") == before  # nothing written

    keys: dict[str, str] = {}
    company_ids: dict[str, str] = {}
    for company, (contact, mail) in COMPANIES.items():
        company_ids[company] = create_company(page, web, company, contact, mail)
        keys[company] = issue_key(page, "HR system")
    check_page(page)
    screenshot(page, "web-staff-company-key")
    page.reload()  # the key was shown once
    expect(page.locator("#new-key")).to_have_count(0)
    assert keys["Kystgruppen"] not in page.content()
    # a second key, revoked: the company can no longer use it
    spare = issue_key(page, "old laptop")
    page.get_by_role("button", name="Revoke the key old laptop").click()
    expect(page.locator("td", has_text=re.compile("Revoked"))).to_have_count(1)
    refused = httpx.get(f"{stack.url('intake')}/v1/cohorts", headers={"Authorization": f"Bearer {spare}"})
    assert refused.status_code == 401
    page.goto(f"{web}/staff/companies")
    check_page(page)
    screenshot(page, "web-staff-companies")

    # --- a cohort: a window that closes before it opens is refused next to the field ---------------
    today = date.today()
    cohorts = rows(stack, "intake", "SELECT count(*) FROM cohorts")  # other tests share the stack
    page.goto(f"{web}/staff/cohorts")
    page.get_by_label("Cohort name").fill("2027")
    page.get_by_label("Intake opens on").fill(str(today + timedelta(days=5)))
    page.get_by_label("Intake closes on").fill(str(today))
    page.get_by_role("button", name="Open cohort").click()
    expect(page.get_by_label("Intake closes on")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-intake_closes_on")).to_be_visible()
    expect(page.get_by_label("Cohort name")).to_have_value("2027")
    check_page(page)
    assert rows(stack, "intake", "SELECT count(*) FROM cohorts") == cohorts
    cohort_id = create_cohort(page, web, "2027", today - timedelta(days=1), today + timedelta(days=30))

    # --- people (registered by their companies) ------------------------------------------------------
    intake = stack.url("intake")
    people = {
        "Nordvind Energi": [
            Person("Mette Jensen", "mentee", 1),
            Person("Søren Vind", "mentor", 4, capacity=1),
        ],
        "Fjordbank": [Person("Anna Fjord", "mentee", 2), Person("Dorte Bank", "mentor", 4, capacity=2)],
        "Kystgruppen": [
            Person("Carl Kyst", "mentee", 1),
            Person("Hans Tysk", "mentee", 1, languages=("de",)),  # nobody speaks German: unmatched
            Person("Erik Sand", "mentor", 3, capacity=1),
        ],
    }
    ids: dict[str, str] = {}
    for n, (company, persons) in enumerate(people.items()):
        for m, person in enumerate(persons):
            ids[person.name] = register(intake, keys[company], cohort_id, person, 10 * n + m)[
                "participant_id"
            ]

    # --- the cohort page: matching's pool; weights (bad, then good) ----------------------------------
    settings = "SELECT count(*) FROM cohorts WHERE settings_updated_at IS NOT NULL"
    page.goto(f"{web}/staff/cohorts/{cohort_id}")
    until(page, lambda: "4 without a pair" in page.content())
    check_page(page)
    saved = rows(stack, "matching", settings)
    page.get_by_label("Themes").fill("5000")
    page.get_by_label("Leadership level").fill("40")
    page.get_by_role("button", name="Save weights").click()
    expect(page.get_by_label("Themes")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-weights\\.themes")).to_be_visible()
    expect(page.get_by_label("Themes")).to_have_value("5000")
    expect(page.get_by_label("Leadership level")).to_have_value("40")
    assert rows(stack, "matching", settings) == saved
    page.get_by_label("Themes").fill("45")
    page.get_by_role("button", name="Save weights").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_label("Themes")).to_have_value("45")
    expect(page.get_by_label("Leadership level")).to_have_value("40")
    check_page(page)
    screenshot(page, "web-staff-cohort")

    # --- matching: run, review, pin, exclude, run again, approve -------------------------------------
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Matching proposal")
    check_page(page)
    table = page.locator("table").first
    expect(table.get_by_role("columnheader", name="Themes")).to_be_visible()  # the breakdown per criterion
    unmatched = page.get_by_role("table", name=re.compile("^Mentees without a pair"))
    expect(unmatched.get_by_role("row", name=re.compile("Hans Tysk .*shares a language"))).to_be_visible()
    # pin Mette with Dorte (whoever the solver proposed)
    page.get_by_role("link", name="Pin any pair").click()
    check_page(page)
    pins = rows(stack, "matching", "SELECT count(*) FROM pins")
    page.get_by_label("Mentee", exact=True).select_option(label="Hans Tysk")  # shares no language with Erik
    page.get_by_label("Mentor", exact=True).select_option(label="Erik Sand")
    page.get_by_role("button", name="Pin", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("language")  # the hard rule it breaks, named
    expect(page.get_by_label("Mentee", exact=True)).to_have_value(ids["Hans Tysk"])  # the choice stays
    assert rows(stack, "matching", "SELECT count(*) FROM pins") == pins
    check_page(page)
    page.get_by_label("Mentee", exact=True).select_option(label="Mette Jensen")
    page.get_by_label("Mentor", exact=True).select_option(label="Dorte Bank")
    page.get_by_role("button", name="Pin", exact=True).click()
    expect(page.get_by_text(re.compile("Pinned: Mette Jensen – Dorte Bank"))).to_be_visible()
    page.get_by_role("button", name="Run again").click()
    expect(page.get_by_role("row", name=re.compile("Mette Jensen \\(pinned\\) .*Dorte Bank"))).to_be_visible()
    # exclude Anna's proposed mentor, run again: another mentor for Anna
    anna = page.get_by_role("row", name=re.compile("^Anna Fjord"))
    first_mentor = anna.locator("td").first.inner_text()
    anna.get_by_role("button", name=re.compile("^Exclude: Anna Fjord – ")).click()
    expect(page.get_by_text(f"Excluded: Anna Fjord – {first_mentor}")).to_be_visible()
    page.get_by_role("button", name="Run again").click()
    anna = page.get_by_role("row", name=re.compile("^Anna Fjord"))
    expect(anna.locator("td").first).not_to_have_text(first_mentor)
    check_page(page)
    screenshot(page, "web-staff-matching-review")
    page.set_viewport_size({"width": 1280, "height": 900})  # a laptop: one table, every part a column
    check_page(page)
    screenshot(page, "web-staff-matching-review-laptop")
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name=re.compile("^Approve these 3 pairs")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pairs of cohort 2027")
    expect(page.get_by_role("status")).to_have_text("Approved: 3 new pairs.")
    check_page(page)
    screenshot(page, "web-staff-pairs")

    # --- a pair: the members' personal links, then an early end and a re-match -----------------------
    page.get_by_role("link", name="Carl Kyst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Pair: Carl Kyst and "))
    pair_url = page.url
    pair_id = pair_url.rsplit("/", 1)[1]
    check_page(page)
    links = issue_personal_links(page, web)
    screenshot(page, "web-staff-pair-links")
    for link in links:  # each link's token is that member's
        me = httpx.get(
            f"{stack.url('sessions')}/v1/me", headers={"Authorization": f"Bearer {link.rsplit('/', 1)[1]}"}
        )
        assert me.status_code == 200 and me.json()["pair_id"] == pair_id
    page.goto(pair_url)
    assert all(link not in page.content() for link in links)  # shown once

    ended = "SELECT count(*) FROM pairs WHERE ended_on IS NOT NULL"
    ended_before = rows(stack, "matching", ended)
    page.get_by_label("Do not match these two again").check()
    page.get_by_role("button", name="End the pair").click()  # no reason given
    expect(page.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-reason")).to_be_visible()
    expect(page.get_by_label("Do not match these two again")).to_be_checked()
    assert rows(stack, "matching", ended) == ended_before
    check_page(page)
    page.get_by_label("Reason").fill("no chemistry")
    page.get_by_role("button", name="End the pair").click()
    expect(
        page.get_by_text(re.compile("Ended .*: no chemistry · Do not match these two again"))
    ).to_be_visible()
    check_page(page)
    screenshot(page, "web-staff-pair-ended")
    mentor = page.locator("dl.facts dd").nth(1).inner_text()
    page.get_by_role("button", name="Run matching").click()  # re-match the mentee
    expect(page.get_by_role("heading", level=1)).to_have_text("Matching proposal")
    carl = page.get_by_role("row", name=re.compile("^Carl Kyst"))
    if carl.count():  # a new mentor, never the one ended with "do not match again"
        expect(carl.locator("td").first).not_to_have_text(mentor)
    else:
        expect(page.get_by_role("row", name=re.compile("^Carl Kyst"))).to_have_count(0)

    # --- every participant, filtered ------------------------------------------------------------------
    page.goto(f"{web}/staff/participants")
    page.get_by_label("Cohort").select_option(cohort_id)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status")).to_have_text("7 participants")
    page.get_by_label("Role").select_option("mentor")
    page.get_by_label("Company").select_option(label="Fjordbank")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status")).to_have_text("1 participants")
    expect(page.get_by_role("cell", name=re.compile("^Dorte Bank"))).to_be_visible()
    expect(page.get_by_label("Role")).to_have_value("mentor")
    check_page(page)
    page.goto(f"{web}/staff/participants?cohort_id={cohort_id}")
    screenshot(page, "web-staff-participants")

    # --- what is not yours is a 404: another id, a company on a staff page ---------------------------
    for path in (
        f"/staff/companies/{'0' * 8}-0000-4000-8000-{'0' * 12}",
        f"/staff/cohorts/{cohort_id}/pairs/{ids['Mette Jensen']}",
        "/staff/runs/not-a-uuid",
    ):
        response = page.goto(f"{web}{path}")
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    sign_out(page)
    sign_in(page, web, keys["Fjordbank"])
    expect(page).to_have_url(f"{web}/company")
    response = page.goto(f"{web}/staff/companies/{company_ids['Fjordbank']}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
