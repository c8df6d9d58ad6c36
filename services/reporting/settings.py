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
    login_cookie_secure: bool = False  # set true where the dashboard is served over HTTPS

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(self.at_risk_first_session_days, self.at_risk_quiet_days)
