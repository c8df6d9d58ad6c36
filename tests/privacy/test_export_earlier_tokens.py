"""Tokens issued before sessions published MemberTokenIssued: a periodic job of sessions announces them
once, so their members can ask the other services for their own data export too."""

from __future__ import annotations

from services.sessions.service_layer.tokens import announce_earlier_tokens
from tests.end_to_end.system import running_system
from tests.privacy.rights_support import bearer, matched_pair
from tests.support.services import eventually


def runtime_of(client):
    return client._transport.app.state.runtime


async def test_a_token_issued_before_the_event_existed_is_announced_and_then_accepted(make_settings):
    async with running_system(make_settings) as system:
        programme = await matched_pair(system)
        path = f"/v1/participants/{programme.mentee_id}/export"

        async def intake_answers() -> int:
            return (await system.intake.get(path, headers=bearer(programme.mentee_token))).status_code

        await eventually(intake_answers, equals=200, timeout_s=30)
        sessions, intake = runtime_of(system.sessions), runtime_of(system.intake)
        assert [p.name for p in sessions.periodic] == ["announce-member-tokens"]
        # as before the event existed: sessions holds the token, intake never heard of it
        async with sessions.pool.acquire() as conn:
            await conn.execute("UPDATE member_tokens SET announced = false")
        async with intake.pool.acquire() as conn:
            await conn.execute("DELETE FROM member_tokens")
        assert await intake_answers() == 401

        async with sessions.pool.acquire() as conn:
            assert await announce_earlier_tokens(conn) == 2
            assert await announce_earlier_tokens(conn) == 0  # once only
        await eventually(intake_answers, equals=200, timeout_s=30)
