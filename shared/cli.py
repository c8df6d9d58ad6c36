"""`mentornet run`: the whole system on this machine, until Ctrl-C."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from shared.embedded.kcat import KcatUnavailable, run_kcat
from shared.embedded.logfiles import run_log_file
from shared.embedded.peek import (
    BrokerUnreachable,
    UnknownTopic,
    messages,
    require_broker,
    topic_offsets,
)
from shared.embedded.stack import EmbeddedStack, GaveUp, StackSettings, stack_broker
from shared.logging import configure_logging
from shared.messaging import parking
from shared.operations_cli import register
from shared.reminders_cli import register as register_reminders
from shared.settings import ServiceSettings

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
    """Start PostgreSQL, the broker and the services; restart any that dies; stop them all on Ctrl-C.

    Exits 1 when the start fails or a child keeps dying (it is given up on and everything stops)."""
    configure_logging("console", "warning")
    if broker not in (None, "tansu", "apache-kafka"):
        console.print(f"[red]unknown broker {broker!r}[/]: tansu or apache-kafka")
        raise typer.Exit(2)
    chosen = {
        name: value for name, value in (("data_dir", data_dir), ("broker", broker)) if value is not None
    }
    settings = StackSettings(**chosen)  # type: ignore[arg-type]
    stack = EmbeddedStack(settings)
    run_log = run_log_file(stack.settings.data_dir / "logs" / "run.log")  # the same lines, as JSON

    def told(style: str) -> Callable[[str], None]:
        def tell(line: str) -> None:
            console.print(f"[{style}]●[/] {line}" if style else line)
            run_log(line)

        return tell

    say = told("green")
    for sig in (signal.SIGTERM, signal.SIGHUP):  # while starting, these interrupt it as Ctrl-C does
        signal.signal(sig, signal.default_int_handler)
    try:  # Ctrl-C while starting interrupts the start (KeyboardInterrupt); what started is stopped
        stack.start(progress=say)
    except BaseException as error:  # noqa: BLE001 - say it plainly, stop what started
        _ignore_stop_signals_while(lambda: stack.stop(progress=told("")))
        if isinstance(error, KeyboardInterrupt):
            raise typer.Exit(130) from None
        console.print(f"[red]could not start:[/] {error}")
        run_log(f"could not start: {error}")
        raise typer.Exit(1) from error
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stopping.set())
    console.print(f"[bold]mentornet is running[/] (broker {stack.kafka.bootstrap}); Ctrl-C stops everything")
    failed: GaveUp | None = None
    while not stopping.wait(0.25):
        try:
            stack.supervise(progress=told("yellow"))
        except GaveUp as error:
            console.print(f"[red]{error}[/]: stopping the stack")
            run_log(f"{error}: stopping the stack")
            failed = error
            break
    told("")("stopping...")
    stack.stop(progress=told(""))
    if failed is not None:
        raise typer.Exit(1)


def _ignore_stop_signals_while(work: Callable[[], None]) -> None:
    """A second Ctrl-C must not cut the stopping short (PostgreSQL would be left running)."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    work()


Bootstrap = Annotated[
    str | None,
    typer.Option(help="host:port [default: MENTORNET_KAFKA_BOOTSTRAP, else 127.0.0.1:MENTORNET_KAFKA_PORT]"),
]


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def kcat(ctx: typer.Context, bootstrap: Bootstrap = None) -> None:
    """kcat against the broker, e.g. `mentornet kcat -L` (lists the topics) or `mentornet kcat -C -t TOPIC -e`."""
    try:
        address = bootstrap or stack_broker()
        require_broker(address)
        raise typer.Exit(run_kcat(address, list(ctx.args) or ["-L"]))
    except (KcatUnavailable, BrokerUnreachable) as error:
        print(error, file=sys.stderr)
        raise typer.Exit(2) from error


@app.command()
def topics(bootstrap: Bootstrap = None) -> None:
    """Every topic with its partitions: first offset, next offset, messages (aiokafka, no consumer group)."""
    configure_logging("console", "error")
    try:
        found = asyncio.run(topic_offsets(bootstrap or stack_broker()))
    except BrokerUnreachable as error:
        print(error, file=sys.stderr)
        raise typer.Exit(2) from error
    print(f"{'topic':<28} {'partition':>9} {'first':>8} {'next':>8} {'messages':>9}")
    for p in found:
        print(f"{p.topic:<28} {p.partition:>9} {p.first:>8} {p.next:>8} {p.messages:>9}")


@app.command()
def tail(
    topic: str,
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep waiting for new messages")] = False,
    bootstrap: Bootstrap = None,
) -> None:
    """A topic's messages from the beginning, one line each: partition, offset, key, value."""
    configure_logging("console", "error")

    async def show() -> None:
        async for m in messages(bootstrap or stack_broker(), topic, follow=follow):
            print(f"{m.partition}\t{m.offset}\t{m.key}\t{m.value}", flush=True)

    try:
        asyncio.run(show())
    except (BrokerUnreachable, UnknownTopic) as error:
        print(error, file=sys.stderr)
        raise typer.Exit(2) from error
    except KeyboardInterrupt:
        pass


parked = typer.Typer(help="Events of a newer schema version that consumers parked until an upgrade")
app.add_typer(parked, name="parked")
Prefix = Annotated[str, typer.Option(envvar="MENTORNET_TOPIC_PREFIX")]


@parked.command("list")
def parked_list(bootstrap: Bootstrap = None, topic_prefix: Prefix = "") -> None:
    """Every parked event: its id, type and version, where it came from, which groups parked it, why."""
    configure_logging("console", "error")
    settings = ServiceSettings(kafka_bootstrap=bootstrap or stack_broker(), topic_prefix=topic_prefix)
    found = asyncio.run(parking.list_parked(settings))
    for p in found:
        print(
            f"{p.event_id} {p.event_type} v{p.schema_version} from {p.topic}[{p.partition}]@{p.offset} "
            f"parked by {', '.join(sorted(p.groups))}: {p.reason}"
        )
    print(f"{len(found)} parked event(s)")


@parked.command("replay")
def parked_replay(
    event_id: Annotated[list[str] | None, typer.Option(help="Only these event ids (repeatable)")] = None,
    bootstrap: Bootstrap = None,
    topic_prefix: Prefix = "",
) -> None:
    """After upgrading the consumers: send parked events back to their topics (consumers apply each once)."""
    configure_logging("console", "error")
    settings = ServiceSettings(kafka_bootstrap=bootstrap or stack_broker(), topic_prefix=topic_prefix)
    sent = asyncio.run(parking.replay(settings, event_id or ()))
    for p in sent:
        print(f"replayed {p.event_id} {p.event_type} v{p.schema_version} to {p.topic}")
    print(f"{len(sent)} event(s) replayed")


register(app)  # status, dead-letters, rebuild, asyncapi (shared/operations_cli.py)
register_reminders(app)  # reminders run, mails (shared/reminders_cli.py)
