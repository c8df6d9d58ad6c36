"""A session for a pair whose PairMatched has not reached sessions yet: a retryable 409, never dropped."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.sessions.support import (
    STAFF,
    ZONE,
    days_ago,
    pair_ended,
    pair_matched,
    publish,
    session_body,
)
from tests.support.services import eventually


async def _count(running, sql: str, *args) -> int:
    async with running.app.state.runtime.pool.acquire() as conn:
        return int(await conn.fetchval(sql, *args))


async def test_staff_logging_before_pair_matched_arrives_get_409_with_retry_after_then_succeed(running):
    client = running.client
    matched = pair_matched()
    path = f"/v1/pairs/{matched.pair_id}/sessions"

    early = await client.post(path, headers=STAFF, json=session_body())
    assert early.status_code == 409
    assert early.headers["Retry-After"] == str(running.settings.unknown_pair_retry_after_s)
    assert early.json()["code"] == "pair_not_known_yet" and early.json()["retryable"] is True
    tokens_early = await client.post(f"/v1/pairs/{matched.pair_id}/tokens", headers=STAFF)
    assert tokens_early.status_code == 409 and "Retry-After" in tokens_early.headers
    assert await _count(running, "SELECT count(*) FROM sessions WHERE pair_id = $1", matched.pair_id) == 0

    await publish(running.settings, [matched])

    async def retry() -> int:  # what a client does with the 409: wait, send the same again
        answer = await client.post(path, headers=STAFF, json=session_body())
        if answer.status_code == 409:
            assert answer.json()["code"] == "pair_not_known_yet"
        return answer.status_code

    await eventually(retry, equals=201, timeout_s=30, interval_s=0.2)
    assert (await client.post(path, headers=STAFF, json=session_body())).status_code == 201  # replay
    assert await _count(running, "SELECT count(*) FROM sessions WHERE pair_id = $1", matched.pair_id) == 1
    sightings = "SELECT count(*) FROM unknown_pair_sightings WHERE pair_id = $1"
    assert await _count(running, sightings, matched.pair_id) == 0


async def test_a_pair_id_still_unknown_after_the_grace_period_is_404(running):
    client = running.client
    matched = pair_matched()
    path = f"/v1/pairs/{matched.pair_id}/sessions"
    assert (await client.post(path, headers=STAFF, json=session_body())).status_code == 409
    policy = running.app.state.policy
    running.app.state.policy = replace(policy, unknown_pair_grace=timedelta(0))
    try:
        late = await client.post(path, headers=STAFF, json=session_body())
    finally:
        running.app.state.policy = policy
    assert late.status_code == 404
    # Reading a pair sessions does not know is a plain 404 at once.
    assert (await client.get(path, headers=STAFF)).status_code == 404


async def test_a_pair_ended_event_before_its_pair_matched_is_kept_and_completed(running):
    client = running.client
    matched = pair_matched()
    await publish(running.settings, [pair_ended(matched, ended_on=days_ago(5))])

    async def ended_only() -> int:
        sql = "SELECT count(*) FROM pairs WHERE pair_id = $1 AND matched_on IS NULL"
        return await _count(running, sql, matched.pair_id)

    await eventually(ended_only, equals=1)
    # Known as ended but not yet as matched: still the retryable answer, not a silent refusal.
    early = await client.post(
        f"/v1/pairs/{matched.pair_id}/sessions", headers=STAFF, json=session_body(days_ago(8))
    )
    assert early.status_code == 409 and early.headers["Retry-After"]

    await publish(running.settings, [matched, matched])  # delivered twice, too

    async def pair() -> dict:
        return (await client.get(f"/v1/pairs/{matched.pair_id}", headers=STAFF)).json()

    matched_on = (matched.occurred_at.astimezone(ZONE).date()).isoformat()
    await eventually(lambda: _field(pair, "matched_on"), equals=matched_on)
    assert (await pair())["ended_on"] == days_ago(5).isoformat()
    logged = await client.post(
        f"/v1/pairs/{matched.pair_id}/sessions", headers=STAFF, json=session_body(days_ago(8))
    )
    assert logged.status_code == 201
    after_end = await client.post(
        f"/v1/pairs/{matched.pair_id}/sessions", headers=STAFF, json=session_body(days_ago(2))
    )
    assert after_end.status_code == 422


async def _field(pair, name: str) -> object:
    return (await pair())[name]
