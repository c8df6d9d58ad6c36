"""As root, PostgreSQL runs as an unprivileged user, who must be able to reach its data and binaries."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from shared.embedded.ports import free_port
from shared.embedded.postgres import EmbeddedPostgres, PostgresError, closed_parent
from shared.embedded.stack import SERVICES, EmbeddedStack, StackSettings


def test_a_folder_closed_to_others_is_found_above_a_path():
    outer = Path(tempfile.mkdtemp(prefix="mentornet-closed-"))
    os.chmod(outer, 0o700)
    inner = outer / "project" / ".data"
    inner.mkdir(parents=True)
    assert closed_parent(inner / "pgdata") == outer
    os.chmod(outer, 0o755)
    assert closed_parent(inner / "pgdata") is None


def test_the_default_data_dir_moves_only_when_the_server_user_could_not_reach_it(monkeypatch):
    project = Path(tempfile.mkdtemp(prefix="mentornet-closed-"))
    os.chmod(project, 0o700)
    monkeypatch.chdir(project)
    moved = EmbeddedStack(StackSettings()).settings.data_dir
    chosen = EmbeddedStack(StackSettings(data_dir=project / "mine")).settings.data_dir
    if os.geteuid() == 0:
        assert moved.parent == Path("/var/lib/mentornet")
    else:
        assert moved == project / ".data"  # the server runs as this user: nothing to move
    assert chosen == project / "mine"  # an explicit choice is kept (and refused with a clear error as root)


def test_a_data_dir_the_server_cannot_reach_is_refused_before_anything_is_made_with_a_fix_that_works():
    closed = Path(tempfile.mkdtemp(prefix="mentornet-closed-"))  # 0700, as `mktemp -d` makes it
    data_dir = closed / "data"
    ports = {f"{name}_port": free_port() for name in ("kafka", "postgres", "smtp", *SERVICES)}
    stack = EmbeddedStack(StackSettings(data_dir=data_dir, **ports))
    try:
        if os.geteuid() == 0:  # PostgreSQL runs as `nobody`, who cannot enter `closed`
            with pytest.raises(PostgresError) as refused:
                stack.start(progress=lambda _: None)
            message = str(refused.value)
            assert f"cannot enter {closed} (mode 700)" in message
            assert list(closed.iterdir()) == []  # nothing left behind
            elsewhere, opening = re.findall(r"`([^`]+)`", message)
            assert elsewhere == "export MENTORNET_DATA_DIR=/var/lib/mentornet/data"
            assert closed_parent(Path(elsewhere.split("=", 1)[1]) / "pgdata") is None
            assert opening == f"chmod o+x {closed}"
            subprocess.run(opening, shell=True, check=True)  # the fix, as the user would type it
        postgres = EmbeddedPostgres(data_dir, port=free_port())
        postgres.start()  # the server user now reaches the same data folder
        try:
            assert (data_dir / "pgdata" / "PG_VERSION").exists()
        finally:
            postgres.stop()
    finally:
        shutil.rmtree(closed, ignore_errors=True)
