"""The scripted programme the reporting tests replay: three partner companies, a 2027 cohort with
seven pairs (one ended early), sessions held, corrected and retracted, and a small 2026 cohort.

Every id is derived from a readable name, every timestamp is fixed, so expected figures are exact.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from shared.events import (
    CohortOpened,
    CohortUpdated,
    CompanyApiKeyIssued,
    CompanyApiKeyRevoked,
    CompanyRegistered,
    Event,
    PairEnded,
    PairMatched,
    ParticipantProfile,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
    SessionCorrected,
    SessionHeld,
    SessionRetracted,
)
from shared.http.auth import hash_key

TODAY = date(2027, 4, 15)
NAMESPACE = uuid.UUID("6d656e74-6f72-6e65-7400-7265706f7274")


def uid(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


COMPANIES = {
    "A": ("Nordlys Energi", "Hanne Holm", "hanne.holm@nordlys.example"),
    "B": ("Fjordbank", "Bo Berg", "bo.berg@fjordbank.example"),
    "C": ("Kystlogistik", "Cecilie Carlsen", "cecilie@kystlogistik.example"),
}
KEYS = {"A": "mn_nordlys-live-key-0001", "B": "mn_fjordbank-live-key-0002", "C": "mn_kyst-live-key-0003"}
REVOKED_KEY = "mn_nordlys-old-key-0000"

# participant code -> (company, role, display name); cohort 2027
PEOPLE = {
    "A-M1": ("A", "mentor", "Anders Ask"),
    "A-E1": ("A", "mentee", "Birgit Bro"),
    "A-E2": ("A", "mentee", "Carl Dahl"),
    "A-E3": ("A", "mentee", "Dorte Eg"),
    "A-E4": ("A", "mentee", "Erik Fjord"),
    "B-M1": ("B", "mentor", "Frida Gran"),
    "B-M2": ("B", "mentor", "Gustav Hav"),
    "B-M3": ("B", "mentor", "Helle Is"),
    "B-E1": ("B", "mentee", "Ib Jensen"),
    "B-E2": ("B", "mentee", "Jonna Kjaer"),
    "C-M1": ("C", "mentor", "Karl Lund"),
    "C-M2": ("C", "mentor", "Lise Mose"),
    "C-E1": ("C", "mentee", "Mads Nor"),
    "C-E2": ("C", "mentee", "Nina Ore"),
}
RENAMED = ("A-E2", "Carl Dahl-Holm")
WITHDRAWN = "C-E2"
# cohort 2026: one pair
PEOPLE_2026 = {"A-E0": ("A", "mentee", "Ole Prik"), "B-M0": ("B", "mentor", "Pia Ravn")}

INTAKE_CLOSES = date(2027, 2, 20)
MATCHED_ON = date(2027, 2, 1)
PAIRS = {  # pair -> (mentee, mentor, matched on)
    "P1": ("A-E1", "B-M1", MATCHED_ON),
    "P2": ("A-E2", "B-M2", MATCHED_ON),
    "P3": ("A-E3", "C-M1", MATCHED_ON),
    "P4": ("A-E4", "C-M1", MATCHED_ON),
    "P5": ("B-E1", "A-M1", MATCHED_ON),
    "P6": ("B-E2", "C-M2", MATCHED_ON),
    "P7": ("C-E1", "B-M2", date(2027, 3, 25)),  # a late addition: exactly 21 days before TODAY
}
ENDED = ("P6", date(2027, 3, 10), "mentee changed role")

# session -> (pair, held on, minutes, format, tools, rating)
SESSIONS = {
    "P1-1": ("P1", date(2027, 2, 10), 90, "in_person", ("coaching", "advice"), 5),
    "P1-2": ("P1", date(2027, 3, 12), 120, "online", ("coaching",), 4),
    "P1-3": ("P1", date(2027, 4, 9), 120, "in_person", ("sharing_experience",), 5),
    "P2-1": ("P2", date(2027, 2, 15), 60, "online", ("advice",), 2),
    "P4-1": ("P4", date(2027, 2, 20), 120, "in_person", ("coaching", "supervision"), 4),
    "P4-2": ("P4", date(2027, 3, 20), 120, "in_person", ("coaching",), 3),
    "P5-1": ("P5", date(2027, 2, 8), 90, "online", ("instruction",), 1),
    "P5-2": ("P5", date(2027, 3, 8), 90, "online", ("coaching",), 4),
    "P5-3": ("P5", date(2027, 4, 5), 90, "phone", ("advice",), 5),
    "P6-1": ("P6", date(2027, 2, 12), 60, "in_person", ("advice",), 3),
}
CORRECTED = ("P5-2", 105, ("coaching", "sharing_experience"))
RETRACTED = "P5-3"


def profile(role: str) -> ParticipantProfile:
    return ParticipantProfile(
        leadership_level=4 if role == "mentor" else 2,
        years_experience=15 if role == "mentor" else 4,
        industry="energy",
        function="operations",
        languages=("da", "en"),
        region="Midtjylland",
        meeting_preference="either",
        themes=("strategy",),
        capacity=2 if role == "mentor" else None,
    )


@dataclass
class Programme:
    cohort_id: uuid.UUID = uid("cohort 2027")
    cohort_2026_id: uuid.UUID = uid("cohort 2026")
    events: list[Event] = field(default_factory=list)

    def company(self, code: str) -> uuid.UUID:
        return uid(f"company {code}")

    def person(self, code: str) -> uuid.UUID:
        return uid(f"person {code}")

    def pair(self, code: str) -> uuid.UUID:
        return uid(f"pair {code}")

    def session(self, code: str) -> uuid.UUID:
        return uid(f"session {code}")

    def name(self, code: str) -> str:
        return RENAMED[1] if code == RENAMED[0] else {**PEOPLE, **PEOPLE_2026}[code][2]


def scripted_programme() -> Programme:
    """Three companies register, people register, staff approve matching, pairs meet, one pair ends."""
    p = Programme()
    add = p.events.append
    producer = {"producer": "test"}
    for code, (name, hr_name, hr_email) in COMPANIES.items():
        add(
            CompanyRegistered(
                company_id=p.company(code),
                name=name,
                hr_contact_name=hr_name,
                hr_contact_email=hr_email,
                occurred_at=at(date(2026, 11, 1)),
                **producer,
            )
        )
    old_key = uid("key A old")
    add(
        CompanyApiKeyIssued(
            company_id=p.company("A"),
            key_id=old_key,
            key_hash=hash_key(REVOKED_KEY),
            occurred_at=at(date(2026, 11, 2)),
            **producer,
        )
    )
    add(
        CompanyApiKeyRevoked(
            company_id=p.company("A"), key_id=old_key, occurred_at=at(date(2026, 12, 1)), **producer
        )
    )
    for code, key in KEYS.items():
        add(
            CompanyApiKeyIssued(
                company_id=p.company(code),
                key_id=uid(f"key {code}"),
                key_hash=hash_key(key),
                occurred_at=at(date(2026, 12, 1), 10),
                **producer,
            )
        )
    add(
        CohortOpened(
            cohort_id=p.cohort_2026_id,
            name="2026",
            intake_opens_on=date(2026, 1, 5),
            intake_closes_on=date(2026, 2, 13),
            occurred_at=at(date(2025, 12, 1)),
            **producer,
        )
    )
    add(
        CohortOpened(
            cohort_id=p.cohort_id,
            name="2027",
            intake_opens_on=date(2027, 1, 4),
            intake_closes_on=date(2027, 2, 15),
            occurred_at=at(date(2026, 12, 1)),
            **producer,
        )
    )

    for cohort_id, people, day in (
        (p.cohort_id, PEOPLE, date(2027, 1, 10)),
        (p.cohort_2026_id, PEOPLE_2026, date(2026, 1, 10)),
    ):
        for code, (company, role, name) in people.items():
            add(
                ParticipantRegistered(
                    participant_id=p.person(code),
                    company_id=p.company(company),
                    cohort_id=cohort_id,
                    role=role,
                    display_name=name,
                    profile=profile(role),
                    occurred_at=at(day),
                    **producer,
                )
            )
    add(
        CohortUpdated(  # intake extended by five days
            cohort_id=p.cohort_id,
            name="2027",
            intake_opens_on=date(2027, 1, 4),
            intake_closes_on=INTAKE_CLOSES,
            occurred_at=at(date(2027, 2, 10)),
            **producer,
        )
    )
    code, new_name = RENAMED
    add(
        ParticipantProfileUpdated(
            participant_id=p.person(code),
            company_id=p.company("A"),
            cohort_id=p.cohort_id,
            role="mentee",
            display_name=new_name,
            profile=profile("mentee"),
            occurred_at=at(date(2027, 1, 15)),
            **producer,
        )
    )
    add(
        ParticipantWithdrawn(
            participant_id=p.person(WITHDRAWN),
            company_id=p.company("C"),
            cohort_id=p.cohort_id,
            role="mentee",
            reason="moved abroad",
            occurred_at=at(date(2027, 1, 20)),
            **producer,
        )
    )

    def matched(pair: str, cohort_id: uuid.UUID, mentee: str, mentor: str, day: date) -> PairMatched:
        return PairMatched(
            pair_id=p.pair(pair),
            cohort_id=cohort_id,
            mentee_id=p.person(mentee),
            mentor_id=p.person(mentor),
            mentee_company_id=p.company(mentee[0]),
            mentor_company_id=p.company(mentor[0]),
            score=0.8,
            explanation={"themes": 0.8},
            occurred_at=at(day),
            **producer,
        )

    for pair, (mentee, mentor, day) in PAIRS.items():
        add(matched(pair, p.cohort_id, mentee, mentor, day))
    add(matched("P0", p.cohort_2026_id, "A-E0", "B-M0", date(2026, 2, 1)))

    def held(
        code: str,
        cohort_id: uuid.UUID,
        pair: str,
        day: date,
        minutes: int,
        fmt: str,
        tools: tuple[str, ...],
        rating: int,
        cls: type[SessionHeld] | type[SessionCorrected] = SessionHeld,
        when: date | None = None,
    ) -> Event:
        return cls(
            session_id=p.session(code),
            pair_id=p.pair(pair),
            cohort_id=cohort_id,
            held_on=day,
            started_at=at(day, 16),
            duration_minutes=minutes,
            format=fmt,
            tools=tools,
            rating=rating,
            logged_by="mentee",
            version=1 if cls is SessionHeld else 2,
            occurred_at=at(when or day, 18),
            **producer,
        )

    for code, (pair, day, minutes, fmt, tools, rating) in SESSIONS.items():
        add(held(code, p.cohort_id, pair, day, minutes, fmt, tools, rating))
    code, minutes, tools = CORRECTED
    pair, day, _, fmt, _, rating = SESSIONS[code]
    add(
        held(
            code,
            p.cohort_id,
            pair,
            day,
            minutes,
            fmt,
            tools,
            rating,
            SessionCorrected,
            day.replace(day=day.day + 1),
        )
    )
    add(
        SessionRetracted(
            session_id=p.session(RETRACTED),
            pair_id=p.pair(SESSIONS[RETRACTED][0]),
            cohort_id=p.cohort_id,
            reason="duplicate",
            version=2,
            occurred_at=at(date(2027, 4, 6)),
            **producer,
        )
    )
    add(held("P0-1", p.cohort_2026_id, "P0", date(2026, 3, 1), 60, "online", ("coaching",), 4))

    pair, ended_on, reason = ENDED
    mentee, mentor, _ = PAIRS[pair]
    add(
        PairEnded(
            pair_id=p.pair(pair),
            cohort_id=p.cohort_id,
            mentee_id=p.person(mentee),
            mentor_id=p.person(mentor),
            ended_on=ended_on,
            reason=reason,
            do_not_rematch=False,
            occurred_at=at(ended_on),
            **producer,
        )
    )
    return p
