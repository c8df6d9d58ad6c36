"""`mentornet run`: the whole system on this machine, until Ctrl-C."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from shared.embedded.kcat import KcatUnavailable, kcat_command
from shared.embedded.stack import EmbeddedStack, StackSettings
from shared.logging import configure_logging

app = typer.Typer(help="mentornet: cross-company mentoring programmes", no_args_is_help=True)
# One line per message, never wrapped: off a terminal rich would wrap at 80 columns and split paths.
console = Console(soft_wrap=True, highlight=False)


@app.callback()
def main() -> None:
    """Operate the embedded stack."""


@app.command()
def run(
    data_dir: Annotated[Path | None, typer.Option(help="Where all state lives [MENTORNET_DATA_DIR]")] = None,
    broker: Annotated[
        str | None,
        typer.Option(
            help="tansu (embedded, default) or apache-kafka (needs Java 17+, Maven) [MENTORNET_BROKER]"
        ),
    ] = None,
) -> None:
    """Start PostgreSQL, the broker and the four services; stop them all on Ctrl-C."""
    configure_logging("console", "warning")
    if broker not in (None, "tansu", "apache-kafka"):
        console.print(f"[red]unknown broker {broker!r}[/]: tansu or apache-kafka")
        raise typer.Exit(2)
    chosen = {
        name: value for name, value in (("data_dir", data_dir), ("broker", broker)) if value is not None
    }
    settings = StackSettings(**chosen)  # type: ignore[arg-type]
    stack = EmbeddedStack(settings)
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    try:
        stack.start(progress=lambda line: console.print(f"[green]●[/] {line}"))
    except Exception as error:  # noqa: BLE001 - say it plainly, stop what started
        console.print(f"[red]could not start:[/] {error}")
        stack.stop(progress=console.print)
        raise typer.Exit(1) from error
    console.print(f"[bold]mentornet is running[/] (broker {stack.kafka.bootstrap}); Ctrl-C stops everything")
    while not stopping.wait(1):
        for service, process in stack.processes.items():
            if process.poll() is not None:
                console.print(f"[red]{service} exited with {process.returncode}[/]: stopping the stack")
                stopping.set()
    console.print("stopping...")
    stack.stop(progress=console.print)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def kcat(
    ctx: typer.Context,
    bootstrap: Annotated[str, typer.Option(envvar="MENTORNET_KAFKA_BOOTSTRAP")] = "127.0.0.1:9092",
) -> None:
    """kcat against the broker, e.g. `mentornet kcat -L` (lists the topics) or `mentornet kcat -C -t TOPIC -e`."""
    try:
        command, env = kcat_command(bootstrap, list(ctx.args) or ["-L"])
    except KcatUnavailable as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error
    os.execvpe(command[0], command, env)
