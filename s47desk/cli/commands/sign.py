"""The chair signs a meeting with their certificate, as in the window: same rules, one commit."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from s47desk.cli.common import EXIT_OK, UsageError, identity_from, meeting_id
from s47desk.cli.registry import Command

if TYPE_CHECKING:
    from s47desk.application import Application


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id")
    p.add_argument(
        "--certificate", metavar="P12", help="your signing certificate (default: from settings)"
    )
    p.add_argument("--pass-env", metavar="VAR", help="environment variable with its passphrase")
    p.add_argument("--name", help="who signs (default: the chair recorded on the meeting)")
    p.add_argument("--role", help="their role (default: the chair's role on the meeting)")
    p.add_argument(
        "--on-behalf-of",
        metavar="TEXT",
        default="",
        help='when someone signs for the chair: "<signer> on behalf of <chair>"',
    )


def run_sign(app: Application, args: argparse.Namespace) -> int:
    from s47desk.meetings import get_meeting

    number = meeting_id(args.id)
    p12 = args.certificate or app.settings.signing_certificate
    if not p12:
        raise UsageError("give --certificate P12 (or choose your certificate in settings)")
    with app.db.sessions() as session:
        meeting = get_meeting(session, number)
        name = args.name or meeting.chair_name
        role = args.role or meeting.chair_role
    identity = identity_from(p12, args.pass_env)
    result = app.sign(number, identity, name=name, role=role, on_behalf_of=args.on_behalf_of)
    who = f"{result.name}, {result.role}" + (
        f" ({result.on_behalf_of})" if result.on_behalf_of else ""
    )
    print(f"Signed meeting {number} by {who} at {result.signed_at:%d/%m/%Y %H:%M} UTC.")
    print(f"Read back from the database: signed; certificate SHA-256 {result.certificate_sha256}")
    for kind, digest in result.documents.items():
        print(f"  {kind.replace('_', ' ')}: SHA-256 {digest}")
    return EXIT_OK


COMMANDS = (
    Command(
        "sign",
        "sign a meeting as its chair with your certificate (refused while blockers remain)",
        run_sign,
        _arguments,
        stores=True,
    ),
)
