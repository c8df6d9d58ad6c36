"""Participants, cohorts and companies over time: which decision emits which event. Pure."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from services.intake.domain import participant as domain
from services.intake.domain.cohort import Cohort, CohortChanges
from services.intake.domain.company import avoid_list_problems
from services.intake.domain.errors import Conflict
from services.intake.domain.registration import ProfileChanges, Registration
from tests.intake.payloads import mentee, mentor

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
COMPANY = uuid.uuid4()


def registered(body: dict | None = None):
    registration = Registration.model_validate(body or mentee(uuid.uuid4(), external_ref="HR-7"))
    return domain.register(registration, COMPANY, uuid.uuid4(), NOW)


def test_registration_publishes_attributes_and_display_name_but_no_other_personal_data():
    participant, event = registered()
    payload = event.model_dump_json()
    registration = participant.registration
    assert event.display_name == registration.name
    assert event.profile.themes == registration.themes
    assert event.company_id == COMPANY and event.cohort_id == registration.cohort_id
    for private in (
        registration.email,
        registration.job_title,
        registration.expectations,
        "HR-7",
        "Leading former",
    ):
        assert private not in payload
    assert "consent" not in payload


def test_consent_is_recorded_at_the_time_given_or_else_at_registration():
    participant, _ = registered()
    assert participant.consented_at == NOW
    given = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    participant, _ = registered(mentee(uuid.uuid4(), consented_at=given.isoformat()))
    assert participant.consented_at == given


def test_a_mentor_carries_capacity_to_matching_and_a_mentee_none():
    _, event = registered(mentor(uuid.uuid4(), capacity=3))
    assert event.profile.capacity == 3
    _, event = registered(mentee(uuid.uuid4()))
    assert event.profile.capacity is None


def test_a_profile_update_that_matching_sees_emits_the_whole_new_profile():
    participant, _ = registered()
    changed, event = domain.update(participant, ProfileChanges(leadership_level=2, themes=("strategy",)), NOW)
    assert event is not None
    assert event.profile.leadership_level == 2 and event.profile.themes == ("strategy",)
    assert event.profile.languages == participant.registration.languages
    assert changed.registration.leadership_level == 2


def test_a_change_only_intake_keeps_is_stored_but_emits_nothing():
    participant, _ = registered()
    changed, event = domain.update(
        participant, ProfileChanges(job_title="Head of Service", email="new@example.com"), NOW
    )
    assert event is None
    assert changed.registration.job_title == "Head of Service"


def test_an_update_that_changes_nothing_returns_the_participant_untouched():
    participant, _ = registered()
    same, event = domain.update(
        participant, ProfileChanges(job_title=participant.registration.job_title), NOW
    )
    assert same is participant and event is None


def test_a_withdrawal_emits_once_with_the_reason_code_and_not_the_note():
    participant, _ = registered()
    withdrawn, event = domain.withdraw(participant, "no_time", "Too busy after the merger", NOW)
    assert event is not None and event.reason == "no_time" and event.role == "mentee"
    assert "merger" not in event.model_dump_json()
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawal_note == "Too busy after the merger"
    again, second = domain.withdraw(withdrawn, "other", "", NOW)
    assert again is withdrawn and second is None


def test_a_withdrawn_participant_cannot_be_changed():
    participant, _ = registered()
    withdrawn, _ = domain.withdraw(participant, "other", "", NOW)
    with pytest.raises(Conflict) as refused:
        domain.update(withdrawn, ProfileChanges(job_title="x"), NOW)
    assert refused.value.code == "participant_withdrawn"


def test_the_intake_window_includes_both_its_dates():
    cohort = Cohort(uuid.uuid4(), "2027", date(2026, 9, 1), date(2026, 11, 30))
    assert cohort.intake_state(date(2026, 8, 31)) == "not_open_yet"
    assert cohort.intake_state(date(2026, 9, 1)) == "open"
    assert cohort.intake_state(date(2026, 11, 30)) == "open"
    assert cohort.intake_state(date(2026, 12, 1)) == "closed"
    with pytest.raises(Conflict) as closed:
        cohort.ensure_open(date(2026, 12, 1))
    assert closed.value.code == "intake_closed" and "2026-11-30" in closed.value.message
    with pytest.raises(Conflict) as early:
        cohort.ensure_open(date(2026, 8, 1))
    assert early.value.code == "intake_not_open"


def test_a_cohort_window_cannot_close_before_it_opens():
    cohort = Cohort(uuid.uuid4(), "2027", date(2026, 9, 1), date(2026, 11, 30))
    with pytest.raises(ValueError, match="intake_closes_on"):
        CohortChanges(intake_closes_on=date(2026, 8, 1)).apply_to(cohort)
    assert CohortChanges(intake_closes_on=date(2026, 10, 1)).apply_to(cohort).intake_closes_on == date(
        2026, 10, 1
    )


def test_a_participant_may_avoid_other_partner_companies_only():
    other, unknown = uuid.uuid4(), uuid.uuid4()
    problems = avoid_list_problems((other, unknown, COMPANY), COMPANY, known_companies={other, COMPANY})
    assert [(p.loc, p.type) for p in problems] == [
        (("avoid_company_ids", 1), "unknown_company"),
        (("avoid_company_ids", 2), "own_company"),
    ]
