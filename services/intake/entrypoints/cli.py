"""`mentornet-intake`: bulk import for staff and partner companies, over the running service's HTTP API.

The file is first checked as a whole by the service (a dry run: every rule, duplicates within the
file, what is already registered); then only the rows it accepted are sent, a chunk at a time, so
the progress bar moves and an interrupted import can be run again safely.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import httpx
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from services.intake.domain import importing
from services.intake.domain.errors import IntakeError
from services.intake.service_layer import vocabulary

app = typer.Typer(help="mentornet intake: bulk import of mentors and mentees", no_args_is_help=True)
console = Console(stderr=True)

ALL_ACCEPTED, SOME_REJECTED, REFUSED = 0, 1, 2


class Refused(Exception):
    """The service refused the import (or could not be reached); `registered` rows were in before."""

    def __init__(self, message: str, registered: int = 0) -> None:
        super().__init__(message)
        self.registered = registered


@app.callback()
def main() -> None:
    """Import participants into a cohort from a CSV or JSON file."""


class Intake:
    """The service's import endpoint for one company, as the staff token or the company's key."""

    def __init__(
        self, url: str, cohort: UUID, api_key: str | None, company: UUID | None, admin_token: str | None
    ):
        if api_key:
            self.path = f"/v1/cohorts/{cohort}/imports"
            token = api_key
        elif company and admin_token:
            self.path = f"/v1/companies/{company}/cohorts/{cohort}/imports"
            token = admin_token
        else:
            raise typer.BadParameter(
                "give --api-key (a company's key), or --company with --admin-token (staff)"
            )
        self.http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=300)

    def send(self, content: bytes, content_type: str, dry_run: bool) -> dict[str, Any]:
        try:
            answer = self.http.post(
                self.path,
                content=content,
                params={"dry_run": str(dry_run).lower()},
                headers={"Content-Type": content_type},
            )
        except httpx.HTTPError as error:
            raise Refused(f"cannot reach intake at {self.http.base_url}: {error}") from error
        if answer.status_code != 200:
            raise Refused(f"{answer.status_code}: {_reason(answer)}")
        report: dict[str, Any] = answer.json()
        return report


def _reason(answer: httpx.Response) -> str:
    try:
        detail = answer.json().get("detail")
    except ValueError:
        return answer.text[:500]
    if isinstance(detail, list):
        return "; ".join(f"{'.'.join(map(str, d.get('loc', [])))}: {d.get('msg')}" for d in detail)
    return str(detail)


def _content_type(path: Path, given: str | None) -> str:
    fmt = given or path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "json"):
        raise typer.BadParameter(f"cannot tell the format of {path.name}: pass --format csv or json")
    return "text/csv" if fmt == "csv" else "application/json"


def _import(intake: Intake, data: bytes, content_type: str, dry_run: bool, chunk_size: int) -> dict[str, Any]:
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(SpinnerColumn(), *columns, console=console, transient=False) as progress:
        checking = progress.add_task("checking the file", total=None)
        checked = intake.send(data, content_type, dry_run=True)
        progress.update(checking, total=checked["rows"], completed=checked["rows"])
        if dry_run:
            return checked
        fmt = importing.format_of(content_type)
        rows = {r.row: r for r in importing.parse(data, fmt, max_rows=checked["rows"])}
        to_send = [r["row"] for r in checked["results"] if r["status"] == "accepted"]
        results = {r["row"]: r for r in checked["results"] if r["status"] == "rejected"}
        registering = progress.add_task("registering", total=len(to_send))
        for start in range(0, len(to_send), chunk_size):
            chunk = to_send[start : start + chunk_size]
            body = json.dumps([dict(rows[n].fields) for n in chunk]).encode()
            try:
                report = intake.send(body, "application/json", dry_run=False)
            except Refused as error:
                done = sum(1 for r in results.values() if r["status"] == "accepted")
                raise Refused(str(error), registered=done) from error
            for number, result in zip(chunk, report["results"], strict=True):
                results[number] = {**result, "row": number, "line": rows[number].line}
            progress.advance(registering, len(chunk))
    ordered = [results[n] for n in sorted(results)]
    accepted = sum(1 for r in ordered if r["status"] == "accepted")
    return {
        **checked,
        "dry_run": False,
        "accepted": accepted,
        "rejected": len(ordered) - accepted,
        "replayed": sum(1 for r in ordered if r["replayed"]),
        "results": ordered,
    }


def _show(report: dict[str, Any], shown: int) -> None:
    verb = "would be accepted" if report["dry_run"] else "accepted"
    console.print(
        f"[bold]{report['rows']}[/] rows: [green]{report['accepted']} {verb}[/]"
        f" ({report['replayed']} already registered), [red]{report['rejected']} rejected[/]"
    )
    rejected = [r for r in report["results"] if r["status"] == "rejected"]
    if not rejected:
        return
    table = Table("row", "line", "field", "why", title="rejected rows")
    for result in rejected[:shown]:
        for error in result["errors"]:
            table.add_row(str(result["row"]), str(result["line"] or ""), error["field"], error["message"])
    console.print(table)
    if len(rejected) > shown:
        console.print(f"... and {len(rejected) - shown} more rejected rows (see --report)")


@app.command("import")
def import_file(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or JSON file")
    ],
    cohort: Annotated[UUID, typer.Option(help="The cohort to register into")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only check the file; register nothing")] = False,
    url: Annotated[
        str, typer.Option(envvar="MENTORNET_INTAKE_URL", help="The intake service")
    ] = "http://127.0.0.1:8001",
    api_key: Annotated[
        str | None,
        typer.Option(envvar="MENTORNET_INTAKE_API_KEY", help="A company's key: import as that company"),
    ] = None,
    company: Annotated[
        UUID | None, typer.Option(help="Staff: the company to import for (with --admin-token)")
    ] = None,
    admin_token: Annotated[
        str | None, typer.Option(envvar="MENTORNET_ADMIN_TOKEN", help="Staff token")
    ] = None,
    file_format: Annotated[
        str | None, typer.Option("--format", help="csv or json, if the suffix does not say")
    ] = None,
    chunk_size: Annotated[
        int, typer.Option(min=1, max=10_000, help="Rows per request while registering")
    ] = 1_000,
    report: Annotated[Path | None, typer.Option(help="Write the full per-row report here (JSON)")] = None,
    show: Annotated[int, typer.Option(help="How many rejected rows to print")] = 20,
) -> None:
    """Register FILE's participants into a cohort, reporting every row (exit 0: all accepted, 1: some rejected, 2: refused)."""
    intake = Intake(url, cohort, api_key, company, admin_token)
    content_type = _content_type(file, file_format)
    try:
        result = _import(intake, file.read_bytes(), content_type, dry_run, chunk_size)
    except (Refused, IntakeError) as error:
        console.print(f"[red]import refused:[/] {error}")
        if isinstance(error, Refused) and error.registered:
            console.print(
                f"{error.registered} rows were registered before that; running the same command again is safe:"
                " nobody is registered twice (rows with an external_ref are recognised, the others are"
                " rejected as already registered)."
            )
        raise typer.Exit(REFUSED) from error
    if report is not None:
        report.write_text(json.dumps(result, indent=2))
    _show(result, show)
    raise typer.Exit(ALL_ACCEPTED if result["rejected"] == 0 else SOME_REJECTED)


@app.command()
def template(
    file_format: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
) -> None:
    """Print an example import file with every column, to start a spreadsheet from."""
    typer.echo(vocabulary.template("json" if file_format == "json" else "csv"), nl=False)
