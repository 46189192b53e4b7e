"""The real window on a real SQLite file (with the demo meetings), driven by pytest-qt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from s47desk.application import Application
from s47desk.ui.app import build_window
from s47desk.ui.main_window import MainWindow


@pytest.fixture
def app(db_url: str) -> Iterator[Application]:
    """The application the window runs on, over a real SQLite file."""
    application = Application.open(db_url=db_url)
    yield application
    application.close()


@pytest.fixture
def window(qtbot: Any, app: Application) -> Iterator[MainWindow]:
    win = build_window(app)
    qtbot.addWidget(win)
    win.resize(1440, 900)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close_meeting()


def meeting_id(win: MainWindow, form_id: str) -> int:
    """The demo meeting of *form_id*, as the meeting list knows it."""
    return next(r.summary.id for r in win.meeting_list.rows if r.summary.form_id == form_id)


def open_step(win: MainWindow, step_id: str) -> Any:
    assert win.view is not None
    index = win.view.step_index(step_id)
    win.view.show_step(index)
    return win.view.pages[index]


def editor(win: MainWindow, field_id: str) -> Any:
    """The editor of *field_id* on the step that gathers it (the page is shown)."""
    assert win.view is not None
    step = win.view.doc.form.step_for_field(field_id)
    assert step is not None, field_id
    return open_step(win, step.id).editor(field_id)


def saved(qtbot: Any, win: MainWindow) -> None:
    """Wait until autosave has committed every edit (well inside its one-second promise)."""
    assert win.doc is not None
    doc = win.doc
    qtbot.waitUntil(lambda: not doc.autosaver.dirty, timeout=1500)
