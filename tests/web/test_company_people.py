"""A partner company's HR contact in a real browser: registers a person by form (a bad field first),
changes and withdraws them, uploads a file (dry run, then for real), sees its people's status and its
dashboard; another company's person or upload is a 404."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.web.browser import check_page, screenshot, sign_in
from tests.web.conftest import Stack, query
from tests.web.hr_support import check_upload, fill_person_form, import_checked
from tests.web.people_support import LAPTOP, cohort, company, eventually, people_of, register, registration

ERROR = re.compile(".+")


def test_hr_registers_by_form_with_a_bad_field_first_then_changes_and_withdraws(
    page: Page, stack: Stack, web: str
):
    page.set_viewport_size(LAPTOP)
    hr = company(stack, "Nordvind Energi")
    found = cohort(stack)
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    sign_in(page, web, hr.key)
    expect(page).to_have_url(f"{web}/company")
    expect(page.get_by_role("heading", level=2, name=found["name"])).to_be_visible()
    check_page(page)
    screenshot(page, "web-company-home")
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your people")
    check_page(page)
    page.get_by_role("link", name="Register a person").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a person")
    check_page(page)

    fill_person_form(
        page,
        found["cohort_id"],
        role="mentee",
        name="Mette Jensen",
        email="mette.jensen@nordvind.example",
        years="99",  # the bad field: at most 60
        reference="HR-77",
    )
    form = page.locator("form[action='/company/people']")
    form.get_by_role("button", name="Register").click()

    years = page.get_by_label("Years of leadership experience")
    expect(years).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-years_experience")).to_have_text(ERROR)
    assert "e-years_experience" in (years.get_attribute("aria-describedby") or "")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(years).to_have_value("99")  # what was typed stays
    expect(page.get_by_label("Name", exact=True)).to_have_value("Mette Jensen")
    expect(page.get_by_label("New in a leadership role")).to_be_checked()
    expect(page.get_by_label(re.compile("has consented"))).to_be_checked()
    assert page.locator(".field.invalid").count() == 1  # only that field is marked
    check_page(page)
    screenshot(page, "web-company-register-error")
    assert people_of(stack, hr, found["cohort_id"]) == []  # nothing was written

    years.fill("3")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mette Jensen")
    expect(page.get_by_role("status")).to_have_text("Registered.")
    check_page(page)
    registered = people_of(stack, hr, found["cohort_id"])
    assert [(p["name"], p["years_experience"], p["external_ref"]) for p in registered] == [
        ("Mette Jensen", 3, "HR-77")
    ]
    person_url = page.url

    # a change: a bad email stays in place, then a good change is saved
    page.get_by_label("Work email").fill("not-an-email")
    page.get_by_label("Job title").fill("Head of Customer Service")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_label("Work email")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Job title")).to_have_value("Head of Customer Service")
    check_page(page)
    assert people_of(stack, hr, found["cohort_id"])[0]["job_title"] == "Team Lead"
    page.get_by_label("Work email").fill("mette@nordvind.example")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    assert people_of(stack, hr, found["cohort_id"])[0]["job_title"] == "Head of Customer Service"

    # their status in the list, then withdrawn
    page.get_by_role("link", name="People", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Mette Jensen"))
    expect(row).to_contain_text("Active")
    screenshot(page, "web-company-people")
    page.goto(person_url)
    page.get_by_label("Reason").select_option("left_company")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("status")).to_have_text("Withdrawn from the programme.")
    expect(page.locator("dl.facts")).to_contain_text("Withdrawn")
    check_page(page)
    assert people_of(stack, hr, found["cohort_id"])[0]["status"] == "withdrawn"
    page.goto(f"{web}/company/people?cohort={found['cohort_id']}&status=withdrawn")
    expect(page.get_by_role("row", name=re.compile("Mette Jensen"))).to_contain_text("Withdrawn")


CSV = """external_ref,role,name,email,job_title,leadership_level,years_experience,industry,function,languages,region,meeting_preference,themes,expectations,capacity,consent
HR-20001,mentor,Jens Holm,jens.holm@nordvind.example,COO,4,18,energy,operations,da;en,syddanmark,in_person,change_management;strategy,Twenty years of turnarounds,2,yes
HR-20002,mentee,Sara Lund,sara.lund@nordvind.example,Team Lead,1,2,energy,it,da,hovedstaden,online,first_time_manager,A mentor who has led engineers,,yes
HR-20003,mentee,Ali Khan,ali.khan@nordvind.example,Manager,7,5,energy,sales,en,midtjylland,either,communication,Help with negotiations,,yes
"""


def test_hr_uploads_a_file_dry_run_first_then_for_real(page: Page, stack: Stack, web: str, tmp_path):
    page.set_viewport_size(LAPTOP)
    hr = company(stack, "Lindholm Byg")
    found = cohort(stack)
    people_file = tmp_path / "people.csv"
    people_file.write_text(CSV)
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    sign_in(page, web, hr.key)
    page.get_by_role("link", name="Upload a file").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a file")
    check_page(page)

    # no file: said next to the file field, nothing stored
    page.get_by_label("Cohort").select_option(found["cohort_id"])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_label("File", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Cohort")).to_have_value(found["cohort_id"])
    check_page(page)

    # a body of unknown length is not read at all (an upload's size is checked before it is read)
    token = page.locator("form[action='/company/uploads'] input[name=csrf_token]").input_value()
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    with httpx.Client(base_url=web, cookies=cookies) as client:
        streamed = client.post(
            "/company/uploads",
            content=iter([f"csrf_token={token}&cohort_id={found['cohort_id']}".encode()]),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert streamed.status_code == 413
    assert query(stack, "SELECT 1 FROM company_uploads WHERE cohort_id = $1", found["cohort_id"]) == []

    # a file intake refuses as a whole (more than 10,000 rows): said at the file field, nothing stored
    too_many = tmp_path / "too-many.csv"
    row = CSV.splitlines()[2]
    too_many.write_text(
        "\n".join([CSV.splitlines()[0]] + [row.replace("HR-20002", f"T-{n}") for n in range(10_001)])
    )
    page.get_by_label("File", exact=True).set_input_files(str(too_many))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#e-file")).to_contain_text("10000")
    expect(page.get_by_label("File", exact=True)).to_have_attribute("aria-invalid", "true")
    assert query(stack, "SELECT 1 FROM company_uploads WHERE cohort_id = $1", found["cohort_id"]) == []

    check_upload(page, found["cohort_id"], people_file)
    expect(page.get_by_role("status")).to_contain_text("3 rows checked: 2 can be registered, 1 cannot")
    rejected = page.get_by_role("table", name=re.compile("Each reason"))
    expect(rejected.get_by_role("row", name=re.compile("HR-20003"))).to_contain_text("Leadership level")
    check_page(page)
    screenshot(page, "web-company-upload-checked")
    assert people_of(stack, hr, found["cohort_id"]) == []  # a dry run writes nothing

    import_checked(page, 2)
    check_page(page)
    screenshot(page, "web-company-upload-imported")
    registered = people_of(stack, hr, found["cohort_id"])
    assert sorted(p["external_ref"] for p in registered) == ["HR-20001", "HR-20002"]
    # the file itself is gone from the web app's database once imported
    stored = query(stack, "SELECT data, state FROM company_uploads WHERE cohort_id = $1", found["cohort_id"])
    assert [(r["data"], r["state"]) for r in stored] == [(None, "done")]

    page.get_by_role("link", name="See your people").click()
    for name in ("Jens Holm", "Sara Lund"):
        expect(page.get_by_role("row", name=re.compile(name))).to_contain_text("Active")
    expect(page.get_by_role("row", name=re.compile("Ali Khan"))).to_have_count(0)


def test_another_companys_person_and_upload_are_404(page: Page, stack: Stack, web: str, tmp_path):
    mine, theirs = company(stack, "Fjordbank"), company(stack, "Nordlys")
    found = cohort(stack)
    person = register(stack, theirs, registration(found["cohort_id"], "Karen Blix", "mentee"))
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])

    sign_in(page, web, theirs.key)  # theirs uploads a file
    people_file = tmp_path / "people.csv"
    people_file.write_text(CSV.replace("nordvind", "nordlys"))
    page.goto(f"{web}/company/uploads/new?cohort={found['cohort_id']}")
    page.get_by_label("File", exact=True).set_input_files(str(people_file))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload")
    upload_url = page.url
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])

    sign_in(page, web, mine.key)
    for url in (f"{web}/company/people/{person['participant_id']}", upload_url, f"{upload_url}/progress"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page)
    assert "Karen" not in page.content()
    # a form posted at their person changes nothing
    token = page.locator("form[action='/sign-out'] input[name=csrf_token]").input_value()
    answer = page.request.post(
        f"{web}/company/people/{person['participant_id']}/withdrawal",
        form={"csrf_token": token, "reason": "other"},
    )
    assert answer.status == 404
    assert people_of(stack, theirs, found["cohort_id"])[0]["status"] == "active"
    # and a member's pages are not a company's
    assert page.goto(f"{web}/pair") is not None
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_hr_sees_its_company_dashboard_through_reportings_api(page: Page, stack: Stack, web: str):
    page.set_viewport_size(LAPTOP)
    hr = company(stack, "Havblik")
    found = cohort(stack)
    for n in range(3):
        register(stack, hr, registration(found["cohort_id"], f"Leader{n} Havblik", "mentee"))
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    sign_in(page, web, hr.key)

    def shown() -> bool:
        page.goto(f"{web}/company/dashboard?cohort={found['cohort_id']}")
        return page.get_by_role("heading", name="Key figures").count() == 1 and "Mentees" in page.content()

    eventually(shown)
    summary = page.get_by_role("region", name="Key figures")
    expect(summary.get_by_role("row", name=re.compile("^Mentees"))).to_contain_text("3")
    assert "Leader0" not in page.content()  # aggregates only: no names
    check_page(page)
    screenshot(page, "web-company-dashboard")
    page.get_by_role("button", name="Dansk").click()  # reporting's tables in the visitor's language
    expect(page.get_by_role("heading", level=2, name="Nøgletal")).to_be_visible()
    expect(
        page.get_by_role("region", name="Nøgletal").get_by_role(
            "row", name=re.compile("^Deltagere \\(aktive\\)")
        )
    ).to_contain_text("3")
    check_page(page)
    page.get_by_role("button", name="English").click()
    other = cohort(stack)  # a cohort the company has nobody in is not theirs
    response = page.goto(f"{web}/company/dashboard?cohort={other['cohort_id']}")
    assert response is not None and response.status == 404


def test_a_large_upload_is_imported_in_chunks_and_reported_by_the_files_own_rows(
    page: Page, stack: Stack, web: str, tmp_path
):
    """600 rows (semicolons, a cell over two lines, a bad row in the middle): three chunks, the report
    numbers every row as the file does; the same file again registers nobody twice."""
    page.set_viewport_size(LAPTOP)
    hr = company(stack, "Solvang")
    found = cohort(stack)
    header = "external_ref;role;name;email;job_title;leadership_level;years_experience;industry;function;languages;region;meeting_preference;themes;expectations;consent"
    lines = [header]
    for n in range(1, 601):
        level = "9" if n == 300 else "2"
        expectations = '"Two lines:\nlearn and grow"' if n == 450 else "Growth"
        lines.append(
            f"S-{n};mentee;Person {n};person{n}@solvang.example;Lead;{level};3;energy;it;da,en;midtjylland;online;strategy;{expectations};ja"
        )
    people_file = tmp_path / "many.csv"
    people_file.write_text("\n".join(lines) + "\n")
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    sign_in(page, web, hr.key)

    def upload() -> None:
        page.goto(f"{web}/company/uploads/new?cohort={found['cohort_id']}")
        page.get_by_label("File", exact=True).set_input_files(str(people_file))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("status")).to_contain_text(
            "600 rows checked: 599 can be registered, 1 cannot"
        )
        expect(page.get_by_role("row", name=re.compile("^300 "))).to_contain_text("Leadership level")
        page.get_by_role("button", name=re.compile("Import the 599 rows")).click()

    upload()
    expect(page.get_by_role("status")).to_contain_text("599 rows registered (0 were already", timeout=60_000)
    expect(page.locator("#import-progress")).to_have_attribute("max", "599")
    expect(page.locator("#import-progress")).to_have_attribute("value", "599")
    check_page(page)
    registered = people_of(stack, hr, found["cohort_id"])
    assert len(registered) == 599
    refs = {p["external_ref"] for p in registered}
    assert "S-300" not in refs and {"S-1", "S-299", "S-301", "S-450", "S-600"} <= refs
    two_lines = next(p for p in registered if p["external_ref"] == "S-450")
    assert two_lines["expectations"] == "Two lines:\nlearn and grow"
    page.get_by_text("Every row (600)").click()
    every = page.get_by_role("table", name=re.compile("Every row of the file"))
    expect(every.get_by_role("row", name=re.compile("^450 S-450"))).to_contain_text("Registered")
    expect(every.get_by_role("row", name=re.compile("^300 S-300"))).to_contain_text("Rejected")

    upload()  # the same file again
    expect(page.get_by_role("status")).to_contain_text(
        "599 rows registered (599 were already", timeout=60_000
    )
    assert len(people_of(stack, hr, found["cohort_id"])) == 599


def test_an_import_whose_process_stopped_says_so_instead_of_importing_forever(
    page: Page, stack: Stack, web: str, tmp_path
):
    hr = company(stack, "Kystlys")
    found = cohort(stack)
    people_file = tmp_path / "people.csv"
    people_file.write_text(CSV.replace("nordvind", "kystlys"))
    page.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
    sign_in(page, web, hr.key)
    page.goto(f"{web}/company/uploads/new?cohort={found['cohort_id']}")
    page.get_by_label("File", exact=True).set_input_files(str(people_file))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_contain_text("3 rows checked")
    # as a web process that died halfway would leave it
    stopped = query(
        stack,
        "UPDATE company_uploads SET state = 'importing', total = 2, done = 1 WHERE cohort_id = $1 RETURNING 1",
        found["cohort_id"],
    )
    assert len(stopped) == 1
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("stopped after 1 of 2 rows")
    expect(page.get_by_role("status")).to_contain_text("restarted")
    page.get_by_text("Every row (3)").click()
    every = page.get_by_role("table", name=re.compile("Every row of the file"))
    expect(every.get_by_role("row", name=re.compile("^1 HR-20001"))).to_contain_text("Not confirmed")
    expect(every.get_by_role("row", name=re.compile("^3 HR-20003"))).to_contain_text("Rejected")
    check_page(page)
    stored = query(stack, "SELECT state, data FROM company_uploads WHERE cohort_id = $1", found["cohort_id"])
    assert [(r["state"], r["data"]) for r in stored] == [("failed", None)]
