"""Sessions' events leave through the outbox and reach a consumer's projection over the real broker."""

from __future__ import annotations

from services.sessions.app import create_app
from services.sessions.settings import SessionsSettings
from shared.settings import ServiceSettings
from tests.sessions.standin.consumer import figures, standin
from tests.sessions.support import ADMIN_TOKEN, STAFF, bearer, matched_pair, session_body
from tests.support.services import eventually, run_service


async def test_a_correction_and_a_retraction_reach_a_consumers_projection(make_settings):
    settings = await make_settings(SessionsSettings, admin_token=ADMIN_TOKEN)
    downstream = await make_settings(ServiceSettings, service_name="standin")
    async with run_service(create_app(settings)) as client, standin(downstream).running() as consumer:
        pair, tokens = await matched_pair(settings, client)
        path = f"/v1/pairs/{pair.pair_id}/sessions"
        kept = (
            await client.post(path, headers=bearer(tokens["mentor"]), json=session_body(notes="n"))
        ).json()
        dropped = (await client.post(path, headers=STAFF, json=session_body(start_time="18:00"))).json()

        async def shape() -> list[tuple]:
            return [
                (f["duration_minutes"], f["format"], f["version"], f["retracted"])
                for f in await figures(consumer)
            ]

        await eventually(
            shape, equals=[(90, "in_person", 1, False), (90, "in_person", 1, False)], timeout_s=30
        )

        fix = session_body(duration_minutes=45, format="phone", tools=["supervision"])
        assert (
            await client.put(f"{path}/{kept['session_id']}", headers=bearer(tokens["mentee"]), json=fix)
        ).status_code == 200
        retracted = await client.post(
            f"{path}/{dropped['session_id']}/retraction", headers=STAFF, json={"reason": "duplicate"}
        )
        assert retracted.status_code == 200

        async def by_id() -> dict:
            return {
                str(f["session_id"]): (
                    f["duration_minutes"],
                    f["format"],
                    f["tools"],
                    f["version"],
                    f["retracted"],
                )
                for f in await figures(consumer)
            }

        await eventually(
            by_id,
            equals={
                kept["session_id"]: (45, "phone", ["supervision"], 2, False),
                dropped["session_id"]: (90, "in_person", ["coaching", "advice"], 2, True),
            },
            timeout_s=30,
        )
