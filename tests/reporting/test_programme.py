"""After the scripted programme, every figure of every view is exactly right; companies see only
their own people, in aggregate, with small counts shown as "<3"; JSON, CSV and HTML agree."""

from __future__ import annotations

from typing import Any

import pytest

from services.reporting.domain.report import TABLES
from tests.reporting.conftest import Running
from tests.reporting.programme import COMPANIES, KEYS, PEOPLE, PEOPLE_2026, RENAMED, REVOKED_KEY, SESSIONS
from tests.reporting.support import (
    ADMIN,
    as_text,
    auth,
    csv_rows,
    expected_cells,
    html_cells,
    rows,
    summary,
)

S = "<3"


async def staff_report(running: Running, cohort_id: Any = None) -> dict[str, Any]:
    cohort = cohort_id or running.programme.cohort_id
    response = await running.client.get(f"/api/programme/cohorts/{cohort}", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    return response.json()


async def company_report(running: Running, company: str, cohort_id: Any = None) -> dict[str, Any]:
    cohort = cohort_id or running.programme.cohort_id
    response = await running.client.get(f"/api/company/cohorts/{cohort}", headers=auth(KEYS[company]))
    assert response.status_code == 200, response.text
    return response.json()


def company_row(running: Running, report: dict[str, Any], code: str) -> dict[str, Any]:
    return rows(report, "participants")[str(running.programme.company(code))]


# ---- the programme view (staff)


async def test_staff_key_figures(running: Running):
    report = await staff_report(running)
    assert report["view"] == "programme"
    assert report["cohort"]["name"] == "2027"
    assert report["today"] == "2027-04-15"
    assert report["thresholds"] == {"first_session_days": 21, "quiet_days": 42}
    assert summary(report) == {
        "participants": 13,
        "mentees": 7,
        "mentors": 6,
        "withdrawn": 1,
        "companies": 3,
        "pairs": 7,
        "active_pairs": 6,
        "ended_pairs": 1,
        "sessions": 9,  # ten logged, one retracted
        "hours": 14.75,  # 885 minutes, with the correction of P5-2 to 105 minutes
        "pairs_with_sessions": 5,
        "sessions_per_pair": 1.29,
        "at_risk": 2,
    }


async def test_staff_participants_by_company_and_role(running: Running):
    report = await staff_report(running)
    table = rows(report, "participants")
    assert [r["company"] for r in table.values()] == ["Fjordbank", "Kystlogistik", "Nordlys Energi"]
    assert company_row(running, report, "A") == {
        "company": "Nordlys Energi",
        "hr_contact": "Hanne Holm <hanne.holm@nordlys.example>",
        "mentees": 4,
        "mentors": 1,
        "active": 5,
        "withdrawn": 0,
    }
    assert company_row(running, report, "B") | {"hr_contact": None} == {
        "company": "Fjordbank",
        "hr_contact": None,
        "mentees": 2,
        "mentors": 3,
        "active": 5,
        "withdrawn": 0,
    }
    assert company_row(running, report, "C") | {"hr_contact": None} == {
        "company": "Kystlogistik",
        "hr_contact": None,
        "mentees": 1,
        "mentors": 2,
        "active": 3,
        "withdrawn": 1,
    }


async def test_staff_matched_and_unmatched(running: Running):
    assert rows(await staff_report(running), "matching") == {
        # B-E2 is back in the pool after P6 ended; the withdrawn C-E2 is in neither column
        "mentee": {"label": "Mentees", "active": 7, "matched": 6, "unmatched": 1},
        # B-M3 was never matched; C-M2's only pair (P6) ended
        "mentor": {"label": "Mentors", "active": 6, "matched": 4, "unmatched": 2},
    }


async def test_staff_sessions_per_pair_over_time(running: Running):
    assert rows(await staff_report(running), "sessions_over_time") == {
        "2027-02": {"pairs": 6, "sessions": 5, "hours": 7.0, "sessions_per_pair": 0.83},
        # P6 ended on 10 March and P7 was matched on 25 March: both were active in March
        "2027-03": {"pairs": 7, "sessions": 3, "hours": 5.75, "sessions_per_pair": 0.43},
        # P5-3 on 5 April was retracted
        "2027-04": {"pairs": 6, "sessions": 1, "hours": 2.0, "sessions_per_pair": 0.17},
    }


async def test_staff_toolbox_and_formats(running: Running):
    report = await staff_report(running)
    assert {k: (v["sessions"], v["share_percent"]) for k, v in rows(report, "toolbox").items()} == {
        "coaching": (5, 55.6),
        "supervision": (1, 11.1),
        "instruction": (1, 11.1),
        "advice": (3, 33.3),
        "sharing_experience": (2, 22.2),  # P5-2's correction added it
    }
    assert {k: (v["sessions"], v["share_percent"]) for k, v in rows(report, "formats").items()} == {
        "in_person": (5, 55.6),
        "online": (4, 44.4),
        "phone": (0, 0.0),  # the only phone session was retracted
    }


async def test_staff_pairs_at_risk_say_whom_to_call(running: Running):
    p = running.programme
    table = rows(await staff_report(running), "at_risk")
    assert list(table) == [str(p.pair("P3")), str(p.pair("P2"))]  # longest silence first
    assert table[str(p.pair("P3"))] == {
        "reason": "No first session",
        "mentee": "Dorte Eg",
        "mentee_company": "Nordlys Energi",
        "mentee_hr_contact": "Hanne Holm <hanne.holm@nordlys.example>",
        "mentor": "Karl Lund",
        "mentor_company": "Kystlogistik",
        "mentor_hr_contact": "Cecilie Carlsen <cecilie@kystlogistik.example>",
        "matched_on": "2027-02-01",
        "sessions": 0,
        "last_session_on": None,
        "days_without_session": 73,
    }
    assert table[str(p.pair("P2"))] == {
        "reason": "No recent session",
        "mentee": RENAMED[1],  # the profile update's name
        "mentee_company": "Nordlys Energi",
        "mentee_hr_contact": "Hanne Holm <hanne.holm@nordlys.example>",
        "mentor": "Gustav Hav",
        "mentor_company": "Fjordbank",
        "mentor_hr_contact": "Bo Berg <bo.berg@fjordbank.example>",
        "matched_on": "2027-02-01",
        "sessions": 1,
        "last_session_on": "2027-02-15",
        "days_without_session": 59,
    }
    # P7 was matched exactly 21 days ago: not yet at risk; P6 has ended: never at risk


async def test_staff_pairs_ended_early_and_why(running: Running):
    assert rows(await staff_report(running), "ended") == {"mentee changed role": {"pairs": 1}}


async def test_each_cohort_is_counted_apart(running: Running):
    report = await staff_report(running, running.programme.cohort_2026_id)
    assert summary(report) == {
        "participants": 2,
        "mentees": 1,
        "mentors": 1,
        "withdrawn": 0,
        "companies": 2,
        "pairs": 1,
        "active_pairs": 1,
        "ended_pairs": 0,
        "sessions": 1,
        "hours": 1.0,
        "pairs_with_sessions": 1,
        "sessions_per_pair": 1.0,
        "at_risk": 1,  # last met on 2026-03-01
    }
    listed = (await running.client.get("/api/cohorts", headers=auth(ADMIN))).json()
    assert [c["name"] for c in listed] == ["2027", "2026"]
    assert listed[0]["intake_closes_on"] == "2027-02-20"  # CohortUpdated extended the intake


# ---- the partner-company view


async def test_company_a_sees_its_own_people_in_aggregate(running: Running):
    report = await company_report(running, "A")
    assert report["view"] == "company"
    assert report["company"] == {"company_id": str(running.programme.company("A")), "name": "Nordlys Energi"}
    assert summary(report) == {
        "participants": 5,
        "mentees": 4,
        "mentors": S,
        "withdrawn": 0,
        "pairs": 5,  # P1-P4 with its mentees, P5 with its mentor
        "pairs_with_our_mentee": 4,
        "pairs_with_our_mentor": S,
        "active_pairs": 5,
        "ended_pairs": 0,
        "sessions": 8,
        "hours": 13.75,
        "pairs_with_sessions": 4,
        "sessions_per_pair": 1.6,
        "at_risk": S,
    }
    assert rows(report, "participants") == {
        str(running.programme.company("A")): {
            "company": "Nordlys Energi",
            "mentees": 4,
            "mentors": S,
            "active": 5,
            "withdrawn": 0,
        }
    }
    assert rows(report, "matching") == {
        "mentee": {"label": "Mentees", "active": 4, "matched": 4, "unmatched": 0},
        "mentor": {"label": "Mentors", "active": S, "matched": S, "unmatched": 0},
    }
    assert rows(report, "sessions_over_time") == {
        "2027-02": {"pairs": 5, "sessions": 4, "hours": 6.0, "sessions_per_pair": 0.8},
        "2027-03": {"pairs": 5, "sessions": 3, "hours": 5.75, "sessions_per_pair": 0.6},
        "2027-04": {"pairs": 5, "sessions": S, "hours": None, "sessions_per_pair": None},
    }
    assert {k: (v["sessions"], v["share_percent"]) for k, v in rows(report, "toolbox").items()} == {
        "coaching": (5, 62.5),
        "supervision": (S, None),
        "instruction": (S, None),
        "advice": (S, None),
        "sharing_experience": (S, None),
    }
    assert {k: (v["sessions"], v["share_percent"]) for k, v in rows(report, "formats").items()} == {
        "in_person": (4, 50.0),
        "online": (4, 50.0),
        "phone": (0, 0.0),
    }
    assert {k: v["pairs"] for k, v in rows(report, "at_risk").items()} == {
        "no_first_session": S,
        "no_recent_session": S,
    }
    assert rows(report, "ended") == {}


async def test_company_b_counts_pairs_on_both_sides(running: Running):
    report = await company_report(running, "B")
    assert summary(report) == {
        "participants": 5,
        "mentees": S,
        "mentors": 3,
        "withdrawn": 0,
        "pairs": 5,  # its mentors in P1, P2, P7; its mentees in P5, P6
        "pairs_with_our_mentee": S,
        "pairs_with_our_mentor": 3,
        "active_pairs": 4,
        "ended_pairs": S,
        "sessions": 7,
        "hours": 10.75,
        "pairs_with_sessions": 4,
        "sessions_per_pair": 1.4,
        "at_risk": S,
    }
    assert rows(report, "matching") == {
        "mentee": {"label": "Mentees", "active": S, "matched": S, "unmatched": S},
        "mentor": {"label": "Mentors", "active": 3, "matched": S, "unmatched": S},
    }
    assert rows(report, "sessions_over_time") == {
        "2027-02": {"pairs": 4, "sessions": 4, "hours": 5.0, "sessions_per_pair": 1.0},
        "2027-03": {"pairs": 5, "sessions": S, "hours": None, "sessions_per_pair": None},
        "2027-04": {"pairs": 4, "sessions": S, "hours": None, "sessions_per_pair": None},
    }
    assert {k: (v["sessions"], v["share_percent"]) for k, v in rows(report, "toolbox").items()} == {
        "coaching": (3, 42.9),
        "supervision": (0, 0.0),
        "instruction": (S, None),
        "advice": (3, 42.9),
        "sharing_experience": (S, None),
    }
    assert {k: (v["sessions"], v["share_percent"]) for k, v in rows(report, "formats").items()} == {
        "in_person": (3, 42.9),
        "online": (4, 57.1),
        "phone": (0, 0.0),
    }
    assert {k: v["pairs"] for k, v in rows(report, "at_risk").items()} == {
        "no_first_session": 0,
        "no_recent_session": S,
    }
    # a reason given for one pair would single it out: pooled, and the pool's count is "<3"
    assert rows(report, "ended") == {"other reasons": {"pairs": S}}


async def test_company_c_with_a_withdrawn_participant(running: Running):
    report = await company_report(running, "C")
    assert summary(report) == {
        "participants": 3,
        "mentees": S,
        "mentors": S,
        "withdrawn": S,
        "pairs": 4,
        "pairs_with_our_mentee": S,
        "pairs_with_our_mentor": 3,
        "active_pairs": 3,
        "ended_pairs": S,
        "sessions": 3,
        "hours": 5.0,
        "pairs_with_sessions": S,
        "sessions_per_pair": 0.75,
        "at_risk": S,
    }
    assert rows(report, "sessions_over_time") == {
        "2027-02": {"pairs": 3, "sessions": S, "hours": None, "sessions_per_pair": None},
        "2027-03": {"pairs": 4, "sessions": S, "hours": None, "sessions_per_pair": None},
        "2027-04": {"pairs": 3, "sessions": 0, "hours": 0.0, "sessions_per_pair": 0.0},
    }
    assert {k: v["pairs"] for k, v in rows(report, "at_risk").items()} == {
        "no_first_session": S,
        "no_recent_session": 0,
    }


async def _everything_a_company_gets(running: Running, company: str) -> str:
    """The company's JSON report, every CSV table and the HTML page, as one text."""
    key, cohort = KEYS[company], running.programme.cohort_id
    texts = [(await running.client.get(f"/api/company/cohorts/{cohort}", headers=auth(key))).text]
    for table in TABLES:
        csv = await running.client.get(f"/api/company/cohorts/{cohort}/tables/{table}.csv", headers=auth(key))
        assert csv.status_code == 200
        texts.append(csv.text)
    page = await running.client.get(f"/dashboard/cohorts/{cohort}", headers=auth(key))
    assert page.status_code == 200
    texts.append(page.text)
    texts.append((await running.client.get("/api/cohorts", headers=auth(key))).text)
    return "\n".join(texts)


@pytest.mark.parametrize("company", ["A", "B", "C"])
async def test_a_company_sees_nothing_of_anyone_else_and_no_individual(running: Running, company: str):
    p = running.programme
    everything = await _everything_a_company_gets(running, company)
    assert COMPANIES[company][0] in everything
    forbidden = [name for code, (_, _, name) in {**PEOPLE, **PEOPLE_2026}.items()] + [RENAMED[1]]
    for other, (name, hr_name, hr_email) in COMPANIES.items():
        if other != company:
            forbidden += [name, hr_name, hr_email, str(p.company(other))]
    forbidden += [str(p.person(code)) for code in {**PEOPLE, **PEOPLE_2026}]
    forbidden += [str(p.pair(code)) for code in ("P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7")]
    forbidden += [str(p.session(code)) for code in SESSIONS]
    forbidden += ['"rating"', "mentee changed role"]  # no rating field in any JSON
    leaked = [text for text in forbidden if text in everything]
    assert leaked == []


async def test_company_keys_open_only_their_own_view(running: Running):
    client, cohort = running.client, running.programme.cohort_id
    assert (await client.get(f"/api/programme/cohorts/{cohort}", headers=auth(KEYS["A"]))).status_code == 403
    assert (
        await client.get(f"/api/programme/cohorts/{cohort}/tables/at_risk.csv", headers=auth(KEYS["A"]))
    ).status_code == 403
    assert (await client.get(f"/api/company/cohorts/{cohort}", headers=auth(ADMIN))).status_code == 403
    assert (await client.get(f"/api/company/cohorts/{cohort}", headers=auth(REVOKED_KEY))).status_code == 401
    assert (await client.get(f"/api/company/cohorts/{cohort}", headers=auth("mn_made-up"))).status_code == 401
    assert (await client.get(f"/api/company/cohorts/{cohort}")).status_code == 401
    # Kystlogistik had nobody in 2026: that cohort is not its to see, exactly like an unknown one
    cohort_2026 = running.programme.cohort_2026_id
    assert (
        await client.get(f"/api/company/cohorts/{cohort_2026}", headers=auth(KEYS["C"]))
    ).status_code == 404
    listed = (await client.get("/api/cohorts", headers=auth(KEYS["C"]))).json()
    assert [c["name"] for c in listed] == ["2027"]
    a_2026 = await company_report(running, "A", cohort_2026)
    assert summary(a_2026)["pairs"] == S


async def test_bad_requests_get_clear_answers(running: Running):
    client = running.client
    bad = await client.get("/api/programme/cohorts/not-a-uuid", headers=auth(ADMIN))
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["path", "cohort_id"]
    unknown = "00000000-0000-0000-0000-000000000000"
    assert (await client.get(f"/api/programme/cohorts/{unknown}", headers=auth(ADMIN))).status_code == 404
    cohort = running.programme.cohort_id
    missing = await client.get(f"/api/programme/cohorts/{cohort}/tables/ratings.csv", headers=auth(ADMIN))
    assert missing.status_code == 404
    assert "summary" in missing.json()["detail"]


# ---- one set of figures, three renderings


async def _views(running: Running) -> list[tuple[dict[str, str], str]]:
    """(headers, JSON path prefix) for the staff view and each company's view."""
    return [(auth(ADMIN), "programme")] + [(auth(key), "company") for key in KEYS.values()]


async def test_csv_json_and_html_agree_to_the_number(running: Running):
    cohort = running.programme.cohort_id
    for headers, view in await _views(running):
        report = (await running.client.get(f"/api/{view}/cohorts/{cohort}", headers=headers)).json()
        assert list(report["tables"]) == list(TABLES)
        for name, spec in report["tables"].items():
            assert not [c for c in spec["columns"] if "rating" in c["key"]], "ratings are never reported"
            response = await running.client.get(
                f"/api/{view}/cohorts/{cohort}/tables/{name}.csv", headers=headers
            )
            assert response.headers["content-type"].startswith("text/csv")
            expected = [{c["key"]: as_text(row[c["key"]]) for c in spec["columns"]} for row in spec["rows"]]
            assert csv_rows(response.text) == expected, (view, name)
        page = await running.client.get(f"/dashboard/cohorts/{cohort}", headers=headers)
        assert html_cells(page.text) == expected_cells(report), view


async def test_small_counts_read_as_less_than_three_everywhere(running: Running):
    cohort = running.programme.cohort_id
    headers = auth(KEYS["A"])
    mentors = await running.client.get(f"/api/company/cohorts/{cohort}/tables/summary.csv", headers=headers)
    assert {r["figure"]: r["value"] for r in csv_rows(mentors.text)}["mentors"] == S
    page = html_cells((await running.client.get(f"/dashboard/cohorts/{cohort}", headers=headers)).text)
    assert page["summary/mentors/value"] == S
    assert page["summary/withdrawn/value"] == "0"  # nobody is not somebody: zero stays zero
    assert page["toolbox/coaching/sessions"] == "5"
    assert page["sessions_over_time/2027-04/sessions"] == S
    assert page["sessions_over_time/2027-04/hours"] == ""  # one session's length would tell who met how long
