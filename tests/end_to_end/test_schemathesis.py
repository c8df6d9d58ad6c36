"""Every service's OpenAPI fuzzed by schemathesis with `--checks all`, as staff, as a partner company and
as a pair's member, against the real services on the real database and broker: 0 failures (issue 16).

Bounded and reproducible: a few examples per operation, a fixed seed, deterministic generation. Two
settings are stated rather than hidden: NUL characters are not generated (every service refuses them
before any route, tests/foundation/test_request_limits.py), and for intake and sessions a 422 is an
accepted answer to schema-valid data, since their rules go beyond the schema (a window closing before it
opens, consent that must be true, a session dated before its pair was matched)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.matching.app import create_app as matching_app
from services.matching.settings import MatchingSettings
from services.reporting.app import create_app as reporting_app
from services.reporting.settings import ReportingSettings
from services.sessions.app import create_app as sessions_app
from services.sessions.settings import SessionsSettings
from shared.embedded.ports import free_port
from tests.sessions.support import pair_matched, publish
from tests.support.services import eventually

ADMIN = "fuzz-admin-token"
BUSINESS_RULES = """[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
"""


@contextmanager
def served(app: FastAPI, port: int) -> Iterator[str]:
    """The app on a real port in a thread of its own (its runtime in that thread's event loop)."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def fuzz(url: str, token: str, tmp_path: Path, config: str = "") -> subprocess.CompletedProcess[str]:
    config_file = tmp_path / f"schemathesis-{abs(hash((url, token)))}.toml"
    config_file.write_text(config)
    command = [str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config_file)]
    command += [
        "run", f"{url}/openapi.json", "--checks", "all", "--header", f"Authorization: Bearer {token}",
        "--max-examples", "5", "--seed", "1", "--generation-deterministic", "--generation-allow-x00", "false",
        "--phases", "examples,coverage,fuzzing", "--workers", "1", "--no-color",
    ]  # fmt: skip
    # in tmp_path: schemathesis keeps a cache folder where it runs
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path)


def assert_clean(run: subprocess.CompletedProcess[str], who: str) -> None:
    summary = run.stdout[-6000:]
    assert run.returncode == 0, f"schemathesis as {who} found failures:\n{summary}\n{run.stderr[-2000:]}"
    assert " passed" in summary and "❌" not in summary, summary


async def test_every_service_survives_schemathesis_with_all_checks(
    make_settings: Any, tmp_path: Path
) -> None:
    settings: dict[str, Any] = {
        # the fuzzer sends missing and wrong credentials by design (its ignored_auth check): it would be
        # locked out (429) soon; the lockout has its tests (tests/foundation/test_credential_lockout.py)
        name: await make_settings(cls, admin_token=ADMIN, log_level="warning", auth_failures_max=1_000_000)
        for name, cls in [
            ("intake", IntakeSettings),
            ("matching", MatchingSettings),
            ("sessions", SessionsSettings),
            ("reporting", ReportingSettings),
        ]
    }
    makers = {
        "intake": intake_app,
        "matching": matching_app,
        "sessions": sessions_app,
        "reporting": reporting_app,
    }
    staff = {"Authorization": f"Bearer {ADMIN}"}
    with (
        served(makers["intake"](settings["intake"]), free_port()) as intake,
        served(makers["matching"](settings["matching"]), free_port()) as matching,
        served(makers["sessions"](settings["sessions"]), free_port()) as sessions,
        served(makers["reporting"](settings["reporting"]), free_port()) as reporting,
    ):
        async with httpx.AsyncClient(timeout=30) as http:
            company = await http.post(
                f"{intake}/v1/companies",
                json={"name": "Fuzz Energi", "hr_contact_name": "Lone", "hr_contact_email": "l@fuzz.example"},
                headers=staff,
            )
            key = await http.post(
                f"{intake}/v1/companies/{company.json()['company_id']}/api-keys",
                json={"label": "fuzz"},
                headers=staff,
            )
            company_key = key.json()["api_key"]
            matched = pair_matched()
            await publish(settings["sessions"], [matched])

            async def tokens() -> dict[str, str] | None:
                answer = await http.post(f"{sessions}/v1/pairs/{matched.pair_id}/tokens", headers=staff)
                return (
                    {t["role"]: t["token"] for t in answer.json()["tokens"]}
                    if answer.status_code == 201
                    else None
                )

            member = (await eventually(tokens, timeout_s=30))["mentee"]

            async def reporting_knows_the_key() -> bool:
                answer = await http.get(
                    f"{reporting}/api/cohorts", headers={"Authorization": f"Bearer {company_key}"}
                )
                return answer.status_code == 200

            await eventually(reporting_knows_the_key, timeout_s=30)

        runs = [
            ("staff on intake", intake, ADMIN, BUSINESS_RULES),
            ("a company on intake", intake, company_key, BUSINESS_RULES),
            ("staff on matching", matching, ADMIN, ""),
            ("staff on sessions", sessions, ADMIN, BUSINESS_RULES),
            ("a pair's member on sessions", sessions, member, BUSINESS_RULES),
            ("staff on reporting", reporting, ADMIN, ""),
            ("a company on reporting", reporting, company_key, ""),
        ]
        for who, url, token, config in runs:
            run = await asyncio.to_thread(fuzz, url, token, tmp_path, config)
            assert_clean(run, who)
