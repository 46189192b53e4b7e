"""Nothing typed is ever lost, as people meet it: a database locked by another program or read
only, a colleague saving the same meeting (other fields merge; the same field asks which text
to keep), a meeting signed in another window, and a crash that leaves unsaved edits behind."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from s47desk import storage
from s47desk.application import Application
from s47desk.audit import Actor
from s47desk.editing import FieldEdit, save_edits
from s47desk.journal import Journal, journal_path
from s47desk.meetings import get_meeting
from s47desk.paths import data_dir
from s47desk.storage import open_database
from s47desk.ui.app import build_window
from tests.factories import chris_p12
from tests.recordkit import PASSPHRASE
from tests.ui.conftest import editor, open_step, saved
from tests.ui.sign_kit import confirm_signing, ready_meeting


def stored(db_url: str, mid: int) -> Any:
    fresh = open_database(db_url)
    try:
        with fresh.sessions() as session:
            meeting = get_meeting(session, mid)
            session.expunge_all()
            return meeting
    finally:
        fresh.close()


@pytest.fixture
def quick_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A database busy for longer than this counts as "cannot save now" (5 s in real use)."""
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 300)


@pytest.fixture
def win(qtbot: Any, db_url: str, quick_busy: None) -> Iterator[Any]:
    app = Application.open(db_url=db_url)
    window = build_window(app)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close_meeting()
    app.close()


class Locker:
    """Another program holding the database's write lock (BEGIN IMMEDIATE) until released."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, timeout=0)
        self.connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.connection.execute("ROLLBACK")
        self.connection.close()


def at_end(qtbot: Any, edit: Any) -> None:
    """Into the field and to the end of its text, as a person carrying on typing does."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)


def db_file(db_url: str) -> Path:
    return Path(db_url.removeprefix("sqlite:///"))


def test_a_locked_database_keeps_the_text_and_saves_it_once_free(qtbot, win, db_url):
    mid = ready_meeting(win)
    win.open_meeting(mid)
    reason = editor(win, "meeting.reason")
    at_end(qtbot, reason.edit)
    locker = Locker(db_file(db_url))
    try:
        qtbot.keyClicks(reason.edit, " The grandmother rang again at 9.")
        qtbot.waitUntil(lambda: bool(win.doc.autosaver.failing), timeout=5000)
        assert reason.edit.toPlainText().endswith("rang again at 9.")  # still on screen
        assert win.save_label.text().startswith("Not saved: the database is busy")
        assert "journalled" in win.save_label.text()
        banner = " ".join(win.view.notice.messages())
        assert "Not saved" in banner and "Trying again in" in banner
        journal = Journal(journal_path(db_file(db_url), db_url, data_dir()))
        assert any(
            isinstance(j.edit, FieldEdit) and str(j.edit.new).endswith("rang again at 9.")
            for j in journal.pending()
        )
        assert (journal.path.stat().st_mode & 0o777) == 0o600
        qtbot.keyClicks(reason.edit, " She is worried.")  # typing on while it fails
        qtbot.wait(300)
    finally:
        locker.release()
    qtbot.mouseClick(win.view.notice.buttons[0], Qt.MouseButton.LeftButton)  # Try again now
    qtbot.waitUntil(lambda: not win.doc.autosaver.dirty and not win.doc.autosaver.failing)
    assert win.save_label.text().startswith("All changes saved")
    assert stored(db_url, mid).reason.endswith("rang again at 9. She is worried.")
    assert journal.pending() == []


def test_sign_after_a_failed_then_recovered_save_and_read_it_back(qtbot, win, db_url):
    mid = ready_meeting(win)
    win.app.apply_settings(win.app.settings.with_changes(signing_certificate=str(chris_p12())))
    win.open_meeting(mid)
    taker = editor(win, "meeting.minute_taker")
    at_end(qtbot, taker.edit)
    locker = Locker(db_file(db_url))
    qtbot.keyClicks(taker.edit, " and Jo")
    qtbot.waitUntil(lambda: bool(win.doc.autosaver.failing), timeout=5000)
    locker.release()
    sign = open_step(win, "sign").editor("signoff")
    confirm_signing(qtbot, sign)  # signing stores what is pending first
    dialog = sign.unlock_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not win.tasks.busy, timeout=20000)
    assert sign.state.text().startswith("Signed and saved"), sign.state.text()
    win.close_meeting()
    meeting = stored(db_url, mid)
    assert meeting.minute_taker.endswith(" and Jo") and meeting.status.value == "signed"


def test_a_read_only_database_keeps_the_text_on_screen_and_in_the_journal(qtbot, db_url):
    Application.open(db_url=db_url).close()  # created, migrated, demo loaded later
    read_only = f"sqlite:///file:{db_file(db_url)}?mode=ro&uri=true"
    writer = open_database(db_url)
    with writer.transaction() as session:
        from tests.factories import complete_meeting

        meeting = complete_meeting()
        session.add(meeting)
    writer.close()
    app = Application.open(db_url=read_only)
    window = build_window(app)
    qtbot.addWidget(window)
    window.show()
    window.open_meeting(meeting.id)
    reason = editor(window, "meeting.reason")
    at_end(qtbot, reason.edit)
    qtbot.keyClicks(reason.edit, " Typed while the file could not be written.")
    qtbot.waitUntil(lambda: bool(window.doc.autosaver.failing), timeout=5000)
    assert "read-only" in window.save_label.text()
    assert reason.edit.toPlainText().endswith("could not be written.")
    pending = app.journal.pending()
    assert pending and str(pending[-1].edit.new).endswith("could not be written.")  # type: ignore[union-attr]
    window.close_meeting()  # still cannot save: the edits stay journalled
    assert app.journal.pending()
    app.close()
    # next start, writable again: the journal is replayed and the text is stored
    again = Application.open(db_url=db_url)
    restarted = build_window(again)
    qtbot.addWidget(restarted)
    assert restarted.task_label.text().startswith("Recovered")
    assert stored(db_url, meeting.id).reason.endswith("could not be written.")
    restarted.close_meeting()
    again.close()


def test_two_people_editing_different_fields_keep_both(qtbot, win, db_url):
    mid = ready_meeting(win)
    win.open_meeting(mid)
    uid = win.doc.meeting.uid
    other = open_database(db_url)  # a colleague's laptop on the shared database
    save_edits(
        other,
        uid,
        [FieldEdit("meeting", uid, "minute_taker", "Mo Minutes", "Mo Minutes (laptop 2)")],
        Actor("Mo", "mo"),
    )
    other.close()
    reason = editor(win, "meeting.reason")
    at_end(qtbot, reason.edit)
    qtbot.keyClicks(reason.edit, " Added by the chair.")
    saved(qtbot, win)
    qtbot.waitUntil(
        lambda: editor(win, "meeting.minute_taker").edit.text() == "Mo Minutes (laptop 2)",
        timeout=5000,
    )
    assert win.conflict_dialog is None
    meeting = stored(db_url, mid)
    assert meeting.reason.endswith("Added by the chair.")
    assert meeting.minute_taker == "Mo Minutes (laptop 2)"


def test_the_same_field_shows_both_texts_and_the_person_chooses(qtbot, win, db_url):
    mid = ready_meeting(win)
    win.open_meeting(mid)
    uid = win.doc.meeting.uid
    before = win.doc.meeting.reason
    other = open_database(db_url)
    save_edits(
        other,
        uid,
        [FieldEdit("meeting", uid, "reason", before, "Their wording.")],
        Actor("Mo", "mo"),
    )
    other.close()
    reason = editor(win, "meeting.reason")
    at_end(qtbot, reason.edit)
    qtbot.keyClicks(reason.edit, " My wording.")
    qtbot.waitUntil(lambda: win.conflict_dialog is not None, timeout=5000)
    dialog = win.conflict_dialog
    qtbot.waitExposed(dialog)
    texts = [box.toPlainText() for box in dialog.findChildren(type(reason.edit).__mro__[1])]
    assert "Their wording." in texts and f"{before} My wording." in texts
    [(_conflict, mine, _theirs)] = dialog.choices
    qtbot.mouseClick(mine, Qt.MouseButton.LeftButton)
    saved(qtbot, win)
    assert reason.edit.toPlainText() == f"{before} My wording."
    assert stored(db_url, mid).reason == f"{before} My wording."


def test_a_meeting_signed_elsewhere_refuses_and_shows_the_unsaved_text(qtbot, win, db_url):
    mid = ready_meeting(win)
    win.open_meeting(mid)
    elsewhere = Application.open(db_url=db_url)
    from tests.factories import chris

    elsewhere.sign(mid, chris(), name="Chris Chair", role="Team manager")
    elsewhere.close()
    reason = editor(win, "meeting.reason")
    at_end(qtbot, reason.edit)
    qtbot.keyClicks(reason.edit, " Typed after it was signed.")
    qtbot.waitUntil(lambda: win.refused_dialog is not None, timeout=5000)
    assert "Typed after it was signed." in win.refused_dialog.text.toPlainText()
    qtbot.waitUntil(lambda: win.doc.locked, timeout=5000)
    assert not stored(db_url, mid).reason.endswith("Typed after it was signed.")
    win.refused_dialog.copy_button.setFocus()
    qtbot.keyClick(win.refused_dialog.copy_button, Qt.Key.Key_Space)
    assert "Typed after it was signed." in QApplication.clipboard().text()


def journalled_before_a_crash(db_url: str, column: str) -> tuple[Any, Journal]:
    """A stored meeting and a journal holding "Typed before the crash" for its *column*, as
    a window killed before it could save leaves them."""
    from datetime import datetime

    from tests.factories import complete_meeting

    Application.open(db_url=db_url).close()
    writer = open_database(db_url)
    with writer.transaction() as session:
        meeting = complete_meeting()
        session.add(meeting)
    writer.close()
    journal = Journal(journal_path(db_file(db_url), db_url, data_dir()))
    old = getattr(meeting, column)
    typed = FieldEdit("meeting", meeting.uid, column, old, "Typed before the crash")
    journal.append(meeting.uid, [typed], datetime(2026, 12, 1, 14, 32))
    return meeting, journal


def test_a_journal_that_cannot_be_saved_at_start_is_saved_once_the_database_is_free(
    qtbot, db_url, quick_busy, monkeypatch
):
    from s47desk.ui import app as ui_app

    monkeypatch.setattr(ui_app, "RECOVERY_RETRY_MS", 200)
    meeting, journal = journalled_before_a_crash(db_url, "risks")
    locker = Locker(db_file(db_url))  # another program holds the database as the window starts
    app = Application.open(db_url=db_url)
    window = build_window(app)
    qtbot.addWidget(window)
    window.show()
    assert window.task_label.text().startswith("Unsaved edits from an earlier session are kept")
    qtbot.wait(600)  # retries fail while it is held; nothing is lost meanwhile
    assert [j.edit.new for j in Journal(journal.path).pending()] == ["Typed before the crash"]  # type: ignore[union-attr]
    locker.release()
    qtbot.waitUntil(lambda: window.task_label.text().startswith("Recovered 1 edit from 14:32"))
    assert stored(db_url, meeting.id).risks == "Typed before the crash"
    assert Journal(journal.path).pending() == []
    window.close_meeting()
    app.close()


@pytest.mark.postgres
def test_a_lost_server_keeps_the_text_and_saves_it_when_the_server_is_back(qtbot):
    from tests.conftest import IN_CI
    from tests.pgkit import PostgresServer, pg_bin

    bindir = pg_bin()
    if bindir is None:
        if IN_CI:
            pytest.fail("PostgreSQL is not installed; .ci/run must install it")
        pytest.skip("PostgreSQL is not installed")
    server = PostgresServer(bindir)  # the team's server, which this test switches off
    server.start()
    try:
        url = server.create_database("team")
        app = Application.open(db_url=url)
        window = build_window(app)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        mid = ready_meeting(window)
        window.open_meeting(mid)
        reason = editor(window, "meeting.reason")
        at_end(qtbot, reason.edit)
        server.stop()
        qtbot.keyClicks(reason.edit, " Typed while the server was down.")
        qtbot.waitUntil(lambda: bool(window.doc.autosaver.failing), timeout=10000)
        assert reason.edit.toPlainText().endswith("while the server was down.")
        assert window.save_label.text().startswith("Not saved: ")
        assert "journalled" in window.save_label.text()
        qtbot.wait(3500)  # a real pause: the look for others' saves runs while it is down
        assert any(
            str(getattr(j.edit, "new", "")).endswith("while the server was down.")
            for j in app.journal.pending()
        )
        server.start()
        qtbot.mouseClick(window.view.notice.buttons[0], Qt.MouseButton.LeftButton)  # Try again
        qtbot.waitUntil(lambda: not window.doc.autosaver.failing, timeout=10000)
        qtbot.waitUntil(lambda: not window.doc.autosaver.dirty, timeout=10000)
        assert window.save_label.text().startswith("All changes saved")
        assert stored(url, mid).reason.endswith("while the server was down.")
        assert app.journal.pending() == []
        window.close()  # its timers stop with it, before the server goes
        app.close()
    finally:
        if (server.data / "postmaster.pid").exists():
            server.stop()
        server.remove()


def test_a_meeting_whose_earlier_edits_wait_opens_read_only_until_they_are_saved(
    qtbot, db_url, quick_busy, monkeypatch
):
    """Nobody types over text they cannot see: the meeting the journal's edits belong to is
    read-only, saying why, until they are stored; then it shows them and can be edited."""
    from s47desk.ui import app as ui_app

    monkeypatch.setattr(ui_app, "RECOVERY_RETRY_MS", 300)
    meeting, _journal = journalled_before_a_crash(db_url, "reason")
    locker = Locker(db_file(db_url))
    app = Application.open(db_url=db_url)
    window = build_window(app)
    qtbot.addWidget(window)
    window.show()
    window.open_meeting(meeting.id)
    reason = editor(window, "meeting.reason")
    assert reason.edit.isReadOnly()
    banner = " ".join(window.view.notice.messages())
    assert "edits from an earlier session" in banner.lower() and "14:32" in banner
    locker.release()
    qtbot.waitUntil(lambda: not reason.edit.isReadOnly(), timeout=5000)
    assert reason.edit.toPlainText() == "Typed before the crash"
    assert window.task_label.text().startswith("Recovered 1 edit from 14:32")
    at_end(qtbot, reason.edit)
    qtbot.keyClicks(reason.edit, " And after.")
    saved(qtbot, window)
    assert stored(db_url, meeting.id).reason == "Typed before the crash And after."
    window.close_meeting()
    app.close()


def test_quitting_with_text_that_is_only_on_screen_asks_first(qtbot, win, db_url):
    """The database cannot take the edits and the disk cannot take the journal (full): closing
    the window would lose them, so it asks, and keeps the window open unless told otherwise."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def answer(button: str) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not up yet
            QTimer.singleShot(100, lambda: answer(button))
            return
        asked.append(box.text() + " " + box.detailedText())
        next(b for b in box.buttons() if b.text() == button).click()

    mid = ready_meeting(win)
    win.open_meeting(mid)
    reason = editor(win, "meeting.reason")
    at_end(qtbot, reason.edit)
    journal = Path(str(db_file(db_url)) + ".s47-recovery")
    journal.unlink(missing_ok=True)
    journal.symlink_to("/dev/full")  # every write fails with "No space left on device"
    locker = Locker(db_file(db_url))
    try:
        qtbot.keyClicks(reason.edit, " Only on screen.")
        qtbot.waitUntil(lambda: bool(win.doc.autosaver.failing), timeout=5000)
        assert "only on screen" in win.save_label.text()
        QTimer.singleShot(200, lambda: answer("Keep s47desk open"))
        win.close()
        assert asked and "1 edit" in asked[0] and "Only on screen." in asked[0], asked
        assert win.isVisible()  # nothing lost: still open, still retrying
    finally:
        locker.release()
        journal.unlink()
    qtbot.waitUntil(lambda: not any(d.autosaver.dirty for d in win.leftovers), timeout=40000)
    assert stored(db_url, mid).reason.endswith("Only on screen.")
