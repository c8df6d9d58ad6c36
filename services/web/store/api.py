"""Calling one of the four services: its answer, or its refusal as the shared refusal kinds.

Every adapter (intake.py, matching.py, sessions.py, reporting.py) calls through `ServiceApi.call`, so a
422 becomes `Invalid` with each field's problem (shown next to the field), a 404 `NotFound` (the 404
page), a 401 `Unauthorized` (signed out), and a service that does not answer `Unavailable`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import structlog

from services.web.domain.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Problem,
    Refusal,
    Unauthorized,
    Unavailable,
)
from shared.errors import TooLarge, UnsupportedFormat
from shared.http.lockout import CLIENT_ADDRESS

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ServiceApi:
    name: str
    http: httpx.AsyncClient  # its base_url is the service's address

    async def call(
        self,
        method: str,
        path: str,
        credential: str | None,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        sent = dict(headers or {})
        visitor = CLIENT_ADDRESS.get()
        if visitor is not None:  # a service that trusts this app counts failed checks per visitor
            sent["X-Forwarded-For"] = visitor
        if credential is not None:
            sent["Authorization"] = f"Bearer {credential}"
        query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        try:
            answer = await self.http.request(
                method, path, json=json, params=query, content=content, headers=sent
            )
        except httpx.HTTPError as error:
            log.warning("service did not answer", service=self.name, error=type(error).__name__)
            raise Unavailable(f"{self.name} did not answer") from error
        if answer.is_success:
            return answer.json() if answer.content else None
        raise refusal_of(self.name, answer)


def refusal_of(service: str, answer: httpx.Response) -> Refusal:
    """The service's refusal as ours; its message and code kept (they never hold the values sent)."""
    try:
        body = answer.json()
    except ValueError:
        body = {}
    detail = body.get("detail") if isinstance(body, dict) else None
    code = body.get("code") if isinstance(body, dict) else None
    status = answer.status_code
    if status == 422 and isinstance(detail, list):
        return Invalid(
            [Problem(tuple(d.get("loc", ())), str(d.get("msg", "")), str(d.get("type", ""))) for d in detail]
        )
    message = detail if isinstance(detail, str) else f"{service} answered {status}"
    if status == 422:  # a rule about the whole request (a pin that breaks a hard rule), no one field
        return Invalid([Problem((), message, str(code or "invalid"))])
    retry = answer.headers.get("Retry-After")
    retry_after = int(retry) if retry and retry.isdigit() else None
    if status == 401:
        return Unauthorized(message, code)
    if status == 403:
        return Forbidden(message, code)
    if status == 404:
        return NotFound(message, code)
    if status == 413:
        return TooLarge(message, code)
    if status == 415:
        return UnsupportedFormat(message, code)
    if status in (400, 409):
        return Conflict(message, code, retry_after_s=retry_after)
    log.warning("service refused unexpectedly", service=service, status=status, code=code)
    return Unavailable(message, code=code, retry_after_s=retry_after or 5)
