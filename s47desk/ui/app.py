"""Start the window: ``s47desk`` with no command calls :func:`run` with the command line's App.

On an empty database the fictional demo meetings are loaded, so a first run shows something.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from s47desk import __version__
from s47desk.forms import FormRegistry
from s47desk.models import Meeting
from s47desk.protocol import Protocol
from s47desk.settings import Settings, SettingsError, load_settings
from s47desk.storage import Database, config_dir
from s47desk.ui.main_window import MainWindow
from s47desk.ui.services import Services
from s47desk.ui.theme import apply_theme, set_text_scale


def load_demo_if_empty(db: Database, forms: FormRegistry, protocol: Protocol, today: Any) -> bool:
    """Load the demo meetings into an empty database; True when it did."""
    from s47desk.demo import load_demo

    with db.transaction() as session:
        if session.scalar(select(Meeting.id).limit(1)) is not None:
            return False
        load_demo(session, forms, protocol, today)
    return True


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("s47desk")
    app.setApplicationDisplayName("s47desk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("s47desk")
    return app


def build_window(
    db: Database, forms: FormRegistry, protocol: Protocol, settings: Settings | None = None
) -> MainWindow:
    """The themed main window on *db*, with the last meeting open (also used by tests)."""
    from s47desk.cli import today

    app = application()
    state = QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
    apply_theme(app, dark=True if state.value("dark", False, type=bool) else None)
    set_text_scale(app, float(state.value("text_scale", 1.0)))
    if settings is None:
        try:
            settings = load_settings()
        except SettingsError:
            settings = Settings()
    load_demo_if_empty(db, forms, protocol, today())
    window = MainWindow(Services(db, forms, protocol, settings, today))
    window.open_last()
    return window


def run(cli_app: Any) -> int:
    """Open the window on the command line's database, forms and protocol; run until closed."""
    app = application()
    window = build_window(cli_app.db, cli_app.forms, cli_app.protocol)
    window.show()
    return int(app.exec())
