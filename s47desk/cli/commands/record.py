"""The Word record of a meeting (or the family copy), and the chair's signing certificate."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from s47desk.cli.common import EXIT_OK, UsageError, meeting_id, secret
from s47desk.cli.registry import Command

if TYPE_CHECKING:
    from s47desk.application import Application


def _record_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--family", action="store_true", help="the family copy: only what may be shared")


def run_record(app: Application, args: argparse.Namespace) -> int:
    from s47desk.record.export import export_record

    with app.db.sessions() as session:
        result = export_record(
            session,
            meeting_id(args.id),
            Path(args.output),
            forms=app.forms,
            protocol=app.protocol,
            family=args.family,
        )
    record = result.record
    kind = "family copy" if record.family else "record"
    print(
        f"Wrote the {kind} of {record.reference} (version {record.record_version}) to {args.output}"
    )
    print(f"Content fingerprint (SHA-256): {record.content_fingerprint}")
    if record.signer_sha256:
        print(f"The file the chair signed at sign-off; certificate SHA-256 {record.signer_sha256}")
        print(f"File SHA-256: {record.sha256} (the same every time this version is written)")
    else:
        print("A DRAFT: not authorised and not digitally signed (the chair signs with `sign`).")
    if record.caution:
        print(f"Note: {record.caution}")
    return EXIT_OK


def _certificate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--name", help="your name (default: the chair's name in settings)")
    p.add_argument("--role", help="your role (default: from settings)")
    p.add_argument("--email")
    p.add_argument("--organisation", help="default: the local authority in settings")
    p.add_argument("--pass-env", metavar="VAR", help="environment variable with the passphrase")


def run_certificate(app: Application, args: argparse.Namespace) -> int:
    """Create the chair's personal self-signed signing certificate, protected by a passphrase."""
    from s47desk.record.certificate import create_self_signed

    settings = app.settings
    name = args.name or settings.chair_name
    if not name:
        raise UsageError("give --name (or set the chair's name in settings)")
    if args.pass_env:
        passphrase = secret(args.pass_env, "", "certificate passphrase")
    else:
        passphrase = secret(None, "New passphrase: ", "certificate passphrase")
        if secret(None, "Repeat the passphrase: ", "certificate passphrase") != passphrase:
            raise UsageError("the two passphrases differ; nothing was written")
    identity = create_self_signed(
        Path(args.output),
        name=name,
        role=args.role or settings.chair_role,
        email=args.email or settings.chair_email or None,
        organisation=args.organisation or settings.local_authority or None,
        passphrase=passphrase.encode("utf-8"),
    )
    print(f"Wrote {args.output} for {identity.subject_name}")
    print(f"SHA-256 fingerprint (give it to recipients to pin): {identity.fingerprint_sha256}")
    return EXIT_OK


COMMANDS = (
    Command(
        "record",
        "write a meeting's Word record: the signed file once signed, else a draft",
        run_record,
        _record_arguments,
    ),
    Command(
        "certificate",
        "create your personal self-signed signing certificate (PKCS#12)",
        run_certificate,
        _certificate_arguments,
    ),
)
