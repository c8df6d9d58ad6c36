"""Every service's 422 names each bad field and why, and never repeats the value that was sent."""

from __future__ import annotations

import httpx
from pydantic import BaseModel, Field

from shared.http.app import service_app
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings


class Note(BaseModel):
    minutes: int = Field(ge=10)
    text: str = Field(max_length=5)


async def test_a_422_names_the_fields_without_echoing_them():
    app = service_app(
        ServiceRuntime(ServiceSettings(), "tests.foundation.migrations"), title="t", description="t"
    )

    @app.post("/notes")
    async def add(note: Note) -> dict[str, str]:
        return {"ok": "yes"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        answer = await client.post("/notes", json={"minutes": 3, "text": "private-marker-7f3a"})
    assert answer.status_code == 422
    assert [(p["loc"], p["type"]) for p in answer.json()["detail"]] == [
        (["body", "minutes"], "greater_than_equal"),
        (["body", "text"], "string_too_long"),
    ]
    assert "private-marker-7f3a" not in answer.text and "input" not in answer.json()["detail"][0]
