"""Staff anonymise a closed cohort from its retention page, after a confirmation (the stack keeps closed
cohorts 0 days here, so a cohort closed today may be anonymised at once)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shared.embedded.ports import free_port
from shared.embedded.stack import SERVICES, EmbeddedStack, StackSettings
from shared.privacy import ERASED
from tests.web.browser import check_page, sign_in
from tests.web.conftest import STAFF_TOKEN, Stack, in_thread
from tests.web.people_support import LAPTOP, matched_pair


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """This module's own stack, its intake keeping closed cohorts 0 days (MENTORNET_RETENTION_DAYS)."""
    data_dir = Path(tempfile.mkdtemp(prefix="mentornet-retention-web-"))
    os.chmod(data_dir, 0o755)
    ports = {f"{name}_port": free_port() for name in ("kafka", "postgres", "smtp", *SERVICES)}
    running = EmbeddedStack(StackSettings(data_dir=data_dir, admin_token=STAFF_TOKEN, **ports))
    os.environ["MENTORNET_RETENTION_DAYS"] = "0"
    try:
        in_thread(lambda: running.start(progress=lambda _: None))
    finally:
        del os.environ["MENTORNET_RETENTION_DAYS"]
    try:
        yield Stack(running)
    finally:
        in_thread(lambda: running.stop(progress=lambda _: None))


def test_staff_anonymise_a_closed_cohort_after_confirming(page: Page, stack: Stack, web: str):
    page.set_viewport_size(LAPTOP)
    pair = matched_pair(stack, "Mette Opbevaring", "Dorte Opbevaring")
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    sign_in(page, web, STAFF_TOKEN)

    page.goto(f"{web}/staff/cohorts/{pair.cohort_id}")
    page.get_by_role("link", name="Retention").click()
    expect(page).to_have_url(f"{web}/staff/cohorts/{pair.cohort_id}/retention")
    expect(page.get_by_text("Not closed: the programme year is running")).to_be_visible()
    expect(page.get_by_role("button", name="Anonymise the cohort")).to_have_count(0)
    check_page(page)

    with stack.api("intake") as staff:
        assert staff.post(f"/v1/cohorts/{pair.cohort_id}/closure").status_code == 200
    page.reload()
    expect(page.locator("#left")).to_have_text("2")
    page.get_by_role("button", name="Anonymise the cohort").click()  # not confirmed: nothing happens
    expect(page.locator("#confirm-error")).to_contain_text("onfirm the anonymisation")
    check_page(page)
    with stack.api("intake") as staff:
        assert staff.get(f"/v1/cohorts/{pair.cohort_id}/retention").json()["participants_not_erased"] == 2

    page.get_by_label("Erase all 2 participants of this cohort for good").check()
    page.get_by_role("button", name="Anonymise the cohort").click()
    expect(page.get_by_role("status")).to_have_text(
        "The cohort is anonymised: its participants are erased, its figures kept."
    )
    expect(page.locator("#left")).to_have_text("0")
    check_page(page)
    with stack.api("intake") as staff:
        for person in (pair.mentee, pair.mentor):
            exported = staff.get(f"/v1/participants/{person['participant_id']}/export").json()
            assert exported["data"]["registration"]["name"] == ERASED
