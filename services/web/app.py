"""The web app's composition root: settings, runtime (its sessions database), the four APIs and pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from services.web import flow
from services.web.domain.lockout import LockoutRule
from services.web.entrypoints.http import (
    company,
    pair,
    pair_year,
    people,
    reminders,
    rights,
    signin,
    staff,
    staff_cohorts,
    staff_companies,
    staff_erasure,
    staff_matching,
    staff_pairs,
    staff_participants,
    staff_year,
)
from services.web.entrypoints.http.errors import install_page_errors
from services.web.entrypoints.http.pages import HERE
from services.web.service_layer import housekeeping, uploads
from services.web.service_layer.context import Web
from services.web.settings import WebSettings
from services.web.store.apis import Apis
from shared.http.app import serve, service_app
from shared.messaging.dispatch import Dispatcher
from shared.runtime import Consumption, Periodic, ServiceRuntime
from shared.topics import consumed_by, uses_broker

DESCRIPTION = """Pages for every person in a programme: staff, partner companies' HR, mentors and mentees.
Server-rendered HTML; everything is read and written through the four services' APIs."""


def create_app(settings: WebSettings | None = None) -> FastAPI:
    settings = settings or WebSettings()
    topics = consumed_by("web")  # none: the web app reads the services' APIs, not their events
    consumption = Consumption(topics, Dispatcher(flow.EVENT_HANDLERS)) if topics else None
    # it neither produces nor consumes events: it never connects to the broker. Expired sessions and
    # uploads (a file never imported, every import's report) are deleted within a bound
    purge = Periodic("expired-purge", settings.web_purge_every_s, housekeeping.delete_expired)
    runtime = ServiceRuntime(
        settings,
        "services.web.migrations",
        consumption,
        periodic=[purge],
        broker=uses_broker(settings.service_name),
    )

    def limit_for(path: str) -> int:
        """The shared cap (413 before anything reads the body); an upload's own check, with its page,
        answers first for files a little over its limit (people.upload_size)."""
        if path == "/company/uploads":
            return uploads.MAX_UPLOAD_BYTES + 1024 * 1024
        return settings.max_body_bytes

    app = service_app(runtime, title="mentornet web", description=DESCRIPTION, body_limit=limit_for)
    urls = {
        "intake": settings.intake_url,
        "matching": settings.matching_url,
        "sessions": settings.sessions_url,
        "reporting": settings.reporting_url,
    }
    apis = Apis.open(urls, settings.api_timeout_s)
    app.state.settings = settings
    app.state.web = Web(
        runtime=runtime,
        apis=apis,
        lockout=LockoutRule(
            settings.sign_in_max_failures,
            timedelta(seconds=settings.sign_in_window_s),
            timedelta(seconds=settings.sign_in_lockout_s),
        ),
        session_length=timedelta(minutes=settings.session_minutes),
        zone=settings.programme_timezone,  # every date and time shown
        dashboard_url=settings.dashboard_url,
    )
    running = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running(app):
            yield
        await apis.close()

    app.router.lifespan_context = lifespan
    for module in (
        signin,
        staff,
        staff_companies,
        staff_cohorts,
        staff_participants,
        staff_erasure,
        staff_matching,
        staff_pairs,
        staff_year,
        company,
        people,
        pair,
        rights,
        pair_year,
        reminders,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    install_page_errors(app)
    return app


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
