"""Sessions's settings: the shared ones with sessions's defaults and its own rules."""

from pydantic import Field

from shared.settings import ServiceSettings


class SessionsSettings(ServiceSettings):
    service_name: str = "sessions"
    http_port: int = 8003
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_sessions"
    unknown_pair_grace_s: float = Field(default=900.0, ge=0)
    """How long a pair id staff use is treated as 'PairMatched still in flight' (409) before 404."""
    unknown_pair_retry_after_s: int = Field(default=5, ge=1)
    announce_tokens_every_s: float = Field(default=60.0, gt=0)
    """How often tokens issued before MemberTokenIssued existed are looked for and announced."""
