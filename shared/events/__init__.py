"""Event contracts: the only thing services share. One module per producing service."""

from shared.events.envelope import Event
from shared.events.intake import (
    CohortClosed,
    CohortOpened,
    CohortUpdated,
    CompanyApiKeyIssued,
    CompanyApiKeyRevoked,
    CompanyRegistered,
    ParticipantErased,
    ParticipantProfile,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
    ReminderSent,
)
from shared.events.matching import PairEnded, PairMatched
from shared.events.registry import UndecodableEvent, decode, encode
from shared.events.sessions import (
    AgreementRecorded,
    EvaluationOpened,
    EvaluationQuoteConsented,
    EvaluationQuoteWithdrawn,
    EvaluationScores,
    EvaluationSubmitted,
    MemberTokenIssued,
    SessionCorrected,
    SessionHeld,
    SessionRetracted,
)

__all__ = [
    "AgreementRecorded",
    "CohortClosed",
    "EvaluationOpened",
    "EvaluationQuoteConsented",
    "EvaluationQuoteWithdrawn",
    "EvaluationScores",
    "EvaluationSubmitted",
    "CohortOpened",
    "CohortUpdated",
    "CompanyApiKeyIssued",
    "CompanyApiKeyRevoked",
    "CompanyRegistered",
    "Event",
    "MemberTokenIssued",
    "PairEnded",
    "PairMatched",
    "ParticipantErased",
    "ParticipantProfile",
    "ParticipantProfileUpdated",
    "ParticipantRegistered",
    "ParticipantWithdrawn",
    "ReminderSent",
    "SessionCorrected",
    "SessionHeld",
    "SessionRetracted",
    "UndecodableEvent",
    "decode",
    "encode",
]
