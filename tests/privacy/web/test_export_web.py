"""The data export in a browser: a mentee downloads her own ZIP from her pair page on a phone (with her
own notes, never her mentor's), and staff download one from the participant's page (no note text)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from playwright.sync_api import Page, expect

from tests.web.browser import PHONE, check_page, sign_in
from tests.web.conftest import STAFF_TOKEN, Stack
from tests.web.people_support import eventually, matched_pair

MINE = "Only I wrote this about my first months"
THEIRS = "The mentor's own reflection, not hers"
SERVICES = ("intake", "matching", "sessions", "reporting")


def log(stack: Stack, pair_id: str, token: str, start: str, notes: str) -> None:
    with stack.api("sessions", token) as api:
        answer = api.post(
            f"/v1/pairs/{pair_id}/sessions",
            json={"held_on": str(date.today()), "start_time": start, "duration_minutes": 60, "format": "online",
                  "tools": ["coaching"], "notes": notes},
        )  # fmt: skip
        assert answer.status_code == 201, answer.text


def known_everywhere(stack: Stack, participant_id: str, token: str) -> bool:
    """Every service answers the member's own export: the token's hash has reached them all."""
    paths = {
        s: f"/{'api' if s == 'reporting' else 'v1'}/participants/{participant_id}/export" for s in SERVICES
    }
    for service, path in paths.items():
        with stack.api(service, token) as api:
            if api.get(path).status_code != 200:
                return False
    return True


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        return {name: zipped.read(name).decode() for name in zipped.namelist()}


def download(page: Page, name: str) -> dict[str, str]:
    with page.expect_download() as started:
        page.get_by_role("link", name=name).click()
    path = started.value.path()
    assert started.value.suggested_filename.endswith(".zip")
    with open(path, "rb") as file:
        return unzip(file.read())


def test_a_mentee_downloads_her_own_data_on_a_phone(page: Page, stack: Stack, web: str):
    assert page.viewport_size == PHONE
    pair = matched_pair(stack, "Mette Export", "Dorte Export")
    log(stack, pair.pair_id, pair.tokens["mentee"], "07:00", MINE)
    log(stack, pair.pair_id, pair.tokens["mentor"], "08:00", THEIRS)
    mentee_id = pair.mentee["participant_id"]
    eventually(lambda: known_everywhere(stack, mentee_id, pair.tokens["mentee"]))
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])

    page.goto(f"{web}/p/{pair.tokens['mentee']}")
    expect(page).to_have_url(f"{web}/pair/{pair.pair_id}")
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    check_page(page)
    files = download(page, "Download my data (ZIP)")

    assert sorted(files) == ["README.txt", "intake.json", "matching.json", "reporting.json", "sessions.json"]
    assert mentee_id in files["README.txt"] and "the person themself" in files["README.txt"]
    parts = {s: json.loads(files[f"{s}.json"]) for s in SERVICES}
    assert {p["participant_id"] for p in parts.values()} == {mentee_id}
    assert {p["requested_by"] for p in parts.values()} == {"self"}
    assert parts["intake"]["data"]["registration"]["email"] == pair.mentee["email"]
    assert parts["matching"]["data"]["pairs"][0]["pair_id"] == pair.pair_id
    (held,) = parts["sessions"]["data"]["pairs"]
    assert [n["notes"] for n in held["own_notes"]] == [MINE] and len(held["sessions"]) == 2
    assert THEIRS not in "".join(files.values())  # the mentor's notes are hers alone


def test_staff_download_a_participants_data_from_their_page(page: Page, stack: Stack, web: str):
    pair = matched_pair(stack, "Sara Export", "Erik Export")
    log(stack, pair.pair_id, pair.tokens["mentee"], "07:00", MINE)
    mentee_id = pair.mentee["participant_id"]
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    sign_in(page, web, STAFF_TOKEN)

    page.goto(f"{web}/staff/participants?q=Sara+Export")
    page.get_by_role("link", name="Sara Export").click()
    expect(page).to_have_url(f"{web}/staff/participants/{mentee_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sara Export")
    expect(page.locator("#consent")).to_contain_text("Agreed on")
    check_page(page)
    files = download(page, "Download the data export (ZIP)")

    parts = {s: json.loads(files[f"{s}.json"]) for s in SERVICES}
    assert {p["requested_by"] for p in parts.values()} == {"staff"}
    assert parts["intake"]["data"]["registration"]["name"] == "Sara Export"
    (held,) = parts["sessions"]["data"]["pairs"]
    assert held["own_notes"] == {"count": 1}
    assert MINE not in "".join(files.values())  # staff see that notes exist, never what they say
