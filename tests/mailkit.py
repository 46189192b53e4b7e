"""A real SMTP server on loopback for the circulation tests: STARTTLS and LOGIN, or neither."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from s47desk.circulation import SmtpServer
from s47desk.selftest_mail import loopback_certificate

USER, PASSWORD = "chair@northbridge.example", "s3cret-for-tests"


@dataclass
class Mailbox:
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (USER, PASSWORD)
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


@dataclass
class MailServer:
    mailbox: Mailbox
    port: int
    ca_file: Path

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def smtp(self) -> SmtpServer:
        return SmtpServer("127.0.0.1", self.port, USER, USER)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(tmp_path: Path, *, tls: bool) -> Iterator[MailServer]:
    cert_file, key_file = loopback_certificate(tmp_path)
    mailbox = Mailbox()
    kwargs: dict[str, Any] = {"authenticator": mailbox.authenticate}
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert_file, key_file)
        kwargs |= {"tls_context": context, "require_starttls": True, "auth_required": True}
    port = _free_port()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=port, server_hostname="localhost", **kwargs
    )
    controller.start()
    try:
        yield MailServer(mailbox, port, cert_file)
    finally:
        controller.stop()
