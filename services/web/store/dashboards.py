"""reporting's dashboard hand-off: a one-time sign-in code for the visitor's own credential."""

from __future__ import annotations

from services.web.store.api import ServiceApi


async def sign_in_code(api: ServiceApi, credential: str) -> str:
    """A code that signs one browser in to reporting's dashboard once, within a minute (no secret in
    the link the browser follows)."""
    answer = await api.call("POST", "/api/sign-in-codes", credential)
    return str(answer["code"])
