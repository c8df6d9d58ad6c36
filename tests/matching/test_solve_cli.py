"""`matching-solve` as a user runs it: the installed command, JSON in, JSON out, exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parent / "data" / "example_instance.json"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "matching-solve"
    return subprocess.run(
        [str(command), *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_result_has_pairs_unmatched_and_objective_in_the_stated_format():
    done = run(str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {"pairs", "unmatched", "objective"} <= set(out)
    assert out["objective"] == {"matched": 2, "total_score": 190.0}
    assert [(p["mentee"], p["mentor"]) for p in out["pairs"]] == [("anna", "dorte"), ("bo", "erik")]
    for pair in out["pairs"]:
        assert set(pair) == {"mentee", "mentor", "score", "explanation"}
        assert sum(pair["explanation"].values()) == pytest.approx(pair["score"])
    assert out["unmatched"] == [
        {"mentee": "carl", "reason": "no mentor with free capacity shares a language"}
    ]
    assert "scores" not in out


def test_all_scores_lists_every_pair_the_hard_rules_allow():
    out = json.loads(run(str(EXAMPLE), "--all-scores").stdout)
    assert {(s["mentee"], s["mentor"]) for s in out["scores"]} == {
        ("anna", "dorte"),
        ("anna", "erik"),
        ("bo", "erik"),  # bo avoids lego (dorte's company); carl shares no language with anyone
    }
    assert all(set(s) == {"mentee", "mentor", "score"} for s in out["scores"])


def test_unknown_fields_are_ignored_and_standard_input_works():
    instance = json.loads(EXAMPLE.read_text())
    instance["colour"] = "blue"
    instance["mentees"][0]["shoe_size"] = 38
    done = run("-", stdin=json.dumps(instance))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["objective"]["matched"] == 2


@pytest.mark.parametrize(
    ("instance", "said"),
    [
        ("{not json", "Invalid JSON"),
        ('{"mentees": []}', "mentors: Field required"),
        ('{"mentees": [{"id": "a"}], "mentors": []}', "mentees.0.company: Field required"),
        (
            '{"mentees": [], "mentors": [{"id": "m", "company": "c", "languages": ["da"], "region": "r",'
            ' "meeting": "sometimes", "level": 3, "capacity": 1}]}',
            "mentors.0.meeting",
        ),
        ('{"mentees": [], "mentors": [], "pinned_pairs": [["a", "b"]]}', "unknown mentee a"),
        ('{"mentees": [], "mentors": [], "weights": {"themes": -1}}', "weight themes"),
    ],
)
def test_a_malformed_instance_gives_one_line_on_stderr_and_exit_status_2(instance, said):
    done = run("-", stdin=instance)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and said in done.stderr


def test_a_pin_that_breaks_a_hard_rule_is_a_malformed_instance():
    instance = json.loads(EXAMPLE.read_text())
    instance["pinned_pairs"] = [["carl", "dorte"]]
    done = run("-", stdin=json.dumps(instance))
    assert done.returncode == 2
    assert "they share no language" in done.stderr


def test_a_missing_file_is_one_line_and_exit_status_2(tmp_path):
    done = run(str(tmp_path / "nowhere.json"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "cannot read" in done.stderr
