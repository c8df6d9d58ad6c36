"""The business rules as pure functions: no database, no broker."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.sessions.domain.decisions import (
    Corrected,
    Correction,
    Entry,
    FirstVersion,
    Logged,
    Replayed,
    Retracted,
    Unchanged,
    decide_correction,
    decide_log,
    decide_retraction,
)
from services.sessions.domain.details import session_details
from services.sessions.domain.errors import Conflict, Forbidden, NotFound, Refused
from services.sessions.domain.model import STAFF, Pair, Principal
from services.sessions.domain.rules import (
    check_pair_access,
    notes_problems,
    require_staff_role,
    timing_problems,
    unknown_pair_verdict,
)

ZONE = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)  # 13:00 in Copenhagen
PAIR = Pair(uuid.uuid4(), uuid.uuid4(), matched_on=date(2027, 1, 15), ended_on=None)


def details(day: date = date(2027, 3, 4), at: time = time(16, 30), **changes: object):
    values: dict = {
        "held_on": day,
        "start_time": at,
        "duration_minutes": 90,
        "format": "in_person",
        "tools": ["coaching"],
        "rating": 4,
        "zone": ZONE,
        **changes,
    }
    return session_details(**values)


def logged(entry: Entry | None = None) -> Logged:
    outcome = decide_log(
        PAIR,
        entry or Entry(details(), "notes", "mentor"),
        first_at_same_start=None,
        live_session_at_start=None,
        session_id=uuid.uuid4(),
        now=NOW,
        zone=ZONE,
    )
    assert isinstance(outcome, Logged)
    return outcome


def codes(problems) -> set[str]:
    return {p.code for p in problems}


def test_a_start_time_without_offset_is_in_the_programme_zone():
    assert details(date(2027, 3, 4), time(16, 30)).started_at == datetime(2027, 3, 4, 15, 30, tzinfo=UTC)
    assert details(date(2027, 7, 4), time(16, 30)).started_at == datetime(2027, 7, 4, 14, 30, tzinfo=UTC)


def test_tools_are_a_set_kept_in_toolbox_order():
    assert details(tools=["advice", "coaching", "advice"]).tools == ("coaching", "advice")


def test_a_session_in_the_past_within_the_pairs_life_passes():
    assert timing_problems(PAIR, details(), NOW, ZONE) == []


def test_a_future_day_or_a_later_hour_today_is_in_the_future():
    assert codes(timing_problems(PAIR, details(date(2027, 3, 11)), NOW, ZONE)) == {"in_future"}
    later_today = timing_problems(PAIR, details(date(2027, 3, 10), time(13, 30)), NOW, ZONE)
    assert [(p.field, p.code) for p in later_today] == [("start_time", "in_future")]
    assert timing_problems(PAIR, details(date(2027, 3, 10), time(12, 59)), NOW, ZONE) == []


def test_the_pairs_end_day_is_the_last_day_a_session_can_be_held():
    ended = replace(PAIR, ended_on=date(2027, 3, 4))
    assert timing_problems(ended, details(date(2027, 3, 4)), NOW, ZONE) == []
    assert codes(timing_problems(ended, details(date(2027, 3, 5)), NOW, ZONE)) == {"after_pair_ended"}


def test_a_session_before_the_pair_was_matched_is_refused():
    assert codes(timing_problems(PAIR, details(date(2027, 1, 14)), NOW, ZONE)) == {"before_pair_matched"}


def test_problems_never_quote_the_notes():
    secret = "she is thinking of quitting"
    for problem in notes_problems("staff", secret) + notes_problems("mentee", secret + "\x00"):
        assert secret not in problem.why
    assert codes(notes_problems("mentee", "lone \ud800 surrogate")) == {"invalid_text"}
    assert notes_problems("mentee", secret) == []
    assert notes_problems("staff", None) == []


def test_a_pair_is_reachable_by_staff_and_its_own_members_only():
    mine = Principal("mentee", PAIR.pair_id)
    assert check_pair_access(STAFF, PAIR.pair_id) == "staff"
    assert check_pair_access(mine, PAIR.pair_id) == "mentee"
    with pytest.raises(NotFound):
        check_pair_access(Principal("mentor", uuid.uuid4()), PAIR.pair_id)
    with pytest.raises(NotFound):
        check_pair_access(None, PAIR.pair_id)
    with pytest.raises(Forbidden):
        require_staff_role("mentor")


def test_an_unknown_pair_is_plausible_for_the_grace_period_then_unknown():
    grace = timedelta(minutes=15)
    assert unknown_pair_verdict(NOW - timedelta(minutes=14), NOW, grace) == "retry_later"
    assert unknown_pair_verdict(NOW - timedelta(minutes=15), NOW, grace) == "unknown"


def test_logging_makes_version_one_and_an_event_with_metadata_only():
    outcome = logged()
    assert outcome.session.version == 1 and outcome.notes == "notes"
    event = outcome.event
    assert event.version == 1 and event.logged_by == "mentor" and event.pair_id == PAIR.pair_id
    assert event.started_at == details().started_at and event.tools == ("coaching",)
    assert "notes" not in event.model_dump() and "notes" not in event.model_dump_json()


def test_the_same_start_with_the_same_account_is_replayed_a_different_one_conflicts():
    first = FirstVersion(uuid.uuid4(), details(), "notes", "mentor")
    same = decide_log(
        PAIR,
        Entry(details(), "notes", "mentor"),
        first_at_same_start=first,
        live_session_at_start=None,
        session_id=uuid.uuid4(),
        now=NOW,
        zone=ZONE,
    )
    assert same == Replayed(first.session_id)
    for entry in (
        Entry(details(duration_minutes=60), "notes", "mentor"),
        Entry(details(), "other", "mentee"),
    ):
        with pytest.raises(Conflict) as refused:
            decide_log(
                PAIR,
                entry,
                first_at_same_start=first,
                live_session_at_start=None,
                session_id=uuid.uuid4(),
                now=NOW,
                zone=ZONE,
            )
        assert refused.value.code == "session_exists" and refused.value.session_id == first.session_id
        assert "notes" not in str(refused.value) and "other" not in str(refused.value)


def test_refusals_name_every_bad_field():
    with pytest.raises(Refused) as refused:
        decide_log(
            replace(PAIR, ended_on=date(2027, 2, 1)),
            Entry(details(date(2027, 3, 11)), "notes", "staff"),
            first_at_same_start=None,
            live_session_at_start=None,
            session_id=uuid.uuid4(),
            now=NOW,
            zone=ZONE,
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("notes", "staff_notes"),
        ("held_on", "in_future"),
        ("held_on", "after_pair_ended"),
    ]


def correction(**changes: object) -> Correction:
    values: dict = {
        "details": details(duration_minutes=120, rating=None),
        "rating_sent": False,
        "notes_sent": False,
        "notes": None,
        "by": "mentee",
        **changes,
    }
    return Correction(**values)


def correct(session, fix: Correction, **kwargs: object):
    values: dict = {
        "current_notes": "notes",
        "start_taken_by_other": False,
        "now": NOW,
        "zone": ZONE,
        **kwargs,
    }
    return decide_correction(PAIR, session, fix, **values)


def test_a_correction_is_the_next_version_keeping_rating_and_notes_left_out():
    held = logged()
    outcome = correct(held.session, correction())
    assert isinstance(outcome, Corrected)
    assert outcome.session.version == 2 and outcome.session.details.duration_minutes == 120
    assert outcome.session.details.rating == 4 and outcome.notes_changed is False
    event = outcome.event
    assert (event.version, event.logged_by, event.corrected_by, event.rating) == (2, "mentor", "mentee", 4)
    assert event.correlation_id == held.event.event_id and event.causation_id == held.event.event_id


def test_a_correction_may_clear_the_rating_and_replace_the_notes():
    outcome = correct(logged().session, correction(rating_sent=True, notes_sent=True, notes="new"))
    assert isinstance(outcome, Corrected)
    assert outcome.session.details.rating is None and (outcome.notes_changed, outcome.notes) == (True, "new")


def test_a_correction_changing_nothing_records_nothing():
    session = logged().session
    assert correct(session, correction(details=details())) == Unchanged(session)
    assert correct(session, correction(details=details(), notes_sent=True, notes="notes")) == Unchanged(
        session
    )


def test_a_correction_is_refused_when_stale_retracted_clashing_or_breaking_a_rule():
    session = logged().session
    cases = [
        (session, correction(base_version=2), {}, "stale_version"),
        (replace(session, retracted=True), correction(), {}, "retracted"),
        (session, correction(), {"start_taken_by_other": True}, "start_taken"),
    ]
    for current, fix, kwargs, code in cases:
        with pytest.raises(Conflict) as refused:
            correct(current, fix, **kwargs)
        assert refused.value.code == code
    with pytest.raises(Refused):
        correct(session, correction(by="staff", notes_sent=True, notes="staff notes"))
    with pytest.raises(Refused):
        correct(session, correction(details=details(date(2027, 3, 11))))


def test_a_retraction_is_a_version_with_a_reason_code_and_happens_once():
    session = logged().session
    outcome = decide_retraction(session, "duplicate", "staff")
    assert isinstance(outcome, Retracted)
    assert outcome.session.retracted and outcome.session.version == 2
    assert (outcome.event.reason, outcome.event.retracted_by, outcome.event.version) == (
        "duplicate",
        "staff",
        2,
    )
    assert decide_retraction(outcome.session, "duplicate", "mentor") == Unchanged(outcome.session)
