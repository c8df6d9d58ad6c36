"""`mentornet-reporting`: run the service, or rebuild its projections from every topic."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console

from services.reporting.service_layer.rebuild import RebuildResult, rebuild
from services.reporting.settings import ReportingSettings
from shared.db import migrator
from shared.db.pool import create_pool
from shared.logging import configure_logging
from shared.messaging.kafka import ensure_topics, make_producer

app = typer.Typer(
    help="mentornet reporting: programme dashboards for staff and partner companies.", no_args_is_help=True
)
console = Console(stderr=True)


@app.callback()
def main() -> None:
    """Settings come from MENTORNET_* environment variables, as for the service."""


@app.command()
def serve() -> None:
    """Run the reporting service (HTTP API, dashboard and consumer)."""
    from services.reporting.app import main as run

    run()


@app.command("rebuild")
def rebuild_command() -> None:
    """Empty reporting's projections and replay every topic from the beginning, in one transaction.

    Safe while the service runs: dashboards show the old figures until the rebuild commits, and the
    live consumer waits for it, then carries on.
    """
    settings = ReportingSettings()
    configure_logging(settings.log_format, settings.log_level)
    try:
        result = asyncio.run(_rebuild(settings))
    except Exception as error:  # noqa: BLE001 - one clear line for the operator
        console.print(f"[red]rebuild failed:[/] {error!r}")
        raise typer.Exit(1) from error
    console.print(
        f"rebuilt from {result.read} records: {result.applied} events applied, "
        f"{result.duplicates} duplicates, {result.skipped} skipped, "
        f"{result.dead_lettered} dead-lettered, in {result.seconds} s",
        soft_wrap=True,
    )


async def _rebuild(settings: ReportingSettings) -> RebuildResult:
    pool = await create_pool(settings.database_url, 2)
    try:
        async with pool.acquire() as conn:
            await migrator.apply(
                conn, migrator.service_migrations(settings.service_name, "services.reporting.migrations")
            )
        await ensure_topics(settings)
        producer = make_producer(settings)
        await producer.start()
        try:
            from services.reporting.app import project

            return await rebuild(pool, settings, producer, project)
        finally:
            await producer.stop()
    finally:
        await pool.close()
