"""Reporting's settings: the shared ones with reporting's defaults."""

from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    service_name: str = "reporting"
    http_port: int = 8004
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_reporting"
