"""Intake's composition root: the only place that knows settings, runtime and routers together."""

from __future__ import annotations

import re

import asyncpg
from fastapi import FastAPI

from services.intake import flow
from services.intake.domain.erasure import MAX_IDS
from services.intake.entrypoints.http import (
    cohorts,
    companies,
    consent,
    erasure,
    export,
    imports,
    participants,
    reminders,
    retention,
    vocabulary,
)
from services.intake.service_layer.erasure import key_destruction
from services.intake.service_layer.housekeeping import idempotency_pruning
from services.intake.service_layer.reminder_sending import sending_job
from services.intake.service_layer.reminders import rules_job
from services.intake.settings import IntakeSettings
from services.intake.store import reminder_facts
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
* **Reminders** by email (pairs at risk, evaluations not answered, agreements missing), each once;
  members opt out with the signed token of a mail's link.

Refusals: 422 lists each bad field (`loc`, `msg`, `type`); other 4xx give `detail` and a stable `code`.
"""

_IMPORTS = re.compile(r"/imports/?$")


async def clear_projections(conn: asyncpg.Connection) -> None:
    """What a rebuild empties: the reminders' projection and the members' tokens (never intake's own
    records, nor the reminders decided and the opt-outs)."""
    await reminder_facts.clear(conn)
    await clear_member_tokens(conn)


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    # pairs, sessions, agreements and evaluations for the reminders; members' tokens for their own data
    # export: intake is where the programme's data starts
    consumption = Consumption(consumed_by("intake"), Dispatcher(flow.EVENT_HANDLERS), clear=clear_projections)
    periodic = [
        Periodic(
            "idempotency-pruning",
            settings.idempotency_prune_every_s,
            idempotency_pruning(settings.idempotency_keep_s),
        ),
        Periodic("reminder-rules", settings.reminders_every_s, rules_job(settings)),
        Periodic("reminder-mails", settings.reminders_send_every_s, sending_job(settings)),
    ]
    runtime = ServiceRuntime(settings, "services.intake.migrations", consumption, periodic=periodic)
    # erasures whose vault key is not destroyed yet are retried until the vault confirms
    runtime.periodic = [
        *periodic,
        Periodic("erasure-keys", settings.erasure_retry_every_s, key_destruction(runtime.vault)),
    ]

    def limit_for(path: str) -> int:
        """Imports, consent texts (two texts of up to 20,000 characters) and bulk erasures may be larger."""
        if _IMPORTS.search(path) or path.rstrip("/") == "/v1/consent-texts":
            return settings.max_import_bytes
        if path.startswith("/v1/erasures"):
            return max(settings.max_body_bytes, 48 * MAX_IDS)  # an id is 36 characters, quoted, comma
        return settings.max_body_bytes

    app = service_app(runtime, title="mentornet intake", description=DESCRIPTION, body_limit=limit_for)
    app.include_router(consent.router_participants)
    for module in (
        companies,
        cohorts,
        consent,
        participants,
        export,
        imports,
        erasure,
        retention,
        vocabulary,
        reminders,
    ):
        app.include_router(module.router)
    return app


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
