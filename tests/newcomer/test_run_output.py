"""`mentornet run` off a terminal: one unwrapped line per address, with the database user, every API's
docs and the dashboard."""

from __future__ import annotations

import json

from tests.newcomer.conftest import RunningStack


def test_one_unwrapped_line_per_address_with_the_database_user_and_the_dashboard(
    running_stack: RunningStack,
):
    lines = running_stack.lines()
    logs = running_stack.data_dir / "logs"

    def line_of(name: str) -> str:
        found = [line for line in lines if line.split()[1:2] == [name]]
        assert len(found) == 1, lines
        return found[0]

    postgres = line_of("PostgreSQL")
    assert (
        f"127.0.0.1:{running_stack.port('postgres')}  user mentornet, databases mentornet_<service>"
        in postgres
    )
    assert f"(data: {running_stack.data_dir / 'pgdata'})" in postgres
    broker = f"127.0.0.1:{running_stack.port('kafka')}  (tansu, logs: {logs / 'broker.log'})"
    assert broker in line_of("broker")
    mail = (
        f"127.0.0.1:{running_stack.port('smtp')}  (SMTP; every mail kept in {running_stack.data_dir / 'mail'}"
    )
    assert mail in line_of("mail")
    for service in ("intake", "matching", "sessions", "reporting"):
        url = running_stack.url(service)
        line = line_of(service)
        assert f"{url}  API docs {url}/docs" in line
        assert line.endswith(f"(logs: {logs / service}.log)")  # the whole path, on the same line
    assert f"dashboard {running_stack.url('reporting')}/dashboard" in line_of("reporting")
    assert max(map(len, lines)) > 80  # long enough that wrapping at 80 columns would have split them


def test_what_the_console_says_is_also_in_run_log_as_json_lines(running_stack: RunningStack):
    """The console stays for people; the log folder holds the same lines as JSON (issue 16)."""
    lines = (running_stack.data_dir / "logs" / "run.log").read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert entries and all(entry["logger"] == "mentornet run" for entry in entries)
    said = " ".join(str(entry["event"]) for entry in entries)
    for service in ("intake", "matching", "sessions", "reporting"):
        assert f"{running_stack.url(service)}  API docs" in said
