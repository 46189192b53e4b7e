"""Start-up from the command line, settings, the clock, and the look (dark, 200% text)."""

from __future__ import annotations

import json
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import func, select

from s47desk.cli import main
from s47desk.models import Meeting
from s47desk.settings import load_settings, settings_path
from s47desk.storage import open_database
from s47desk.ui.a11y import contrast
from s47desk.ui.banner import Banner
from s47desk.ui.clock import MeetingClock
from s47desk.ui.main_window import MainWindow
from s47desk.ui.theme import apply_theme, is_dark, set_text_scale
from tests.ui.conftest import editor, meeting_id, open_step


def test_no_command_opens_the_window_with_the_demo_meetings(qtbot, db_url):
    seen: list[str] = []
    listed: list[int] = []
    started = time.monotonic()

    def close_it() -> None:
        """Once the window lists the demo meetings (or after 30 s), closed as people close it."""
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        rows = [len(w.meeting_list.rows) for w in windows]
        if not any(rows) and time.monotonic() - started < 30:
            QTimer.singleShot(50, close_it)
            return
        seen.extend(w.windowTitle() for w in windows)
        listed.extend(rows)
        for w in windows:
            w.close()
            w.deleteLater()

    QTimer.singleShot(50, close_it)
    assert main(["--db", db_url]) == 0
    assert seen and seen[0].endswith("s47desk")
    assert listed == [6]  # the demo meetings, in the list the window shows
    fresh = open_database(db_url)
    with fresh.sessions() as session:
        assert session.scalar(select(func.count(Meeting.id))) == 6
    fresh.close()


def test_settings_are_saved_and_a_bad_protocol_is_reported_inline(qtbot, window, tmp_path):
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    dialog.widgets["chair_name"].setText("Priya Sandhu")
    dialog.widgets["region"].setCurrentIndex(dialog.widgets["region"].findData("scotland"))
    bad = tmp_path / "local.toml"
    bad.write_text("[timescales]\nicpc = -1\n", encoding="utf-8")
    dialog.widgets["protocol_file"].setText(str(bad))
    dialog.save()
    assert "icpc" in dialog.problem.text()
    assert dialog.isVisible() and not settings_path().exists()
    dialog.widgets["protocol_file"].setText("")
    dialog.save()
    assert load_settings().settings.chair_name == "Priya Sandhu"
    assert json.loads(settings_path().read_text())["region"] == "scotland"
    assert window.app.protocol.region.value == "scotland"


def test_the_clock_counts_time_per_step():
    now = [100.0]
    clock = MeetingClock(3, now=lambda: now[0])
    clock.start()
    now[0] += 60
    clock.set_step(2)
    now[0] += 30
    clock.pause()
    now[0] += 999  # paused: not counted
    assert clock.per_step == [60.0, 0.0, 30.0]
    assert clock.text() == "0:01:30 · this step 0:00:30"


def test_starting_the_clock_starts_the_meeting(qtbot, window):
    window.open_meeting(meeting_id(window, "missing"))
    assert window.doc.meeting.status.value == "draft"
    qtbot.mouseClick(window.view.clock_button, Qt.MouseButton.LeftButton)
    assert window.view.clock_button.text() == "Pause clock"
    assert window.doc.meeting.status.value == "in_progress"
    window.actions_["undo"].trigger()
    assert window.doc.meeting.status.value == "draft"


def test_dark_palette_and_double_text_size_render(qtbot, window):
    window.open_meeting(meeting_id(window, "pre_birth"))
    app = QApplication.instance()
    base = app.font().pointSizeF()
    try:
        apply_theme(app, dark=True)
        assert is_dark()
        set_text_scale(app, 2.0)
        assert app.font().pointSizeF() >= base * 1.9
        page = open_step(window, "attendance")
        QApplication.processEvents()
        assert not window.grab().isNull()
        heading = page.widget().findChildren(type(window.view.title))[0]
        assert heading.font().pointSizeF() > app.font().pointSizeF()
    finally:
        set_text_scale(app, 1.0)
        apply_theme(app, dark=False)


def test_the_window_opens_with_bad_settings_and_says_what_was_ignored(qtbot, db_url):
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text('{"smtp_port": "587", "chair_name": "Priya Sandhu"}', "utf-8")
    seen: list[str] = []

    def look_then_close() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                assert w.problems_box is not None and w.problems_box.isVisible()
                seen.append(w.problems_box.text())
                w.close()
                w.deleteLater()

    QTimer.singleShot(300, look_then_close)
    assert main(["--db", db_url]) == 0
    assert seen and "smtp_port: must be a whole number" in seen[0]


def _answer_modal(qtbot, seen: list[str], button_text: str = "") -> None:
    """When a modal message box shows, note its text and press *button_text* (or close it)."""

    def look() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(100, look)
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text() == button_text:
                button.click()
                return
        box.close()

    QTimer.singleShot(200, look)


def test_a_second_window_on_the_same_file_is_refused_with_its_name(qtbot, db_url):
    from pathlib import Path

    from s47desk.instance import InstanceLock

    path = Path(db_url.removeprefix("sqlite:///"))
    first = InstanceLock(path)
    first.acquire()
    seen: list[str] = []
    _answer_modal(qtbot, seen)
    try:
        assert main(["--db", db_url]) == 2
    finally:
        first.release()
    assert seen and str(path) in seen[0] and "already open" in seen[0]


def test_a_damaged_database_is_left_as_it_was_and_restore_is_offered(qtbot, tmp_path):
    path = tmp_path / "s47desk.sqlite3"
    path.write_bytes(b"")
    seen: list[str] = []
    _answer_modal(qtbot, seen, "Quit")
    assert main(["--db", f"sqlite:///{path}"]) == 2
    assert seen and "empty file (0 bytes)" in seen[0] and "left exactly as it was" in seen[0]
    assert path.read_bytes() == b""


def test_a_banner_switched_to_the_dark_theme_stays_readable(qtbot, window):
    """Shown in the light theme, then dark, then light again: the banner is re-tinted for the
    palette (its own tint once made it read as light: light text on pale pink)."""
    window.open_meeting(meeting_id(window, "exploitation"))
    app = QApplication.instance()
    try:
        for dark in (False, True, False):
            apply_theme(app, dark=dark)
            page = open_step(window, "attendance")
            QApplication.processEvents()
            banner = next(b for b in page.widget().findChildren(Banner) if b.isVisible())
            background = banner.grab().toImage().pixelColor(banner.width() // 2, 4)
            message = banner.findChildren(QLabel)[1]
            text = message.palette().color(message.foregroundRole())
            assert contrast(text, background) >= 4.5, (dark, text.name(), background.name())
    finally:
        apply_theme(app, dark=False)


def test_the_header_gives_the_held_date_as_the_date_field_shows_it(qtbot, window):
    """One way to write a date on screen: the header's "held" reads like the field below it."""
    window.open_meeting(meeting_id(window, "exploitation"))
    shown = editor(window, "meeting.held_at").date.edit.text()
    assert shown == "Mon 23 November 2026"
    assert f"held {shown} at 09:30" in window.view.subtitle.text()


def test_a_short_forms_go_menu_names_each_step_once(qtbot):
    """A local form of seven steps: Ctrl+1…7 name them, Ctrl+8 is greyed, Ctrl+9 says it is
    the last step again rather than a second "7. Review and sign" with the same mnemonic."""
    from PySide6.QtGui import QAction

    from s47desk.ui.window_actions import STEP_KEYS, name_steps

    actions = [QAction() for _ in range(STEP_KEYS)]
    titles = [f"Step title {i}" for i in range(1, 7)] + ["Review and sign"]
    name_steps(actions, titles)
    texts = [a.text() for a in actions]
    assert texts[6] == "&7. Review and sign"
    assert not actions[7].isEnabled() and texts[7] == "Step 8"
    assert texts[8] == "Last step (7. Review and sign)" and actions[8].isEnabled()
    assert len(set(texts)) == len(texts)


def test_an_unnamed_child_reads_the_same_in_the_checks_and_the_window(qtbot, forms):
    """ "Child 2" while no name is recorded: the seeing-the-child check, an action's children
    and the seen table say it alike (once "(no name yet)", "Child 2" and nothing at all)."""
    from s47desk.checks import run_checks
    from s47desk.models import Child
    from s47desk.protocol import Protocol
    from s47desk.ui.children_choice import names
    from s47desk.ui.editors.collections import ChildrenEditor
    from tests.factories import complete_meeting

    m = complete_meeting()
    unnamed = Child(name="", seen_on=m.held_at.date())
    m.children.append(unnamed)
    place = f"Child {len(m.children)}"
    messages = [f.message for f in run_checks(m, forms.get(m.form_id), Protocol())]
    assert any(x.startswith(f"{place} was seen: record by whom") for x in messages)
    assert names(m.children, [unnamed.uid]) == place
    shown = next(c for c in ChildrenEditor.seen_columns if c.attr == "name")
    assert shown.text(unnamed) == place
