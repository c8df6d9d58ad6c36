"""Reporting's settings: the shared ones with reporting's defaults and its own thresholds."""

from __future__ import annotations

from pydantic import Field

from services.reporting.domain.figures import Thresholds
from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    service_name: str = "reporting"
    http_port: int = 8004
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_reporting"
    at_risk_first_session_days: int = Field(default=21, ge=1, le=365)
    at_risk_quiet_days: int = Field(default=42, ge=1, le=365)
    login_cookie_secure: bool = False
    """Always mark the dashboard's cookie Secure (it is anyway on a request that came over HTTPS)."""
    trust_forwarded_headers: bool = False
    """Behind a proxy that terminates TLS: believe its X-Forwarded-Proto (https: a Secure cookie) and
    X-Forwarded-Host (this site, for the Origin check of every POST)."""
    dashboard_session_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60)
    """A dashboard session ends this long after sign-in."""
    sign_in_code_s: int = Field(default=60, ge=5, le=3600)
    """A one-time sign-in code (POST /api/sign-in-codes) opens a session within this long, once."""

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(self.at_risk_first_session_days, self.at_risk_quiet_days)
