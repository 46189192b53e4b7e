"""The signed record and its circulation, through the real window: a certificate made in
settings, the passphrase asked for at export, signed files that verify, email drafts that parse,
"Mark as sent", and sending through a local mail server."""

from __future__ import annotations

import email
import stat
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from s47desk.circulation import history
from s47desk.meetings import get_meeting
from s47desk.paths import config_dir, data_dir
from s47desk.record.export import DOCX_MIME
from s47desk.record.signature import VerificationStatus, verify_docx
from s47desk.storage import open_database
from s47desk.vocab import MeetingStatus
from tests.mailkit import PASSWORD, USER
from tests.recordkit import PASSPHRASE, chair
from tests.ui.conftest import meeting_id, open_step

FOLDER = "SD-00001"  # the demo's signed initial discussion (meeting 1)
NEW_PASSPHRASE = "a long passphrase for the chair"


def sign_step(win: Any) -> Any:
    win.open_meeting(meeting_id(win, "initial"))
    return open_step(win, "sign").editor("signoff")


def use_chair_certificate(win: Any, tmp_path: Path) -> Path:
    """Settings as if the chair had chosen their .p12 file (the shared test certificate)."""
    win.app.apply_settings(win.app.settings.with_changes(signing_certificate=str(chair().p12)))
    win.app.apply_settings(win.app.settings.with_changes(export_folder=str(tmp_path / "exports")))
    return tmp_path / "exports" / FOLDER


def unlock(qtbot: Any, panel: Any, passphrase: str = PASSPHRASE, password: str = "") -> Any:
    """Type into the passphrase dialog the panel opened, as a user would, and press Enter."""
    dialog = panel.unlock_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    if passphrase:
        qtbot.keyClicks(dialog.passphrase, passphrase)
    if password:
        qtbot.keyClicks(dialog.mail_password, password)
    qtbot.keyClick(dialog.passphrase if passphrase else dialog.mail_password, Qt.Key.Key_Return)
    return dialog


def finished(qtbot: Any, win: Any) -> None:
    qtbot.waitUntil(lambda: not win.tasks.busy, timeout=20000)


def on_disk(secret: str, *more: Path) -> bool:
    """Whether *secret* was written anywhere in the configuration or data folders (or *more*)."""
    folders = (config_dir(), data_dir(), *more)
    files = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
    return any(secret.encode() in p.read_bytes() for p in files)


def parse(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    return message


# -- the certificate, made in settings; the signed record ---------------------------------


def test_a_certificate_made_in_settings_signs_the_exported_record(qtbot, window, tmp_path):
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    dialog.widgets["chair_name"].setText("Priya Sandhu")
    dialog.widgets["local_authority"].setText("Northbridge City Council")
    dialog.widgets["export_folder"].setText(str(tmp_path / "exports"))
    qtbot.mouseClick(dialog.create_certificate, Qt.MouseButton.LeftButton)
    creator = dialog.creator
    assert creator.isVisible() and dialog.focusWidget() is creator.passphrase
    assert "Priya Sandhu" in creator.who.text()
    # too short, then different: said inline, nothing made
    qtbot.keyClicks(creator.passphrase, "short")
    qtbot.keyClicks(creator.again, "short")
    qtbot.mouseClick(creator.create_button, Qt.MouseButton.LeftButton)
    assert creator.message.kind == "problem" and "at least 8" in creator.message.text()
    creator.passphrase.clear()
    creator.again.clear()
    qtbot.keyClicks(creator.passphrase, NEW_PASSPHRASE)
    qtbot.keyClicks(creator.again, NEW_PASSPHRASE + "x")
    qtbot.keyClick(creator.again, Qt.Key.Key_Return)
    assert "differ" in creator.message.text()
    assert not list(config_dir().glob("signing/*.p12"))
    creator.passphrase.clear()
    qtbot.keyClicks(creator.passphrase, NEW_PASSPHRASE)
    qtbot.keyClicks(creator.again, NEW_PASSPHRASE)
    qtbot.mouseClick(creator.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not creator.tasks.busy, timeout=20000)
    assert creator.message.kind == "success", creator.message.text()
    p12 = Path(dialog.widgets["signing_certificate"].text())
    assert p12.parent == config_dir() / "signing" and p12.is_file()
    assert stat.S_IMODE(p12.stat().st_mode) == 0o600
    assert creator.passphrase.text() == creator.again.text() == ""  # not kept in the form
    fingerprint = creator.message.text().split("(SHA-256) is ")[1].split(".")[0]
    dialog.save()
    assert window.app.settings.signing_certificate == str(p12)
    assert not on_disk(NEW_PASSPHRASE)

    sign = sign_step(window)
    panel = sign.record_panel
    qtbot.mouseClick(panel.export_signed, Qt.MouseButton.LeftButton)
    unlock(qtbot, panel, NEW_PASSPHRASE)
    assert window.progress.isVisible() and panel.busy.isVisible()  # on a worker, with progress
    finished(qtbot, window)
    assert panel.message.kind == "success", panel.message.text()
    folder = tmp_path / "exports" / FOLDER
    record = folder / "strategy-discussion-SD-00001-v1-record.docx"
    family = folder / "strategy-discussion-SD-00001-v1-family-copy.docx"
    assert panel.record_path.text() == str(record) and panel.family_path.text() == str(family)
    assert panel.signer.text() == fingerprint
    for path in (record, family):
        result = verify_docx(path, signer_sha256=fingerprint)
        assert result.status is VerificationStatus.VALID, result.problems
        assert result.signer == "Priya Sandhu"
    assert len(panel.fingerprint.text()) == 64

    # the unlocked key is held for a while: a second export asks nothing
    record.unlink()
    qtbot.mouseClick(panel.export_signed, Qt.MouseButton.LeftButton)
    assert panel.unlock_dialog is None
    finished(qtbot, window)
    assert verify_docx(record, signer_sha256=fingerprint).ok


def test_a_wrong_passphrase_is_said_inline_and_writes_nothing(qtbot, window, tmp_path):
    folder = use_chair_certificate(window, tmp_path)
    panel = sign_step(window).record_panel
    qtbot.mouseClick(panel.export_signed, Qt.MouseButton.LeftButton)
    dialog = unlock(qtbot, panel, "not the passphrase")
    assert dialog.isVisible()
    assert dialog.problem.kind == "problem" and "passphrase" in dialog.problem.text()
    assert "wrong" in dialog.problem.text() and dialog.passphrase.text() == ""
    assert dialog.focusWidget() is dialog.passphrase  # ready for another try
    assert not window.tasks.busy and not folder.exists()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # empty: asked for, not tried
    assert "Enter the passphrase" in dialog.problem.text()
    dialog.reject()
    assert not window.keys.holding and not folder.exists()
    assert panel.message.kind == ""


def test_without_a_certificate_the_sign_step_says_where_to_choose_one(qtbot, window, tmp_path):
    window.app.apply_settings(
        window.app.settings.with_changes(export_folder=str(tmp_path / "exports"))
    )
    sign = sign_step(window)
    qtbot.mouseClick(sign.record_panel.export_signed, Qt.MouseButton.LeftButton)
    assert sign.record_panel.unlock_dialog is None
    assert "Settings" in sign.record_panel.message.text()
    qtbot.mouseClick(sign.circulation.circulate_button, Qt.MouseButton.LeftButton)
    assert "No signing certificate" in sign.circulation.message.text()
    assert not (tmp_path / "exports").exists()


def test_an_unsigned_meeting_cannot_be_exported_or_circulated(qtbot, window):
    window.open_meeting(meeting_id(window, "review"))
    sign = open_step(window, "sign").editor("signoff")
    for button in (
        sign.record_panel.export_signed,
        sign.record_panel.export_plain,
        sign.circulation.circulate_button,
    ):
        assert not button.isEnabled()
    assert not sign.circulation.mark_sent.isVisible()
    assert "once the chair has signed" in sign.circulation.log_empty.text()


# -- circulation ---------------------------------------------------------------------------


def test_circulate_writes_drafts_then_mark_as_sent_circulates(qtbot, window, db_url, tmp_path):
    folder = use_chair_certificate(window, tmp_path)
    mid = meeting_id(window, "initial")
    sign = sign_step(window)
    panel = sign.circulation
    assert panel.log_empty.isVisible() and not panel.mark_sent.isVisible()
    assert "Record circulated" in panel.deadline.text() and "overdue" in panel.deadline.text()
    qtbot.mouseClick(panel.circulate_button, Qt.MouseButton.LeftButton)
    unlock(qtbot, panel)
    finished(qtbot, window)
    assert panel.message.kind == "success", panel.message.text()
    assert "Mark as sent" in panel.message.text()

    drafts = sorted(folder.glob("*.eml"))
    assert [p.name for p in drafts] == [
        f"SD-00001-v1-{agency}.eml" for agency in ("education", "health", "police", "social_care")
    ]
    fingerprint = chair().identity.fingerprint_sha256
    for path in drafts:
        message = parse(path)
        assert message["X-Unsent"] == "1" and "OFFICIAL-SENSITIVE" in message["Subject"]
        [part] = list(message.iter_attachments())
        assert part.get_content_type() == DOCX_MIME
        assert verify_docx(part.get_content(), signer_sha256=fingerprint).ok
    # what happened per agency, the warnings, and the log, as the user sees them
    rows = {row[0]: row for row in panel.outcomes.texts()}
    assert rows["Police"][1:] == [
        "helen.marsh@police.example",
        "Draft written: SD-00001-v1-police.eml",
    ]
    assert any("Dr Owen Price" in m for m in panel.warnings.messages())
    assert panel.log.isVisible() and not panel.log_empty.isVisible()
    assert {row[3] for row in panel.log.texts()} == {"Draft written"}
    assert len(panel.log.texts()) == 4
    assert window.doc.meeting.status is MeetingStatus.SIGNED  # drafts alone are not circulation

    # the chair sent the drafts from their own mail program
    assert panel.mark_sent.isVisible()
    qtbot.mouseClick(panel.mark_sent, Qt.MouseButton.LeftButton)
    assert panel.confirm.isVisible() and window.focusWidget() is panel.confirm
    qtbot.mouseClick(panel.cancel, Qt.MouseButton.LeftButton)
    assert panel.mark_sent.isVisible() and not panel.confirm.isVisible()
    assert window.focusWidget() is panel.mark_sent
    qtbot.mouseClick(panel.mark_sent, Qt.MouseButton.LeftButton)
    qtbot.keyClick(panel.confirm, Qt.Key.Key_Space)
    assert panel.message.kind == "success", panel.message.text()
    assert not panel.mark_sent.isVisible()
    assert "met" in panel.deadline.text()
    assert "Sent from the chair's mail program" in {row[3] for row in panel.log.texts()}
    assert "Circulated" in window.view.subtitle.text()
    listed = next(r for r in window.meeting_list.model.rows if r.summary.id == mid)
    assert listed.summary.status is MeetingStatus.CIRCULATED

    fresh = open_database(db_url)
    with fresh.sessions() as session:
        assert get_meeting(session, mid).status is MeetingStatus.CIRCULATED
        assert [e.method for e in history(session, mid)].count("by_hand") == 4
    fresh.close()


def test_send_now_asks_the_mail_password_and_circulates(
    qtbot, window, db_url, tmp_path, mail_server
):
    folder = use_chair_certificate(window, tmp_path)
    window.app.apply_settings(
        window.app.settings.with_changes(
            smtp_host="127.0.0.1", smtp_port=mail_server.port, smtp_user=USER, sender_email=USER
        )
    )
    sign = sign_step(window)
    panel = sign.circulation
    panel.ssl_context = mail_server.client_context()  # the test server's own CA
    assert "127.0.0.1" in panel.send_now.text() and panel.send_now.isEnabled()
    qtbot.mouseClick(panel.send_now, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert panel.send_now.isChecked()

    # a wrong password: said inline, nothing sent, not circulated
    qtbot.mouseClick(panel.circulate_button, Qt.MouseButton.LeftButton)
    unlock(qtbot, panel, PASSPHRASE, "wrong password")
    finished(qtbot, window)
    assert panel.message.kind == "problem" and "refused" in panel.message.text()
    assert mail_server.mailbox.received == []
    assert window.doc.meeting.status is MeetingStatus.SIGNED

    # the key is still unlocked: only the password is asked for now
    qtbot.mouseClick(panel.circulate_button, Qt.MouseButton.LeftButton)
    dialog = panel.unlock_dialog
    assert dialog.passphrase.isHidden() and dialog.focusWidget() is dialog.mail_password
    unlock(qtbot, panel, "", PASSWORD)
    finished(qtbot, window)
    assert panel.message.kind == "success", panel.message.text()
    assert len(mail_server.mailbox.received) == 4
    assert {row[2] for row in panel.outcomes.texts() if row[1] != "—"} == {"Sent"}
    assert "Sent by s47desk" in {row[3] for row in panel.log.texts()}
    assert "Circulated" in window.view.subtitle.text()
    assert list(folder.glob("*.eml"))
    fresh = open_database(db_url)
    with fresh.sessions() as session:
        assert get_meeting(session, meeting_id(window, "initial")).status is (
            MeetingStatus.CIRCULATED
        )
    fresh.close()
    assert not on_disk(PASSWORD, tmp_path) and not on_disk(PASSPHRASE, tmp_path)


# -- accessibility ---------------------------------------------------------------------------


def unnamed(root: Any) -> list[str]:
    """Keyboard-reachable controls under *root* with neither an accessible name nor a text."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        name = widget.accessibleName() or getattr(widget, "text", lambda: "")()
        if not name and type(widget).__name__ not in ("QScrollBar", "QWidget", "QFrame"):
            missing.append(type(widget).__name__)
    return missing


def test_the_new_controls_are_named_and_reachable_by_keyboard(qtbot, window, tmp_path):
    use_chair_certificate(window, tmp_path)
    sign = sign_step(window)
    page = window.view.current_page()
    assert unnamed(page.widget()) == []
    for button in (
        sign.record_panel.export_signed,
        sign.record_panel.export_plain,
        sign.circulation.circulate_button,
        sign.circulation.mark_sent,
    ):
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    qtbot.mouseClick(sign.circulation.circulate_button, Qt.MouseButton.LeftButton)
    dialog = sign.circulation.unlock_dialog
    qtbot.waitExposed(dialog)
    assert unnamed(dialog) == []
    dialog.reject()
    window.open_settings()
    settings = window.settings_dialog
    settings.creator_open()
    assert unnamed(settings) == []
    settings.reject()


def test_a_folder_that_cannot_be_written_is_said_plainly_and_nothing_is_logged(
    qtbot, window, db_url, tmp_path
):
    use_chair_certificate(window, tmp_path)
    in_the_way = tmp_path / "exports"
    in_the_way.write_text("not a folder")
    sign = sign_step(window)
    qtbot.mouseClick(sign.record_panel.export_signed, Qt.MouseButton.LeftButton)
    unlock(qtbot, sign.record_panel)
    finished(qtbot, window)
    message = sign.record_panel.message
    assert message.kind == "problem"
    assert message.text() == (
        f"Not exported: Could not create the folder {in_the_way / FOLDER}: a file of that name "
        "is in the way."
    )
    assert not sign.record_panel.result.isVisible()
    qtbot.mouseClick(sign.circulation.circulate_button, Qt.MouseButton.LeftButton)
    assert sign.circulation.unlock_dialog is None  # the key is still unlocked
    finished(qtbot, window)
    assert sign.circulation.message.text().startswith("Not circulated: Could not create")
    assert in_the_way.read_text() == "not a folder"
    fresh = open_database(db_url)
    with fresh.sessions() as session:
        assert history(session, meeting_id(window, "initial")) == []
    fresh.close()
    assert not sign.circulation.mark_sent.isVisible()
