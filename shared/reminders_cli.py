"""`mentornet reminders run` (intake runs its reminder rules now and sends the queue) and `mentornet
mails` (the mails the dev stack's SMTP server kept, in <data dir>/mail)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import httpx
import typer

from shared.embedded.smtp import kept_mails
from shared.embedded.stack import EmbeddedStack, StackSettings

Url = Annotated[str | None, typer.Option(help="where intake answers [default: the stack's intake port]")]
Token = Annotated[str | None, typer.Option(envvar="MENTORNET_ADMIN_TOKEN", help="the staff token")]


def register(app: typer.Typer) -> None:
    reminders = typer.Typer(
        help="Reminder mails: pairs at risk, evaluations not answered, agreements missing"
    )
    reminders.command("run")(reminders_run)
    app.add_typer(reminders, name="reminders")
    app.command()(mails)


def reminders_run(url: Url = None, token: Token = None) -> None:
    """Run intake's reminder rules now and send what is queued (each reminder is sent once)."""
    stack = StackSettings()
    base = (url or f"http://{stack.host}:{stack.intake_port}").rstrip("/")
    staff = {"Authorization": f"Bearer {token or stack.admin_token}"}
    try:
        answer = httpx.post(f"{base}/v1/reminders/runs", headers=staff, timeout=120)
    except httpx.HTTPError as error:
        print(f"intake does not answer at {base}: {error}", file=sys.stderr)
        raise typer.Exit(2) from error
    if answer.status_code != 200:
        print(f"intake refused: {answer.status_code} {answer.text}", file=sys.stderr)
        raise typer.Exit(1)
    done = answer.json()
    print(f"{done['decided']} reminder(s) newly due, {done['sent']} mail(s) sent")


def mails(
    data_dir: Annotated[
        Path | None, typer.Option(help="the stack's data directory [MENTORNET_DATA_DIR]")
    ] = None,
) -> None:
    """The mails the embedded SMTP server kept, oldest first: when, to whom, subject, and the file."""
    settings = StackSettings(**({"data_dir": data_dir} if data_dir else {}))  # type: ignore[arg-type]
    folder = EmbeddedStack(settings).smtp.maildir
    found = kept_mails(folder)
    for mail in found:
        print(f"{mail.date}\t{mail.to}\t{mail.subject}\t{mail.path}")
    print(f"{len(found)} mail(s) in {folder}")
