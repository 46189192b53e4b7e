"""Meeting files in and out: import one, export one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from s47desk.cli.common import EXIT_OK, meeting_id
from s47desk.cli.registry import Command

if TYPE_CHECKING:
    from s47desk.application import Application


def _import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file")


def run_import(app: Application, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from s47desk.meetingfile import read_meeting_file
    from s47desk.meetings import import_meeting

    path = Path(args.file)
    parsed = read_meeting_file(path, known_forms=app.forms.ids())
    actor = app.actor()
    provenance = (
        f"Imported from {path.name} by {actor.name or actor.login} on "
        f"{datetime.now(UTC):%d/%m/%Y at %H:%M} UTC"
    )
    with app.db.transaction() as session:
        session.info["actor"] = actor
        new_id = import_meeting(session, parsed, provenance=provenance).id
    print(new_id)
    return EXIT_OK


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id")
    p.add_argument("-o", "--output", required=True, metavar="FILE")


def run_export(app: Application, args: argparse.Namespace) -> int:
    from s47desk.graph import load
    from s47desk.meetingfile import write_meeting_file
    from s47desk.meetings import MeetingNotFound
    from s47desk.record.export import RecordError
    from s47desk.signoff_check import check_signoff, stored_documents

    number = meeting_id(args.id)
    with app.db.sessions() as session:
        meeting = load(session, number)
        if meeting is None:
            raise MeetingNotFound(f"there is no meeting {number} (see `s47desk list`)")
        check = check_signoff(meeting)
        if not check.ok:
            raise RecordError(
                f"Meeting {number} was altered after it was signed: {check.summary}. Nothing "
                "was written."
            )
        documents = list(stored_documents(session, meeting).values()) if meeting.is_locked else []
        write_meeting_file(meeting, Path(args.output), documents)
    print(f"Wrote meeting {args.id} to {args.output}")
    return EXIT_OK


COMMANDS = (
    Command(
        "import",
        "import a meeting file; prints the new meeting's id",
        run_import,
        _import_arguments,
        stores=True,
    ),
    Command("export-json", "write a meeting as a meeting file", run_export, _export_arguments),
)
