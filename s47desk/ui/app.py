"""Start the window: ``s47desk`` with no command calls :func:`run` with the application.

On an empty database that s47desk itself created, the fictional demo meetings are loaded, so a
first run shows something. Settings that could not be read are shown once, not fatal.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from s47desk import __version__
from s47desk.application import Application
from s47desk.paths import config_dir
from s47desk.ui.main_window import MainWindow
from s47desk.ui.meeting_list import wait_for_loaders
from s47desk.ui.theme import apply_theme, set_text_scale
from s47desk.ui.window_actions import Act

if TYPE_CHECKING:
    from s47desk.recovery import Recovered


def load_demo_if_empty(app: Application) -> bool:
    """Load the demo meetings into a database s47desk itself created and nothing has been put
    in yet; True when it did. Never into a shared server database, nor one found empty."""
    inspection = app.db.inspection
    if inspection is None or not inspection.created_empty_by_s47desk:
        return False  # (read as it opened: no query or import keeps the list waiting)
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    from s47desk.demo import load_demo, loaded_already
    from s47desk.models import Meeting

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


def apply_saved_look(qt: QApplication) -> None:
    """The palette and text size the person chose last time."""
    state = QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
    apply_theme(qt, dark=True if state.value("dark", False, type=bool) else None)
    set_text_scale(qt, float(state.value("text_scale", 1.0)))  # type: ignore[arg-type]


def build_window(app: Application) -> MainWindow:
    """The themed main window over *app*, with the list read and the last meeting open, all
    before it returns (the tests' window; ``run`` shows it first and fills it in after)."""
    qt = application()
    apply_saved_look(qt)
    recovered = app.recover()  # edits a crash left in the recovery journal, saved first
    load_demo_if_empty(app)
    window = MainWindow(app)
    window.refresh_list()
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


_WHILE_OPENING = (Act.NEW, Act.SETTINGS, Act.RESTORE)  # they need the database
FIRST_PAINT_WAIT_MS = 250  # a window that is not painted (minimised, hidden) opens anyway


class _FirstPaint(QObject):
    """Calls *then* once, when *window* has first painted (or after a short wait at most).

    The database's work at start (importing SQLAlchemy, opening, the list) runs on a worker
    thread, but Python runs one thread at a time: started before the window had painted, it
    took turns with the painting, and the window came up later than it need have."""

    def __init__(self, window: MainWindow, then: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.then: Callable[[], None] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._go)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.then is not None and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._go)  # once the paint is done
        return False

    def _go(self) -> None:
        then, self.then = self.then, None
        if then is not None:
            self.window.removeEventFilter(self)
            then()


class _Background(QThread):
    """One function on a worker thread; its result or exception comes back as a signal."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[], object], parent: QObject | None) -> None:
        super().__init__(parent)
        self.fn = fn

    def run(self) -> None:
        was = gc.isenabled()
        gc.disable()  # see meeting_list._Loader: no full collection stops the window meanwhile
        try:
            result = self.fn()
        except Exception as exc:  # handled on the GUI thread: refusals, damaged files
            self.failed.emit(exc)
        else:
            self.done.emit(result)
        finally:
            gc.freeze()
            if was:
                gc.enable()


def warm_up(app: Application, meeting_id: object) -> None:
    """What opening a meeting will need, made ready off the GUI thread: its modules imported
    and the ORM's first query compiled, so that the open itself is only building widgets."""
    try:
        import s47desk.ui.document
        import s47desk.ui.meeting_view  # noqa: F401

        app.load_meeting(int(str(meeting_id)))
    except Exception:  # a warm-up only: opening it later says what is wrong
        return


def run(app: Application) -> int:
    """Open the window over *app*; run until it is closed.

    The window is shown first, before anything touches the database; once it has painted,
    taking the database (one window per file), opening it (checked, migrated), replaying the
    recovery journal, the demo on a first start and reading the list all happen on a worker
    thread, and the list fills in when they are done. A refusal (another window has the file, the file cannot
    be used) is said as before, and the window closes.
    """
    qt = application()
    apply_saved_look(qt)
    window = MainWindow(app)
    for name in _WHILE_OPENING:
        window.actions_[name].setEnabled(False)
    window.meeting_list.setEnabled(False)
    window.task_label.setText("Opening the database…")
    window.show()
    if app.problems:  # known from the settings alone: said at once
        show_problems(window, app.problems)
    gc.freeze()  # what start-up made stays; the collector need not look at it again
    held: dict[str, Any] = {}
    workers: list[_Background] = []
    last = window.state.value("last_meeting")

    def take_and_open() -> str:
        from s47desk.storage import DatabaseRefused
        from s47desk.ui.startup import take_the_database

        held["lock"] = take_the_database(app)
        try:
            app.db  # noqa: B018 (opening is the point)
        except DatabaseRefused:
            return "refused"
        fill()
        return "open"

    def fill() -> object:
        held["recovered"] = app.recover()  # edits a crash left in the journal, saved first
        load_demo_if_empty(app)
        return None

    def failed(exc: object) -> None:
        from s47desk.errors import UserError
        from s47desk.ui.startup import refuse

        window.hide()
        if isinstance(exc, UserError):
            refuse(str(exc))
        else:
            refuse(f"s47desk could not open the database: {type(exc).__name__}")
        qt.exit(2)

    def opened(state: object) -> None:
        from s47desk.ui.startup import open_or_restore

        if state == "refused":
            if not open_or_restore(app):
                window.hide()
                qt.exit(2)
                return
            start(fill, lambda _none: window.load_list())
            return
        window.load_list()

    def filled() -> None:
        window.task_label.setText("")
        window.meeting_list.setEnabled(True)
        for name in _WHILE_OPENING:
            window.actions_[name].setEnabled(True)
        rows = window.meeting_list.rows
        known = {r.summary.id for r in rows}
        target = last if str(last).isdigit() and int(str(last)) in known else None
        target = target if target is not None else (rows[0].summary.id if rows else None)
        start(lambda: warm_up(app, target), lambda _none: opened_last())

    def opened_last() -> None:
        window.open_last()
        recovered = held.get("recovered")
        if recovered is not None and recovered.summary():
            window.show_recovered(recovered)
        if recovered is not None and recovered.failed:
            keep_recovering(app, window)
        window.start_daily_backup()

    def still_open(then: Callable[[object], None]) -> Callable[[object], None]:
        """*then*, unless the window was closed meanwhile (the person may quit at once: the
        work finishes, but nothing is opened in a window that is gone)."""

        def guarded(result: object) -> None:
            if isValid(window) and window.isVisible():
                then(result)

        return guarded

    def start(fn: Callable[[], object], then: Callable[[object], None]) -> None:
        worker = _Background(fn, None)  # not the window's: it may close first
        worker.done.connect(still_open(then))
        worker.failed.connect(still_open(failed))
        workers.append(worker)
        worker.start()

    window.meeting_list.filled.connect(filled, Qt.ConnectionType.SingleShotConnection)
    _FirstPaint(window, lambda: start(take_and_open, opened))
    try:
        return int(qt.exec())
    finally:
        for worker in workers:
            worker.wait()
        wait_for_loaders()
        lock = held.get("lock")
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
