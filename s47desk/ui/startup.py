"""Before the window opens: one window per database file, and a database that cannot be used.

A second window on the same SQLite file is refused with a message naming the file. A file
s47desk must not open (empty, damaged, another program's, from a newer s47desk) is left exactly
as it was; the chair is told what is wrong and offered to restore a backup instead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from s47desk.application import Application
from s47desk.backup import default_backups_dir, list_backups
from s47desk.errors import UserError
from s47desk.instance import InstanceLock
from s47desk.storage import DatabaseRefused


def refuse(text: str, title: str = "s47desk cannot start") -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Close)
    box.setObjectName("startupProblem")
    box.exec()


def take_the_database(app: Application) -> InstanceLock | None:
    """The window's lock on its SQLite file (None for a server database); UserError if held."""
    path = app.database_file()
    if path is None:
        return None
    lock = InstanceLock(path)
    lock.acquire()
    return lock


def choose_backup(parent: QWidget | None) -> Path | None:
    """The backup the person picks (newest first), or None."""
    found = list_backups(default_backups_dir()) if default_backups_dir().is_dir() else []
    if not found:
        refuse(f"There are no backups in {default_backups_dir()} to restore.", "No backups")
        return None
    labels = [f"{b.taken:%a %d %b %Y %H:%M} — {b.kind} — {b.path.name}" for b in found]
    label, ok = QInputDialog.getItem(
        parent, "Restore from a backup", "Restore which backup?", labels, 0, False
    )
    return found[labels.index(label)].path if ok else None


def open_or_restore(app: Application) -> bool:
    """Open the database; if it is refused, say why and offer to restore. False: give up."""
    while True:
        try:
            app.db  # noqa: B018 (opening is the point)
            return True
        except DatabaseRefused as exc:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                "The database cannot be used",
                f"{exc}\n\nThe file was left exactly as it was.",
                QMessageBox.StandardButton.NoButton,
            )
            box.setObjectName("databaseRefused")
            restore = box.addButton("Restore from a backup…", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not restore:
                return False
            chosen = choose_backup(None)
            if chosen is None:
                return False
            try:
                app.restore(chosen, window_lock_held=True)
            except UserError as problem:
                refuse(str(problem), "Not restored")
                return False
