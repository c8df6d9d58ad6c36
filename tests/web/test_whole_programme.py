"""A whole programme, only by clicking and typing, across every role: staff create two partner companies,
issue their keys and open a cohort; each company's HR signs in with its key and registers people by form
and by upload; staff run matching, review it, pin a pair, approve and hand out the personal links; a
member opens a link on a phone and logs a session; staff end another pair early; the staff dashboard
and a company's dashboard show the session and the ended pair."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.web.browser import PHONE, check_page, sign_in, sign_out
from tests.web.conftest import STAFF_TOKEN, Stack
from tests.web.hr_support import check_upload, fill_person_form, import_checked
from tests.web.staff_support import create_cohort, create_company, issue_key, issue_personal_links, until

HEADER = (
    "external_ref,role,name,email,job_title,leadership_level,years_experience,industry,function,languages,"
    "region,meeting_preference,themes,expectations,capacity,consent"
)


def upload_line(ref: str, role: str, name: str, level: int, capacity: str) -> str:
    email = f"{name.split()[0].lower()}.{uuid.uuid4().hex[:6]}@example.org"
    return (
        f"{ref},{role},{name},{email},Leader,{level},{3 + 3 * level},energy,operations,da;en,midtjylland,"
        f"either,strategy;communication,A view from outside,{capacity},yes"
    )


def hr_registers(page: Page, web: str, key: str, cohort_id: str, by_form: tuple, file: Path) -> None:
    """HR signs in with the company's key, registers one person by form and the file's by upload."""
    sign_in(page, web, key)
    expect(page).to_have_url(f"{web}/company")
    page.get_by_role("link", name="Register a person").first.click()
    role, name, level, capacity = by_form
    email = f"{name.split()[0].lower()}.{uuid.uuid4().hex[:6]}@example.org"
    fill_person_form(
        page, cohort_id, role=role, name=name, email=email, years="9", level=level, capacity=capacity
    )
    page.locator("form[action='/company/people']").get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_have_text("Registered.")
    page.get_by_role("link", name="Upload a file").first.click()
    check_upload(page, cohort_id, file)
    expect(page.get_by_role("status")).to_contain_text("2 rows checked: 2 can be registered")
    import_checked(page, 2)
    check_page(page)
    sign_out(page)


def test_a_whole_programme_by_clicking_and_typing(
    page: Page, browser: Browser, stack: Stack, web: str, tmp_path: Path
):
    run = uuid.uuid4().hex[:4]  # the stack is shared with the other browser tests: names of our own
    page.goto(f"{web}/sign-in")
    page.get_by_role("button", name="English").click()

    # --- staff: two companies with their keys, a cohort ------------------------------------------------
    sign_in(page, web, STAFF_TOKEN)
    keys = {}
    for company in (f"Østerhavn {run}", f"Vesterby {run}"):
        create_company(page, web, company, "Lise Lund", f"hr@{company.split()[0].lower()}.example")
        keys[company] = issue_key(page, "HR sign-in")
    east, west = keys
    today = date.today()
    cohort_name = f"Programme {run}"
    cohort_id = create_cohort(page, web, cohort_name, today - timedelta(days=1), today + timedelta(days=30))
    sign_out(page)

    # --- each company's HR: one person by form, two by upload -----------------------------------------
    east_file, west_file = tmp_path / "east.csv", tmp_path / "west.csv"
    east_file.write_text(
        "\n".join(
            [
                HEADER,
                upload_line("E-1", "mentor", "Jens Holm", 4, "1"),
                upload_line("E-2", "mentee", "Sara Lund", 2, ""),
            ]
        )
    )
    west_file.write_text(
        "\n".join(
            [
                HEADER,
                upload_line("W-1", "mentee", "Carl Kyst", 1, ""),
                upload_line("W-2", "mentor", "Erik Sand", 4, "1"),
            ]
        )
    )
    hr_registers(page, web, keys[east], cohort_id, ("mentee", "Mette Jensen", "1", ""), east_file)
    hr_registers(page, web, keys[west], cohort_id, ("mentor", "Dorte Bank", "4", "2"), west_file)

    # --- staff: matching reviewed, a pin, approval, the personal links ---------------------------------
    sign_in(page, web, STAFF_TOKEN)
    page.get_by_role("link", name="Cohorts").first.click()
    page.get_by_role("link", name=cohort_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cohort {cohort_name}")
    until(page, lambda: "3 without a pair" in page.content())
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Matching proposal")
    page.get_by_role("link", name="Pin any pair").click()
    page.get_by_label("Mentee", exact=True).select_option(label="Mette Jensen")
    page.get_by_label("Mentor", exact=True).select_option(label="Erik Sand")
    page.get_by_role("button", name="Pin", exact=True).click()
    expect(page.get_by_text(re.compile("Pinned: Mette Jensen – Erik Sand"))).to_be_visible()
    page.get_by_role("button", name="Run again").click()
    expect(page.get_by_role("row", name=re.compile("Mette Jensen \\(pinned\\) .*Erik Sand"))).to_be_visible()
    check_page(page)
    page.get_by_role("button", name=re.compile("^Approve these 3 pairs")).click()
    expect(page.get_by_role("status")).to_have_text("Approved: 3 new pairs.")
    pairs_url = page.url
    page.get_by_role("link", name="Mette Jensen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pair: Mette Jensen and Erik Sand")
    links = issue_personal_links(page, web)

    # --- a member, on a phone: the personal link, a session logged -------------------------------------
    phone = browser.new_context(viewport=PHONE, locale="en-GB")
    phone.set_default_timeout(15_000)
    try:
        member = phone.new_page()
        member.context.add_cookies([{"name": "mentornet_web_lang", "value": "en", "url": web}])
        member.goto(links[0])
        expect(member.get_by_role("heading", level=1)).to_have_text("Your mentoring pair")
        assert member.viewport_size == PHONE
        member.get_by_role("link", name="Log a session").click()
        member.get_by_label("Start").fill("00:05")
        member.get_by_label("Private notes").fill("Our first talk: the reorganisation.")
        member.get_by_role("button", name="Save the session").click()
        expect(member.get_by_role("status")).to_have_text("Session saved.")
        expect(member.locator("li.session")).to_have_count(1)
        check_page(member)
    finally:
        phone.close()

    # --- staff: another pair ended early -----------------------------------------------------------------
    page.goto(pairs_url)
    page.get_by_role("link", name="Carl Kyst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Pair: Carl Kyst and "))
    page.get_by_label("Reason").fill("moved abroad")
    page.get_by_role("button", name="End the pair").click()
    expect(page.get_by_text(re.compile("Ended .*: moved abroad"))).to_be_visible()

    # --- the staff dashboard (reporting's) shows the session and the ended pair -------------------------
    # the link hands over by a one-time code: reporting's dashboard opens signed in, and neither the code
    # nor the token stays in the address
    page.get_by_role("link", name="Dashboards").first.click()
    expect(page).to_have_url(f"{stack.url('reporting')}/dashboard")
    assert all(STAFF_TOKEN not in c["value"] for c in page.context.cookies())
    page.get_by_role("link", name=re.compile(cohort_name)).click()

    def figure(label: str, value: str) -> bool:  # a key figure: its number, then what it counts
        return re.search(rf"(^|\n){value}\n{label}\n", page.locator("main").inner_text()) is not None

    until(page, lambda: figure("Sessions held", "1") and figure("Pairs ended early", "1"))
    assert figure("Pairs matched", "3")

    # --- a company's dashboard shows them too, as small counts ("<3": nobody can be singled out) --------
    page.goto(f"{web}/sign-in")
    sign_out(page)
    sign_in(page, web, keys[east])
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    cohort_choice = page.get_by_label("Cohort")
    if cohort_choice.count():
        cohort_choice.select_option(cohort_id)
        page.get_by_role("button", name="Show").click()
    summary = page.get_by_role("region", name="Key figures")
    expect(summary.get_by_role("row", name=re.compile("^Sessions held"))).to_contain_text("<3")
    expect(summary.get_by_role("row", name=re.compile("^Pairs ended early"))).to_contain_text("<3")
    check_page(page)
    assert west  # both companies took part
