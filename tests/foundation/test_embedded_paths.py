"""As root, PostgreSQL runs as an unprivileged user, who must be able to reach its data and binaries."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from shared.embedded.postgres import closed_parent
from shared.embedded.stack import EmbeddedStack, StackSettings


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
