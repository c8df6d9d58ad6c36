"""Every table of a report: what it shows (its layout, declared once) and its rows, from the figures.

`count` writes a count the way the viewer may see it: exact for staff, "<3" for 1 or 2 in a company's
view; a figure derived from a hidden count is withheld.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from services.reporting.domain import figures
from services.reporting.domain.figures import Thresholds
from services.reporting.domain.model import CohortData, Session
from services.reporting.domain.suppression import Shown, unless_suppressed
from services.reporting.domain.table import Cell, Layout, Row, Table

Count = Callable[[int], Shown]

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
UNKNOWN_PERSON = "(not yet received)"

SUMMARY = Layout(
    "summary", "Key figures", "Active participants exclude withdrawn ones; sessions exclude retracted ones.",
    "figure=Figure:id | label=Figure:text | value=Value:number",
)  # fmt: skip
PARTICIPANTS = Layout(
    "participants", "Participants by company and role",
    "Active mentees and mentors; withdrawn participants are counted apart.",
    "company_id=Company id:id | company=Company:text | hr_contact=HR contact:text | mentees=Mentees:count"
    " | mentors=Mentors:count | active=Active:count | withdrawn=Withdrawn:count",
)  # fmt: skip
MATCHING = Layout(
    "matching", "Matched and unmatched",
    "Active participants in a pair that has not ended, and those still waiting.",
    "role=Role:id | label=Role:text | active=Active:count | matched=Matched:count | unmatched=Unmatched:count",
)  # fmt: skip
MONTHS = Layout(
    "sessions_over_time", "Sessions per pair over time",
    "Per month: pairs active at some time in the month, sessions held, and their ratio.",
    "month=Month:month | pairs=Pairs active:count | sessions=Sessions:count | hours=Hours:hours"
    " | sessions_per_pair=Sessions per pair:ratio",
)  # fmt: skip
MIX = "{key}={label}:id | label={label}:text | sessions=Sessions:count | share_percent=Share of sessions (%):percent"
TOOLBOX = Layout(
    "toolbox", "Toolbox mix",
    "Sessions that used each tool; a session may use several, so shares add up to more than 100.",
    MIX.format(key="tool", label="Tool"),
)  # fmt: skip
FORMATS = Layout(
    "formats", "How pairs meet", "Sessions held in person, online or by phone.",
    MIX.format(key="format", label="Format"),
)  # fmt: skip
AT_RISK_PAIRS = Layout(
    "at_risk", "Pairs at risk: whom to call",
    "Active pairs with no first session within the first threshold after matching, "
    "or no session for longer than the second; the longest silence first.",
    "pair_id=Pair:id | reason=Why:text | mentee=Mentee:text | mentee_company=Mentee's company:text"
    " | mentee_hr_contact=Mentee's HR contact:text | mentor=Mentor:text | mentor_company=Mentor's company:text"
    " | mentor_hr_contact=Mentor's HR contact:text | matched_on=Matched on:date | sessions=Sessions:count"
    " | last_session_on=Last session:date | days_without_session=Days without a session:number",
)  # fmt: skip
RISK_COUNTS = Layout(
    "at_risk", "Pairs at risk",
    "Active pairs with one of your people that have not met for a while (counts only).",
    "reason=Reason:id | label=Reason:text | pairs=Pairs:count",
)  # fmt: skip
ENDED = Layout(
    "ended", "Pairs ended early, and why",
    "Pairs that ended before the programme's close, counted by the reason given.",
    "reason=Reason:text | pairs=Pairs:count",
)  # fmt: skip


def summary(rows: list[tuple[str, str, Cell]]) -> Table:
    return SUMMARY.table([{"figure": f, "label": label, "value": v} for f, label, v in rows])


def summary_rows(
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


def participants(data: CohortData, count: Count, *, staff: bool) -> Table:
    """Per company; the HR contact only in staff's view."""
    rows: list[Row] = []
    for company_id, people in figures.by_company(data.participants).items():
        row: Row = {"company_id": str(company_id), "company": data.company_name(company_id)}
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
    return PARTICIPANTS.table(rows, without=() if staff else ("hr_contact",))


def matching(data: CohortData, count: Count) -> Table:
    return MATCHING.table(
        [
            {
                "role": m.role,
                "label": ROLE_LABELS[m.role],
                "active": count(m.active),
                "matched": count(m.matched),
                "unmatched": count(m.unmatched),
            }
            for m in figures.matching(data.participants, data.pairs)
        ]
    )


def months(data: CohortData, sessions: Sequence[Session], today: date, count: Count) -> Table:
    rows: list[Row] = []
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
    return MONTHS.table(rows)


def _mix(layout: Layout, mix: dict[str, int], labels: dict[str, str], total: int, count: Count) -> Table:
    """Sessions counted by one attribute (tool, format), each with its share of all sessions."""
    key = layout.parsed()[0].key
    rows: list[Row] = []
    for code, used in mix.items():
        n = count(used)
        share = unless_suppressed(figures.percent(used, total), n, count(total))
        rows.append({key: code, "label": labels[code], "sessions": n, "share_percent": share})
    return layout.table(rows)


def toolbox(sessions: Sequence[Session], count: Count) -> Table:
    return _mix(TOOLBOX, figures.tool_mix(sessions), TOOL_LABELS, len(sessions), count)


def formats(sessions: Sequence[Session], count: Count) -> Table:
    return _mix(FORMATS, figures.format_mix(sessions), FORMAT_LABELS, len(sessions), count)


def at_risk_pairs(data: CohortData, at_risk: list[figures.AtRisk]) -> Table:
    """Staff's list of whom to call: both people by name, their companies and HR contacts."""
    people = {p.participant_id: p for p in data.participants}

    def name(participant_id: UUID) -> str:
        person = people.get(participant_id)
        return (person.display_name if person else None) or UNKNOWN_PERSON

    def side(role: str, participant_id: UUID, company_id: UUID) -> Row:
        company = data.companies.get(company_id)
        return {
            role: name(participant_id),
            f"{role}_company": data.company_name(company_id),
            f"{role}_hr_contact": company.hr_contact if company else "",
        }

    rows: list[Row] = [
        {
            "pair_id": str(r.pair.pair_id),
            "reason": RISK_LABELS[r.reason],
            **side("mentee", r.pair.mentee_id, r.pair.mentee_company_id),
            **side("mentor", r.pair.mentor_id, r.pair.mentor_company_id),
            "matched_on": r.pair.matched_on.isoformat(),
            "sessions": r.sessions,
            "last_session_on": r.last_session_on.isoformat() if r.last_session_on else None,
            "days_without_session": r.days_without_session,
        }
        for r in at_risk
    ]
    return AT_RISK_PAIRS.table(rows)


def risk_counts(at_risk: list[figures.AtRisk], thresholds: Thresholds, count: Count) -> Table:
    """A company's view of pairs at risk: how many, by reason, never which."""
    labels = {
        "no_first_session": f"No first session within {thresholds.first_session_days} days of matching",
        "no_recent_session": f"No session for more than {thresholds.quiet_days} days",
    }
    return RISK_COUNTS.table(
        [
            {
                "reason": reason,
                "label": labels[reason],
                "pairs": count(sum(r.reason == reason for r in at_risk)),
            }
            for reason in figures.RISK_REASONS
        ]
    )


def ended(by_reason: dict[str, int], count: Count) -> Table:
    return ENDED.table([{"reason": reason, "pairs": count(n)} for reason, n in by_reason.items()])
