"""Intake's settings: the shared ones with intake's defaults and its limits."""

from pydantic import Field

from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
    http_port: int = 8001
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_intake"
    max_import_bytes: int = Field(16 * 1024 * 1024, description="Largest import file (413 beyond).")
    max_import_rows: int = Field(10_000, description="Most rows in one import (413 beyond).")
    import_batch_size: int = Field(1_000, description="Rows registered per transaction during an import.")
    idempotency_keep_s: float = Field(
        24 * 3600.0, gt=0, description="How long an Idempotency-Key replays its first answer."
    )
    idempotency_prune_every_s: float = Field(3600.0, gt=0, description="How often old retry records go.")
