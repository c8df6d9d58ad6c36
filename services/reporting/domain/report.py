"""The report one viewer gets for one cohort: named tables of cells, computed once, then rendered
as JSON, HTML and CSV alike, so the three agree to the number."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from services.reporting.domain import figures
from services.reporting.domain.figures import Thresholds
from services.reporting.domain.model import CohortData, Session
from services.reporting.domain.suppression import Shown, pooled, shown, unless_suppressed

Cell = int | float | str | None
Kind = Literal["id", "text", "count", "number", "hours", "ratio", "percent", "date", "month"]
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
TOOL_LABELS = {
    "coaching": "Coaching",
    "supervision": "Supervision",
    "instruction": "Instruction",
    "advice": "Advice",
    "sharing_experience": "Sharing experience",
}
FORMAT_LABELS = {"in_person": "In person", "online": "Online", "phone": "Phone"}
ROLE_LABELS = {"mentee": "Mentees", "mentor": "Mentors"}
RISK_LABELS = {"no_first_session": "No first session", "no_recent_session": "No recent session"}
OTHER_REASONS = "other reasons"
UNKNOWN_PERSON = "(not yet received)"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Column(_Frozen):
    key: str
    label: str
    kind: Kind


class Table(_Frozen):
    name: str
    title: str
    description: str
    key: str
    columns: list[Column]
    rows: list[dict[str, Cell]]


class CohortRef(_Frozen):
    cohort_id: UUID
    name: str


class CompanyRef(_Frozen):
    company_id: UUID
    name: str


class ThresholdsOut(_Frozen):
    first_session_days: int
    quiet_days: int


class Report(_Frozen):
    view: View
    cohort: CohortRef
    company: CompanyRef | None = None
    today: date
    thresholds: ThresholdsOut
    tables: dict[str, Table]


Count = Callable[[int], Shown]


def _exact(count: int) -> Shown:
    return count


def _col(key: str, label: str, kind: Kind) -> Column:
    return Column(key=key, label=label, kind=kind)


def programme_report(data: CohortData, today: date, thresholds: Thresholds) -> Report:
    """Staff's view of a cohort: every company, every pair, names of whom to call."""
    sessions = figures.counted_sessions(data)
    at_risk = figures.at_risk(data.pairs, sessions, today, thresholds)
    summary = _summary_rows(data, sessions, len(at_risk), _exact)
    summary.insert(
        4, ("companies", "Companies with participants", len(figures.by_company(data.participants)))
    )
    tables = [
        _summary(summary),
        _participants(data, _exact, staff=True),
        _matching(data, _exact),
        _months(data, sessions, today, _exact),
        _toolbox(sessions, _exact),
        _formats(sessions, _exact),
        _at_risk_pairs(data, at_risk),
        _ended(figures.ended_by_reason(data.pairs), _exact),
    ]
    return _report("programme", data, today, thresholds, tables)


def company_report(data: CohortData, company_id: UUID, today: date, thresholds: Thresholds) -> Report:
    """A partner company's view: its own participants and the pairs they are in, in aggregate only,
    counts of 1 or 2 shown as "<3"; nothing about the person on the other side of a pair."""
    own = data.restricted_to(company_id)
    count: Count = shown
    sessions = figures.counted_sessions(own)
    at_risk = figures.at_risk(own.pairs, sessions, today, thresholds)
    summary = _summary_rows(own, sessions, len(at_risk), count)
    summary[5:5] = [
        ("pairs_with_our_mentee", "Pairs with one of our mentees", count(sum(p.mentee_company_id == company_id for p in own.pairs))),
        ("pairs_with_our_mentor", "Pairs with one of our mentors", count(sum(p.mentor_company_id == company_id for p in own.pairs))),
    ]  # fmt: skip
    tables = [
        _summary(summary),
        _participants(own, count, staff=False),
        _matching(own, count),
        _months(own, sessions, today, count),
        _toolbox(sessions, count),
        _formats(sessions, count),
        _risk_counts(at_risk, thresholds, count),
        _ended(pooled(figures.ended_by_reason(own.pairs), OTHER_REASONS), count),
    ]
    company = CompanyRef(company_id=company_id, name=data.company_name(company_id))
    return _report("company", data, today, thresholds, tables, company)


def _report(
    view: View,
    data: CohortData,
    today: date,
    thresholds: Thresholds,
    tables: list[Table],
    company: CompanyRef | None = None,
) -> Report:
    return Report(
        view=view,
        cohort=CohortRef(cohort_id=data.cohort.cohort_id, name=data.cohort.title),
        company=company,
        today=today,
        thresholds=ThresholdsOut(
            first_session_days=thresholds.first_session_days, quiet_days=thresholds.quiet_days
        ),
        tables={t.name: t for t in tables},
    )


def _summary_rows(
    data: CohortData, sessions: Sequence[Session], at_risk: int, count: Count
) -> list[tuple[str, str, Cell]]:
    people = figures.role_counts(data.participants)
    active_pairs = sum(1 for p in data.pairs if p.active)
    held, pairs = count(len(sessions)), count(len(data.pairs))
    return [
        ("participants", "Participants (active)", count(people.active)),
        ("mentees", "Mentees", count(people.mentees)),
        ("mentors", "Mentors", count(people.mentors)),
        ("withdrawn", "Withdrawn", count(people.withdrawn)),
        ("pairs", "Pairs matched", pairs),
        ("active_pairs", "Pairs active", count(active_pairs)),
        ("ended_pairs", "Pairs ended early", count(len(data.pairs) - active_pairs)),
        ("sessions", "Sessions held", held),
        ("hours", "Hours in sessions", unless_suppressed(figures.hours(figures.minutes(sessions)), held)),
        ("pairs_with_sessions", "Pairs that have met", count(len({s.pair_id for s in sessions}))),
        (
            "sessions_per_pair",
            "Sessions per pair",
            unless_suppressed(figures.ratio(len(sessions), len(data.pairs)), held, pairs),
        ),
        ("at_risk", "Pairs at risk", count(at_risk)),
    ]


def _summary(rows: list[tuple[str, str, Cell]]) -> Table:
    return Table(
        name="summary",
        title="Key figures",
        description="Active participants exclude withdrawn ones; sessions exclude retracted ones.",
        key="figure",
        columns=[
            _col("figure", "Figure", "id"),
            _col("label", "Figure", "text"),
            _col("value", "Value", "number"),
        ],
        rows=[{"figure": f, "label": label, "value": v} for f, label, v in rows],
    )


def _participants(data: CohortData, count: Count, *, staff: bool) -> Table:
    rows: list[dict[str, Cell]] = []
    for company_id, people in figures.by_company(data.participants).items():
        row: dict[str, Cell] = {"company_id": str(company_id), "company": data.company_name(company_id)}
        if staff:
            company = data.companies.get(company_id)
            row["hr_contact"] = company.hr_contact if company else ""
        row |= {
            "mentees": count(people.mentees),
            "mentors": count(people.mentors),
            "active": count(people.active),
            "withdrawn": count(people.withdrawn),
        }
        rows.append(row)
    rows.sort(key=lambda r: (str(r["company"]).casefold(), str(r["company_id"])))
    columns = [_col("company_id", "Company id", "id"), _col("company", "Company", "text")]
    if staff:
        columns.append(_col("hr_contact", "HR contact", "text"))
    columns += [
        _col("mentees", "Mentees", "count"),
        _col("mentors", "Mentors", "count"),
        _col("active", "Active", "count"),
        _col("withdrawn", "Withdrawn", "count"),
    ]
    return Table(
        name="participants",
        title="Participants by company and role",
        description="Active mentees and mentors; withdrawn participants are counted apart.",
        key="company_id",
        columns=columns,
        rows=rows,
    )


def _matching(data: CohortData, count: Count) -> Table:
    return Table(
        name="matching",
        title="Matched and unmatched",
        description="Active participants in a pair that has not ended, and those still waiting.",
        key="role",
        columns=[
            _col("role", "Role", "id"),
            _col("label", "Role", "text"),
            _col("active", "Active", "count"),
            _col("matched", "Matched", "count"),
            _col("unmatched", "Unmatched", "count"),
        ],
        rows=[
            {
                "role": m.role,
                "label": ROLE_LABELS[m.role],
                "active": count(m.active),
                "matched": count(m.matched),
                "unmatched": count(m.unmatched),
            }
            for m in figures.matching(data.participants, data.pairs)
        ],
    )


def _months(data: CohortData, sessions: Sequence[Session], today: date, count: Count) -> Table:
    rows: list[dict[str, Cell]] = []
    for month in figures.months(data.pairs, sessions, today):
        pairs, held = count(month.pairs), count(month.sessions)
        rows.append(
            {
                "month": month.month,
                "pairs": pairs,
                "sessions": held,
                "hours": unless_suppressed(figures.hours(month.minutes), held),
                "sessions_per_pair": unless_suppressed(
                    figures.ratio(month.sessions, month.pairs), held, pairs
                ),
            }
        )
    return Table(
        name="sessions_over_time",
        title="Sessions per pair over time",
        description="Per month: pairs active at some time in the month, sessions held, and their ratio.",
        key="month",
        columns=[
            _col("month", "Month", "month"),
            _col("pairs", "Pairs active", "count"),
            _col("sessions", "Sessions", "count"),
            _col("hours", "Hours", "hours"),
            _col("sessions_per_pair", "Sessions per pair", "ratio"),
        ],
        rows=rows,
    )


def _mix_rows(
    mix: dict[str, int], labels: dict[str, str], key: str, total: int, count: Count
) -> list[dict[str, Cell]]:
    rows: list[dict[str, Cell]] = []
    for code, used in mix.items():
        n = count(used)
        rows.append(
            {
                key: code,
                "label": labels[code],
                "sessions": n,
                "share_percent": unless_suppressed(figures.percent(used, total), n, count(total)),
            }
        )
    return rows


def _mix_table(
    name: str, title: str, description: str, key: str, label: str,
    mix: dict[str, int], labels: dict[str, str], sessions: Sequence[Session], count: Count,
) -> Table:  # fmt: skip
    """Sessions counted by one attribute (tool, format), each with its share of all sessions."""
    return Table(
        name=name,
        title=title,
        description=description,
        key=key,
        columns=[
            _col(key, label, "id"),
            _col("label", label, "text"),
            _col("sessions", "Sessions", "count"),
            _col("share_percent", "Share of sessions (%)", "percent"),
        ],
        rows=_mix_rows(mix, labels, key, len(sessions), count),
    )


def _toolbox(sessions: Sequence[Session], count: Count) -> Table:
    return _mix_table(
        "toolbox", "Toolbox mix",
        "Sessions that used each tool; a session may use several, so shares add up to more than 100.",
        "tool", "Tool", figures.tool_mix(sessions), TOOL_LABELS, sessions, count,
    )  # fmt: skip


def _formats(sessions: Sequence[Session], count: Count) -> Table:
    return _mix_table(
        "formats", "How pairs meet", "Sessions held in person, online or by phone.",
        "format", "Format", figures.format_mix(sessions), FORMAT_LABELS, sessions, count,
    )  # fmt: skip


def _at_risk_pairs(data: CohortData, at_risk: list[figures.AtRisk]) -> Table:
    people = {p.participant_id: p for p in data.participants}

    def name(participant_id: UUID) -> str:
        person = people.get(participant_id)
        return (person.display_name if person else None) or UNKNOWN_PERSON

    def hr(company_id: UUID) -> str:
        company = data.companies.get(company_id)
        return company.hr_contact if company else ""

    rows: list[dict[str, Cell]] = [
        {
            "pair_id": str(r.pair.pair_id),
            "reason": RISK_LABELS[r.reason],
            "mentee": name(r.pair.mentee_id),
            "mentee_company": data.company_name(r.pair.mentee_company_id),
            "mentee_hr_contact": hr(r.pair.mentee_company_id),
            "mentor": name(r.pair.mentor_id),
            "mentor_company": data.company_name(r.pair.mentor_company_id),
            "mentor_hr_contact": hr(r.pair.mentor_company_id),
            "matched_on": r.pair.matched_on.isoformat(),
            "sessions": r.sessions,
            "last_session_on": r.last_session_on.isoformat() if r.last_session_on else None,
            "days_without_session": r.days_without_session,
        }
        for r in at_risk
    ]
    return Table(
        name="at_risk",
        title="Pairs at risk: whom to call",
        description="Active pairs with no first session within the first threshold after matching, "
        "or no session for longer than the second; the longest silence first.",
        key="pair_id",
        columns=[
            _col("pair_id", "Pair", "id"),
            _col("reason", "Why", "text"),
            _col("mentee", "Mentee", "text"),
            _col("mentee_company", "Mentee's company", "text"),
            _col("mentee_hr_contact", "Mentee's HR contact", "text"),
            _col("mentor", "Mentor", "text"),
            _col("mentor_company", "Mentor's company", "text"),
            _col("mentor_hr_contact", "Mentor's HR contact", "text"),
            _col("matched_on", "Matched on", "date"),
            _col("sessions", "Sessions", "count"),
            _col("last_session_on", "Last session", "date"),
            _col("days_without_session", "Days without a session", "number"),
        ],
        rows=rows,
    )


def _risk_counts(at_risk: list[figures.AtRisk], thresholds: Thresholds, count: Count) -> Table:
    labels = {
        "no_first_session": f"No first session within {thresholds.first_session_days} days of matching",
        "no_recent_session": f"No session for more than {thresholds.quiet_days} days",
    }
    return Table(
        name="at_risk",
        title="Pairs at risk",
        description="Active pairs with one of your people that have not met for a while (counts only).",
        key="reason",
        columns=[
            _col("reason", "Reason", "id"),
            _col("label", "Reason", "text"),
            _col("pairs", "Pairs", "count"),
        ],
        rows=[
            {
                "reason": reason,
                "label": labels[reason],
                "pairs": count(sum(r.reason == reason for r in at_risk)),
            }
            for reason in figures.RISK_REASONS
        ],
    )


def _ended(by_reason: dict[str, int], count: Count) -> Table:
    return Table(
        name="ended",
        title="Pairs ended early, and why",
        description="Pairs that ended before the programme's close, counted by the reason given.",
        key="reason",
        columns=[_col("reason", "Reason", "text"), _col("pairs", "Pairs", "count")],
        rows=[{"reason": reason, "pairs": count(n)} for reason, n in by_reason.items()],
    )
