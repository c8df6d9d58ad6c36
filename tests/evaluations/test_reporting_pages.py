"""Reporting's own HTML dashboard shows the programme year in a real browser (headless Chromium): staff
see the timeline, every pair's agreement, each evaluation's response rates and averages per role and per
company ("<3" below three answers); a partner company sees the timeline and its own pairs' agreement
counts only, no evaluation data and no quote; staff see the consented quotes signed by role and year;
neither page scrolls sideways on a phone (390 px)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from services.reporting.app import create_app
from shared.events import EvaluationQuoteConsented
from tests.evaluations.test_reporting import BIG_KEY, COHORT, SMALL_KEY, programme_year
from tests.reporting.browser import dump_dom, evaluate, serving
from tests.reporting.support import ADMIN, html_cells, publish, reporting_settings, signed_link, until_applied
from tests.reporting.test_browser import PHONE, require_chromium
from tests.support.backends import Postgres
from tests.support.services import run_service

pytestmark = pytest.mark.browser

PAGE = f"/dashboard/cohorts/{COHORT}"
QUOTE = "A year that changed how I lead."


@dataclass
class Year:
    app: FastAPI
    client: httpx.AsyncClient
    pairs: list


@pytest.fixture(scope="module")
async def year(postgres: Postgres, kafka: str) -> AsyncIterator[Year]:
    settings = await reporting_settings(postgres, kafka)
    events, pairs, evaluation = programme_year()
    events.append(
        EvaluationQuoteConsented(
            evaluation_id=evaluation,
            cohort_id=COHORT,
            kind="midpoint",
            participant_id=pairs[0].mentee_id,
            role="mentee",
            year=2027,
            quote=QUOTE,
            producer="sessions",
        )  # fmt: skip
    )  # plain text here (sealing is tests/evaluations/test_quotes.py's): reporting shows it the same
    app = create_app(settings)
    async with run_service(app) as client:
        await publish(settings, events)
        await until_applied(app.state.runtime.pool, events)
        yield Year(app, client, pairs)


async def test_staff_dashboard_shows_the_programme_year(year: Year):
    require_chromium()
    async with serving(year.app) as base:
        dom = await dump_dom(base + await signed_link(year.client, PAGE, ADMIN))
    cells = html_cells(dom, "data-year")
    p0, p1 = (str(p.pair_id) for p in year.pairs[:2])
    assert {k: v for k, v in cells.items() if k.startswith("timeline/")} == {
        "timeline/kickoff_on": "2027-01-14",
        "timeline/midpoint_on": "2027-06-15",
        "timeline/closing_on": "2027-12-02",
        "timeline/closed_on": "2027-12-03",
    }
    assert (cells["agreements/pairs"], cells["agreements/with_agreement"]) == ("3", "1")
    assert cells["agreements/confirmed_by_both"] == "1"
    assert (cells[f"agreements/{p0}/frequency"], cells[f"agreements/{p0}/confirmed_by_both"]) == (
        "monthly",
        "yes",
    )
    assert (cells[f"agreements/{p1}/frequency"], cells[f"agreements/{p1}/confirmed_by_both"]) == ("none", "")
    mentor = {k.split("/")[-1]: v for k, v in cells.items() if k.startswith("evaluation/midpoint/mentor/")}
    assert mentor == {
        "members": "3", "answered": "2", "response_rate": "67%",
        "expectations_met": "4.0", "learning": "4.0", "openness": "5.0", "programme": "4.0",
    }  # fmt: skip
    assert cells["evaluation/midpoint/mentee/response_rate"] == "100%"
    assert cells["evaluation/midpoint/mentee/expectations_met"] == "3.3"
    assert cells["evaluation/midpoint/company/Big A/S/answered"] == "3"
    assert cells["evaluation/midpoint/company/Big A/S/expectations_met"] == "4.0"
    # Small ApS's people answered twice: "<3" and no average that could single them out
    assert cells["evaluation/midpoint/company/Small ApS/answered"] == "<3"
    assert cells["evaluation/midpoint/company/Small ApS/expectations_met"] == ""
    assert f"<p>{QUOTE}</p><footer>— Mentee 2027</footer>" in dom  # signed by role and year only


async def test_company_dashboard_shows_the_year_without_evaluation_data(year: Year):
    require_chromium()
    async with serving(year.app) as base:
        big = await dump_dom(base + await signed_link(year.client, PAGE, BIG_KEY))
        small = await dump_dom(base + await signed_link(year.client, PAGE, SMALL_KEY))
    cells = html_cells(big, "data-year")
    assert cells == {
        "timeline/kickoff_on": "2027-01-14",
        "timeline/midpoint_on": "2027-06-15",
        "timeline/closing_on": "2027-12-02",
        "timeline/closed_on": "2027-12-03",
        "agreements/pairs": "3",
        "agreements/with_agreement": "<3",
    }
    for dom in (big, small):
        assert "The programme year" in dom
        assert "Response rate" not in dom and "Expectations met" not in dom and "evaluation/" not in dom
        assert "Mid-point evaluation" not in dom
        assert QUOTE not in dom and "Mentee 2027" not in dom  # quotes are staff's


async def test_the_year_fits_a_phone(year: Year):
    require_chromium()
    seen = PHONE | {"year": "document.getElementById('year').getBoundingClientRect().right"}
    async with serving(year.app) as base:
        staff = await evaluate(base + await signed_link(year.client, PAGE, ADMIN), seen)
        company = await evaluate(base + await signed_link(year.client, PAGE, BIG_KEY), seen)
    for page in (staff, company):
        assert page["inner_width"] == 390
        assert page["scroll_width"] <= page["inner_width"], "the page scrolls sideways at phone width"
        assert page["year"] <= page["inner_width"]
