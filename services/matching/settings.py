"""Matching's settings: the shared ones with matching's defaults."""

from shared.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    service_name: str = "matching"
    http_port: int = 8002
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_matching"
