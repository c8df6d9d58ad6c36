"""Helpers for the sessions tests: matching's events fed through the real broker, the API's callers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from shared.events import PairEnded, PairMatched
from shared.settings import ServiceSettings
from tests.support.events import publish  # noqa: F401 - the shared helper, re-exported
from tests.support.services import eventually

ZONE = ZoneInfo("Europe/Copenhagen")
ADMIN_TOKEN = "staff-secret-for-tests"
STAFF = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def today() -> date:
    return datetime.now(ZONE).date()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


def pair_matched(days_ago: int = 60, **fields: Any) -> PairMatched:
    """A pair matched `days_ago` days ago, as matching would announce it."""
    values: dict[str, Any] = {
        "pair_id": uuid.uuid4(),
        "cohort_id": uuid.uuid4(),
        "mentee_id": uuid.uuid4(),
        "mentor_id": uuid.uuid4(),
        "mentee_company_id": uuid.uuid4(),
        "mentor_company_id": uuid.uuid4(),
        "score": 0.87,
        "producer": "matching",
        "occurred_at": datetime.now(UTC) - timedelta(days=days_ago),
        **fields,
    }
    return PairMatched(**values)


def pair_ended(matched: PairMatched, ended_on: date, reason: str = "moved abroad") -> PairEnded:
    return PairEnded(
        pair_id=matched.pair_id,
        cohort_id=matched.cohort_id,
        mentee_id=matched.mentee_id,
        mentor_id=matched.mentor_id,
        ended_on=ended_on,
        reason=reason,
        producer="matching",
        **matched.follow_up(),
    )


async def known_pair(client: httpx.AsyncClient, pair_id: uuid.UUID) -> None:
    """Wait until sessions has projected the pair."""

    async def status() -> int:
        return (await client.get(f"/v1/pairs/{pair_id}", headers=STAFF)).status_code

    await eventually(status, equals=200, timeout_s=30)


async def matched_pair(
    settings: ServiceSettings, client: httpx.AsyncClient, days_ago: int = 60
) -> tuple[PairMatched, dict[str, str]]:
    """A pair known to sessions, and its members' tokens as staff hand them on."""
    matched = pair_matched(days_ago)
    await publish(settings, [matched])
    await known_pair(client, matched.pair_id)
    answer = await client.post(f"/v1/pairs/{matched.pair_id}/tokens", headers=STAFF)
    assert answer.status_code == 201, answer.text
    return matched, {t["role"]: t["token"] for t in answer.json()["tokens"]}


def session_body(
    held_on: date | str | None = None, start_time: str = "10:00", **fields: Any
) -> dict[str, Any]:
    day = held_on or days_ago(3)
    return {
        "held_on": day if isinstance(day, str) else day.isoformat(),
        "start_time": start_time,
        "duration_minutes": 90,
        "format": "in_person",
        "tools": ["coaching", "advice"],
        "rating": 4,
        **fields,
    }
