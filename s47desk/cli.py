"""The s47desk command line: the same core the window uses, for scripting and for checking.

Bad input prints a message naming the problem on stderr and exits 2, having written nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from s47desk import __version__
from s47desk.atomic import ExportError
from s47desk.checks import CHECKS
from s47desk.deadlines import Deadline, DeadlineInputs, compute_deadlines
from s47desk.forms import FormError, FormRegistry, load_form_file, load_forms
from s47desk.meetingfile import MeetingFileError, json_schema, read_meeting_file, write_meeting_file
from s47desk.meetings import (
    Assessment,
    MeetingNotFound,
    assess,
    get_meeting,
    import_meeting,
    summaries,
)
from s47desk.models import Meeting
from s47desk.protocol import Protocol, ProtocolError, load_protocol
from s47desk.settings import SettingsError, load_settings
from s47desk.storage import Database, StorageError, config_dir, open_database
from s47desk.vocab import Urgency
from s47desk.workdays import Region

EXIT_OK, EXIT_NOT_READY, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: reported on stderr with exit status 2."""


def _date(text: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date") from None


def today() -> date:
    """Today, or S47DESK_TODAY (YYYY-MM-DD) for training sessions and tests."""
    fixed = os.environ.get("S47DESK_TODAY")
    return _date(fixed) if fixed else date.today()


class App:
    """What a command needs, opened lazily: a calendar sum should not touch the database."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._db: Database | None = None
        try:
            settings = load_settings()
            protocol_file = args.protocol or settings.protocol_file or None
            self.protocol = load_protocol(protocol_file).with_region(Region(settings.region))
            self.forms: FormRegistry = load_forms(args.forms or config_dir() / "forms")
        except (ProtocolError, FormError, SettingsError) as exc:
            raise UsageError(str(exc)) from None

    @property
    def db(self) -> Database:
        if self._db is None:
            try:
                self._db = open_database(self.args.db)
            except StorageError as exc:
                raise UsageError(str(exc)) from None
        return self._db

    def meeting(self, session: Any, meeting_id: str) -> Meeting:
        if not meeting_id.isdigit():
            raise UsageError(f"{meeting_id!r} is not a meeting id (a number; see `s47desk list`)")
        try:
            return get_meeting(session, int(meeting_id))
        except MeetingNotFound as exc:
            raise UsageError(f"{exc} (see `s47desk list`)") from None


def _deadline_rows(deadlines: dict[str, Deadline], now: date, protocol: Protocol) -> list[str]:
    calendar = protocol.calendar()
    rows = []
    for d in sorted(deadlines.values(), key=lambda d: d.due):
        state = d.state(now, calendar)
        state = state.replace("overdue", "OVERDUE", 1)
        when = d.when()
        rows.append(f"  {d.label:<48} {when:<22} {state:<26} {d.basis}")
    return rows


def cmd_window(app: App) -> int:
    try:
        from s47desk.ui.app import run
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("s47desk.ui"):
            print(
                "The meeting window is not in this build yet. Every other command works: "
                "see `s47desk --help`.",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        raise
    return int(run(app))


def cmd_demo(app: App) -> int:
    from sqlalchemy import select

    from s47desk.demo import LA, load_demo

    with app.db.transaction() as session:
        if session.scalar(select(Meeting.id).where(Meeting.local_authority == LA).limit(1)):
            print("The demo meetings are already loaded (see `s47desk list`).")
            return EXIT_OK
        ids = load_demo(session, app.forms, app.protocol, today())
    print(f"Loaded {len(ids)} fictional demo meetings: {', '.join(map(str, ids))}")
    return EXIT_OK


def cmd_import(app: App) -> int:
    parsed = read_meeting_file(Path(app.args.file), known_forms=app.forms.ids())
    with app.db.transaction() as session:
        meeting = import_meeting(session, parsed)
        meeting_id = meeting.id
    print(meeting_id)
    return EXIT_OK


def cmd_export_json(app: App) -> int:
    with app.db.sessions() as session:
        meeting = app.meeting(session, app.args.id)
        write_meeting_file(meeting, Path(app.args.output))
    print(f"Wrote meeting {app.args.id} to {app.args.output}")
    return EXIT_OK


def cmd_list(app: App) -> int:
    now = today()
    with app.db.sessions() as session:
        rows = summaries(session, app.forms, app.protocol, now)
    if app.args.json:
        out = [
            {
                "id": r.id,
                "child": r.child,
                "form": r.form_id,
                "status": r.status.value,
                "held_at": r.held_at.isoformat(timespec="minutes") if r.held_at else None,
                "next_deadline": (
                    {"key": r.next_deadline.key, "due": r.next_deadline.as_json()}
                    if r.next_deadline
                    else None
                ),
                "open_actions": r.open_actions,
                "overdue_actions": r.overdue_actions,
            }
            for r in rows
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print("No meetings yet. `s47desk demo` loads fictional samples.")
        return EXIT_OK
    print(f"{'ID':>4}  {'CHILD':<28} {'FORM':<14} {'STATUS':<12} NEXT DEADLINE")
    for r in rows:
        nd = r.next_deadline
        nxt = "—"
        if nd is not None:
            nxt = f"{nd.label}: {nd.when()}" + (" (OVERDUE)" if nd.due < now else "")
        print(f"{r.id:>4}  {r.child[:28]:<28} {r.form_id:<14} {r.status.label:<12} {nxt}")
    return EXIT_OK


def _report(meeting: Meeting, result: Assessment, app: App, as_json: bool) -> int:
    if as_json:
        print(
            json.dumps(
                {
                    "ready": result.ready,
                    "findings": [f.as_json() for f in result.findings],
                    "deadlines": {k: d.as_json() for k, d in result.deadlines.items()},
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        form = app.forms.get(meeting.form_id)
        blockers = len(result.blockers)
        warnings = len(result.findings) - blockers
        print(f"{form.title}: {meeting.display_name()}")
        print(
            "READY TO SIGN" if result.ready else "NOT READY TO SIGN",
            f"({blockers} blocker{'s' * (blockers != 1)}, {warnings} warning{'s' * (warnings != 1)})",
        )
        for f in result.findings:
            print(f"  [{f.severity.value}] {f.code} ({form.step(f.step).title}): {f.message}")
        if result.deadlines:
            print("Deadlines:")
            print("\n".join(_deadline_rows(result.deadlines, today(), app.protocol)))
    return EXIT_OK if result.ready else EXIT_NOT_READY


def cmd_check(app: App) -> int:
    target = app.args.target
    if target.isdigit() and not Path(target).exists():
        with app.db.sessions() as session:
            meeting = app.meeting(session, target)
            form = app.forms.get(meeting.form_id)
            return _report(meeting, assess(meeting, form, app.protocol), app, app.args.json)
    meeting = read_meeting_file(Path(target), known_forms=app.forms.ids()).meeting
    form = app.forms.get(meeting.form_id)
    return _report(meeting, assess(meeting, form, app.protocol), app, app.args.json)


def cmd_deadlines(app: App) -> int:
    a = app.args
    protocol = app.protocol.with_region(Region(a.region)) if a.region else app.protocol
    inputs = DeadlineInputs(
        referral=a.referral,
        identified=a.identified,
        held=a.held,
        urgency=Urgency(a.urgency),
        allegation=a.allegation,
        # A calculator: with --held, show what follows if that discussion starts section 47
        # enquiries, or concludes with child in need services.
        s47_initiated_on=a.held,
        cin_outcome_on=a.held,
    )
    deadlines = compute_deadlines(inputs, protocol)
    if a.json:
        print(json.dumps({k: d.as_json() for k, d in deadlines.items()}, indent=2))
    else:
        print(f"Working days: {protocol.region.label}; timescales from {protocol.source}")
        print("\n".join(_deadline_rows(deadlines, today(), protocol)))
    return EXIT_OK


def cmd_schema(app: App) -> int:
    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


def cmd_checks(app: App) -> int:
    for code, check in sorted(CHECKS.items()):
        print(f"{code:<34} {check.severity.value:<8} {check.requirement} [{check.source}]")
    return EXIT_OK


def cmd_forms(app: App) -> int:
    if app.args.validate:
        form = load_form_file(Path(app.args.validate))
        print(f"{app.args.validate}: valid form {form.id!r} ({len(form.steps)} steps)")
        return EXIT_OK
    for form in app.forms:
        print(f"{form.id:<14} {form.title}  ({len(form.steps)} steps; {form.source})")
    return EXIT_OK


def cmd_record(app: App) -> int:
    from s47desk.record.commands import cmd_record as run

    return run(app)


def cmd_verify(app: App) -> int:
    from s47desk.record.commands import cmd_verify as run

    return run(app)


def cmd_circulate(app: App) -> int:
    from s47desk.record.commands import cmd_circulate as run

    return run(app)


def cmd_certificate(app: App) -> int:
    from s47desk.record.commands import cmd_certificate as run

    return run(app)


COMMANDS: dict[str, Callable[[App], int]] = {
    "demo": cmd_demo,
    "import": cmd_import,
    "export-json": cmd_export_json,
    "list": cmd_list,
    "check": cmd_check,
    "deadlines": cmd_deadlines,
    "schema": cmd_schema,
    "checks": cmd_checks,
    "forms": cmd_forms,
    "record": cmd_record,
    "verify": cmd_verify,
    "circulate": cmd_circulate,
    "certificate": cmd_certificate,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="s47desk",
        description="Chair and record multi-agency strategy discussions (section 47, Children "
        "Act 1989). With no command, opens the meeting window.",
        epilog="Exit status: 0 success (check: ready to sign); 1 check: not ready; 2 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"s47desk {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="SQLAlchemy database URL (default: $S47DESK_DB or a SQLite file in your data folder)",
    )
    parser.add_argument(
        "--protocol",
        metavar="FILE",
        help="local-protocol TOML file (timescales, region, closure days)",
    )
    parser.add_argument(
        "--forms",
        metavar="DIR",
        type=Path,
        help="folder of local meeting forms (default: forms/ in the config folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("demo", help="load the fictional sample meetings (once)")
    p = sub.add_parser("import", help="import a meeting file; prints the new meeting's id")
    p.add_argument("file")
    p = sub.add_parser("export-json", help="write a meeting as a meeting file")
    p.add_argument("id")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p = sub.add_parser("list", help="meetings with child, form, status and next deadline")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser(
        "check",
        help="guidance checks and deadlines for a meeting id or file; "
        "exit 0 when ready to sign, 1 when not",
    )
    p.add_argument("target", metavar="FILE|ID")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("deadlines", help="working-day deadline calculator")
    p.add_argument("--referral", type=_date, required=True, metavar="DATE")
    p.add_argument("--identified", type=_date, metavar="DATE", help="date concerns were identified")
    p.add_argument("--held", type=_date, metavar="DATE", help="date the discussion was held")
    p.add_argument("--urgency", choices=[u.value for u in Urgency], default=Urgency.STANDARD.value)
    p.add_argument(
        "--allegation", action="store_true", help="a professional is alleged to have harmed"
    )
    p.add_argument("--region", choices=[r.value for r in Region])
    p.add_argument("--json", action="store_true")
    sub.add_parser("schema", help="print the meeting-file JSON Schema")
    sub.add_parser("checks", help="list every guidance check with its code and source")
    p = sub.add_parser("forms", help="list the meeting forms, or validate a form file")
    p.add_argument("--validate", metavar="FILE")
    p = sub.add_parser("record", help="write a meeting's Word record (optionally signed)")
    p.add_argument("id")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--family", action="store_true", help="the family copy: only what may be shared")
    p.add_argument("--sign", metavar="P12", help="sign with this PKCS#12 certificate file")
    p.add_argument(
        "--pass-env",
        metavar="VAR",
        help="environment variable holding the certificate passphrase (default: ask)",
    )
    p = sub.add_parser(
        "verify",
        help="check a record's digital signature; exit 0 valid, 1 invalid or unsigned",
    )
    p.add_argument("file")
    p.add_argument(
        "--signer-sha256", metavar="HEX", help="the signing certificate's SHA-256 fingerprint"
    )
    p = sub.add_parser(
        "circulate",
        help="write the signed record and an email draft per agency; optionally send them",
    )
    p.add_argument("id")
    p.add_argument("--outdir", metavar="DIR", help="folder for the record and the .eml drafts")
    p.add_argument(
        "--send", action="store_true", help="also send them through the SMTP server in settings"
    )
    p.add_argument(
        "--mark-sent",
        action="store_true",
        help="record that you sent the drafts from your own mail program",
    )
    p.add_argument("--sign", metavar="P12", help="certificate file (default: from settings)")
    p.add_argument("--pass-env", metavar="VAR", help="environment variable with its passphrase")
    p.add_argument(
        "--smtp-pass-env", metavar="VAR", help="environment variable with the SMTP password"
    )
    p = sub.add_parser(
        "certificate", help="create your personal self-signed signing certificate (PKCS#12)"
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--name", help="your name (default: the chair's name in settings)")
    p.add_argument("--role", help="your role (default: from settings)")
    p.add_argument("--email")
    p.add_argument("--organisation", help="default: the local authority in settings")
    p.add_argument("--pass-env", metavar="VAR", help="environment variable with the passphrase")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        app = App(args)
        if args.command is None:
            return cmd_window(app)
        return COMMANDS[args.command](app)
    except (UsageError, MeetingFileError, FormError, ExportError, StorageError) as exc:
        print(f"s47desk: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
