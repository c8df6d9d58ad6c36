"""Sending one message to the SMTP server the settings name (aiosmtplib): plain, STARTTLS or TLS (the
server's certificate checked against the system's CAs, or SMTP_CA_FILE), with a login when a user is set."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

import aiosmtplib

from services.intake.settings import IntakeSettings

SendError = (aiosmtplib.SMTPException, OSError, TimeoutError)
"""What a send may fail with: the server refused, or could not be reached in time."""


_WIRE = policy.SMTP.clone(max_line_length=998)  # a long link (List-Unsubscribe) stays one plain header line


async def send(settings: IntakeSettings, message: EmailMessage) -> None:
    """Hand the message to the server; raises when it is refused or the server cannot be reached."""
    await aiosmtplib.send(
        message.as_bytes(policy=_WIRE),
        sender=parseaddr(str(message["From"]))[1],
        recipients=[address for _, address in getaddresses([str(message["To"])])],
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        use_tls=settings.smtp_tls == "tls",
        start_tls=settings.smtp_tls == "starttls",
        username=settings.smtp_user or None,
        password=settings.smtp_password or None,
        timeout=settings.smtp_timeout_s,
        cert_bundle=settings.smtp_ca_file or None,  # None: the system's CAs
    )


def error_code(error: BaseException) -> str:
    """The error's class and SMTP code, never its text (a server may quote the address back)."""
    code = getattr(error, "code", None)
    return f"{type(error).__name__}{f' {code}' if isinstance(code, int) else ''}"
