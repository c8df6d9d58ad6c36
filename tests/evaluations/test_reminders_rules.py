"""The reminder rules as pure functions: which reminders are due on a day, each once per period,
and the pair at risk counted exactly as reporting counts it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.intake.domain.reminders.mail import Mail, language_of, render
from services.intake.domain.reminders.rules import EvaluationFacts, PairFacts, Thresholds, due_reminders
from services.reporting.domain import figures
from services.reporting.domain.model import Pair, Session

DAY = date(2027, 4, 20)
T = Thresholds(first_session_days=21, quiet_days=42, evaluation_days=7, agreement_days=14)


def pair(
    matched_days_ago: int, *sessions_days_ago: int, agreement: bool = True, ended: bool = False
) -> PairFacts:
    return PairFacts(
        pair_id=uuid.uuid4(),
        cohort_id=uuid.UUID(int=1),
        mentee_id=uuid.uuid4(),
        mentor_id=uuid.uuid4(),
        matched_on=DAY - timedelta(days=matched_days_ago),
        ended_on=DAY if ended else None,
        sessions_on=tuple(sorted(DAY - timedelta(days=d) for d in sessions_days_ago)),
        agreement_on=DAY if agreement else None,
    )


def test_a_quiet_pair_reminds_both_members_and_staff_with_the_silence_as_its_period():
    quiet = pair(100, 90, 50)
    due = due_reminders([quiet], [], DAY, T)
    assert {(d.rule, d.recipient, d.period) for d in due} == {
        ("pair_at_risk", role, f"quiet-since-{(DAY - timedelta(days=50)).isoformat()}")
        for role in ("mentee", "mentor", "staff")
    }
    assert due_reminders([pair(100, 42)], [], DAY, T) == []  # exactly 42 days is not yet "more than"
    assert due_reminders([pair(100, 50, ended=True)], [], DAY, T) == []


def test_a_member_who_cannot_be_reached_is_left_out_but_the_staff_note_goes():
    quiet = pair(30, agreement=False)
    due = due_reminders([quiet], [], DAY, T, unreachable=frozenset({quiet.mentee_id, quiet.mentor_id}))
    assert [(d.recipient, d.period) for d in due] == [("staff", "no-first-session")]


def test_agreement_missing_counts_from_the_first_session():
    assert due_reminders([pair(30, 13, agreement=False)], [], DAY, T) == []
    due = due_reminders([pair(30, 14, 2, agreement=False)], [], DAY, T)
    assert {(d.rule, d.recipient) for d in due} == {
        ("agreement_missing", "mentee"),
        ("agreement_missing", "mentor"),
    }
    assert {d.period for d in due} == {f"first-session-{(DAY - timedelta(days=14)).isoformat()}"}


def test_an_evaluation_reminds_each_member_who_has_not_answered_once_even_a_mentor_of_two_pairs():
    one, two = pair(30, 5), pair(30, 5)
    two = PairFacts(**{**two.__dict__, "mentor_id": one.mentor_id})
    evaluation = EvaluationFacts(
        uuid.uuid4(),
        one.cohort_id,
        "closing",
        DAY - timedelta(days=7),
        DAY + timedelta(days=7),
        frozenset({one.mentee_id}),
    )
    due = due_reminders([one, two], [evaluation], DAY, T)
    assert sorted((d.recipient, d.participant_id == one.mentor_id) for d in due) == [
        ("mentee", False),
        ("mentor", True),
    ]
    early = EvaluationFacts(**{**evaluation.__dict__, "opens_on": DAY - timedelta(days=6)})
    closed = EvaluationFacts(**{**evaluation.__dict__, "closes_on": DAY - timedelta(days=1)})
    assert due_reminders([one, two], [early, closed], DAY, T) == []


@settings(max_examples=300, deadline=None)
@given(
    matched_days_ago=st.integers(0, 200),
    sessions=st.lists(st.integers(0, 200), max_size=4),
    first=st.integers(1, 60),
    quiet=st.integers(1, 90),
)
def test_a_pair_is_at_risk_exactly_when_reporting_counts_it_at_risk(matched_days_ago, sessions, first, quiet):
    facts = pair(matched_days_ago, *(min(d, matched_days_ago) for d in sessions))
    thresholds = Thresholds(first_session_days=first, quiet_days=quiet)
    ours = {d.pair_id for d in due_reminders([facts], [], DAY, thresholds) if d.rule == "pair_at_risk"}
    theirs = figures.at_risk(
        [Pair(facts.pair_id, facts.mentee_id, facts.mentor_id, uuid.uuid4(), uuid.uuid4(), facts.matched_on)],
        [Session(uuid.uuid4(), facts.pair_id, held_on, 60, "online") for held_on in facts.sessions_on],
        DAY,
        figures.Thresholds(first, quiet),
    )
    assert ours == {r.pair.pair_id for r in theirs}


def test_the_mail_language_is_the_first_the_member_speaks_that_we_write_in_else_danish():
    assert language_of(["en", "da"]) == "en"
    assert language_of(["de", "da"]) == "da"
    assert language_of(["de"]) == "da"
    assert language_of([]) == "da"


def test_every_template_renders_in_both_languages_with_the_opt_out_link_for_members_only():
    links = {
        "pair": "http://web/pair/1",
        "opt_out": "http://web/reminders/opt-out?token=t",
        "staff": "http://web/staff/pairs",
    }
    names = {"recipient": "Ann <b>", "partner": "Bo & Co", "mentee_name": "Ann", "mentor_name": "Bo"}
    facts: dict[str, str | int] = {
        "reason": "no_recent_session",
        "since": "2027-03-01",
        "days": 50,
        "kind": "midpoint",
        "closes_on": "2027-05-01",
    }
    for language in ("da", "en"):
        for template in ("pair_at_risk", "evaluation_unanswered", "agreement_missing", "staff_pair_at_risk"):
            member = not template.startswith("staff")
            mail = Mail(
                template,
                language,
                "a@example.com",
                "Ann",
                facts,
                names,
                links if member else {"staff": links["staff"]},
            )
            subject, text, html = render(mail)
            assert subject and text.strip() and html.startswith("<!doctype html>")
            assert ("opt-out?token=t" in text) is member and ("opt-out?token=t" in html) is member
            assert "Ann <b>" not in html and "{{" not in text + html
            if template == "pair_at_risk":
                assert "Ann &lt;b&gt;" in html and "Ann <b>" in text and "Bo & Co" in text


def test_intake_refuses_to_start_outside_development_with_the_default_opt_out_secret():
    from services.intake.settings import IntakeSettings
    from shared.settings import UnsafeSettings, refuse_unsafe

    with pytest.raises(UnsafeSettings, match="MENTORNET_REMINDER_SECRET"):
        refuse_unsafe(IntakeSettings(environment="production", admin_token="a-long-random-secret-0b1f"))
    refuse_unsafe(
        IntakeSettings(
            environment="production", admin_token="a-long-random-secret-0b1f", reminder_secret="s-7f3a9"
        )
    )
