"""Commands that never touch the database: the calculator, the schema, the checks, the forms."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from s47desk.cli.common import EXIT_OK, parse_date
from s47desk.cli.registry import Command
from s47desk.vocab import Urgency
from s47desk.workdays import Region

if TYPE_CHECKING:
    from s47desk.application import Application


def _deadline_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--referral", type=parse_date, required=True, metavar="DATE")
    p.add_argument("--identified", type=parse_date, metavar="DATE", help="concerns identified")
    p.add_argument("--held", type=parse_date, metavar="DATE", help="date the discussion was held")
    p.add_argument("--urgency", choices=[u.value for u in Urgency], default=Urgency.STANDARD.value)
    p.add_argument(
        "--allegation", action="store_true", help="a professional is alleged to have harmed"
    )
    p.add_argument("--region", choices=[r.value for r in Region])
    p.add_argument("--json", action="store_true")


def run_deadlines(app: Application, args: argparse.Namespace) -> int:
    from s47desk.cli.commands.meetings import deadline_rows
    from s47desk.deadlines import DeadlineInputs, compute_deadlines

    protocol = app.protocol.with_region(Region(args.region)) if args.region else app.protocol
    inputs = DeadlineInputs(
        referral=args.referral,
        identified=args.identified,
        held=args.held,
        urgency=Urgency(args.urgency),
        allegation=args.allegation,
        # The LADO clock runs from when professional abuse was suspected: here, the day the
        # concerns were identified (or the referral).
        abuse_suspected_on=(args.identified or args.referral) if args.allegation else None,
        # A calculator: with --held, show what follows if that discussion starts section 47
        # enquiries (the conference clock).
        s47_decided=args.held is not None,
        s47_initiated_here=args.held is not None,
    )
    deadlines = compute_deadlines(inputs, protocol)
    if args.json:
        print(json.dumps({k: d.as_json() for k, d in deadlines.items()}, indent=2))
    else:
        print(f"Working days: {protocol.region.label}; timescales from {protocol.source}")
        print("\n".join(deadline_rows(deadlines, protocol, app.today())))
    return EXIT_OK


def run_schema(_app: Application, _args: argparse.Namespace) -> int:
    from s47desk.meetingfile.published import schema_text

    print(schema_text(), end="")
    return EXIT_OK


def run_checks(_app: Application, _args: argparse.Namespace) -> int:
    from s47desk.checks import CHECKS

    for code, check in sorted(CHECKS.items()):
        print(f"{code:<34} {check.severity.value:<8} {check.requirement} [{check.source}]")
    return EXIT_OK


def _forms_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--validate", metavar="FILE")


def run_forms(app: Application, args: argparse.Namespace) -> int:
    from s47desk.forms import load_form_file

    if args.validate:
        form = load_form_file(Path(args.validate))
        print(f"{args.validate}: valid form {form.id!r} ({len(form.steps)} steps)")
        return EXIT_OK
    for form in app.forms:
        print(f"{form.id:<14} {form.title}  ({len(form.steps)} steps; {form.source})")
    return EXIT_OK


COMMANDS = (
    Command("deadlines", "working-day deadline calculator", run_deadlines, _deadline_arguments),
    Command("schema", "print the meeting-file JSON Schema", run_schema),
    Command("checks", "list every guidance check with its code and source", run_checks),
    Command(
        "forms", "list the meeting forms, or validate a form file", run_forms, _forms_arguments
    ),
)
