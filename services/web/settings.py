"""The web app's settings: where the four services answer, its sessions and its sign-in limits."""

from __future__ import annotations

from pydantic import Field

from shared.reminder_tokens import DEFAULT_REMINDER_SECRET
from shared.settings import ServiceSettings


class WebSettings(ServiceSettings):
    service_name: str = "web"
    http_port: int = 8005
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_web"
    intake_url: str = "http://127.0.0.1:8001"
    matching_url: str = "http://127.0.0.1:8002"
    sessions_url: str = "http://127.0.0.1:8003"
    reporting_url: str = "http://127.0.0.1:8004"
    reporting_public_url: str = Field(
        "", description="Where a browser reaches reporting's dashboards (default: reporting_url)."
    )
    api_timeout_s: float = Field(15.0, gt=0, le=300)
    default_language: str = Field("da", pattern="^(da|en)$")
    web_secure_cookies: bool = Field(False, description="Secure cookies even when the request is http.")
    session_minutes: int = Field(8 * 60, ge=5, le=7 * 24 * 60)
    sign_in_max_failures: int = Field(5, ge=1, le=1000)
    sign_in_window_s: int = Field(15 * 60, ge=1)
    sign_in_lockout_s: int = Field(15 * 60, ge=1)
    web_purge_every_s: float = Field(
        300.0, gt=0, description="How often expired sessions and uploads (their files, reports) are deleted."
    )

    reminder_secret: str = Field(
        DEFAULT_REMINDER_SECRET, description="Signs a member's reminder opt-out (the same as intake's)."
    )

    def unsafe_outside_development(self) -> list[str]:
        if self.reminder_secret.strip() and self.reminder_secret != DEFAULT_REMINDER_SECRET:
            return []
        return ["set MENTORNET_REMINDER_SECRET to a long random secret, the same in intake and web"]

    @property
    def dashboard_url(self) -> str:
        return (self.reporting_public_url or self.reporting_url).rstrip("/")
