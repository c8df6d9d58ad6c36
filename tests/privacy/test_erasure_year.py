"""Erasing a person erases their part of the programme year: their evaluation answers' free text and
quote, and their pair's agreement terms (shared pair text may name them), are afterwards in no database,
no topic read raw, no log line; their quote leaves reporting; the scores and counts stay, so reporting's
agreement counts, response rates and averages are the same; a rebuild does not bring anything back."""

from __future__ import annotations

import logging
import uuid

import structlog

from tests.privacy.programme import STAFF, all_published, build, running, service_settings
from tests.privacy.scan import every_record, found_in_database, found_in_records
from tests.privacy.year import answer_the_year, quotes_in_reporting, staff_year, year_figures
from tests.support.services import eventually

CONSUMERS = ("matching", "sessions", "reporting")


async def test_an_erased_persons_year_text_is_found_nowhere_and_the_figures_stay(
    make_settings, capfd, caplog
):
    caplog.set_level(logging.DEBUG)
    settings = await service_settings(make_settings)
    with structlog.testing.capture_logs() as logs:
        async with running(settings) as p:
            await build(p)
            assert p.erased is not None
            year = await answer_the_year(p, uuid.uuid4().hex[:8])

            async def answers_counted() -> int:
                evaluations = (await staff_year(p))["evaluations"]
                ours = [e for e in evaluations if e["evaluation_id"] == year.evaluation_id]
                return sum(int(e["roles"]["mentee"]["answered"]) for e in ours)

            await eventually(answers_counted, equals=2, timeout_s=30)
            await eventually(
                lambda: _quotes(p, year), equals=sorted([year.erased.quote, year.kept.quote]), timeout_s=30
            )
            both_agreements = {"pairs": 2, "with_agreement": 2, "confirmed_by_both": 0}
            await eventually(lambda: _agreements(p), equals=both_agreements, timeout_s=30)
            before = year_figures(await staff_year(p))
            assert [e["roles"]["mentee"]["response_rate"] for e in before["evaluations"]] == [1.0, 1.0]

            erased = await p.clients["intake"].post(
                f"/v1/participants/{p.erased.participant_id}/erasure", headers=STAFF
            )
            assert erased.status_code == 200 and erased.json()["keys"] == "destroyed", erased.text

            await eventually(lambda: _quotes(p, year), equals=[year.kept.quote], timeout_s=30)
            await eventually(lambda: _terms(p, p.erased_pair), equals="", timeout_s=30)
            assert await _terms(p, p.kept_pair) == year.kept.terms
            assert year_figures(await staff_year(p)) == before  # scores and counts stay
            await _nothing_of_the_erased_year(p, year)

            for name in CONSUMERS:
                result = await p.runtime(name).rebuild()
                assert result.dead_lettered == 0, (name, result)
            assert await _quotes(p, year) == [year.kept.quote]
            assert year_figures(await staff_year(p)) == before
            await _nothing_of_the_erased_year(p, year)

            # reporting rebuilt without its own record of who was erased: the quote's key is gone, so the
            # sealed quote in the log opens as erased and is not kept; the kept one opens again
            async with p.runtime("reporting").pool.acquire() as conn:
                await conn.execute("DELETE FROM erased_subjects")
            result = await p.runtime("reporting").rebuild()
            assert result.dead_lettered == 0, result
            assert await _quotes(p, year) == [year.kept.quote]
            assert year_figures(await staff_year(p)) == before

    theirs = year.erased.strings
    assert logs, "the services logged nothing: the capture is not working"
    assert [entry for entry in logs if any(s in repr(entry) for s in theirs)] == []
    assert [
        r.getMessage()
        for r in caplog.records
        if any(s in r.getMessage() or s in repr(r.args) for s in theirs)
    ] == []
    out, err = capfd.readouterr()
    assert [s for s in theirs if s in out or s in err] == []


async def _agreements(p) -> dict:
    return year_figures(await staff_year(p))["agreements"]


async def _quotes(p, year) -> list[str]:
    return sorted(q["quote"] for q in await quotes_in_reporting(p, year))


async def _terms(p, pair_id: str) -> str | None:
    """The agreement's terms in sessions' store (blanked on erasure: the agreement stays and counts)."""
    async with p.runtime("sessions").pool.acquire() as conn:
        return await conn.fetchval("SELECT terms FROM agreements WHERE pair_id = $1", uuid.UUID(pair_id))


async def _nothing_of_the_erased_year(p, year) -> None:
    for name in ("intake", *CONSUMERS):
        await all_published(p.runtime(name))
    records = await every_record(p.settings["intake"])
    theirs = year.erased.strings
    for name, settings in p.settings.items():
        assert await found_in_database(settings.database_url, theirs) == {}, name
    assert await found_in_database(p.settings["intake"].vault_database_url, theirs) == {}
    assert found_in_records(records, theirs) == {}
    # the searches can fail: the kept mentee's texts are where they belong, and sealed in the log
    kept = year.kept
    assert await found_in_database(p.settings["sessions"].database_url, kept.strings) == {
        kept.terms: ["agreements.terms"],
        kept.gave: ["evaluation_texts.gave"],
        kept.improve: ["evaluation_texts.improve"],
        kept.quote: ["evaluation_texts.quote"],
    }
    assert await found_in_database(p.settings["reporting"].database_url, [kept.quote]) == {
        kept.quote: ["evaluation_quotes.quote"]
    }
    assert found_in_records(records, kept.strings) == {}
