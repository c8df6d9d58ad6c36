"""Every service's OpenAPI says what its 401 looks like, and the real 401 is exactly that: RefusalBody,
`{"detail", "code"}` (issue 16). Each operation is called without credentials on the running service."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.matching.app import create_app as matching_app
from services.matching.settings import MatchingSettings
from services.reporting.app import create_app as reporting_app
from services.reporting.settings import ReportingSettings
from services.sessions.app import create_app as sessions_app
from services.sessions.settings import SessionsSettings
from tests.support.services import run_service

SERVICES: dict[str, tuple[Any, Any]] = {
    "intake": (intake_app, IntakeSettings),
    "matching": (matching_app, MatchingSettings),
    "sessions": (sessions_app, SessionsSettings),
    "reporting": (reporting_app, ReportingSettings),
}
REFUSAL = "#/components/schemas/RefusalBody"


def _path(template: str) -> str:
    """A concrete path: an id where an id goes, the summary table where a table name goes."""
    return re.sub(r"\{(\w+)\}", lambda m: "summary" if m.group(1) == "table" else str(uuid.uuid4()), template)


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if path not in ("/healthz", "/readyz", "/metrics")
    ]


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_every_401_is_documented_as_refusal_body_and_answered_with_its_code(service, make_settings):
    create_app, settings_class = SERVICES[service]
    app = create_app(await make_settings(settings_class, admin_token="test-admin-token"))
    spec = app.openapi()
    assert spec["components"]["schemas"]["RefusalBody"]["required"] == ["detail", "code"]
    answered_401 = 0
    async with run_service(app) as client:
        for method, path, operation in _operations(spec):
            documented = operation["responses"].get("401")
            answer = await client.request(
                method, _path(path), json={} if method in ("POST", "PUT", "PATCH") else None
            )
            where = f"{service} {method} {path}"
            if answer.status_code == 401:
                answered_401 += 1
                assert documented is not None, f"{where} answers 401 without documenting it"
                assert set(answer.json()) == {"detail", "code"}, where
                assert answer.json()["code"] == "unauthorized", where
                assert answer.headers["WWW-Authenticate"] == "Bearer", where
            if documented is not None:
                assert documented["content"]["application/json"]["schema"] == {"$ref": REFUSAL}, where
                assert answer.status_code == 401, f"{where} documents a 401 but answered {answer.status_code}"
    assert answered_401 > 0
