"""Check a record's digital signature, as a recipient would."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from s47desk.cli.common import EXIT_FAILED, EXIT_OK, UsageError
from s47desk.cli.registry import Command

if TYPE_CHECKING:
    from s47desk.application import Application


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file")
    p.add_argument(
        "--signer-sha256", metavar="HEX", help="the signing certificate's SHA-256 fingerprint"
    )
    p.add_argument(
        "--ca",
        metavar="PEM",
        help="your organisation's certificate authority (default: from settings)",
    )


def run_verify(app: Application, args: argparse.Namespace) -> int:
    from s47desk.record.ca import load_ca_certificate
    from s47desk.record.signature import verify_docx
    from s47desk.record.verify_report import verification_report

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    ca_path = args.ca or app.settings.certificate_authority
    ca = load_ca_certificate(ca_path) if ca_path else None
    try:
        result = verify_docx(path, signer_sha256=args.signer_sha256, ca=ca)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    verdict, *details = verification_report(result, pinned=bool(args.signer_sha256))
    print(f"{path}: {verdict}")
    for line in details:
        print(f"  {line}")
    return EXIT_OK if result.ok else EXIT_FAILED


COMMANDS = (
    Command(
        "verify",
        "check a record's digital signature; exit 0 valid, 1 invalid or unsigned",
        run_verify,
        _arguments,
    ),
)
