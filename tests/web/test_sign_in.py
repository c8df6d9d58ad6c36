"""Signing in and out in a real browser: server-side sessions in safe cookies, CSRF on every form, the
language switch, throttled guesses, and a 404 page for what is not the visitor's."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.web.browser import check_page, screenshot, sign_in, sign_out
from tests.web.conftest import STAFF_TOKEN, Stack, query


def sessions_in_database(stack: Stack) -> list[dict[str, object]]:
    return query(stack, "SELECT * FROM web_sessions")


def test_staff_sign_in_keeps_the_token_on_the_server_in_a_safe_cookie(page: Page, stack: Stack, web: str):
    page.goto(web)
    expect(page).to_have_url(f"{web}/sign-in")
    check_page(page)
    screenshot(page, "web-sign-in")
    sign_in(page, web, STAFF_TOKEN)
    expect(page).to_have_url(f"{web}/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Programkoordinering|Programme coordination")
    )
    check_page(page)

    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["mentornet_web"]
    assert session["httpOnly"] and session["sameSite"] == "Lax" and not session["secure"]  # http here
    assert STAFF_TOKEN not in session["value"]
    assert all(STAFF_TOKEN not in c["value"] for c in cookies.values())
    rows = [r for r in sessions_in_database(stack) if r["credential"] == STAFF_TOKEN]
    assert rows and all(r["id_hash"] != session["value"] for r in rows)  # the table keeps only a hash


def test_cookies_are_secure_when_served_over_https(stack: Stack, web: str):
    # behind a TLS proxy (uvicorn trusts X-Forwarded-Proto from 127.0.0.1); a client keeps Secure
    # cookies for https only, so this one hands the CSRF cookie back itself
    https = {"X-Forwarded-Proto": "https"}
    with httpx.Client(base_url=web, headers=https) as client:
        form = client.get("/sign-in")
        set_cookie = form.headers["set-cookie"]
        assert "secure" in set_cookie.lower() and "httponly" in set_cookie.lower()
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
        answer = client.post(
            "/sign-in",
            data={"csrf_token": token, "secret": STAFF_TOKEN},
            headers={"Cookie": set_cookie.split(";")[0]},
        )
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert (
        "mentornet_web=" in cookie
        and "secure" in cookie
        and "httponly" in cookie
        and "samesite=lax" in cookie
    )


def test_a_wrong_token_is_said_next_to_the_field_and_signs_nobody_in(page: Page, stack: Stack, web: str):
    before = sessions_in_database(stack)
    sign_in(page, web, "not-the-token")
    field = page.get_by_label(re.compile("token|nøgle", re.I))
    expect(field).to_have_attribute("aria-invalid", "true")
    message = page.locator("#e-secret")
    expect(message).to_be_visible()
    assert "e-secret" in (field.get_attribute("aria-describedby") or "")
    expect(field).to_have_value("")  # a secret is never typed back into the page
    check_page(page)
    assert sessions_in_database(stack) == before
    sign_in(page, web, STAFF_TOKEN)  # a success forgets the failures (the next tests share 127.0.0.1)
    expect(page).to_have_url(f"{web}/staff")


def test_sign_out_deletes_the_session(page: Page, stack: Stack, web: str):
    sign_in(page, web, STAFF_TOKEN)
    expect(page).to_have_url(f"{web}/staff")
    value = next(c["value"] for c in page.context.cookies() if c["name"] == "mentornet_web")
    count = len(sessions_in_database(stack))
    sign_out(page)
    expect(page).to_have_url(f"{web}/sign-in?bye=1")
    expect(page.get_by_role("status")).to_be_visible()
    assert len(sessions_in_database(stack)) == count - 1
    assert "mentornet_web" not in {c["name"] for c in page.context.cookies()}
    # the old cookie, replayed, is nobody
    with httpx.Client(base_url=web, cookies={"mentornet_web": value}) as client:
        answer = client.get("/staff")
    assert answer.status_code == 303 and answer.headers["location"] == "/sign-in"


def test_every_form_needs_its_csrf_token_and_this_site_as_origin(page: Page, stack: Stack, web: str):
    sign_in(page, web, STAFF_TOKEN)
    expect(page).to_have_url(f"{web}/staff")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    token = page.locator("form[action='/sign-out'] input[name=csrf_token]").input_value()
    count = len(sessions_in_database(stack))
    with httpx.Client(base_url=web, cookies=cookies) as client:
        missing = client.post("/sign-out", data={})
        wrong = client.post("/sign-out", data={"csrf_token": "guess"})
        elsewhere = client.post(
            "/sign-out", data={"csrf_token": token}, headers={"Origin": "https://evil.example"}
        )
    assert [missing.status_code, wrong.status_code, elsewhere.status_code] == [403, 403, 403]
    assert "<h1>" in missing.text
    assert len(sessions_in_database(stack)) == count  # still signed in: nothing happened
    page.goto(f"{web}/staff")
    expect(page).to_have_url(f"{web}/staff")
    # a sign-in form posted from another site is refused too (login CSRF)
    with httpx.Client(base_url=web) as client:
        client.get("/sign-in")
        forged = client.post("/sign-in", data={"secret": STAFF_TOKEN, "csrf_token": "x"})
    assert forged.status_code == 403


def test_the_language_switch_holds_across_pages(page: Page, web: str):
    page.goto(f"{web}/sign-in")
    expect(page.locator("html")).to_have_attribute("lang", "da")  # the programme's default
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind på mentornet")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to mentornet")
    sign_in(page, web, STAFF_TOKEN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme coordination")
    check_page(page)
    screenshot(page, "web-staff-home")
    page.get_by_role("button", name="Dansk").click()
    expect(page).to_have_url(f"{web}/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programkoordinering")


def test_what_is_not_yours_is_a_404_page(page: Page, web: str):
    page.goto(f"{web}/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Siden findes ikke|Page not found"))
    check_page(page)
    response = page.goto(f"{web}/staff")  # signed out: to the sign-in page
    expect(page).to_have_url(f"{web}/sign-in")
    assert response is not None


def test_keyboard_alone_signs_in_and_out(page: Page, web: str):
    page.goto(f"{web}/sign-in")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name=re.compile("Gå til indholdet|Skip to content"))).to_be_focused()
    field = page.get_by_label(re.compile("token|nøgle", re.I))
    for _ in range(10):
        page.keyboard.press("Tab")
        if field.evaluate("e => e === document.activeElement"):
            break
    expect(field).to_be_focused()
    page.keyboard.type(STAFF_TOKEN)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{web}/staff")


def test_guessing_locks_the_client_out(stack: Stack, web: str):
    guesser = {"X-Forwarded-For": "203.0.113.77"}  # one client, as the proxy tells it
    with httpx.Client(base_url=web, headers=guesser) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)  # type: ignore[union-attr]
        answers = [
            client.post("/sign-in", data={"csrf_token": token, "secret": f"guess-{n}"}).status_code
            for n in range(6)
        ]
        right = client.post("/sign-in", data={"csrf_token": token, "secret": STAFF_TOKEN})
    assert answers == [422] * 5 + [429]
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 60  # even the right one, for now
    with httpx.Client(base_url=web) as other:  # another client is not locked out
        token = re.search(r'name="csrf_token" value="([^"]+)"', other.get("/sign-in").text).group(1)  # type: ignore[union-attr]
        assert other.post("/sign-in", data={"csrf_token": token, "secret": STAFF_TOKEN}).status_code == 303
