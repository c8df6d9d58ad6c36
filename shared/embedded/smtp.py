"""The embedded SMTP server of the dev stack: aiosmtpd on 127.0.0.1, keeping every mail it accepts
in a Maildir (`<data dir>/mail/`), where `mentornet mails` lists them and any mail reader opens them.

Run as a child of `mentornet run`, like the broker: `python -m shared.embedded.smtp --port 8025
--maildir DIR`. aiosmtpd adds `X-RcptTo` (the envelope's recipients) to each kept mail.
"""

from __future__ import annotations

import argparse
import mailbox
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from pathlib import Path

from shared.embedded.children import popen, stop_child
from shared.embedded.logfiles import logged_popen
from shared.embedded.ports import port_in_use, wait_for_port


class SmtpError(RuntimeError):
    """The embedded SMTP server could not start; the message says why."""


@dataclass
class EmbeddedSmtp:
    maildir: Path
    port: int = 8025
    host: str = "127.0.0.1"
    log_file: Path | None = None
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> None:
        if port_in_use(self.host, self.port):
            raise SmtpError(f"{self.address} is taken: stop what runs there or pick another port")
        _make_maildir(self.maildir)
        args = [
            sys.executable, "-m", "shared.embedded.smtp", "--host", self.host, "--port", str(self.port),
            "--maildir", str(self.maildir),
        ]  # fmt: skip
        if self.log_file:  # JSON lines in a rotating file, as every child of the stack writes
            self._process = logged_popen(args, self.log_file, "smtp", start_new_session=True)
        else:
            self._process = popen(
                args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
        if not wait_for_port(self.host, self.port, timeout_s=15):
            self.stop()
            raise SmtpError(f"the SMTP server did not listen on {self.address} within 15s")

    def exit_code(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def stop(self) -> None:
        if self._process is None:
            return
        stop_child(self._process)
        self._process = None


@dataclass(frozen=True)
class KeptMail:
    key: str
    date: str
    to: str
    subject: str
    path: Path


def _header(value: str | None) -> str:
    return str(make_header(decode_header(value))) if value else ""


def kept_mails(maildir: Path) -> list[KeptMail]:
    """Every mail the server kept, oldest first."""
    if not maildir.exists():
        return []
    box = mailbox.Maildir(maildir, create=False)
    found = []
    for key, message in box.items():
        path = next(maildir.glob(f"*/{key}*"), maildir / "new" / key)
        to = message.get("X-RcptTo") or message.get("To")
        found.append(KeptMail(key, _header(message["Date"]), _header(to), _header(message["Subject"]), path))
    return sorted(found, key=lambda m: (m.path.stat().st_mtime if m.path.exists() else 0, m.key))


def _make_maildir(maildir: Path) -> None:
    for sub in ("tmp", "new", "cur"):  # a Maildir's three folders (mailbox creates them only in a new one)
        (maildir / sub).mkdir(parents=True, exist_ok=True)


def serve(host: str, port: int, maildir: Path) -> None:
    """Accept mail until SIGTERM or SIGINT, keeping each in the Maildir."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox

    _make_maildir(maildir)
    controller = Controller(Mailbox(maildir), hostname=host, port=port)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    controller.start()
    print(f"SMTP server on {host}:{port}, mails kept in {maildir}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--maildir", type=Path, required=True)
    args = parser.parse_args()
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        print("the embedded SMTP server needs aiosmtpd: pip install -e '.[embedded]'", file=sys.stderr)
        raise SystemExit(2) from None
    serve(args.host, args.port, args.maildir)


if __name__ == "__main__":
    main()
