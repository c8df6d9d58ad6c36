"""The dashboard's pages: Jinja2 templates shipped in this package, charts drawn from the report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from services.reporting.domain.model import Cohort
from services.reporting.domain.report import Report
from services.reporting.domain.suppression import SMALLEST_SHOWN, SUPPRESSED
from services.reporting.domain.table import Table
from services.reporting.domain.year import QUESTIONS
from services.reporting.entrypoints.http.render.cells import percent, text
from services.reporting.entrypoints.http.render.charts import Chart, Point, bar_chart, column_chart

_env = Environment(
    loader=PackageLoader("services.reporting.entrypoints.http.render", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["cell"] = text
_env.filters["percent"] = percent
_env.globals |= {
    "SUPPRESSED": SUPPRESSED,
    "SMALLEST_SHOWN": SMALLEST_SHOWN,
    "QUESTIONS": QUESTIONS,
    "QUESTION_LABELS": {
        "expectations_met": "Expectations met",
        "learning": "Learning used at work",
        "openness": "Openness",
        "programme": "Programme",
    },
    "KINDS": {"midpoint": "Mid-point", "closing": "Closing"},
}


def charts(report: Report) -> list[Chart]:
    """The report's charts, each drawn from one of its tables."""
    t = report.tables
    months = t["sessions_over_time"].rows
    matching = [
        Point(f"{row['label']} {state}", row[state])
        for row in t["matching"].rows
        for state in ("matched", "unmatched")
    ]
    return [
        column_chart(
            "sessions", "Sessions held per month", [Point(str(r["month"]), r["sessions"]) for r in months]
        ),
        column_chart(
            "per-pair",
            "Sessions per pair, per month",
            [Point(str(r["month"]), r["sessions_per_pair"]) for r in months],
        ),
        bar_chart("matching", "Matched and unmatched", matching),
        bar_chart("toolbox", "Toolbox mix (sessions using each tool)", _mix(t["toolbox"])),
        bar_chart("formats", "How pairs meet (sessions)", _mix(t["formats"])),
    ]


def _mix(table: Table) -> list[Point]:
    return [Point(str(row["label"]), row["sessions"]) for row in table.rows]


def report_page(report: Report, cohorts: Sequence[Cohort], csv_base: str, year: Mapping[str, Any]) -> str:
    """Key figures, then pairs at risk (what staff open the page for), the charts, the other tables,
    then the programme year (the viewer's year view: a company's has no evaluation data)."""
    first = ("summary", "at_risk")
    return _env.get_template("report.html").render(
        report=report,
        summary=report.tables["summary"],
        at_risk=report.tables["at_risk"],
        tables=[table for name, table in report.tables.items() if name not in first],
        charts=charts(report),
        cohorts=cohorts,
        csv_base=csv_base,
        year=year,
    )


def cohorts_page(cohorts: Sequence[Cohort], staff: bool, company_name: str | None) -> str:
    return _env.get_template("cohorts.html").render(cohorts=cohorts, staff=staff, company_name=company_name)


def login_page(error: str | None = None) -> str:
    return _env.get_template("login.html").render(error=error)


def not_found_page() -> str:
    return "<!doctype html><title>Not found</title><p>No such cohort.</p>"
