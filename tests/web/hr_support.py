"""What a partner company's HR contact does in the browser, shared by the browser tests: the person
form filled in, a file checked (dry run) and then imported."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect


def fill_person_form(
    page: Page,
    cohort_id: str,
    *,
    role: str,
    name: str,
    email: str,
    years: str,
    level: str = "1",
    reference: str = "",
    capacity: str = "",
) -> None:
    """The registration form (on /company/people/new) filled in, not yet sent."""
    form = page.locator("form[action='/company/people']")
    form.get_by_label("Cohort").select_option(cohort_id)
    form.get_by_label("Role", exact=True).select_option(role)
    if reference:
        form.get_by_label(re.compile("^Your own reference")).fill(reference)
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Work email").fill(email)
    form.get_by_label("Job title").fill("Team Lead" if role == "mentee" else "Director")
    form.get_by_label("Leadership level").select_option(level)
    form.get_by_label("Years of leadership experience").fill(years)
    form.get_by_label("Industry").select_option("energy")
    form.get_by_label("Function").select_option("customer_service")
    form.get_by_label("Region").select_option("midtjylland")
    form.get_by_label("Meeting preference").select_option("either")
    form.get_by_label("English").check()
    form.get_by_label("New in a leadership role").check()
    form.get_by_label("Handling conflict").check()
    form.get_by_label("Expectations").fill("A sparring partner who has led a team through a reorganisation.")
    if capacity:
        form.get_by_label("Mentees they can take").fill(capacity)
    form.get_by_label(re.compile("has consented")).check()


def check_upload(page: Page, cohort_id: str, people_file: Path) -> None:
    """On the upload page: the file checked (a dry run); the report is shown, nothing registered yet."""
    page.get_by_label("Cohort").select_option(cohort_id)
    page.get_by_label("File", exact=True).set_input_files(str(people_file))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload")


def import_checked(page: Page, rows: int) -> None:
    """After check_upload: the rows that can be registered, imported, and the progress at its end."""
    page.get_by_role("button", name=f"Import the {rows} rows that can be registered").click()
    expect(page.get_by_role("status")).to_contain_text(f"{rows} rows registered", timeout=30_000)
    expect(page.locator("#import-progress")).to_have_attribute("value", str(rows))
