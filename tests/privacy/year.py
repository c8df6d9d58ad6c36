"""More of the programme year on the privacy tests' small real programme (tests/privacy/programme.py,
whose build already answers the mid-point evaluation): each pair records (or restates) its agreement
with terms, staff open the closing evaluation and both mentees answer it with what the relation gave,
what to improve and a quote they consent to publish. Every text is the pair's or the person's own,
tagged, so a search can tell whose it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tests.privacy.programme import STAFF, Programme

SCORES = {"expectations_met": 4, "learning": 5, "openness": 3, "programme": 4}


@dataclass(frozen=True)
class YearTexts:
    """One pair's agreement terms and its mentee's answer texts."""

    terms: str
    gave: str
    improve: str
    quote: str

    @property
    def strings(self) -> list[str]:
        return [self.terms, self.gave, self.improve, self.quote]


@dataclass(frozen=True)
class Year:
    evaluation_id: str
    erased: YearTexts  # of the erased mentee's pair
    kept: YearTexts

    @property
    def signed(self) -> str:
        """The quotes' attribution: the cohort has no year in its name nor a kick-off: the closing's."""
        return f"Mentee {(date.today() + timedelta(days=7)).year}"


def member(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _texts(who: str, tag: str) -> YearTexts:
    return YearTexts(
        terms=f"TERMS-{who}-{tag} we meet at the harbour",
        gave=f"GAVE-{who}-{tag} courage",
        improve=f"IMPROVE-{who}-{tag} more time",
        quote=f"QUOTE-{who}-{tag} a year that changed how I lead",
    )


async def answer_the_year(p: Programme, tag: str) -> Year:
    """Agreements in both pairs, the closing evaluation answered by both mentees with consented quotes."""
    sessions = p.clients["sessions"]
    erased, kept = _texts("erased", tag), _texts("kept", tag)
    opened = await sessions.post(
        f"/v1/cohorts/{p.cohort_id}/evaluations",
        headers=STAFF,
        json={
            "kind": "closing",
            "opens_on": str(date.today() - timedelta(days=1)),
            "closes_on": str(date.today() + timedelta(days=7)),
        },
    )
    assert opened.status_code == 201, opened.text
    evaluation_id = opened.json()["evaluation_id"]
    for pair_id, texts in ((p.erased_pair, erased), (p.kept_pair, kept)):
        mentee = member(p.member_tokens[pair_id])
        body: dict[str, Any] = {
            "frequency": "monthly",
            "terms": texts.terms,
            "confidentiality_confirmed": True,
        }
        recorded = await sessions.put(f"/v1/pairs/{pair_id}/agreement", headers=mentee, json=body)
        assert recorded.status_code == 200, recorded.text
        answer = {
            "scores": SCORES,
            "gave": texts.gave,
            "improve": texts.improve,
            "quote": texts.quote,
            "quote_consent": True,
        }
        answered = await sessions.post(
            f"/v1/pairs/{pair_id}/evaluations/{evaluation_id}/answer", headers=mentee, json=answer
        )
        assert answered.status_code == 201, answered.text
    return Year(evaluation_id, erased, kept)


async def staff_year(p: Programme) -> dict[str, Any]:
    answer = await p.clients["reporting"].get(f"/api/programme/cohorts/{p.cohort_id}/year", headers=STAFF)
    assert answer.status_code == 200, answer.text
    return answer.json()


def year_figures(year: dict[str, Any]) -> dict[str, Any]:
    """What must not change when a person is erased: agreement counts, response rates and averages."""
    agreements = {k: v for k, v in year["agreements"].items() if k != "by_pair"}
    return {"agreements": agreements, "evaluations": year["evaluations"]}


async def quotes_in_reporting(p: Programme, year: Year) -> list[dict[str, Any]]:
    """The quotes reporting lists of this closing evaluation's answers."""
    ours = {year.erased.quote, year.kept.quote}
    return [q for q in (await staff_year(p))["quotes"] if q["quote"] in ours]
