"""Intake's composition root: the only place that knows settings, runtime and routers together."""

from __future__ import annotations

import re

from fastapi import FastAPI

from services.intake import flow
from services.intake.entrypoints.http import cohorts, companies, export, imports, participants, vocabulary
from services.intake.service_layer.housekeeping import idempotency_pruning
from services.intake.settings import IntakeSettings
from shared.http.app import serve, service_app
from shared.member_access import clear_member_tokens
from shared.messaging.dispatch import Dispatcher
from shared.runtime import Consumption, Periodic, ServiceRuntime
from shared.topics import consumed_by

DESCRIPTION = """Partner companies register their leaders as mentors or mentees into programme cohorts.

* **Staff** (Bearer admin token) set up partner companies, their API keys and cohorts.
* **Companies** (Bearer `mn_...` API key) register, read, change and withdraw their own participants,
  one at a time or by bulk import. Another company's participant is a 404.
* **A participant** (their personal pair token) reads their own data export.

Refusals: 422 lists each bad field (`loc`, `msg`, `type`); other 4xx give `detail` and a stable `code`.
"""

_IMPORTS = re.compile(r"/imports/?$")


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    # only members' tokens (sessions' MemberTokenIssued): intake is where the programme's data starts
    topics = consumed_by("intake")
    consumption = Consumption(topics, Dispatcher(flow.EVENT_HANDLERS), clear=clear_member_tokens)
    pruning = Periodic(
        "idempotency-pruning",
        settings.idempotency_prune_every_s,
        idempotency_pruning(settings.idempotency_keep_s),
    )
    runtime = ServiceRuntime(settings, "services.intake.migrations", consumption, periodic=[pruning])

    def limit_for(path: str) -> int:
        return settings.max_import_bytes if _IMPORTS.search(path) else settings.max_body_bytes

    app = service_app(runtime, title="mentornet intake", description=DESCRIPTION, body_limit=limit_for)
    for module in (companies, cohorts, participants, export, imports, vocabulary):
        app.include_router(module.router)
    return app


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
