"""Reading import files and deciding each row's fate: pure, no database."""

from __future__ import annotations

import json
import uuid

import pytest

from services.intake.domain import importing
from services.intake.domain.errors import Invalid, TooLarge, UnsupportedFormat
from services.intake.domain.importing import Prior
from tests.intake.payloads import row

COHORT, COMPANY = uuid.uuid4(), uuid.uuid4()
HEADER = (
    "external_ref,role,name,email,job_title,leadership_level,years_experience,industry,function,"
    "languages,region,meeting_preference,themes,expectations,capacity,consent"
)


def csv_line(ref: str, email: str, sep: str = ",", **cells: str) -> str:
    values = {
        "external_ref": ref, "role": "mentee", "name": "Ane", "email": email, "job_title": "Lead",
        "leadership_level": "2", "years_experience": "4", "industry": "energy", "function": "hr",
        "languages": "da;en", "region": "Nordjylland", "meeting_preference": "online",
        "themes": "strategy|communication", "expectations": '"Honest, direct feedback"', "capacity": "",
        "consent": "ja", **cells,
    }  # fmt: skip
    return sep.join(values[c] for c in HEADER.split(","))


def parse_csv(text: str) -> list[importing.SourceRow]:
    return importing.parse(text.encode(), "csv", max_rows=100)


def test_a_csv_row_becomes_the_fields_of_a_registration():
    [source] = parse_csv(HEADER + "\n" + csv_line("HR-1", "ane@example.com") + "\n")
    assert source.row == 1 and source.line == 2
    [checked] = importing.check([source], COHORT)
    assert checked.problems == ()
    registration = checked.registration
    assert registration.languages == ("da", "en") and registration.themes == ("strategy", "communication")
    assert registration.region == "nordjylland" and registration.consent is True
    assert registration.expectations == "Honest, direct feedback" and registration.capacity is None


def test_excel_habits_are_understood_bom_semicolons_and_blank_lines():
    line = csv_line("HR-1", "a@example.com", sep=";", languages="da,en", expectations='"Honest; direct"')
    [source] = parse_csv("\ufeff" + HEADER.replace(",", ";") + "\r\n\r\n" + line + "\r\n;;;\r\n")
    assert source.line == 3
    assert importing.check([source], COHORT)[0].problems == ()


def test_row_and_line_numbers_follow_the_file_even_with_multi_line_cells():
    rows = parse_csv(
        HEADER + "\n" + csv_line("A", "a@example.com", expectations='"two\nlines"') + "\n"
        + csv_line("B", "b@example.com") + "\n"
    )  # fmt: skip
    assert [(r.row, r.line) for r in rows] == [(1, 2), (2, 4)]


@pytest.mark.parametrize(
    ("header", "complaint"),
    [
        ("", "empty"),
        (HEADER + ",shoe_size", "unknown columns ['shoe_size']"),
        (HEADER + ",email", "columns named twice: ['email']"),
        (HEADER.replace("email,", ""), "missing required columns ['email']"),
        (HEADER + ",cohort_id", "unknown columns ['cohort_id']"),
    ],
)
def test_a_bad_header_refuses_the_whole_file(header, complaint):
    with pytest.raises(Invalid) as refused:
        parse_csv(header + "\n")
    assert complaint in refused.value.message


def test_a_row_with_more_cells_than_columns_is_rejected_alone():
    rows = parse_csv(
        HEADER + "\n" + csv_line("A", "a@example.com") + ",extra\n" + csv_line("B", "b@example.com")
    )
    checked = importing.check(rows, COHORT)
    assert [c.registration is None for c in checked] == [True, False]
    assert checked[0].problems[0].type == "extra_cells"


def test_a_file_that_is_not_utf8_is_refused_with_advice():
    with pytest.raises(Invalid, match="not UTF-8"):
        importing.parse(HEADER.encode() + "\nBjørn".encode("latin-1"), "csv", max_rows=10)


def test_json_is_an_array_of_registration_objects():
    rows = importing.parse(json.dumps([row(), 7]).encode(), "json", max_rows=10)
    checked = importing.check(rows, COHORT)
    assert checked[0].registration is not None and checked[0].registration.cohort_id == COHORT
    assert checked[1].problems[0].type == "not_object"
    for bad, says in ((b"{}", "array"), (b"[", "not valid JSON")):
        with pytest.raises(Invalid, match=says):
            importing.parse(bad, "json", max_rows=10)


def test_a_row_may_not_name_its_own_cohort():
    rows = importing.parse(json.dumps([{**row(), "cohort_id": str(uuid.uuid4())}]).encode(), "json", 10)
    [checked] = importing.check(rows, COHORT)
    assert checked.problems[0].loc == ("cohort_id",)


def test_more_rows_than_the_limit_refuse_the_file():
    with pytest.raises(TooLarge, match="3 rows; at most 2"):
        importing.parse(json.dumps([row(), row(), row()]).encode(), "json", max_rows=2)


@pytest.mark.parametrize(
    ("content_type", "fmt"), [("text/csv; charset=utf-8", "csv"), ("application/json", "json")]
)
def test_the_format_comes_from_the_content_type(content_type, fmt):
    assert importing.format_of(content_type) == fmt


def test_other_formats_are_refused():
    with pytest.raises(UnsupportedFormat):
        importing.format_of("application/vnd.ms-excel")


def screen(rows: list[dict], priors=None, taken=(), known=()):
    sources = importing.parse(json.dumps(rows).encode(), "json", max_rows=100)
    return importing.screen(importing.check(sources, COHORT), COMPANY, set(known), priors or {}, set(taken))


def test_each_row_is_decided_alone_and_the_reasons_are_kept():
    screening = screen([row(), row(leadership_level=9, region="Mars"), row()])
    assert [s.row for s, _ in screening.to_register] == [1, 3]
    rejected = screening.results[2]
    assert rejected.status == "rejected" and {e.loc for e in rejected.errors} == {
        ("leadership_level",),
        ("region",),
    }


def test_a_person_twice_in_the_file_is_registered_once():
    first = row(email="Same@Example.com", external_ref="A")
    screening = screen([first, row(email="same@example.com"), row(external_ref="A")])
    assert [s.row for s, _ in screening.to_register] == [1]
    assert "also on row 1" in screening.results[2].errors[0].msg
    assert "also on row 1" in screening.results[3].errors[0].msg


def test_a_rejected_row_does_not_block_a_later_row_with_the_same_email():
    screening = screen([row(email="x@example.com", role="coach"), row(email="x@example.com")])
    assert [s.row for s, _ in screening.to_register] == [2]


def test_an_email_already_in_the_cohort_is_rejected():
    screening = screen([row(email="Taken@example.com")], taken={"taken@example.com"})
    assert screening.results[1].errors[0].type == "duplicate_email"


def test_an_external_ref_seen_before_replays_with_the_same_details_and_conflicts_with_others():
    same = row(external_ref="HR-1")
    fingerprint = importing.check(importing.parse(json.dumps([same]).encode(), "json", 1), COHORT)[
        0
    ].registration
    earlier = uuid.uuid4()
    priors = {"HR-1": Prior(fingerprint.fingerprint(), earlier)}
    replayed = screen([same], priors=priors).results[1]
    assert replayed.status == "accepted" and replayed.replayed and replayed.participant_id == earlier
    conflict = screen([{**same, "job_title": "Other"}], priors=priors).results[1]
    assert conflict.status == "rejected" and conflict.errors[0].type == "external_ref_conflict"


def test_unknown_companies_to_avoid_reject_the_row():
    known = uuid.uuid4()
    screening = screen(
        [row(avoid_company_ids=[str(known)]), row(avoid_company_ids=[str(uuid.uuid4())])], known={known}
    )
    assert [s.row for s, _ in screening.to_register] == [1]
    assert screening.results[2].errors[0].type == "unknown_company"
