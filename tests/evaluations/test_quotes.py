"""Consented evaluation quotes travel to reporting sealed under their author's personal key
(EvaluationQuoteConsented): reporting shows them signed "Mentee 2027" only, on the staff year view and
the staff dashboard; no topic holds a quote as readable text; the author
withdraws their consent from their page and reporting drops the quote (EvaluationQuoteWithdrawn)."""

from __future__ import annotations

import uuid

from shared.events import EvaluationQuoteConsented, EvaluationQuoteWithdrawn, decode
from shared.privacy import is_sealed
from tests.privacy.programme import STAFF, all_published, build, running, service_settings
from tests.privacy.scan import every_record, found_in_records
from tests.privacy.year import answer_the_year, member, quotes_in_reporting
from tests.support.services import eventually


async def sessions_outbox(p, event_type: str) -> list:
    async with p.runtime("sessions").pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY position", event_type
        )
    return [decode(bytes(r["payload"])) for r in rows]


async def test_a_consented_quote_reaches_reporting_sealed_and_leaves_when_withdrawn(make_settings):
    settings = await service_settings(make_settings)
    async with running(settings) as p:
        await build(p)
        tag = uuid.uuid4().hex[:8]
        year = await answer_the_year(p, tag)
        both = sorted([year.erased.quote, year.kept.quote])

        async def quotes() -> list[str]:
            return sorted(q["quote"] for q in await quotes_in_reporting(p, year))

        await eventually(quotes, equals=both, timeout_s=30)
        listed = await quotes_in_reporting(p, year)
        assert {q["signed"] for q in listed} == {year.signed}  # role and year, nothing else
        assert all(set(q) == {"quote", "signed", "kind"} for q in listed)

        # in the log the quote is sealed under its author's key: never readable text
        consented, *_ = await sessions_outbox(p, "EvaluationQuoteConsented")
        assert isinstance(consented, EvaluationQuoteConsented) and is_sealed(consented.quote)
        assert consented.quote.startswith(f"enc:v1:{consented.participant_id}:")
        await all_published(p.runtime("sessions"))
        records = await every_record(settings["sessions"])
        assert any(r.topic.endswith("mentornet.sessions") for r in records)
        assert found_in_records(records, both) == {}

        # the staff dashboard shows them; a partner company's view of the year has none
        page = await p.clients["reporting"].get(f"/dashboard/cohorts/{p.cohort_id}", headers=STAFF)
        assert page.status_code == 200
        assert year.kept.quote in page.text and f"— {year.signed}" in page.text

        # the author withdraws the consent from their own page: reporting drops the quote
        mentee = member(p.member_tokens[p.kept_pair])
        path = f"/v1/pairs/{p.kept_pair}/evaluations/{year.evaluation_id}/quote-consent"
        staff = await p.clients["sessions"].delete(path, headers=STAFF)
        assert staff.status_code == 403
        withdrawn = await p.clients["sessions"].delete(path, headers=mentee)
        assert withdrawn.status_code == 200 and withdrawn.json() == {"withdrawn": True}
        again = await p.clients["sessions"].delete(path, headers=mentee)
        assert again.json() == {"withdrawn": False}
        [event] = await sessions_outbox(p, "EvaluationQuoteWithdrawn")
        assert isinstance(event, EvaluationQuoteWithdrawn) and str(event.participant_id) != ""
        await eventually(quotes, equals=[year.erased.quote], timeout_s=30)
        sessions_list = await p.clients["sessions"].get(f"/v1/cohorts/{p.cohort_id}/quotes", headers=STAFF)
        listed_by_sessions = [q["quote"] for q in sessions_list.json()]
        assert year.erased.quote in listed_by_sessions and year.kept.quote not in listed_by_sessions
        page = await p.clients["reporting"].get(f"/dashboard/cohorts/{p.cohort_id}", headers=STAFF)
        assert year.kept.quote not in page.text and year.erased.quote in page.text

        # a rebuild replays consent and withdrawal: the withdrawn quote stays out
        result = await p.runtime("reporting").rebuild()
        assert result.dead_lettered == 0
        assert await quotes() == [year.erased.quote]
