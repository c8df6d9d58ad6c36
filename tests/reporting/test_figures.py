"""The figures' rules, as pure functions: no database, no broker."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from services.reporting.domain import figures, year
from services.reporting.domain.figures import Thresholds
from services.reporting.domain.model import Cohort, CohortData, Company, Pair, Participant, Session
from services.reporting.domain.report import company_report, programme_report
from services.reporting.domain.suppression import pooled, shown, unless_suppressed
from services.reporting.entrypoints.http.render import pages as html
from services.reporting.entrypoints.http.render.cells import csv_text
from services.reporting.entrypoints.http.render.charts import Point, bar_chart, column_chart

A, B = uuid.uuid4(), uuid.uuid4()
MATCHED = date(2027, 2, 1)


def pair(
    matched_on: date = MATCHED, ended_on: date | None = None, reason: str | None = None, **ids: uuid.UUID
) -> Pair:
    return Pair(
        pair_id=ids.get("pair_id", uuid.uuid4()),
        mentee_id=ids.get("mentee_id", uuid.uuid4()),
        mentor_id=ids.get("mentor_id", uuid.uuid4()),
        mentee_company_id=ids.get("mentee_company_id", A),
        mentor_company_id=ids.get("mentor_company_id", B),
        matched_on=matched_on,
        ended_on=ended_on,
        end_reason=reason,
    )


def session(of: Pair, held_on: date, minutes: int = 60, tools: tuple[str, ...] = ("coaching",)) -> Session:
    return Session(uuid.uuid4(), of.pair_id, held_on, minutes, "online", tools)


def test_no_first_session_is_a_risk_only_after_the_threshold():
    p = pair()
    limits = Thresholds(first_session_days=21, quiet_days=42)
    assert figures.at_risk([p], [], MATCHED + timedelta(days=21), limits) == []
    [risk] = figures.at_risk([p], [], MATCHED + timedelta(days=22), limits)
    assert (risk.reason, risk.days_without_session, risk.sessions) == ("no_first_session", 22, 0)


def test_a_pair_gone_quiet_is_a_risk_after_the_second_threshold():
    p = pair()
    last = MATCHED + timedelta(days=5)
    held = [session(p, MATCHED + timedelta(days=2)), session(p, last)]
    limits = Thresholds(first_session_days=21, quiet_days=42)
    assert figures.at_risk([p], held, last + timedelta(days=42), limits) == []
    [risk] = figures.at_risk([p], held, last + timedelta(days=43), limits)
    assert (risk.reason, risk.last_session_on, risk.sessions) == ("no_recent_session", last, 2)


def test_thresholds_are_settings_and_ended_pairs_are_never_at_risk():
    quiet, ended = pair(), pair(ended_on=MATCHED + timedelta(days=3))
    today = MATCHED + timedelta(days=10)
    assert figures.at_risk([quiet, ended], [], today, Thresholds(first_session_days=21)) == []
    assert [r.pair for r in figures.at_risk([quiet, ended], [], today, Thresholds(first_session_days=7))] == [
        quiet
    ]


def test_months_run_over_the_year_end_and_count_pairs_active_in_each():
    early = pair(matched_on=date(2026, 11, 20), ended_on=date(2026, 12, 3))
    late = pair(matched_on=date(2027, 1, 31))
    held = [session(early, date(2026, 12, 1), 90), session(late, date(2027, 2, 2), 30)]
    months = figures.months([early, late], held, today=date(2027, 2, 14))
    assert [(m.month, m.pairs, m.sessions, m.minutes) for m in months] == [
        ("2026-11", 1, 0, 0),
        ("2026-12", 1, 1, 90),
        ("2027-01", 1, 0, 0),
        ("2027-02", 1, 1, 30),
    ]


def test_once_every_pair_has_ended_the_months_stop_at_the_last_activity():
    done = pair(matched_on=date(2027, 1, 10), ended_on=date(2027, 3, 5))
    months = figures.months([done], [session(done, date(2027, 2, 1))], today=date(2028, 6, 1))
    assert [m.month for m in months] == ["2027-01", "2027-02", "2027-03"]


def test_matched_means_in_a_pair_that_has_not_ended_and_withdrawn_people_count_apart():
    mentee, mentor, rematched = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    people = [
        Participant(mentee, A, "mentee", "Ann"),
        Participant(mentor, B, "mentor", "Bo"),
        Participant(rematched, A, "mentee", "Cy"),
        Participant(uuid.uuid4(), A, "mentee", "Di", withdrawn=True),
    ]
    pairs = [
        pair(mentee_id=mentee, mentor_id=mentor),
        pair(mentee_id=rematched, mentor_id=mentor, ended_on=MATCHED + timedelta(days=30)),
    ]
    assert [(m.role, m.active, m.matched, m.unmatched) for m in figures.matching(people, pairs)] == [
        ("mentee", 2, 1, 1),
        ("mentor", 1, 1, 0),
    ]
    assert figures.role_counts(people) == figures.RoleCounts(mentors=1, mentees=2, withdrawn=1)


def test_tools_are_counted_once_per_session_and_every_tool_is_listed():
    p = pair()
    mix = figures.tool_mix([session(p, MATCHED, tools=("advice", "advice", "coaching"))])
    assert mix == {"coaching": 1, "supervision": 0, "instruction": 0, "advice": 1, "sharing_experience": 0}


def test_small_counts_and_what_could_reveal_them():
    assert [shown(n) for n in (0, 1, 2, 3, 40)] == [0, "<3", "<3", 3, 40]
    assert unless_suppressed(2.5, 5, "<3") is None
    assert unless_suppressed(2.5, 5, 0) == 2.5
    assert pooled({"moved": 4, "conflict": 1, "illness": 1}, "other reasons") == {
        "moved": 4,
        "other reasons": 2,
    }
    assert pooled({"moved": 4}, "other reasons") == {"moved": 4}


def test_a_cross_company_pair_counts_for_both_companies_and_shows_neither_the_other_side():
    mentee, mentor = uuid.uuid4(), uuid.uuid4()
    p = pair(mentee_id=mentee, mentor_id=mentor, mentee_company_id=A, mentor_company_id=B)
    data = CohortData(
        cohort=Cohort(uuid.uuid4(), "2027"),
        companies={A: Company(A, "Alpha", "Hr A", "hr@a"), B: Company(B, "Beta", "Hr B", "hr@b")},
        participants=(Participant(mentee, A, "mentee", "Ann"), Participant(mentor, B, "mentor", "Bo")),
        pairs=(p,),
        sessions=(session(p, MATCHED + timedelta(days=3)),),
    )
    for company, other in ((A, "Beta"), (B, "Alpha")):
        report = company_report(data, company, MATCHED + timedelta(days=10), Thresholds())
        text = report.model_dump_json()
        assert {r["figure"]: r["value"] for r in report.tables["summary"].rows}["pairs"] == "<3"
        assert other not in text and "Ann" not in text and "Bo" not in text and str(p.pair_id) not in text
    staff = programme_report(data, MATCHED + timedelta(days=10), Thresholds())
    assert {r["figure"]: r["value"] for r in staff.tables["summary"].rows}["pairs"] == 1


def test_a_cell_that_looks_like_a_formula_is_written_as_text_in_csv():
    assert csv_text('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert csv_text("Nordlys") == "Nordlys"
    assert csv_text(-1) == "-1"
    assert csv_text(None) == ""


def test_charts_are_svg_carrying_every_value_as_text():
    chart = column_chart(
        "t", "Sessions", [Point("2027-02", 5), Point("2027-03", "<3"), Point("2027-04", None)]
    )
    assert chart.svg.startswith("<svg") and chart.svg.endswith("</svg>")
    assert ">5</text>" in chart.svg and "&lt;3</text>" in chart.svg and "url(#hatch-t)" in chart.svg
    bars = bar_chart("b", "Tools <mix>", [Point("Coaching", 3), Point("Advice", 0)])
    assert "Tools &lt;mix&gt;" in bars.svg and ">3</text>" in bars.svg


def test_a_cohort_with_nothing_in_it_yet_renders_without_dividing_by_zero():
    data = CohortData(cohort=Cohort(uuid.uuid4(), None))
    report = programme_report(data, date(2027, 1, 10), Thresholds())
    figures_ = {r["figure"]: r["value"] for r in report.tables["summary"].rows}
    assert figures_["sessions"] == 0 and figures_["sessions_per_pair"] is None
    assert report.cohort.name.startswith("cohort ")  # its CohortOpened has not arrived yet
    empty_year = {
        "timeline": year.timeline(data.cohort),
        "agreements": year.agreement_figures([]),
        "evaluations": [],
        "quotes": [],
    }
    page = html.report_page(report, [], "/api/programme/cohorts/x/tables", empty_year)
    assert "Nothing to show." in page and "No data yet" in page
