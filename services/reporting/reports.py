"""Computing a report for a viewer: load the cohort from the store, hand it to the pure figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from services.reporting import store
from services.reporting.domain.model import Cohort
from services.reporting.domain.report import Report, company_report, programme_report
from services.reporting.settings import ReportingSettings
from shared.runtime import ServiceRuntime

Today = Callable[[], date]


def programme_today(timezone: str) -> Today:
    """Today in the programme's calendar (the dashboard is read in Denmark, the server runs in UTC)."""
    zone = ZoneInfo(timezone)
    return lambda: datetime.now(zone).date()


@dataclass(frozen=True)
class Viewer:
    """Who is asking: programme staff (no company) or one partner company."""

    company_id: UUID | None = None

    @property
    def staff(self) -> bool:
        return self.company_id is None


@dataclass(frozen=True)
class Reports:
    runtime: ServiceRuntime
    settings: ReportingSettings
    today: Today

    async def cohorts(self, viewer: Viewer) -> list[Cohort]:
        async with self.runtime.pool.acquire() as conn:
            return await store.cohorts(conn, viewer.company_id)

    async def company_name(self, company_id: UUID) -> str:
        async with self.runtime.pool.acquire() as conn:
            company = await store.company(conn, company_id)
        return company.name if company else f"company {str(company_id)[:8]}"

    async def programme(self, cohort_id: UUID) -> Report | None:
        async with self.runtime.pool.acquire() as conn:
            data = await store.load_cohort(conn, cohort_id, self.settings.timezone)
        return programme_report(data, self.today(), self.settings.thresholds) if data else None

    async def company(self, company_id: UUID, cohort_id: UUID) -> Report | None:
        """None when the company has nobody in the cohort: not theirs to see, same as unknown."""
        async with self.runtime.pool.acquire() as conn:
            data = await store.load_cohort(conn, cohort_id, self.settings.timezone)
        if data is None:
            return None
        own = data.restricted_to(company_id)
        if not own.participants and not own.pairs:
            return None
        return company_report(data, company_id, self.today(), self.settings.thresholds)

    async def for_viewer(self, viewer: Viewer, cohort_id: UUID) -> Report | None:
        if viewer.company_id is None:
            return await self.programme(cohort_id)
        return await self.company(viewer.company_id, cohort_id)
