"""A mail server on loopback for ``s47desk --self-test``: just enough SMTP to receive the
circulation emails over STARTTLS, as a council's relay would, with nothing but the standard
library (the bundle carries no test packages).

It accepts any sender and recipient on 127.0.0.1 only, keeps what it receives in memory, and
stops with the self-test. Its certificate is made for the run and trusted only by the
self-test's own client context.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socketserver
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class _State:
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def loopback_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 (its own CA), as PEM files in *folder*; the
    self-test's mail server and the tests' one both use it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.tls = False

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 127.0.0.1 s47desk self-test mail server")
        sender = ""
        recipients: list[str] = []
        while True:
            raw = self.rfile.readline(4096)
            if not raw:
                return
            command = raw.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                if self.tls:
                    self.reply("250-127.0.0.1\r\n250 8BITMIME")
                else:
                    self.reply("250-127.0.0.1\r\n250-8BITMIME\r\n250 STARTTLS")
            elif command.upper() == "STARTTLS" and not self.tls:
                self.reply("220 Ready to start TLS")
                tls = self.server.context.wrap_socket(self.connection, server_side=True)
                self.connection = self.request = tls
                self.rfile = tls.makefile("rb")
                self.wfile = tls.makefile("wb")
                self.tls = True
            elif verb == "MAIL":
                if not self.tls:
                    self.reply("530 Must issue a STARTTLS command first")
                    continue
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if not line or line == b".\r\n":
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                assert isinstance(message, EmailMessage)
                with self.server.state.lock:
                    self.server.state.received.append(Received(sender, recipients, message))
                self.reply("250 Message accepted")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, context: ssl.SSLContext, state: _State) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.context, self.state = context, state


class LoopbackMailServer:
    """``with LoopbackMailServer() as mail:`` — *mail.port*, *mail.client_context()*,
    *mail.received*."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="s47desk-mail-")
        self.cert, key = loopback_certificate(Path(self._folder.name))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, key)
        self._state = _State()
        self._server = _Server(context, self._state)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackMailServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._folder.cleanup()

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's certificate and nothing else."""
        context = ssl.create_default_context(cafile=str(self.cert))
        context.check_hostname = True
        return context

    @property
    def received(self) -> list[Received]:
        with self._state.lock:
            return list(self._state.received)
