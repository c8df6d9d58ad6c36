"""`python -m tests.reporting.screenshots [DIR]`: PNG screenshots of both dashboard views for the docs.

Starts an embedded PostgreSQL and broker, feeds reporting the scripted programme of the tests, and has
headless Chromium photograph the staff view and one partner company's view, and that company's view on a
phone (390 px wide; default DIR docs/screenshots).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from services.reporting.app import create_app
from shared.logging import configure_logging
from tests.reporting.browser import evaluate, screenshot, serving
from tests.reporting.programme import KEYS, TODAY, scripted_programme
from tests.reporting.support import ADMIN, publish, reporting_settings, signed_link, until_applied
from tests.support.backends import kafka_bootstrap, postgres_server
from tests.support.services import run_service


async def take(folder: Path) -> list[Path]:
    with postgres_server() as postgres, kafka_bootstrap() as kafka:
        settings = await reporting_settings(postgres, kafka)
        programme = scripted_programme()
        app = create_app(settings, today=lambda: TODAY)
        async with run_service(app) as client, serving(app) as base:
            await publish(settings, programme.events)
            await until_applied(app.state.runtime.pool, programme.events)
            page = f"/dashboard/cohorts/{programme.cohort_id}"
            phone = folder / "reporting-company-phone.png"
            await evaluate(base + await signed_link(client, page, KEYS["B"]), {}, screenshot_to=phone)
            return [
                await screenshot(
                    base + await signed_link(client, page, ADMIN), folder / "reporting-staff.png"
                ),
                await screenshot(
                    base + await signed_link(client, page, KEYS["B"]), folder / "reporting-company.png"
                ),
                phone,
            ]


def main() -> None:
    configure_logging("console", "warning")
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(take(folder)):
        print(path)  # noqa: T201 - a developer's tool, not a service


if __name__ == "__main__":
    main()
