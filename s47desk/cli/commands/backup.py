"""Backups of the database (SQLite's online backup) and restoring one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from s47desk.cli.common import EXIT_OK
from s47desk.cli.registry import Command

if TYPE_CHECKING:
    from s47desk.application import Application


def _backup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o", "--output", metavar="FILE", help="where to write it (default: the backups folder)"
    )


def run_backup(app: Application, args: argparse.Namespace) -> int:
    written = app.backup(Path(args.output) if args.output else None)
    print(f"Backed up {app.database_file()} to {written}")
    return EXIT_OK


def _restore_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the backup to restore (see the backups folder)")


def run_restore(app: Application, args: argparse.Namespace) -> int:
    kept = app.restore(Path(args.file))
    print(f"Restored {app.database_file()} from {args.file}.")
    if kept is not None:
        print(f"The database it replaced is kept in {kept}.")
    return EXIT_OK


def _backups_arguments(_p: argparse.ArgumentParser) -> None:
    """No arguments."""


def run_backups(app: Application, _args: argparse.Namespace) -> int:
    from s47desk.backup import default_backups_dir, list_backups

    folder = default_backups_dir()
    found = list_backups(folder) if folder.is_dir() else []
    if not found:
        print(f"No backups yet in {folder}.")
        return EXIT_OK
    for info in found:
        print(f"{info.taken:%Y-%m-%d %H:%M}  {info.kind:<18} {info.path}")
    return EXIT_OK


COMMANDS = (
    Command("backup", "back up the database now (SQLite)", run_backup, _backup_arguments),
    Command("backups", "list the backups kept in the backups folder", run_backups),
    Command(
        "restore",
        "replace the database with a backup (the one replaced is kept); the window must be closed",
        run_restore,
        _restore_arguments,
        stores=True,
    ),
)
