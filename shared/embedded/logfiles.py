"""The log files of the processes the stack starts: JSON lines only, rotated by size.

A child's stdout and stderr go into a pipe; a thread of the parent reads it line by line and writes
each line to the child's log file through a RotatingFileHandler (`MENTORNET_LOG_MAX_BYTES`, keeping
`MENTORNET_LOG_BACKUPS` older files: `x.log.1` … ). A line that is a JSON object (a service's own) is
written as it is; any other (PostgreSQL's, the broker's, a traceback printed before logging was set
up) becomes one: `{"timestamp", "level", "logger": <the child>, "event": <the line>}`.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
import subprocess
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.embedded.children import popen


class LogFileSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORNET_", extra="ignore")

    log_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    log_backups: int = Field(default=5, ge=1)


_LEVEL = re.compile(r"\b(PANIC|FATAL|ERROR|WARN(?:ING)?|LOG|INFO|DEBUG|TRACE|STATEMENT|DETAIL|HINT)\b")
_LEVELS = {
    "PANIC": "critical",
    "FATAL": "critical",
    "ERROR": "error",
    "WARN": "warning",
    "WARNING": "warning",
}


def as_json_line(line: str, source: str) -> str:
    """The line itself when it is a JSON object, else the line wrapped in one."""
    line = line.rstrip("\r\n")
    if line.startswith("{"):
        try:
            if isinstance(json.loads(line), dict):
                return line
        except ValueError:
            pass
    found = _LEVEL.search(line[:120])
    level = _LEVELS.get(found.group(1), "info") if found else "info"
    stamp = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return json.dumps({"timestamp": stamp, "level": level, "logger": source, "event": line})


def rotating_file(path: Path, settings: LogFileSettings | None = None) -> logging.Handler:
    settings = settings or LogFileSettings()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=settings.log_max_bytes, backupCount=settings.log_backups, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def _pump(pipe: int, handler: logging.Handler, source: str) -> None:
    try:
        with os.fdopen(pipe, "rb") as lines:
            for raw in lines:
                line = as_json_line(raw.decode("utf-8", errors="replace"), source)
                handler.emit(logging.makeLogRecord({"msg": line}))
    finally:
        handler.close()


def logged_popen(args: list[str], log_path: Path, source: str, **options: Any) -> subprocess.Popen[bytes]:
    """`popen` (dies with this process) whose stdout and stderr become JSON lines in a rotating file."""
    handler = rotating_file(log_path)
    read, write = os.pipe()
    try:
        process = popen(args, stdout=write, stderr=write, **options)
    except BaseException:
        os.close(read)
        handler.close()
        raise
    finally:
        os.close(write)
    threading.Thread(target=_pump, args=(read, handler, source), name=f"log-{source}", daemon=True).start()
    return process


def run_log_file(path: Path) -> Callable[[str], None]:
    """What `mentornet run` tells its console, also as JSON lines in a rotating file, once the stack
    has made its logs folder (a start refused before that creates nothing)."""
    handlers: list[logging.Handler] = []

    def write(line: str) -> None:
        if not handlers:
            if not path.parent.is_dir():
                return
            handlers.append(rotating_file(path))
        handlers[0].emit(logging.makeLogRecord({"msg": as_json_line(line, "mentornet run")}))

    return write
