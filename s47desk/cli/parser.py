"""The argument parser: global options, then one sub-command per Command, listed explicitly."""

from __future__ import annotations

import argparse
from pathlib import Path

from s47desk import __version__
from s47desk.cli.commands import (
    backup,
    circulate,
    history,
    meetings,
    record,
    reference,
    sign,
    transfer,
    verify,
)
from s47desk.cli.commands.window import run_window
from s47desk.cli.registry import Command

COMMANDS: tuple[Command, ...] = (
    *meetings.COMMANDS,
    *transfer.COMMANDS,
    *reference.COMMANDS,
    *sign.COMMANDS,
    *record.COMMANDS,
    *verify.COMMANDS,
    *circulate.COMMANDS,
    *backup.COMMANDS,
    *history.COMMANDS,
)
WINDOW = Command("window", "open the meeting window", run_window, stores=True)
_BY_NAME = {c.name: c for c in COMMANDS}


def command_named(name: str | None) -> Command:
    return WINDOW if name is None else _BY_NAME[name]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="s47desk",
        description="Chair and record multi-agency strategy discussions (section 47, Children "
        "Act 1989). With no command, opens the meeting window.",
        epilog="Exit status: 0 success (check: ready to sign); 1 check: not ready, verify: "
        "invalid; 2 bad input; 70 a defect in s47desk.",
    )
    parser.add_argument("--version", action="version", version=f"s47desk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation end to end (window, checks, signing, export, mail) in a "
        "temporary folder, touching none of your data; exit 0 if every step passed",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="SQLAlchemy database URL (default: $S47DESK_DB or a SQLite file in your data folder)",
    )
    parser.add_argument(
        "--protocol", metavar="FILE", help="local-protocol TOML file (timescales, region, closures)"
    )
    parser.add_argument(
        "--forms",
        metavar="DIR",
        type=Path,
        help="folder of local meeting forms (default: forms/ in the config folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.arguments(sub.add_parser(command.name, help=command.help))
    return parser
