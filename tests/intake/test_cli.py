"""`mentornet-intake import` against the service listening on a real TCP port."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from typer.testing import CliRunner

from services.intake.entrypoints import cli
from shared.embedded.ports import free_port
from tests.intake.conftest import ADMIN
from tests.intake.payloads import row
from tests.intake.test_import_api import as_csv
from tests.support.services import eventually


@asynccontextmanager
async def listening(intake) -> AsyncIterator[str]:
    """Serve the already-running app over TCP, as `mentornet run` would."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(intake.app, host="127.0.0.1", port=port, lifespan="off", log_config=None)
    )
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started, interval_s=0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def run(*args: str):
    return await asyncio.to_thread(CliRunner().invoke, cli.app, list(args), catch_exceptions=False)


async def test_the_cli_imports_a_csv_in_chunks_and_reports_every_row(intake, tmp_path):
    company, cohort = await intake.company(), await intake.cohort()
    rows = [row(external_ref=f"X-{n}") for n in range(7)]
    rows[3]["email"] = rows[1]["email"]
    rows[5]["leadership_level"] = 8
    file, report = tmp_path / "people.csv", tmp_path / "report.json"
    file.write_bytes(as_csv(rows))
    async with listening(intake) as url:
        before = await intake.state()
        checked = await run(
            "import", str(file), "--cohort", cohort, "--url", url, "--api-key", company.key, "--dry-run"
        )
        assert checked.exit_code == 1 and "5 would be accepted" in checked.output
        assert await intake.state() == before

        done = await run(
            "import", str(file), "--cohort", cohort, "--url", url, "--api-key", company.key,
            "--chunk-size", "2", "--report", str(report),
        )  # fmt: skip
    assert done.exit_code == 1, done.output
    assert "5 accepted" in done.output and "2 rejected" in done.output and "also on row 2" in done.output
    written = json.loads(report.read_text())
    assert [(r["row"], r["line"], r["status"]) for r in written["results"]] == [
        (1, 2, "accepted"), (2, 3, "accepted"), (3, 4, "accepted"), (4, 5, "rejected"),
        (5, 6, "accepted"), (6, 7, "rejected"), (7, 8, "accepted"),
    ]  # fmt: skip
    listed = (await intake.client.get("/v1/participants", headers=company.auth)).json()["items"]
    assert sorted(p["external_ref"] for p in listed) == ["X-0", "X-1", "X-2", "X-4", "X-6"]
    assert {p["participant_id"] for p in listed} == {
        r["participant_id"] for r in written["results"] if r["participant_id"]
    }


async def test_staff_import_for_a_company_and_all_accepted_exits_0(intake, tmp_path):
    company, cohort = await intake.company(), await intake.cohort()
    file = tmp_path / "people.json"
    file.write_text(json.dumps([row(), row()]))
    async with listening(intake) as url:
        done = await run(
            "import", str(file), "--cohort", cohort, "--url", url,
            "--company", company.company_id, "--admin-token", ADMIN["Authorization"].split()[1],
        )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert len((await intake.client.get("/v1/participants", headers=company.auth)).json()["items"]) == 2


async def test_a_refused_import_exits_2_and_says_why(intake, tmp_path):
    company = await intake.company()
    file = tmp_path / "people.csv"
    file.write_bytes(as_csv([row()]))
    async with listening(intake) as url:
        unknown = await run(
            "import", str(file), "--cohort", str(uuid.uuid4()), "--url", url, "--api-key", company.key
        )
        revoked = await run(
            "import", str(file), "--cohort", str(uuid.uuid4()), "--url", url, "--api-key", "mn_nope"
        )
    assert unknown.exit_code == 2 and "404" in unknown.output and "no cohort" in unknown.output
    assert revoked.exit_code == 2 and "401" in revoked.output
    nowhere = await run(
        "import",
        str(file),
        "--cohort",
        str(uuid.uuid4()),
        "--url",
        f"http://127.0.0.1:{free_port()}",
        "--api-key",
        company.key,
    )
    assert nowhere.exit_code == 2 and "cannot reach intake" in nowhere.output
