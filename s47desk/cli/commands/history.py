"""A record's history: amend a signed record (a new version), and its audit trail."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from s47desk.cli.common import EXIT_FAILED, EXIT_OK, meeting_id
from s47desk.cli.registry import Command

if TYPE_CHECKING:
    from s47desk.application import Application


def _amend_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why the record is amended")


def run_amend(app: Application, args: argparse.Namespace) -> int:
    new_id = app.amend(meeting_id(args.id), args.reason)
    print(new_id)
    print(
        f"Meeting {new_id} is a draft amendment of meeting {args.id}: correct it, then the chair "
        "signs it. The signed version stays as it is, and can still be exported.",
    )
    return EXIT_OK


def _audit_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id")
    p.add_argument(
        "--verify",
        action="store_true",
        help="check the trail is whole and in order; exit 1 if any entry was altered, removed "
        "or reordered",
    )
    p.add_argument("--json", action="store_true")


def run_audit(app: Application, args: argparse.Namespace) -> int:
    trail, problems = app.audit_trail(meeting_id(args.id))
    if args.json:
        print(
            json.dumps(
                {
                    "entries": [e.as_json() for e in trail],
                    "whole": not problems,
                    "problems": problems,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for e in trail:
            change = f"{e.old!r} → {e.new!r}" if e.action == "edit" else (e.new or e.old)
            who = f"{e.actor} ({e.login})" if e.actor and e.actor != e.login else e.login
            print(
                f"{e.seq:>5}  {e.at:%Y-%m-%d %H:%M:%S}Z  {who:<28} {e.action:<7} {e.field}: {change}"
            )
        if args.verify:
            print(
                "The audit trail is whole and in order." if not problems else "AUDIT TRAIL BROKEN:"
            )
            for problem in problems:
                print(f"  {problem}")
    return EXIT_FAILED if args.verify and problems else EXIT_OK


COMMANDS = (
    Command(
        "amend",
        "correct a signed record: a draft of its next version (prints the new meeting's id)",
        run_amend,
        _amend_arguments,
        stores=True,
    ),
    Command(
        "audit",
        "who changed what, when, in a meeting; --verify checks it",
        run_audit,
        _audit_arguments,
    ),
)
