"""Computing a report for a viewer: load the cohort from the store, hand it to the pure figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from services.reporting.domain.errors import cohort_not_found
from services.reporting.domain.model import Cohort, CohortData
from services.reporting.domain.report import Report, company_report, programme_report
from services.reporting.service_layer.access import Viewer
from services.reporting.settings import ReportingSettings
from services.reporting.store import cohorts as stored_cohorts
from services.reporting.store import companies
from services.reporting.store.cohort_data import load_cohort
from shared.runtime import ServiceRuntime

Today = Callable[[], date]


def programme_today(timezone: str) -> Today:
    """Today in the programme's calendar (the dashboard is read in Denmark, the server runs in UTC)."""
    zone = ZoneInfo(timezone)
    return lambda: datetime.now(zone).date()


@dataclass(frozen=True)
class Reports:
    runtime: ServiceRuntime
    settings: ReportingSettings
    today: Today

    async def cohorts(self, viewer: Viewer) -> list[Cohort]:
        """The cohorts a viewer may report on: all for staff, those a company has people in."""
        async with self.runtime.pool.acquire() as conn:
            return await stored_cohorts.cohorts(conn, viewer.company_id)

    async def company_name(self, company_id: UUID) -> str:
        async with self.runtime.pool.acquire() as conn:
            company = await companies.company(conn, company_id)
        return company.name if company else f"company {str(company_id)[:8]}"

    async def programme(self, cohort_id: UUID) -> Report:
        return programme_report(await self._load(cohort_id), self.today(), self.settings.thresholds)

    async def company(self, company_id: UUID, cohort_id: UUID) -> Report:
        """A cohort the company has nobody in is not theirs to see: refused the same as an unknown one."""
        data = await self._load(cohort_id)
        own = data.restricted_to(company_id)
        if not own.participants and not own.pairs:
            raise cohort_not_found()
        return company_report(data, company_id, self.today(), self.settings.thresholds)

    async def for_viewer(self, viewer: Viewer, cohort_id: UUID) -> Report:
        if viewer.company_id is None:
            return await self.programme(cohort_id)
        return await self.company(viewer.company_id, cohort_id)

    async def _load(self, cohort_id: UUID) -> CohortData:
        async with self.runtime.pool.acquire() as conn:
            data = await load_cohort(conn, cohort_id, self.settings.programme_timezone)
        if data is None:
            raise cohort_not_found()
        return data
