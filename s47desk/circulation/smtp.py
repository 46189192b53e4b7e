"""Send the circulation emails through the SMTP server in settings, encrypted or not at all.

STARTTLS on the submission port (587), or implicit TLS on port 465; a server offering neither
is refused, since a record must never cross the network in clear. The password is asked for
each time (or read from an environment variable) and never stored.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from s47desk.errors import UserError
from s47desk.settings import Settings

IMPLICIT_TLS_PORT = 465


class SendError(UserError):
    """Sending failed; ``sent`` counts the messages accepted before the failure."""

    def __init__(self, message: str, sent: int) -> None:
        super().__init__(message)
        self.sent = sent


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    user: str
    sender: str

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpServer:
        """The server in settings, or ValueError naming what is missing."""
        sender = settings.sender_email or settings.chair_email
        if not settings.smtp_host:
            raise ValueError("No mail server is set: enter the SMTP server in settings.")
        if not sender:
            raise ValueError("No sender address is set: enter the sender's email in settings.")
        return cls(settings.smtp_host, settings.smtp_port, settings.smtp_user, sender)


def send_messages(
    messages: Sequence[EmailMessage],
    server: SmtpServer,
    password: str,
    *,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = 30,
    on_sent: Callable[[int], None] | None = None,
) -> None:
    """Send each message in turn; *on_sent(i)* after message *i* is accepted.

    Raises SendError (with how many were sent) for any failure, in plain words.
    """
    context = ssl_context or ssl.create_default_context()
    sent = 0
    try:
        with _connect(server, context, timeout) as smtp:
            if server.user:
                smtp.login(server.user, password)
            for index, msg in enumerate(messages):
                smtp.send_message(msg)
                sent += 1
                if on_sent:
                    on_sent(index)
    except SendError:
        raise
    except smtplib.SMTPAuthenticationError:
        raise SendError(
            f"The mail server {server.host} refused the user name or password.", sent
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(sorted(exc.recipients))
        raise SendError(f"The mail server refused the recipient(s) {refused}.", sent) from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise SendError(
            f"Could not send through {server.host}:{server.port}: {exc}", sent
        ) from None


def _connect(server: SmtpServer, context: ssl.SSLContext, timeout: float) -> smtplib.SMTP:
    if server.port == IMPLICIT_TLS_PORT:
        return smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
    smtp = smtplib.SMTP(server.host, server.port, timeout=timeout)
    try:
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            raise SendError(
                f"The mail server {server.host} does not offer encryption (STARTTLS); "
                "s47desk never sends a record unencrypted.",
                0,
            )
        smtp.starttls(context=context)
        smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp
