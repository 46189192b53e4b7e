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


def run_verify(_app: Application, args: argparse.Namespace) -> int:
    from s47desk.record.signature import verify_docx

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    try:
        result = verify_docx(path, signer_sha256=args.signer_sha256)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    print(f"{path}: {result.status.value.upper()}")
    if result.signer:
        print(f"  signer: {result.signer}")
    if result.signer_sha256:
        print(f"  certificate SHA-256: {result.signer_sha256}")
    if result.signed_at:
        print(f"  signed at (as the signer claims): {result.signed_at.isoformat()}")
    for problem in result.problems:
        print(f"  problem: {problem}")
    if result.ok and not args.signer_sha256:
        print("  note: the signer's certificate was not pinned (--signer-sha256); a valid")
        print("  signature shows the file is unchanged, not who signed it.")
    return EXIT_OK if result.ok else EXIT_FAILED


COMMANDS = (
    Command(
        "verify",
        "check a record's digital signature; exit 0 valid, 1 invalid or unsigned",
        run_verify,
        _arguments,
    ),
)
