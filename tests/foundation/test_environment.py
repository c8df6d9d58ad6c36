"""Outside development a service refuses to start with the default admin token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from shared.settings import DEFAULT_ADMIN_TOKEN, ServiceSettings, UnsafeSettings, refuse_unsafe
from tests.foundation.probe_service import producer

ROOT = Path(__file__).resolve().parents[2]


def test_development_is_the_default_and_accepts_the_default_token():
    settings = ServiceSettings()
    assert settings.environment == "development"
    assert settings.admin_token == DEFAULT_ADMIN_TOKEN
    refuse_unsafe(settings)


@pytest.mark.parametrize("token", [DEFAULT_ADMIN_TOKEN, "", "   "])
def test_production_refuses_the_default_or_an_empty_token(token):
    settings = ServiceSettings(environment="production", admin_token=token, service_name="intake")
    with pytest.raises(UnsafeSettings, match="MENTORNET_ADMIN_TOKEN") as refused:
        refuse_unsafe(settings)
    assert "intake" in str(refused.value) and "production" in str(refused.value)


def test_production_accepts_a_token_of_its_own():
    refuse_unsafe(ServiceSettings(environment="production", admin_token="a-long-random-secret-0b1f"))


def test_production_refuses_the_test_only_slow_batches():
    slow = ServiceSettings(
        environment="production", admin_token="a-long-random-secret-0b1f", consumer_batch_delay_s=1.5
    )
    with pytest.raises(UnsafeSettings, match="consumer_batch_delay_s"):
        refuse_unsafe(slow)
    refuse_unsafe(ServiceSettings(consumer_batch_delay_s=1.5))  # tests run in development


async def test_the_runtime_refuses_before_touching_anything(make_settings):
    settings = await make_settings(service_name="probe", environment="production")
    runtime = producer(settings)
    with pytest.raises(UnsafeSettings):
        await runtime.start()
    assert not hasattr(runtime, "pool")  # refused before opening the database


async def test_the_runtime_starts_in_production_with_a_real_token(make_settings):
    settings = await make_settings(service_name="probe", environment="production", admin_token="s3cret-4e9a")
    async with producer(settings).running() as runtime:
        assert (await runtime.readiness())["relay"] == "ok"


@pytest.mark.parametrize("service", ["intake", "reporting"])
def test_a_service_process_in_production_with_the_default_token_exits_with_a_clear_error(service):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MENTORNET_")},
        "MENTORNET_ENVIRONMENT": "production",
        "MENTORNET_LOG_FORMAT": "json",
        "MENTORNET_HTTP_PORT": "1",  # would fail to bind, were it to get that far
    }
    result = subprocess.run(
        [sys.executable, "-m", f"services.{service}"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "refusing to start" in result.stderr
    assert "default admin token" in result.stderr and "MENTORNET_ADMIN_TOKEN" in result.stderr


def test_compose_and_the_image_run_in_production():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("intake", "matching", "sessions", "reporting"):
        assert compose["services"][name]["environment"]["MENTORNET_ENVIRONMENT"] == "production"
    assert "MENTORNET_ENVIRONMENT=production" in (ROOT / "deploy/Dockerfile").read_text()
