"""Intake's settings: the shared ones with intake's defaults."""

from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
    http_port: int = 8001
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_intake"
