"""What staff do in the browser, shared by the browser tests: companies, their keys, waiting for events."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date

from playwright.sync_api import Page, expect

from tests.web.conftest import Stack, fetch


def rows(stack: Stack, service: str, sql: str) -> int:
    return int(fetch(stack, service, sql)[0]["count"])


def until(page: Page, check: Callable[[], bool], seconds: float = 30) -> None:
    """Reload the page until `check()` holds (events take a moment to reach matching)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{page.url} never showed what was waited for"
        time.sleep(0.5)
        page.reload()


def create_company(page: Page, web: str, name: str, contact: str, email: str) -> str:
    page.goto(f"{web}/staff/companies")
    page.get_by_label("Company name").fill(name)
    page.get_by_label("HR contact's name").fill(contact)
    page.get_by_label("HR contact's email").fill(email)
    page.get_by_role("button", name="Create company").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return page.url.rsplit("/", 1)[1]


def issue_key(page: Page, label: str) -> str:
    page.get_by_label("Label").fill(label)
    page.get_by_role("button", name="Issue a new API key").click()
    key = page.locator("#new-key").inner_text().strip()
    assert key.startswith("mn_")
    return key


def create_cohort(page: Page, web: str, name: str, opens: date, closes: date) -> str:
    page.goto(f"{web}/staff/cohorts")
    page.get_by_label("Cohort name").fill(name)
    page.get_by_label("Intake opens on").fill(str(opens))
    page.get_by_label("Intake closes on").fill(str(closes))
    page.get_by_role("button", name="Open cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cohort {name}")
    return page.url.rsplit("/", 1)[1]


def issue_personal_links(page: Page, web: str) -> list[str]:
    """On a pair's page: the members' two personal links, shown once (sessions hears of a pair a moment
    after its approval, so the button is pressed again until it has)."""
    deadline = time.monotonic() + 30
    while True:
        page.get_by_role("button", name="Issue personal links").click()
        if page.locator(".secret").count() == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    links = page.locator(".secret").all_inner_texts()
    assert len(links) == 2 and all(re.fullmatch(rf"{web}/p/mnp_\S+", link) for link in links)
    return links
