"""Erasing a person over a small real programme (registered -> matched -> sessions with notes -> erased):
afterwards their name, email, free text and session notes are in no database, no topic, no log line;
every figure still counts them (the pair is still a pair, shown as erased). A rebuild of every
projection and a replay of the whole log do not bring them back, even without the services' own record
of who was erased: their key is gone."""

from __future__ import annotations

import logging
import uuid

import asyncpg
import structlog

from shared.privacy import ERASED
from tests.privacy.programme import (
    EXPECTED,
    STAFF,
    Programme,
    all_published,
    build,
    names_seen,
    running,
    service_settings,
    staff_figures,
)
from tests.privacy.scan import every_record, found_in_database, found_in_records
from tests.support.services import eventually

CONSUMERS = ("matching", "sessions", "reporting")


async def test_an_erased_person_is_found_nowhere_and_still_counts(make_settings, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    settings = await service_settings(make_settings)
    with structlog.testing.capture_logs() as logs:
        async with running(settings) as p:
            await build(p)
            assert p.erased is not None
            mette, kept = p.erased, p.kept
            # staff end Mette's pair with free text naming her: sealed under both members' keys
            reason = f"REASON-{uuid.uuid4().hex[:8]}: {mette.name} changed jobs"
            p.erased_texts.append(reason)
            ended = await p.clients["matching"].post(
                f"/v1/pairs/{p.erased_pair}/end", headers=STAFF, json={"reason": reason}
            )
            assert ended.status_code == 200, ended.text
            await eventually(lambda: reporting_reason(p, p.erased_pair), equals=reason, timeout_s=30)
            for name in ("intake", "matching", "reporting"):  # Mette's personal link is recognised
                await eventually(lambda n=name: tokens_of(p, n, mette.participant_id), equals=1, timeout_s=30)
            erased = await p.clients["intake"].post(
                f"/v1/participants/{mette.participant_id}/erasure", headers=STAFF
            )
            assert erased.status_code == 200, erased.text
            assert erased.json() == {
                "participant_id": mette.participant_id,
                "status": "erased",
                "keys": "destroyed",
            }

            shown = {
                "matching": {ERASED, *(k.name for k in kept)},
                "sessions": {ERASED, *(k.name for k in kept)},
            }
            await eventually(lambda: names_seen(p), equals=shown, timeout_s=30)
            await eventually(lambda: reporting_name(p, mette.participant_id), equals=ERASED, timeout_s=30)
            await eventually(lambda: reporting_reason(p, p.erased_pair), equals=ERASED, timeout_s=30)
            for name in ("intake", "matching", "reporting"):  # and then no more, anywhere
                await eventually(lambda n=name: tokens_of(p, n, mette.participant_id), equals=0, timeout_s=30)
            own = await p.clients["intake"].get(
                f"/v1/participants/{mette.participant_id}/export",
                headers={"Authorization": f"Bearer {p.member_tokens[p.erased_pair]}"},
            )
            assert own.status_code == 401, own.text
            her_pair = await p.clients["sessions"].get(
                f"/v1/pairs/{p.erased_pair}/sessions",
                headers={"Authorization": f"Bearer {p.member_tokens[p.erased_pair]}"},
            )
            stranger = await p.clients["sessions"].get(
                f"/v1/pairs/{p.erased_pair}/sessions", headers={"Authorization": "Bearer mnp_not-a-link"}
            )
            assert (her_pair.status_code, stranger.status_code) == (404, 404), her_pair.text  # a stranger now
            again = await p.clients["sessions"].post(f"/v1/pairs/{p.erased_pair}/tokens", headers=STAFF)
            assert again.status_code == 201, again.text
            assert [t["role"] for t in again.json()["tokens"]] == ["mentor"]  # no new link for her
            p.mentor_tokens[p.erased_pair] = again.json()["tokens"][0]["token"]
            assert await staff_figures(p) == EXPECTED  # the pair and its session still count
            assert await notes_seen_by_member(p, p.erased_pair, "mentor") == [None]  # deleted, it stays
            assert await notes_seen_by_member(p, p.kept_pair) == [p.kept_notes]
            intake_view = await p.clients["intake"].get(
                f"/v1/companies/{await company_of(p, mette.participant_id)}/participants", headers=STAFF
            )
            assert {x["status"] for x in intake_view.json()["items"]} == {"erased", "active"}

            for name in ("intake", *CONSUMERS):
                await all_published(p.runtime(name))
            records = await every_record(settings["intake"])
            await everything_consumed(p, records)
            await nothing_of_mette_anywhere(p, records)

            # every projection rebuilt from the whole log: Mette stays erased, the counts stay
            for name in CONSUMERS:
                result = await p.runtime(name).rebuild()
                assert result.applied > 0 and result.dead_lettered == 0, (name, result)
            assert await names_seen(p) == shown
            assert await reporting_name(p, mette.participant_id) == ERASED
            assert await staff_figures(p) == EXPECTED

            # and again without the services' own record of who was erased: the vault's key is gone
            for name in CONSUMERS:
                await forget_who_was_erased(p.settings[name].database_url)
                result = await p.runtime(name).rebuild()
                assert result.applied > 0 and result.dead_lettered == 0, (name, result)
            assert await names_seen(p) == shown
            assert await reporting_name(p, mette.participant_id) == ERASED
            assert await staff_figures(p) == EXPECTED
            assert [
                await tokens_of(p, n, mette.participant_id) for n in ("intake", "matching", "reporting")
            ] == [0] * 3
            await nothing_of_mette_anywhere(p, await every_record(settings["intake"]))

    # no log line: structlog events, standard logging records, or anything written to stdout/stderr
    personal = [*mette.strings, p.erased_notes, p.kept_notes, *p.erased_texts, *p.kept_texts, p.end_reason]
    personal += [s for k in kept for s in k.strings]
    assert logs, "the services logged nothing: the capture is not working"
    structlog_lines = [repr(entry) for entry in logs]
    assert [line for line in structlog_lines if any(s in line for s in personal)] == []
    # each record formatted once: a busy run logs many, and formatting aiokafka's is slow
    records = [f"{r.getMessage()} {r.args!r}" for r in caplog.records]
    assert [line for line in records if any(s in line for s in personal)] == []
    out, err = capfd.readouterr()
    assert [s for s in personal if s in out or s in err] == []


async def nothing_of_mette_anywhere(p: Programme, records: list) -> None:
    assert p.erased is not None
    mette, jens = p.erased, p.kept[0]
    theirs = [*mette.strings, p.erased_notes, *p.erased_texts]
    # agreement terms; what the evaluation gave, what to improve, a quote; why staff ended the pair
    assert len(p.erased_texts) == 5
    for name, settings in p.settings.items():
        assert await found_in_database(settings.database_url, theirs) == {}, name
    assert await found_in_database(p.settings["intake"].vault_database_url, theirs) == {}
    assert found_in_records(records, theirs) == {}
    # the searches find what is kept, so they could fail: Jens's name is in the projections, the kept
    # pair's notes in sessions' store; in the log every name is sealed
    assert await found_in_database(p.settings["reporting"].database_url, [jens.name]) == {
        jens.name: ["participants.display_name"]
    }
    assert await found_in_database(p.settings["sessions"].database_url, [p.kept_notes]) == {
        p.kept_notes: ["session_notes.notes"]
    }
    assert sorted(await found_in_database(p.settings["sessions"].database_url, p.kept_texts)) == sorted(
        p.kept_texts
    )
    assert found_in_records(records, [jens.name, jens.email, p.end_reason]) == {}
    for name in ("matching", "reporting"):  # the kept pair's end reason is kept, plain, where it is read
        assert await found_in_database(p.settings[name].database_url, [p.end_reason]) == {
            p.end_reason: ["pairs.end_reason"]
        }, name
    async with asyncpg.create_pool(p.settings["intake"].vault_database_url, min_size=1, max_size=1) as vault:
        key = await vault.fetchrow(
            "SELECT key, destroyed_at FROM vault_keys WHERE subject = $1", uuid.UUID(mette.participant_id)
        )
        assert key is not None and key["key"] is None and key["destroyed_at"] is not None


async def reporting_name(p: Programme, participant_id: str) -> str | None:
    async with p.runtime("reporting").pool.acquire() as conn:
        return await conn.fetchval(
            "SELECT display_name FROM participants WHERE participant_id = $1", uuid.UUID(participant_id)
        )


async def reporting_reason(p: Programme, pair_id: str) -> str | None:
    async with p.runtime("reporting").pool.acquire() as conn:
        return await conn.fetchval("SELECT end_reason FROM pairs WHERE pair_id = $1", uuid.UUID(pair_id))


async def tokens_of(p: Programme, name: str, participant_id: str) -> int:
    """How many of the person's personal links (token hashes) a service keeps."""
    async with p.runtime(name).pool.acquire() as conn:
        found: int = await conn.fetchval(
            "SELECT count(*) FROM member_tokens WHERE participant_id = $1", uuid.UUID(participant_id)
        )
        return found


async def company_of(p: Programme, participant_id: str) -> str:
    async with p.runtime("intake").pool.acquire() as conn:
        return str(
            await conn.fetchval(
                "SELECT company_id FROM participants WHERE participant_id = $1", uuid.UUID(participant_id)
            )
        )


async def notes_seen_by_member(p: Programme, pair_id: str, role: str = "mentee") -> list[str | None]:
    token = (p.member_tokens if role == "mentee" else p.mentor_tokens)[pair_id]
    answer = await p.clients["sessions"].get(
        f"/v1/pairs/{pair_id}/sessions", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    return [session["notes"] for session in answer.json()]


async def forget_who_was_erased(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM erased_subjects") == 1
        await conn.execute("DELETE FROM erased_subjects")
    finally:
        await conn.close()


async def everything_consumed(p: Programme, records: list) -> None:
    """Each consumer has handled every record of the topics it reads."""
    per_topic: dict[str, int] = {}
    for record in records:
        per_topic[record.topic] = per_topic.get(record.topic, 0) + 1
    for name in CONSUMERS:
        runtime = p.runtime(name)
        assert runtime.consumption is not None
        for topic in runtime.consumption.topics:
            full = runtime.settings.topic(topic.base_name)

            def handled(runtime=runtime, full=full) -> int:
                registry = runtime.metrics.registry
                samples = ("consumed", "duplicate", "skipped", "dead_lettered")
                return int(
                    sum(
                        registry.get_sample_value(f"mentornet_events_{s}_total", {"topic": full}) or 0
                        for s in samples
                    )
                )

            await eventually(handled, equals=per_topic.get(full, 0), timeout_s=30)
