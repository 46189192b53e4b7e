"""Meetings in the database: list them, check one (or a meeting file), load the demo."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from s47desk.cli.common import EXIT_NOT_READY, EXIT_OK, meeting_id
from s47desk.cli.registry import Command

if TYPE_CHECKING:
    from s47desk.application import Application
    from s47desk.deadlines import Deadline
    from s47desk.forms import FormDefinition
    from s47desk.models import Meeting
    from s47desk.protocol import Protocol
    from s47desk.readiness import Readiness


def deadline_rows(deadlines: dict[str, Deadline], protocol: Protocol, now: object) -> list[str]:
    """Deadlines as the command line prints them: date, state, basis."""
    calendar = protocol.calendar()
    rows = []
    for d in sorted(deadlines.values(), key=lambda d: d.due):
        state = d.state(now, calendar).replace("overdue", "OVERDUE", 1)  # type: ignore[arg-type]
        rows.append(f"  {d.label:<48} {d.when():<22} {state:<26} {d.basis}")
    return rows


def _list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")


def run_list(app: Application, args: argparse.Namespace) -> int:
    from s47desk import list_read
    from s47desk.jsontext import dumps_indented
    from s47desk.meetings import summaries

    now = app.today()
    plain = list_read.read_meetings(app.db_url)  # a SQLite file, without SQLAlchemy
    if plain is not None:
        rows = summaries(plain, app.forms, app.protocol, now)
    else:
        with app.db.sessions() as session:
            rows = summaries(session, app.forms, app.protocol, now)
        list_read.remember_plan(app.db)
    if args.json:
        out = [
            {
                "id": r.id,
                "reference": r.reference,
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
                "altered": r.altered,
            }
            for r in rows
        ]
        print(dumps_indented(out))  # json.dumps(out, indent=2, ensure_ascii=False), faster
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
        status = "ALTERED" if r.altered else r.status.label
        print(f"{r.id:>4}  {r.child[:28]:<28} {r.form_id:<14} {status:<12} {nxt}")
    return EXIT_OK


def _check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", metavar="FILE|ID")
    p.add_argument("--json", action="store_true")


def report(
    app: Application, meeting: Meeting, form: FormDefinition, result: Readiness, as_json: bool
) -> int:
    if as_json:
        print(
            json.dumps(
                {
                    "ready": result.ready,
                    "findings": [f.as_json() for f in result.findings],
                    "deadlines": {k: d.as_json() for k, d in result.deadlines.items()},
                    "deadline_states": {
                        k: state.value for k, state in result.timescales.states(app.today()).items()
                    },
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
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
            print("\n".join(deadline_rows(result.deadlines, app.protocol, app.today())))
        from s47desk.deadlines import LABELS, DeadlineState

        for state, reasons in (
            (DeadlineState.NOT_KNOWN, result.timescales.not_known),
            (DeadlineState.NOT_APPLICABLE, result.timescales.not_applicable),
        ):
            for key, why in reasons.items():
                print(f"  {LABELS[key]:<48} {state.label.lower():<22} {why}")
    return EXIT_OK if result.ready else EXIT_NOT_READY


def run_check(app: Application, args: argparse.Namespace) -> int:
    from s47desk.meetingfile import read_meeting_file
    from s47desk.meetings import get_meeting
    from s47desk.readiness import readiness

    target: str = args.target
    if target.isdigit() and not Path(target).exists():
        with app.db.sessions() as session:
            meeting = get_meeting(session, meeting_id(target))
            form = app.form(meeting.form_id)
            return report(app, meeting, form, readiness(meeting, form, app.protocol), args.json)
    meeting = read_meeting_file(Path(target), known_forms=app.forms.ids()).meeting
    form = app.form(meeting.form_id)
    return report(app, meeting, form, readiness(meeting, form, app.protocol), args.json)


def run_demo(app: Application, _args: argparse.Namespace) -> int:
    from s47desk.demo import load_demo, loaded_already

    with app.db.transaction() as session:
        if loaded_already(session):
            print("The demo meetings are already loaded (see `s47desk list`).")
            return EXIT_OK
        ids = load_demo(session, app.forms, app.protocol, app.today())
    print(f"Loaded {len(ids)} fictional demo meetings: {', '.join(map(str, ids))}")
    sys.stdout.flush()
    return EXIT_OK


COMMANDS = (
    Command("demo", "load the fictional sample meetings (once)", run_demo, stores=True),
    Command(
        "list", "meetings with child, form, status and next deadline", run_list, _list_arguments
    ),
    Command(
        "check",
        "guidance checks and deadlines for a meeting id or file; exit 0 when ready to sign, "
        "1 when not",
        run_check,
        _check_arguments,
    ),
)
