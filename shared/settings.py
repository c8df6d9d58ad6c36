"""Settings shared by every service process; each value can be set from the environment."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_ADMIN_TOKEN = "change-me-admin-token"
DEVELOPMENT = "development"


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {value!r}") from error
    return value


ZoneName = Annotated[str, AfterValidator(_known_zone)]
"""An IANA time zone name (Europe/Copenhagen), refused at start-up when unknown."""


class UnsafeSettings(RuntimeError):
    """Settings a service must not start with in this environment; the message says what to set."""


class ServiceSettings(BaseSettings):
    """`MENTORNET_<FIELD>` in the environment overrides each field."""

    model_config = SettingsConfigDict(env_prefix="MENTORNET_", extra="ignore")

    service_name: str = "service"
    database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet"
    kafka_bootstrap: str = "127.0.0.1:9092"
    # how this process signs in to the broker: PLAINTEXT (the embedded tansu broker, which has no SASL)
    # or SASL_PLAINTEXT/SASL_SSL with its own user (Apache Kafka: each service its user, ACLs per user)
    kafka_security_protocol: Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = "SCRAM-SHA-512"
    kafka_username: str = ""
    kafka_password: SecretStr = SecretStr("")  # never logged: repr and dumps show ********
    topic_prefix: str = ""
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    enable_idempotence: bool = False
    topic_replication_factor: int = Field(default=1, ge=1)  # 3 on a cluster (docker-compose.yml)
    topic_min_insync_replicas: int = Field(default=1, ge=1)  # 2 on a cluster: acks=all then means two copies
    session_timeout_ms: int = 10_000
    heartbeat_interval_ms: int = 3_000
    consumer_batch_size: int = 2_000
    consumer_fetch_min_bytes: int = 256 * 1024  # wait for a fuller batch, at most fetch_max_wait_ms
    consumer_fetch_max_wait_ms: int = 50
    consumer_retries: int = 3
    consumer_backoff_s: float = 0.2
    consumer_batch_delay_s: float = Field(default=0.0, ge=0, le=60)
    """Tests only: every batch waits this long inside its transaction (a slow projection, to rebalance
    during it: tests/cluster/test_instances.py). Refused outside development."""
    relay_batch_size: int = 1_000
    relay_poll_interval_s: float = 0.5
    db_pool_max: int = 10
    db_command_timeout_s: float = Field(default=5.0, gt=0)
    """Longest wait for one database statement before the request answers 503 (a frozen database)."""
    db_statement_timeout_s: float = Field(default=5.0, gt=0)
    """PostgreSQL's own `statement_timeout` on the pool's connections: the server cancels a statement
    that runs or waits (on a lock) longer, whatever the client does."""
    db_idle_in_transaction_timeout_s: float = Field(default=60.0, gt=0)
    """PostgreSQL's `idle_in_transaction_session_timeout`: a transaction left idle this long is ended
    with its connection, so its locks are not held for ever."""
    db_acquire_timeout_s: float = Field(default=5.0, gt=0)
    """Longest wait for a pooled connection, or a new one, before the request answers 503."""
    db_retry_after_s: int = Field(default=5, ge=1)
    """Retry-After of a 503 answered while the database is away."""
    max_body_bytes: int = Field(default=64 * 1024, ge=1)
    """Largest request body; 413 beyond, answered before authentication and before reading it all."""
    auth_failures_max: int = Field(default=30, ge=1)
    """Failed credential checks (answers 401) from one client within auth_failure_window_s that lock
    it out (shared/http/lockout.py)."""
    auth_failure_window_s: float = Field(default=60.0, gt=0)
    auth_lockout_s: float = Field(default=300.0, gt=0)
    """How long a locked-out client is answered 429 with Retry-After, whatever it sends."""
    trusted_proxies: str = ""
    """Comma-separated addresses or networks (the web app's) whose X-Forwarded-For names the client."""
    log_format: str = Field(default="auto", pattern="^(auto|json|console)$")
    log_level: str = "info"
    log_repeat_first: int = Field(default=5, ge=1)
    """A log line repeating (same logger, event, error class) passes this often per window; the rest
    are dropped and counted (`suppressed` on the next one let through)."""
    log_repeat_window_s: float = Field(default=60.0, gt=0)
    admin_token: str = DEFAULT_ADMIN_TOKEN
    # the programme's calendar, one setting for every service: whose day opens intake, when a session
    # was held, what "today" is on a dashboard
    programme_timezone: ZoneName = "Europe/Copenhagen"
    # `development` (the embedded stack, tests) or anything else, e.g. `production` (docker-compose, the image)
    environment: str = DEVELOPMENT
    task_restart_backoff_s: float = 1.0  # first wait before a dead relay/consumer task is restarted
    task_restart_backoff_max_s: float = 30.0
    processed_events_keep_s: float = 7 * 24 * 3600.0  # ids kept this long; older ones leave a watermark
    processed_events_prune_every_s: float = 3600.0
    rebuild_idle_ms: int = Field(default=1_000, ge=100, le=60_000)  # a rebuild's replay ends after this quiet
    # the key vault (shared/privacy): one data key per person, destroyed on erasure; intake writes it,
    # the other services only read keys (their role needs SELECT on vault_keys alone)
    vault_database_url: str = "postgresql://mentornet@127.0.0.1:5432/mentornet_vault"
    vault_writer: bool = False
    vault_pool_max: int = Field(default=4, ge=1)
    vault_cache_size: int = Field(
        default=4_096, ge=0
    )  # keys kept in this process, each for vault_cache_ttl_s
    vault_cache_ttl_s: float = Field(default=300.0, ge=0)

    @model_validator(mode="after")
    def _replicas_can_be_in_sync(self) -> ServiceSettings:
        if self.topic_min_insync_replicas > self.topic_replication_factor:
            raise ValueError(
                "topic_min_insync_replicas exceeds topic_replication_factor: acks=all would always fail"
            )
        return self

    def unsafe_outside_development(self) -> list[str]:
        """What a service adds to refuse_unsafe's checks (e.g. its own secrets left at their default)."""
        return []

    @model_validator(mode="after")
    def _sasl_has_credentials(self) -> ServiceSettings:
        if self.kafka_security_protocol.startswith("SASL") and not (
            self.kafka_username and self.kafka_password.get_secret_value()
        ):
            raise ValueError(
                f"kafka_security_protocol {self.kafka_security_protocol} needs MENTORNET_KAFKA_USERNAME"
                " and MENTORNET_KAFKA_PASSWORD"
            )
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.programme_timezone)

    def topic(self, base_name: str) -> str:
        return f"{self.topic_prefix}{base_name}"


def refuse_unsafe(settings: ServiceSettings) -> None:
    """Outside development a service must not start with the well-known default admin token."""
    if settings.environment == DEVELOPMENT:
        return
    if settings.consumer_batch_delay_s:
        raise UnsafeSettings(
            f"refusing to start {settings.service_name} with consumer_batch_delay_s set in the "
            f"'{settings.environment}' environment: it slows every batch and is for tests only"
        )
    if not settings.admin_token.strip() or settings.admin_token == DEFAULT_ADMIN_TOKEN:
        raise UnsafeSettings(
            f"refusing to start {settings.service_name} with the default admin token in the "
            f"'{settings.environment}' environment: set MENTORNET_ADMIN_TOKEN to a long random secret "
            "(e.g. `openssl rand -hex 32`), or MENTORNET_ENVIRONMENT=development on a developer machine"
        )
    for why in settings.unsafe_outside_development():
        raise UnsafeSettings(
            f"refusing to start {settings.service_name} in the '{settings.environment}' environment: {why}"
        )
