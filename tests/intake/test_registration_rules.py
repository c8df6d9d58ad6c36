"""The registration rules, one by one: pure, no database, no broker."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.intake.domain.errors import problems_from
from services.intake.domain.registration import ProfileChanges, Registration
from tests.intake.payloads import mentee, mentor

COHORT = uuid.uuid4()


def problems(body: dict) -> dict[tuple, str]:
    with pytest.raises(ValidationError) as caught:
        Registration.model_validate(body)
    return {p.loc: p.msg for p in problems_from(caught.value)}


def test_a_complete_mentee_and_mentor_are_valid():
    assert Registration.model_validate(mentee(COHORT)).capacity is None
    assert Registration.model_validate(mentor(COHORT)).capacity == 2


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("role", "coach", "'mentor' or 'mentee'"),
        ("cohort_id", "2027", "UUID"),
        ("name", "   ", "at least 1 character"),
        ("name", "x" * 201, "at most 200"),
        ("name", "Bad\x00Name", "pattern"),
        ("email", "not-an-email", "email"),
        ("job_title", "", "at least 1 character"),
        ("leadership_level", 0, "greater than or equal to 1"),
        ("leadership_level", 6, "less than or equal to 5"),
        ("years_experience", -1, "greater than or equal to 0"),
        ("years_experience", 61, "less than or equal to 60"),
        ("industry", "astrology", "'energy'"),
        ("function", "wizardry", "'operations'"),
        ("languages", [], "at least 1 item"),
        ("languages", ["da", "da"], "da is listed twice"),
        ("languages", ["xx"], "not an ISO 639-1 language code"),
        ("languages", ["da", "en", "de", "sv", "nb", "fi", "fr", "es", "it", "nl", "pl"], "at most 10"),
        ("region", "Atlantis", "'midtjylland'"),
        ("meeting_preference", "by pigeon", "'in_person', 'online' or 'either'"),
        ("themes", [], "at least 1 item"),
        ("themes", ["strategy"] * 2, "strategy is listed twice"),
        ("themes", ["astrology"], "'strategy'"),
        (
            "themes",
            [
                "strategy",
                "innovation",
                "communication",
                "decision_making",
                "career_development",
                "work_life_balance",
            ],
            "at most 5",
        ),
        ("themes_free_text", "x" * 1001, "at most 1000"),
        ("expectations", "  ", "at least 1 character"),
        ("expectations", "x" * 2001, "at most 2000"),
        ("avoid_company_ids", ["not-a-uuid"], "UUID"),
        ("consent", False, "consent to the programme's use of the data is required"),
        ("consent", "perhaps", "boolean"),
        ("consented_at", "2020-01-01T10:00:00", "timezone"),
        ("consented_at", (datetime.now(UTC) + timedelta(days=1)).isoformat(), "must not be in the future"),
        ("consent_text_version", "v" * 51, "at most 50"),
        ("external_ref", "", "at least 1 character"),
        ("external_ref", "r" * 101, "at most 100"),
    ],
)
def test_each_bad_field_is_named_with_its_reason(field, value, says):
    found = problems({**mentee(COHORT), field: value})
    named = {loc: msg for loc, msg in found.items() if loc[0] == field}
    assert named, f"no problem named {field}: {found}"
    assert any(says in msg for msg in named.values()), named


@pytest.mark.parametrize(
    "field", ["cohort_id", "role", "name", "email", "job_title", "expectations", "consent"]
)
def test_each_required_field_is_named_when_missing(field):
    body = mentee(COHORT)
    del body[field]
    assert problems(body)[(field,)] == "Field required"


def test_a_mentor_must_give_a_capacity_of_one_to_three():
    assert "mentors must give a capacity" in problems(mentor(COHORT, capacity=None))[("capacity",)]
    assert "less than or equal to 3" in problems(mentor(COHORT, capacity=4))[("capacity",)]
    assert "greater than or equal to 1" in problems(mentor(COHORT, capacity=0))[("capacity",)]


def test_a_mentee_has_no_capacity():
    assert "only mentors have a capacity" in problems(mentee(COHORT, capacity=1))[("capacity",)]


def test_avoiding_the_same_company_twice_is_refused():
    company = str(uuid.uuid4())
    assert (
        "listed twice"
        in problems(mentee(COHORT, avoid_company_ids=[company, company]))[("avoid_company_ids",)]
    )


def test_unknown_fields_are_refused_so_the_company_cannot_come_from_the_body():
    found = problems(mentee(COHORT, company_id=str(uuid.uuid4())))
    assert found[("company_id",)] == "Extra inputs are not permitted"


def test_an_invalid_theme_names_its_position_without_a_redundant_length_error():
    found = problems(mentee(COHORT, themes=["astrology"]))
    assert list(found) == [("themes", 0)]


def test_codes_are_normalised_from_what_people_type():
    registration = Registration.model_validate(
        mentee(
            COHORT,
            industry="Pharma-Biotech",
            function="Research & Development".replace(" & ", "_"),
            region="Sjælland",
            languages=["DA", " en "],
            themes=["Change management"],
            meeting_preference="In person",
        )
    )
    assert registration.industry == "pharma_biotech"
    assert registration.function == "research_development"
    assert registration.region == "sjaelland"
    assert registration.languages == ("da", "en")
    assert registration.themes == ("change_management",)
    assert registration.meeting_preference == "in_person"


def test_the_fingerprint_is_the_same_for_the_same_request_and_differs_otherwise():
    body = mentee(COHORT, external_ref="HR-1")
    first = Registration.model_validate(body).fingerprint()
    assert Registration.model_validate(dict(body)).fingerprint() == first
    assert Registration.model_validate({**body, "job_title": "Other"}).fingerprint() != first


def test_a_profile_change_is_checked_by_every_registration_rule_again():
    registration = Registration.model_validate(mentor(COHORT))
    assert ProfileChanges(job_title="CEO").apply_to(registration).job_title == "CEO"
    with pytest.raises(ValidationError) as caught:
        ProfileChanges.model_validate({"capacity": None}).apply_to(registration)
    assert [p.loc for p in problems_from(caught.value)] == [("capacity",)]


@pytest.mark.parametrize("field", ["cohort_id", "role", "external_ref", "consent", "company_id"])
def test_identity_and_consent_cannot_be_changed_by_a_profile_update(field):
    with pytest.raises(ValidationError) as caught:
        ProfileChanges.model_validate({field: "x"})
    assert [p.loc for p in problems_from(caught.value)] == [(field,)]


@pytest.mark.parametrize(
    "address",
    [
        "A@Example.COM", "a.b+c@sub.example.co.uk", "x@localhost", "x@y.test", "a..b@example.com",
        "a@-x.com", "Jo <jo@example.com>", "bjørn@example.dk", "a@b", "a@123.com", "a@b.c1",
        ".a@example.com", "a@example..com", f"{'l' * 65}@example.com", f"a@{'d' * 64}.com",
    ],
)  # fmt: skip
def test_the_fast_email_check_agrees_with_email_validator(address):
    from pydantic import EmailStr, TypeAdapter

    def outcome(validate):
        try:
            return validate(address)
        except (ValidationError, ValueError):
            return "invalid"

    ours = outcome(lambda a: Registration.model_validate(mentee(COHORT, email=a)).email)
    assert ours == outcome(TypeAdapter(EmailStr).validate_python)
