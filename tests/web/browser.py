"""Driving the web app in Debian's Chromium with Playwright, and checking each page with axe-core.

Never `playwright install`: the browser is the system's /usr/bin/chromium (dev.py test installs it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, expect

CHROMIUM = os.environ.get("MENTORNET_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("MENTORNET_SCREENSHOTS", "")  # e.g. docs/screenshots: where to save them
_axe = Axe()


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
    )


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's findings on the page as it is now that are serious or critical."""
    result = _axe.run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check_page(page: Page) -> None:
    """Every page: axe finds nothing serious, it has one h1, and it fits a phone's width."""
    found = serious_violations(page)
    assert found == [], (page.url, found)
    expect(page.locator("h1")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size or PHONE
    assert width <= viewport["width"], f"{page.url} is {width}px wide in a {viewport['width']}px window"


def screenshot(page: Page, name: str) -> None:
    """Saved under $MENTORNET_SCREENSHOTS when set (docs/screenshots is made this way)."""
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def sign_in(page: Page, base_url: str, secret: str) -> None:
    page.goto(f"{base_url}/sign-in")
    page.get_by_label(re.compile("token|nøgle", re.I)).fill(secret)
    page.get_by_role("button", name=re.compile("^(Sign in|Log ind)$")).click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^(Sign out|Log ud)$")).click()
