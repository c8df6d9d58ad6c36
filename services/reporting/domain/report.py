"""The report one viewer gets for one cohort: named tables of cells, computed once, then rendered
as JSON, HTML and CSV alike, so the three agree to the number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal
from uuid import UUID

from services.reporting.domain import figures, tables
from services.reporting.domain.errors import table_not_found
from services.reporting.domain.figures import Thresholds
from services.reporting.domain.model import CohortData, Session
from services.reporting.domain.suppression import Shown, pooled, shown
from services.reporting.domain.table import Cell, Frozen, Table
from services.reporting.domain.tables import Count

__all__ = ["TABLES", "Cell", "Report", "Table", "company_report", "programme_report"]

View = Literal["programme", "company"]

TABLES: tuple[str, ...] = (
    "summary",
    "participants",
    "matching",
    "sessions_over_time",
    "toolbox",
    "formats",
    "at_risk",
    "ended",
)
OTHER_REASONS = "other reasons"


class CohortRef(Frozen):
    cohort_id: UUID
    name: str


class CompanyRef(Frozen):
    company_id: UUID
    name: str


class ThresholdsOut(Frozen):
    first_session_days: int
    quiet_days: int


class Report(Frozen):
    view: View
    cohort: CohortRef
    company: CompanyRef | None = None
    today: date
    thresholds: ThresholdsOut
    tables: dict[str, Table]

    def table(self, name: str) -> Table:
        if name not in TABLES:
            raise table_not_found(name, TABLES)
        return self.tables[name]


def _exact(count: int) -> Shown:
    return count


def programme_report(data: CohortData, today: date, thresholds: Thresholds) -> Report:
    """Staff's view of a cohort: every company, every pair, names of whom to call."""
    sessions = figures.counted_sessions(data)
    at_risk = figures.at_risk(data.pairs, sessions, today, thresholds)
    summary = tables.summary_rows(data, sessions, len(at_risk), _exact)
    summary.insert(
        4, ("companies", "Companies with participants", len(figures.by_company(data.participants)))
    )
    return _report(
        Viewed("programme", data, sessions, today, thresholds, _exact),
        summary,
        tables.at_risk_pairs(data, at_risk),
        figures.ended_by_reason(data.pairs),
    )


def company_report(data: CohortData, company_id: UUID, today: date, thresholds: Thresholds) -> Report:
    """A partner company's view: its own participants and the pairs they are in, in aggregate only,
    counts of 1 or 2 shown as "<3"; nothing about the person on the other side of a pair."""
    own = data.restricted_to(company_id)
    count = shown
    sessions = figures.counted_sessions(own)
    at_risk = figures.at_risk(own.pairs, sessions, today, thresholds)
    summary = tables.summary_rows(own, sessions, len(at_risk), count)
    summary[5:5] = [
        ("pairs_with_our_mentee", "Pairs with one of our mentees", count(sum(p.mentee_company_id == company_id for p in own.pairs))),
        ("pairs_with_our_mentor", "Pairs with one of our mentors", count(sum(p.mentor_company_id == company_id for p in own.pairs))),
    ]  # fmt: skip
    return _report(
        Viewed("company", own, sessions, today, thresholds, count),
        summary,
        tables.risk_counts(at_risk, thresholds, count),
        pooled(figures.ended_by_reason(own.pairs), OTHER_REASONS),
        CompanyRef(company_id=company_id, name=data.company_name(company_id)),
    )


@dataclass(frozen=True)
class Viewed:
    """What one viewer's report is computed from: the cohort as they may see it, and how they see counts."""

    view: View
    data: CohortData
    sessions: list[Session]
    today: date
    thresholds: Thresholds
    count: Count


def _report(
    seen: Viewed,
    summary: list[tuple[str, str, Cell]],
    at_risk: Table,
    ended: dict[str, int],
    company: CompanyRef | None = None,
) -> Report:
    data, sessions, count = seen.data, seen.sessions, seen.count
    made = [
        tables.summary(summary),
        tables.participants(data, count, staff=seen.view == "programme"),
        tables.matching(data, count),
        tables.months(data, sessions, seen.today, count),
        tables.toolbox(sessions, count),
        tables.formats(sessions, count),
        at_risk,
        tables.ended(ended, count),
    ]
    return Report(
        view=seen.view,
        cohort=CohortRef(cohort_id=data.cohort.cohort_id, name=data.cohort.title),
        company=company,
        today=seen.today,
        thresholds=ThresholdsOut(
            first_session_days=seen.thresholds.first_session_days, quiet_days=seen.thresholds.quiet_days
        ),
        tables={t.name: t for t in made},
    )
