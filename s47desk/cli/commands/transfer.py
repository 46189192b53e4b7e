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
    from s47desk.meetingfile import read_meeting_file
    from s47desk.meetings import import_meeting

    parsed = read_meeting_file(Path(args.file), known_forms=app.forms.ids())
    with app.db.transaction() as session:
        new_id = import_meeting(session, parsed).id
    print(new_id)
    return EXIT_OK


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id")
    p.add_argument("-o", "--output", required=True, metavar="FILE")


def run_export(app: Application, args: argparse.Namespace) -> int:
    from s47desk.meetingfile import write_meeting_file
    from s47desk.meetings import get_meeting

    with app.db.sessions() as session:
        meeting = get_meeting(session, meeting_id(args.id))
        write_meeting_file(meeting, Path(args.output))
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
