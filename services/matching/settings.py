"""Matching's settings: the shared ones with matching's defaults, and the solver's two limits."""

from pydantic import Field

from services.matching.domain.candidates import CANDIDATES_PER_MENTEE, EXACT_PAIR_LIMIT
from shared.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    service_name: str = "matching"
    http_port: int = 8002
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_matching"
    exact_pair_limit: int = Field(default=EXACT_PAIR_LIMIT, ge=0)
    """Cohorts with at most this many mentee x mentor cells are solved exactly over every allowed pair."""
    candidates_per_mentee: int = Field(default=CANDIDATES_PER_MENTEE, ge=1)
    """Above that, each mentee keeps this many best-scoring allowed mentors."""
