"""Sessions's settings: the shared ones with sessions's defaults."""

from shared.settings import ServiceSettings


class SessionsSettings(ServiceSettings):
    service_name: str = "sessions"
    http_port: int = 8003
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_sessions"
