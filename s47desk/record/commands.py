"""The record, verify and circulate commands: argument handling around the record API.

Kept out of s47desk.cli so that module stays a thin table of commands. Passphrases and
passwords come from a named environment variable or a prompt, never from the command line
(where other users could read them in the process list).
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from s47desk.atomic import make_folder
from s47desk.deadlines import Deadline
from s47desk.record.ca import load_ca_certificate
from s47desk.record.certificate import SigningError, SigningIdentity, load_identity
from s47desk.record.export import RecordError, export_record
from s47desk.record.labels import due_date
from s47desk.record.signature import verify_docx
from s47desk.record.verify_report import verification_report
from s47desk.settings import load_settings

if TYPE_CHECKING:
    from s47desk.cli import App

EXIT_OK, EXIT_FAILED = 0, 1


def _usage(message: str) -> Exception:
    from s47desk.cli import UsageError  # here, not at import: cli imports this module lazily

    return UsageError(message)


def secret(env_var: str | None, prompt: str, what: str) -> str:
    """A secret from the environment variable *env_var*, else typed at a terminal."""
    if env_var:
        value = os.environ.get(env_var)
        if value is None:
            raise _usage(f"the environment variable {env_var} (for the {what}) is not set")
        return value
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise _usage(f"no terminal to ask for the {what}: give it in an environment variable")


def identity_from(p12: str, pass_env: str | None) -> SigningIdentity:
    passphrase = secret(pass_env, f"Passphrase for {p12}: ", "certificate passphrase")
    try:
        return load_identity(Path(p12), passphrase.encode("utf-8"))
    except SigningError as exc:
        raise _usage(str(exc)) from None


def meeting_id(app: App, text: str) -> int:
    if not text.isdigit():
        raise _usage(f"{text!r} is not a meeting id (a number; see `s47desk list`)")
    return int(text)


def cmd_record(app: App) -> int:
    a = app.args
    if a.pass_env and not a.sign:
        raise _usage("--pass-env needs --sign")
    identity = identity_from(a.sign, a.pass_env) if a.sign else None
    with app.db.sessions() as session:
        try:
            result = export_record(
                session,
                meeting_id(app, a.id),
                Path(a.output),
                forms=app.forms,
                protocol=app.protocol,
                family=a.family,
                identity=identity,
            )
        except (RecordError, SigningError) as exc:
            raise _usage(str(exc)) from None
    record = result.record
    kind = "family copy" if record.family else "record"
    print(f"Wrote the {kind} of {record.reference} (version {record.record_version}) to {a.output}")
    print(f"Content fingerprint (SHA-256): {record.content_fingerprint}")
    if record.signer_sha256:
        print(f"Signed; signing certificate SHA-256: {record.signer_sha256}")
    else:
        print("Not digitally signed (use --sign to sign it).")
    if record.caution:
        print(f"Note: {record.caution}")
    return EXIT_OK


def cmd_verify(app: App) -> int:
    a = app.args
    path = Path(a.file)
    if not path.is_file():
        raise _usage(f"{path}: no such file")
    ca_path = getattr(a, "ca", None)  # --ca PEM, once the parser offers it
    try:
        ca = load_ca_certificate(ca_path) if ca_path else None
        result = verify_docx(path, signer_sha256=a.signer_sha256, ca=ca)
    except SigningError as exc:
        raise _usage(str(exc)) from None
    except OSError as exc:
        raise _usage(f"{path}: cannot be read ({exc.strerror or exc})") from None
    verdict, *details = verification_report(result, pinned=bool(a.signer_sha256))
    print(f"{path}: {verdict}")
    for line in details:
        print(f"  {line}")
    return EXIT_OK if result.ok else EXIT_FAILED


def cmd_circulate(app: App) -> int:
    from s47desk.circulation import CirculationError, SmtpServer, circulate, confirm_sent

    a = app.args
    settings = load_settings()
    sender = settings.chair_name or getpass.getuser()
    number = meeting_id(app, a.id)
    try:
        if a.mark_sent:
            deadline = confirm_sent(
                app.db, number, forms=app.forms, protocol=app.protocol, by=sender
            )
            print(f"Recorded that the drafts of meeting {number} were sent.")
            _print_deadline(deadline)
            return EXIT_OK
        if not a.outdir:
            raise _usage("circulate needs --outdir DIR (or --mark-sent)")
        p12 = a.sign or settings.signing_certificate
        if not p12:
            raise _usage("no signing certificate: give --sign P12 or choose one in settings")
        identity = identity_from(p12, a.pass_env)
        server, password = None, ""
        if a.send:
            try:
                server = SmtpServer.from_settings(settings)
            except ValueError as exc:
                raise _usage(str(exc)) from None
            if server.user:
                password = secret(
                    a.smtp_pass_env, f"Password for {server.user} on {server.host}: ", "password"
                )
        result = circulate(
            app.db,
            number,
            make_folder(a.outdir),
            forms=app.forms,
            protocol=app.protocol,
            identity=identity,
            send=a.send,
            server=server,
            password=password,
            sent_by=sender,
        )
    except (CirculationError, RecordError, SigningError) as exc:
        raise _usage(str(exc)) from None
    print(f"Signed record: {result.record_path}")
    for outcome in result.outcomes:
        if outcome.draft is None:
            continue
        state = "sent" if outcome.sent else "draft"
        print(f"  {outcome.digest.agency.label}: {state} → {', '.join(outcome.digest.emails)}")
        print(f"    {outcome.draft}")
    for warning in result.warnings:
        print(f"  warning: {warning}")
    if result.send_error:
        print(f"s47desk: sending stopped: {result.send_error}", file=sys.stderr)
    if not result.circulated and not a.send:
        print(
            f"Open the drafts in your mail program and send them; then run "
            f"`s47desk circulate {number} --mark-sent` to record the circulation."
        )
    _print_deadline(result.deadline)
    return EXIT_OK if not result.send_error else EXIT_FAILED


def _print_deadline(deadline: Deadline | None) -> None:
    if deadline is not None:
        state = "met" if deadline.met else "not yet met"
        print(f"{deadline.label}: due by {due_date(deadline.due)} ({state})")


def cmd_certificate(app: App) -> int:
    """Create the chair's personal self-signed signing certificate, protected by a passphrase."""
    from s47desk.record.certificate import create_self_signed

    a = app.args
    settings = load_settings()
    name = a.name or settings.chair_name
    if not name:
        raise _usage("give --name (or set the chair's name in settings)")
    if a.pass_env:
        passphrase = secret(a.pass_env, "", "certificate passphrase")
    else:
        passphrase = secret(None, "New passphrase: ", "certificate passphrase")
        if secret(None, "Repeat the passphrase: ", "certificate passphrase") != passphrase:
            raise _usage("the two passphrases differ; nothing was written")
    try:
        identity = create_self_signed(
            Path(a.output),
            name=name,
            role=a.role or settings.chair_role,
            email=a.email or settings.chair_email or None,
            organisation=a.organisation or settings.local_authority or None,
            passphrase=passphrase.encode("utf-8"),
        )
    except SigningError as exc:
        raise _usage(str(exc)) from None
    print(f"Wrote {a.output} for {identity.subject_name}")
    print(f"SHA-256 fingerprint (give it to recipients to pin): {identity.fingerprint_sha256}")
    return EXIT_OK
