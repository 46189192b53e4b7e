"""Start the window: ``s47desk`` with no command calls :func:`run` with the application.

On an empty database that s47desk itself created, the fictional demo meetings are loaded, so a
first run shows something. Settings that could not be read are shown once, not fatal.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from s47desk import __version__
from s47desk.application import Application
from s47desk.paths import config_dir
from s47desk.recovery import Recovered
from s47desk.ui.main_window import MainWindow
from s47desk.ui.theme import apply_theme, set_text_scale


def load_demo_if_empty(app: Application) -> bool:
    """Load the demo meetings into a database s47desk itself created and nothing has been put
    in yet; True when it did. Never into a shared server database, nor one found empty."""
    from s47desk.demo import load_demo, loaded_already
    from s47desk.models import Meeting

    inspection = app.db.inspection
    if inspection is None or not inspection.marked:
        return False

    def empty(session: Session) -> bool:
        return not loaded_already(session) and session.query(Meeting.id).first() is None

    with app.db.sessions() as session:  # a read: another program may hold the write lock
        if not empty(session):
            return False
    try:
        with app.db.transaction() as session:
            if not empty(session):
                return False
            load_demo(session, app.forms, app.protocol, app.today())
    except OperationalError:  # busy: the demo is a courtesy, the window opens without it
        return False
    return True


def application() -> QApplication:
    qt = QApplication.instance()
    if not isinstance(qt, QApplication):
        qt = QApplication(sys.argv[:1])
    qt.setApplicationName("s47desk")
    qt.setApplicationDisplayName("s47desk")
    qt.setApplicationVersion(__version__)
    qt.setOrganizationName("s47desk")
    return qt


def build_window(app: Application) -> MainWindow:
    """The themed main window over *app*, with the last meeting open (also used by tests)."""
    qt = application()
    state = QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
    apply_theme(qt, dark=True if state.value("dark", False, type=bool) else None)
    set_text_scale(qt, float(state.value("text_scale", 1.0)))  # type: ignore[arg-type]
    recovered = app.recover()  # edits a crash left in the recovery journal, saved first
    load_demo_if_empty(app)
    window = MainWindow(app)
    window.open_last()
    if recovered.summary():
        window.show_recovered(recovered)
    if recovered.failed:
        keep_recovering(app, window)
    return window


RECOVERY_RETRY_MS = 30_000


def keep_recovering(app: Application, window: MainWindow) -> QTimer:
    """The database could not take an earlier run's journalled edits at start (locked, or the
    server down): try again in the background until it can, then say what came back."""
    timer = QTimer(window, interval=RECOVERY_RETRY_MS)

    def done(recovered: Recovered) -> str:
        if recovered.failed:
            return recovered.summary()
        timer.stop()
        window.show_recovered(recovered)
        for doc in (window.doc, *window.leftovers):
            if doc is not None:
                doc.release()
        return recovered.summary()

    def attempt() -> None:
        if not window.tasks.busy:
            window.tasks.run(
                "Saving edits from an earlier session", lambda progress: app.recover(), done
            )

    timer.timeout.connect(attempt)
    timer.start()
    window.recovery_timer = timer  # type: ignore[attr-defined]
    return timer


def run(app: Application) -> int:
    """Open the window over *app*; run until it is closed."""
    from s47desk.errors import UserError
    from s47desk.ui.startup import open_or_restore, refuse, take_the_database

    qt = application()
    try:
        lock = take_the_database(app)
    except UserError as exc:
        refuse(str(exc))
        return 2
    try:
        if not open_or_restore(app):
            return 2
        window = build_window(app)
        window.show()
        window.start_daily_backup()
        if app.problems:
            show_problems(window, app.problems)
        return int(qt.exec())
    finally:
        if lock is not None:
            lock.release()


def show_problems(window: MainWindow, problems: list[str]) -> QMessageBox:
    """Say what was ignored, without blocking: the window is usable behind the message."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Some settings were not used",
        "s47desk started, using defaults for what it could not read:\n\n" + "\n\n".join(problems),
        QMessageBox.StandardButton.Ok,
        window,
    )
    box.setObjectName("settingsProblems")
    box.open()
    window.problems_box = box
    return box
