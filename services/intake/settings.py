"""Intake's settings: the shared ones with intake's defaults, its limits and its reminders."""

from __future__ import annotations

from pydantic import Field

from services.intake.domain.reminders.rules import Thresholds
from shared.reminder_tokens import DEFAULT_REMINDER_SECRET
from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
    http_port: int = 8001
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_intake"
    vault_writer: bool = True  # intake alone creates and destroys the people's keys
    max_import_bytes: int = Field(16 * 1024 * 1024, description="Largest import file (413 beyond).")
    max_import_rows: int = Field(10_000, description="Most rows in one import (413 beyond).")
    import_batch_size: int = Field(1_000, description="Rows registered per transaction during an import.")
    idempotency_keep_s: float = Field(
        24 * 3600.0, gt=0, description="How long an Idempotency-Key replays its first answer."
    )
    idempotency_prune_every_s: float = Field(3600.0, gt=0, description="How often old retry records go.")
    # reminders (docs/intake.md "Reminders"): the rules' days, how often they run, where mails go
    reminders_every_s: float = Field(3600.0, gt=0, description="How often the reminder rules run.")
    reminders_send_every_s: float = Field(5.0, gt=0, description="How often the mail queue is sent.")
    at_risk_first_session_days: int = Field(21, ge=1, le=365, description="As reporting's: pair at risk.")
    at_risk_quiet_days: int = Field(42, ge=1, le=365, description="As reporting's: pair at risk.")
    reminder_evaluation_days: int = Field(7, ge=1, le=365, description="Days an evaluation waits unanswered.")
    reminder_agreement_days: int = Field(14, ge=1, le=365, description="Days after the first session.")
    staff_email: str = Field("programme@mentornet.example", description="Where notes to staff go.")
    staff_language: str = Field("da", pattern="^(da|en)$", description="The staff notes' language.")
    mail_from: str = "mentornet <reminders@mentornet.example>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(8025, ge=1, le=65535)
    smtp_tls: str = Field("none", pattern="^(none|starttls|tls)$")
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout_s: float = Field(10.0, gt=0, le=120)
    smtp_ca_file: str = Field("", description="CA bundle the SMTP server's certificate is checked against.")
    mail_max_attempts: int = Field(8, ge=1, le=100, description="Sends tried before a mail is given up.")
    mail_retry_s: float = Field(30.0, gt=0, description="First wait before a failed mail; doubles.")
    reminder_secret: str = Field(DEFAULT_REMINDER_SECRET, description="Signs opt-out links (as the web app).")
    web_url: str = Field("http://127.0.0.1:8005", description="Where the links in mails point.")

    def unsafe_outside_development(self) -> list[str]:
        if self.reminder_secret.strip() and self.reminder_secret != DEFAULT_REMINDER_SECRET:
            return []
        return [
            "set MENTORNET_REMINDER_SECRET to a long random secret, the same in intake and web: "
            "with the default anyone could sign opt-out links"
        ]

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            self.at_risk_first_session_days,
            self.at_risk_quiet_days,
            self.reminder_evaluation_days,
            self.reminder_agreement_days,
        )

    retention_days: int = Field(
        365,
        ge=0,
        le=36500,
        description="Days after its closing a cohort is kept before it may be anonymised.",
    )
    erasure_retry_every_s: float = Field(
        30.0, gt=0, description="How often erasures whose vault key is not destroyed yet are retried."
    )
