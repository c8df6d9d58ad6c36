"""The web app's pure rules: sign-in lockout, field names from an API's 422, both languages, dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.web.domain.fields import by_field, field_name
from services.web.domain.i18n import CATALOGUE, problem_text, translate
from services.web.domain.lockout import LockoutRule
from services.web.domain.timefmt import day, moment
from services.web.service_layer.language import safe_next
from shared.errors import Problem

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
RULE = LockoutRule(max_failures=3, window=timedelta(minutes=10), lockout=timedelta(minutes=15))


def minutes_ago(*minutes: int) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_too_many_failures_in_a_window_lock_the_client_out_for_a_while():
    assert RULE.locked_until(minutes_ago(1, 2), NOW) is None
    assert RULE.locked_until(minutes_ago(1, 2, 3), NOW) == NOW - timedelta(minutes=1) + RULE.lockout
    assert RULE.locked_until(minutes_ago(1, 12, 24), NOW) is None  # spread wider than the window
    assert RULE.locked_until(minutes_ago(16, 17, 18), NOW) is None  # the lockout has passed
    assert RULE.locked_until(minutes_ago(14, 15, 16), NOW) == NOW + timedelta(minutes=1)


def test_a_refused_field_is_named_as_the_form_names_it():
    assert field_name(("body", "hr_contact_email")) == "hr_contact_email"
    assert field_name(("body", "languages", 0)) == "languages"
    assert field_name(("query", "weights", "themes")) == "weights.themes"
    assert field_name(("body",)) == "_form"
    found = by_field([Problem(("body", "name"), "too short", "string_too_short"), Problem((), "x", "y")])
    assert list(found) == ["name", "_form"]


def test_every_text_is_in_danish_and_english():
    assert set(CATALOGUE["da"]) == set(CATALOGUE["en"])
    assert all(CATALOGUE["da"].values()) and all(CATALOGUE["en"].values())
    assert translate("da", "sign_in") == "Log ind" and translate("en", "sign_in") == "Sign in"
    assert translate("en", "sign_in_locked", minutes=3) == "Too many failed attempts. Try again in 3 minutes."


def test_a_field_refusal_reads_in_the_chosen_language():
    missing = Problem(("body", "name"), "Field required", "missing")
    assert problem_text("da", missing) == "Skal udfyldes."
    assert problem_text("en", missing) == "Field required"
    known = Problem((), "a company with this name exists", "company_exists")  # a refusal's code
    assert problem_text("da", known) == "Der findes allerede en partnervirksomhed med det navn."
    assert problem_text("en", known) == "A company with this name exists"  # the API's own words
    odd = Problem(("body", "name"), "names must not start with a digit", "some_new_rule")
    assert problem_text("da", odd) == "Names must not start with a digit"  # until it is translated


def test_dates_and_times_are_the_programmes_own():
    zone = "Europe/Copenhagen"
    assert day("2027-03-04", "en", zone) == "4 Mar 2027"
    assert day("2027-03-04", "da", zone) == "4. mar. 2027"
    # 23:30 UTC on 31 Dec is already New Year's Day in Copenhagen
    assert day("2026-12-31T23:30:00Z", "en", zone) == "1 Jan 2027"
    assert moment("2027-07-01T14:05:00+00:00", "da", zone) == "1. jul. 2027 kl. 16.05"  # summer time
    assert moment("2027-01-01T14:05:00Z", "en", zone) == "1 Jan 2027 15:05"
    assert day(None, "en", zone) == ""


def test_the_way_back_after_a_language_switch_stays_on_this_site():
    assert safe_next("/staff/cohorts?x=1") == "/staff/cohorts?x=1"
    assert safe_next("//evil.example/") == "/"
    assert safe_next("https://evil.example/") == "/"
    assert safe_next("/\\evil") == "/"
    assert safe_next(None) == "/"


def test_a_text_named_in_two_areas_says_the_same_in_both():
    from services.web.domain.catalogue import (
        common,
        company,
        labels,
        matching,
        pair,
        report,
        rights,
        staff,
        year,
    )

    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for part in (common, staff, matching, company, pair, labels, report, rights, year):
        for language, texts in part.TEXT.items():
            for key, text in texts.items():
                if seen.setdefault((language, key), text) != text:
                    clashes.append((part.__name__, language, key))
    assert clashes == []
