"""Circulate the signed record: an email draft per agency, optionally sent; or confirm sending."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from s47desk.cli.common import EXIT_FAILED, EXIT_OK, UsageError, meeting_id, secret
from s47desk.cli.registry import Command

if TYPE_CHECKING:
    from s47desk.application import Application
    from s47desk.deadlines import Deadline


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id")
    p.add_argument(
        "--outdir",
        metavar="DIR",
        help="folder for the record and the .eml drafts (default: the meeting's folder in the "
        "export folder from settings)",
    )
    p.add_argument(
        "--send", action="store_true", help="also send them through the SMTP server in settings"
    )
    p.add_argument(
        "--mark-sent",
        action="store_true",
        help="record that you sent the drafts from your own mail program",
    )
    p.add_argument(
        "--smtp-pass-env", metavar="VAR", help="environment variable with the SMTP password"
    )


def run_circulate(app: Application, args: argparse.Namespace) -> int:
    from s47desk.atomic import make_folder
    from s47desk.circulation import SmtpServer, circulate, confirm_sent
    from s47desk.meetings import get_meeting
    from s47desk.record.labels import reference

    settings = app.settings
    sender = app.user_label()
    number = meeting_id(args.id)
    if args.mark_sent:
        deadline = confirm_sent(app.db, number, forms=app.forms, protocol=app.protocol, by=sender)
        print(f"Recorded that the drafts of meeting {number} were sent.")
        _print_deadline(deadline)
        return EXIT_OK
    if args.outdir:
        outdir = make_folder(args.outdir)
    else:
        with app.db.sessions() as session:
            outdir = make_folder(app.meeting_folder(reference(get_meeting(session, number))))
    server, password = None, ""
    if args.send:
        try:
            server = SmtpServer.from_settings(settings)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if server.user:
            password = secret(
                args.smtp_pass_env, f"Password for {server.user} on {server.host}: ", "password"
            )
    result = circulate(
        app.db,
        number,
        outdir,
        forms=app.forms,
        protocol=app.protocol,
        send=args.send,
        server=server,
        password=password,
        sent_by=sender,
    )
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
    if not result.circulated and not args.send:
        print(
            f"Open the drafts in your mail program and send them; then run "
            f"`s47desk circulate {number} --mark-sent` to record the circulation."
        )
    _print_deadline(result.deadline)
    return EXIT_OK if not result.send_error else EXIT_FAILED


def _print_deadline(deadline: Deadline | None) -> None:
    from s47desk.record.labels import due_date

    if deadline is not None:
        state = (
            "met on time"
            if deadline.met
            else f"late: {deadline.late_by} after the deadline"
            if deadline.done
            else "not yet met"
        )
        print(f"{deadline.label}: due by {due_date(deadline.due)} ({state})")


COMMANDS = (
    Command(
        "circulate",
        "write the signed record and an email draft per agency; optionally send them",
        run_circulate,
        _arguments,
        stores=True,
    ),
)
