"""The README's walkthrough is docs/walkthrough.sh: it runs top to bottom against a started stack, stops
at the first failed check saying what failed, and the README's blocks are cut from it verbatim."""

from __future__ import annotations

import re
import subprocess

from tests.newcomer.conftest import ROOT, RunningStack

SCRIPT = ROOT / "docs" / "walkthrough.sh"


def walk(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300)


def test_the_walkthrough_runs_top_to_bottom_against_the_running_stack(running_stack: RunningStack):
    walked = walk(running_stack.env)
    assert walked.returncode == 0, walked.stdout + walked.stderr
    assert "FAILED" not in walked.stderr
    assert "walkthrough done: cohort " in walked.stdout
    steps = [line for line in walked.stderr.splitlines() if re.match(r"(\d{3} http|ok: )", line)]
    assert len(steps) >= 20, walked.stderr  # every call answered as expected, every wait ended


def test_the_walkthrough_stops_at_the_first_failed_step_and_says_what_failed(running_stack: RunningStack):
    walked = walk({**running_stack.env, "MENTORNET_ADMIN_TOKEN": "not-the-token"})
    assert walked.returncode != 0
    assert f"FAILED: curl -X POST {running_stack.url('intake')}/v1/companies" in walked.stderr
    assert "answered 401, expected 201" in walked.stderr
    assert "/api-keys" not in walked.stderr  # nothing ran after the failure


def readme_walkthrough_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## The four services\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def test_the_readme_shows_the_walkthrough_s_own_commands():
    script = SCRIPT.read_text()
    blocks = readme_walkthrough_blocks()
    assert len(blocks) >= 6
    assert [block for block in blocks if block not in script] == []
    shown = "".join(blocks)
    for command in (
        "/v1/companies",
        "/imports",
        "/runs",
        "/pins",
        "/approve",
        "/tokens",
        "/sessions",
        "/end",
    ):
        assert command in shown
    assert "docs/walkthrough.sh" in (ROOT / "README.md").read_text()
