"""The pure translations behind the HR and pair pages: form -> API body, file -> chunks, report merge."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from services.web.domain import pair_form, people, upload


class Form(dict):
    """A submitted form: several values per name, as starlette's FormData."""

    def getlist(self, name):
        value = self.get(name, [])
        return value if isinstance(value, list) else [value]


def test_a_registration_passes_values_on_as_typed_and_leaves_empty_optional_ones_out():
    values = people.form_values(
        Form(
            cohort_id="c1", role="mentee", name="Mette", email="m@x.dk", job_title="Lead",
            leadership_level="1", years_experience="three", industry="energy", function="it",
            languages=["da", "en"], other_languages="fr, de;da", region="midtjylland",
            meeting_preference="either", themes=["strategy"], expectations="Sparring", capacity="",
            external_ref=" ", consent="on",
        )
    )  # fmt: skip
    body = people.registration_body(values)
    assert body["leadership_level"] == 1
    assert body["years_experience"] == "three"  # intake's 422 names it next to the field
    assert body["languages"] == ["da", "en", "fr", "de"]
    assert "capacity" not in body and "external_ref" not in body and "themes_free_text" not in body
    assert body["consent"] is True
    assert people.registration_body({**values, "consent": ""})["consent"] is False


def test_a_change_sends_only_what_differs_from_intakes_record():
    current = {
        "role": "mentor", "name": "Jens", "email": "j@x.dk", "job_title": "COO", "leadership_level": 4,
        "years_experience": 18, "industry": "energy", "function": "operations", "languages": ["da", "fr"],
        "region": "syddanmark", "meeting_preference": "in_person", "themes": ["strategy"],
        "themes_free_text": "", "expectations": "Turnarounds", "capacity": 2,
    }  # fmt: skip
    values = people.values_of(current)
    assert values["languages"] == ["da"] and values["other_languages"] == "fr"
    assert people.change_body(values, current) == {}
    changed = {**values, "capacity": "3", "job_title": "CEO", "themes": ["strategy", "innovation"]}
    assert people.change_body(changed, current) == {
        "capacity": 3,
        "job_title": "CEO",
        "themes": ["strategy", "innovation"],
    }


def test_a_conflict_is_shown_at_the_field_it_is_about():
    assert people.conflict_problem("duplicate_email", "taken").loc == ("body", "email")
    assert people.conflict_problem("intake_closed", "closed").loc == ("body", "cohort_id")
    assert people.conflict_problem("something_else", "no").loc == ("body", "_form")


CSV = (
    '\ufeffexternal_ref;name;themes\nA1;Ann;strategy|innovation\n\nA2;"Bo\nBerg";strategy\nA3;Cy;x\n'
).encode()


def test_a_csv_file_is_numbered_as_intake_numbers_it_and_chunks_keep_header_and_delimiter():
    rows = upload.rows_of(CSV, "csv")
    assert sorted(rows.rows) == [1, 2, 3]  # the blank line is no row
    body = rows.body([2, 3]).decode()
    parsed = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert parsed == [["external_ref", "name", "themes"], ["A2", "Bo\nBerg", "strategy"], ["A3", "Cy", "x"]]
    assert upload.chunks([1, 2, 3, 5, 8], size=2) == [[1, 2], [3, 5], [8]]


def test_a_json_file_is_cut_into_arrays():
    rows = upload.rows_of(json.dumps([{"name": "a"}, {"name": "b"}, {"name": "c"}]).encode(), "json")
    assert json.loads(rows.body([1, 3])) == [{"name": "a"}, {"name": "c"}]


def test_the_import_report_numbers_each_chunks_rows_as_the_file_does():
    checked = {
        "rows": 3, "accepted": 2, "rejected": 1, "replayed": 0, "dry_run": True,
        "results": [
            {"row": 1, "line": 2, "status": "accepted", "replayed": False, "errors": []},
            {"row": 2, "line": 4, "status": "rejected", "replayed": False, "errors": [{"field": "name"}]},
            {"row": 3, "line": 6, "status": "accepted", "replayed": False, "errors": []},
        ],
    }  # fmt: skip
    assert upload.accepted_rows(checked) == [1, 3]
    sent = {
        1: {"row": 1, "line": 2, "status": "accepted", "replayed": True, "participant_id": "p1"},
        3: {"row": 2, "line": 3, "status": "rejected", "replayed": False, "errors": [{"field": "email"}]},
    }
    report = upload.merge(checked, sent)
    assert [(r["row"], r["line"], r["status"]) for r in report["results"]] == [
        (1, 2, "accepted"),
        (2, 4, "rejected"),
        (3, 6, "rejected"),
    ]
    assert (report["accepted"], report["rejected"], report["replayed"], report["dry_run"]) == (1, 2, 1, False)


def test_the_format_comes_from_the_name_then_the_type():
    assert upload.format_of("people.CSV", "application/octet-stream") == "csv"
    assert upload.format_of("people.json", "") == "json"
    assert upload.format_of("people", "application/json") == "json"
    assert upload.format_of("people.xlsx", "application/vnd.openxmlformats") is None


def test_a_session_form_becomes_sessions_body():
    values = pair_form.form_values(
        Form(held_on="2027-03-04", start_time="16:30", duration_minutes="other", duration_other="75",
             format="online", tools=["coaching", "advice"], rating="", notes="  ")
    )  # fmt: skip
    body = pair_form.session_body(values)
    assert body == {
        "held_on": "2027-03-04",
        "start_time": "16:30",
        "duration_minutes": 75,
        "format": "online",
        "tools": ["coaching", "advice"],
    }
    # a correction says what the form shows: an emptied rating or notes box clears them
    corrected = pair_form.session_body({**values, "base_version": "2"}, correction=True)
    assert corrected["rating"] is None and corrected["notes"] == "  " and corrected["base_version"] == 2
    # missing values are left out so that sessions names each missing field
    assert pair_form.session_body(pair_form.form_values(Form())) == {"tools": []}


def test_a_new_session_defaults_to_today_in_the_programmes_zone():
    late = datetime(2027, 3, 4, 23, 30, tzinfo=ZoneInfo("UTC"))  # already 5 March in Copenhagen
    assert pair_form.defaults("Europe/Copenhagen", late)["held_on"] == "2027-03-05"


def test_a_session_shows_in_the_correction_form_as_it_was_logged():
    session = {"held_on": "2027-03-04", "start_time": "16:30", "duration_minutes": 75, "format": "phone",
               "tools": ["advice"], "rating": 4, "notes": None, "version": 3}  # fmt: skip
    values = pair_form.values_of(session)
    assert (values["duration_minutes"], values["duration_other"]) == ("other", "75")
    assert (values["rating"], values["notes"], values["base_version"]) == ("4", "", "3")
    assert pair_form.values_of({**session, "duration_minutes": 90})["duration_minutes"] == "90"


def test_an_import_that_stopped_does_not_claim_rows_it_never_confirmed():
    checked = {
        "rows": 3, "results": [
            {"row": 1, "line": 2, "status": "accepted", "replayed": False, "errors": []},
            {"row": 2, "line": 3, "status": "accepted", "replayed": False, "errors": []},
            {"row": 3, "line": 4, "status": "rejected", "replayed": False, "errors": [{"field": "name"}]},
        ],
    }  # fmt: skip
    sent = {1: {"row": 1, "status": "accepted", "replayed": False, "participant_id": "p1"}}
    report = upload.merge(checked, sent, complete=False)
    assert [r["status"] for r in report["results"]] == ["accepted", "not_sent", "rejected"]
    assert (report["accepted"], report["rejected"], report["not_sent"]) == (1, 1, 1)
