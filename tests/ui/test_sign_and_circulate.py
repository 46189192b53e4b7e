"""Signing, the signed record and its circulation, through the real window: a certificate made
in settings, the chair's passphrase asked for at sign-off, the sign-off committed and read back
(also after autosave went idle), signed files that verify and never change, email drafts that
parse, "Mark as sent", and sending through a local mail server — without the chair's key."""

from __future__ import annotations

import email
import json
import stat
import subprocess
import sys
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
from s47desk.signoff_check import check_signoff
from s47desk.storage import open_database
from s47desk.vocab import MeetingStatus
from tests.conftest import REPO
from tests.factories import chris, chris_p12, complete_meeting
from tests.mailkit import PASSWORD, USER
from tests.recordkit import PASSPHRASE, chair
from tests.ui.conftest import editor, meeting_id, open_step, saved
from tests.ui.sign_kit import confirm_signing, ready_meeting

NEW_PASSPHRASE = "a long passphrase for the chair"


def sign_step(win: Any, mid: int | None = None) -> Any:
    win.open_meeting(mid if mid is not None else meeting_id(win, "initial"))
    return open_step(win, "sign").editor("signoff")


def settings(win: Any, **values: Any) -> None:
    win.app.apply_settings(win.app.settings.with_changes(**values))


def unlock(qtbot: Any, owner: Any, passphrase: str = PASSPHRASE, password: str = "") -> Any:
    """Type into the dialog *owner* opened, as a user would, and press Enter."""
    dialog = owner.unlock_dialog
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


def signer_of(win: Any) -> str:
    """The SHA-256 of the certificate that signed the open meeting (the demo's own key)."""
    return str(json.loads(win.doc.meeting.signoffs[-1].statement)["certificate_sha256"])


def listed_by_a_fresh_process(db_url: str) -> dict[int, dict[str, Any]]:
    """What ``s47desk list --json`` says in a process of its own (not this one's memory)."""
    result = subprocess.run(
        [sys.executable, "-m", "s47desk.cli", "--db", db_url, "list", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=60,
    )
    return {row["id"]: row for row in json.loads(result.stdout)}


# -- signing -------------------------------------------------------------------------------


def test_the_chair_signs_after_autosave_went_idle_and_a_fresh_process_sees_it(
    qtbot, window, db_url, tmp_path
):
    mid = ready_meeting(window)
    settings(window, signing_certificate=str(chris_p12()), export_folder=str(tmp_path / "x"))
    sign = sign_step(window, mid)
    minute_taker = editor(window, "meeting.minute_taker")
    minute_taker.edit.setFocus()
    qtbot.keyClicks(minute_taker.edit, " (business support)")
    saved(qtbot, window)
    qtbot.wait(1500)  # the chair reads the summary: autosave has nothing left to do
    sign = open_step(window, "sign").editor("signoff")
    confirm_signing(qtbot, sign)
    unlock(qtbot, sign)
    finished(qtbot, window)
    assert sign.state.text().startswith("Signed and saved: read back from the database")
    assert window.doc.locked and "signed" in " ".join(window.view.notice.messages())
    window.close_meeting()
    row = listed_by_a_fresh_process(db_url)[mid]
    assert row["status"] == "signed" and row["altered"] is False
    fresh = open_database(db_url)
    with fresh.sessions() as session:
        meeting = get_meeting(session, mid)
        assert meeting.minute_taker.endswith("(business support)")
        assert meeting.signoffs[-1].name == "Chris Chair" and check_signoff(meeting).ok
    fresh.close()


def test_a_certificate_made_in_settings_signs_and_its_record_never_changes(qtbot, window, tmp_path):
    mid = ready_meeting(window)
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    dialog.widgets["chair_name"].setText("Chris Chair")
    dialog.widgets["local_authority"].setText("Testshire")
    dialog.widgets["export_folder"].setText(str(tmp_path / "exports"))
    qtbot.mouseClick(dialog.create_certificate, Qt.MouseButton.LeftButton)
    creator = dialog.creator
    assert creator.isVisible() and dialog.focusWidget() is creator.passphrase
    assert "Chris Chair" in creator.who.text()
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

    sign = sign_step(window, mid)
    confirm_signing(qtbot, sign)
    unlock(qtbot, sign, NEW_PASSPHRASE)
    finished(qtbot, window)
    assert sign.state.text().startswith("Signed and saved"), sign.state.text()
    panel = sign.record_panel
    qtbot.mouseClick(panel.export_signed, Qt.MouseButton.LeftButton)
    assert panel.unlock_dialog is None if hasattr(panel, "unlock_dialog") else True
    finished(qtbot, window)
    assert panel.message.kind == "success", panel.message.text()
    ref = window.doc.meeting.reference
    folder = tmp_path / "exports" / ref
    record = folder / f"strategy-discussion-{ref}-v1-record.docx"
    family = folder / f"strategy-discussion-{ref}-v1-family-copy.docx"
    assert panel.record_path.text() == str(record) and panel.family_path.text() == str(family)
    assert panel.signer.text() == fingerprint
    for path in (record, family):
        result = verify_docx(path, signer_sha256=fingerprint)
        assert result.status is VerificationStatus.VALID, result.problems
        assert result.signer == "Chris Chair"
    first = record.read_bytes()
    record.unlink()
    qtbot.mouseClick(panel.export_signed, Qt.MouseButton.LeftButton)
    finished(qtbot, window)
    assert record.read_bytes() == first  # the file signed at sign-off, every time


def test_a_wrong_passphrase_is_said_inline_and_nothing_is_signed(qtbot, window, db_url):
    mid = ready_meeting(window)
    settings(window, signing_certificate=str(chris_p12()))
    sign = sign_step(window, mid)
    confirm_signing(qtbot, sign)
    dialog = unlock(qtbot, sign, "not the passphrase")
    assert dialog.isVisible()
    assert dialog.problem.kind == "problem" and "passphrase" in dialog.problem.text()
    assert "wrong" in dialog.problem.text() and dialog.passphrase.text() == ""
    assert dialog.focusWidget() is dialog.passphrase  # ready for another try
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # empty: asked for, not tried
    assert "Enter the passphrase" in dialog.problem.text()
    dialog.reject()
    assert not window.keys.holding and not window.tasks.busy
    assert not window.doc.locked
    assert listed_by_a_fresh_process(db_url)[mid]["status"] != "signed"


def test_a_certificate_in_another_name_is_refused_with_the_reason(qtbot, window, db_url):
    mid = ready_meeting(window)
    settings(window, signing_certificate=str(chair().p12))  # Priya Sandhu's; Chris chairs
    sign = sign_step(window, mid)
    confirm_signing(qtbot, sign)
    unlock(qtbot, sign)
    finished(qtbot, window)
    assert sign.state.text().startswith("Not signed:"), sign.state.text()
    assert "Priya Sandhu" in sign.state.text() and "Chris Chair" in sign.state.text()
    assert not window.doc.locked
    assert listed_by_a_fresh_process(db_url)[mid]["status"] != "signed"


def test_a_double_press_cannot_sign(qtbot, window, db_url):
    mid = ready_meeting(window)
    settings(window, signing_certificate=str(chris_p12()))
    sign = sign_step(window, mid)
    sign.sign_button.setFocus()
    qtbot.keyClick(sign.sign_button, Qt.Key.Key_Space)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Space)  # the second press lands on Cancel
    assert sign.sign_button.isVisible() and not sign.confirm.isVisible()
    assert sign.unlock_dialog is None
    assert listed_by_a_fresh_process(db_url)[mid]["status"] != "signed"


def test_without_a_certificate_the_sign_step_says_where_to_choose_one(qtbot, window):
    mid = ready_meeting(window)
    sign = sign_step(window, mid)
    confirm_signing(qtbot, sign)
    assert sign.unlock_dialog is None
    assert "Settings" in sign.state.text() and sign.state.text().startswith("Not signed")
    assert not window.doc.locked


def test_an_unsigned_meeting_cannot_be_exported_or_circulated(qtbot, window):
    window.open_meeting(meeting_id(window, "review"))
    sign = open_step(window, "sign").editor("signoff")
    for button in (sign.record_panel.export_signed, sign.circulation.circulate_button):
        assert not button.isEnabled()
    assert not sign.sign_button.isEnabled()  # blockers remain
    assert not sign.circulation.mark_sent.isVisible()
    assert "once the chair has signed" in sign.circulation.log_empty.text()


# -- circulation: business support, without the chair's key ---------------------------------


def test_circulate_writes_drafts_then_mark_as_sent_circulates(qtbot, window, db_url, tmp_path):
    settings(window, export_folder=str(tmp_path / "exports"), user_name="Sam Reid")
    mid = meeting_id(window, "initial")
    sign = sign_step(window)
    folder = tmp_path / "exports" / window.doc.meeting.reference
    ref = window.doc.meeting.reference
    panel = sign.circulation
    assert panel.log_empty.isVisible() and not panel.mark_sent.isVisible()
    assert "Record circulated" in panel.deadline.text() and "overdue" in panel.deadline.text()
    qtbot.mouseClick(panel.circulate_button, Qt.MouseButton.LeftButton)
    assert panel.unlock_dialog is None  # nothing to unlock: the files were signed at sign-off
    finished(qtbot, window)
    assert panel.message.kind == "success", panel.message.text()
    assert "Mark as sent" in panel.message.text()

    drafts = sorted(folder.glob("*.eml"))
    assert [p.name for p in drafts] == [
        f"{ref}-v1-{agency}.eml" for agency in ("education", "health", "police", "social_care")
    ]
    fingerprint = signer_of(window)
    for path in drafts:
        message = parse(path)
        assert message["X-Unsent"] == "1" and "OFFICIAL-SENSITIVE" in message["Subject"]
        [part] = list(message.iter_attachments())
        assert part.get_content_type() == DOCX_MIME
        assert verify_docx(part.get_content(), signer_sha256=fingerprint).ok
    rows = {row[0]: row for row in panel.outcomes.texts()}
    assert rows["Police"][1:] == [
        "helen.marsh@police.example",
        f"Draft written: {ref}-v1-police.eml",
    ]
    assert any("Dr Owen Price" in m for m in panel.warnings.messages())
    assert panel.log.isVisible() and not panel.log_empty.isVisible()
    assert {row[3] for row in panel.log.texts()} == {"Draft written"}
    assert len(panel.log.texts()) == 4
    assert window.doc.meeting.status is MeetingStatus.SIGNED  # drafts alone are not circulation

    # business support sent the drafts from their own mail program
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
    # Circulated days after the demo's discussion: the clock says late, never "met".
    assert "late: " in panel.deadline.text() and "met" not in panel.deadline.text()
    assert "Sent from the chair's mail program" in {row[3] for row in panel.log.texts()}
    assert "Circulated" in window.view.subtitle.text()
    listed = next(r for r in window.meeting_list.rows if r.summary.id == mid)
    assert listed.summary.status is MeetingStatus.CIRCULATED

    fresh = open_database(db_url)
    with fresh.sessions() as session:
        assert get_meeting(session, mid).status is MeetingStatus.CIRCULATED
        log = history(session, mid)
        assert [e.method for e in log].count("by_hand") == 4
        assert {e.by for e in log} == {window.app.user_label()}  # who circulated, not the chair
        assert "Sam Reid" in window.app.user_label()
    fresh.close()


def test_send_now_asks_only_the_mail_password_and_circulates(
    qtbot, window, db_url, tmp_path, mail_server
):
    settings(
        window,
        export_folder=str(tmp_path / "exports"),
        smtp_host="127.0.0.1",
        smtp_port=mail_server.port,
        smtp_user=USER,
        sender_email=USER,
    )
    sign = sign_step(window)
    folder = tmp_path / "exports" / window.doc.meeting.reference
    panel = sign.circulation
    panel.ssl_context = mail_server.client_context()  # the test server's own CA
    assert "127.0.0.1" in panel.send_now.accessibleName() and panel.send_now.isEnabled()
    qtbot.mouseClick(panel.send_now, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert panel.send_now.isChecked()

    # a wrong password: said inline, nothing sent, not circulated
    qtbot.mouseClick(panel.circulate_button, Qt.MouseButton.LeftButton)
    dialog = panel.unlock_dialog
    assert dialog.passphrase.isHidden() and dialog.focusWidget() is dialog.mail_password
    unlock(qtbot, panel, "", "wrong password")
    finished(qtbot, window)
    assert panel.message.kind == "problem" and "refused" in panel.message.text()
    assert mail_server.mailbox.received == []
    assert window.doc.meeting.status is MeetingStatus.SIGNED

    qtbot.mouseClick(panel.circulate_button, Qt.MouseButton.LeftButton)
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
    assert not on_disk(PASSWORD, tmp_path)


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
    mid = ready_meeting(window)
    settings(window, signing_certificate=str(chris_p12()))
    sign = sign_step(window, mid)
    page = window.view.current_page()
    assert unnamed(page.widget()) == []
    for button in (
        sign.sign_button,
        sign.record_panel.export_signed,
        sign.circulation.circulate_button,
        sign.circulation.mark_sent,
    ):
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    confirm_signing(qtbot, sign)
    dialog = sign.unlock_dialog
    qtbot.waitExposed(dialog)
    assert unnamed(dialog) == []
    dialog.reject()
    window.open_settings()
    dialog = window.settings_dialog
    dialog.creator_open()
    assert unnamed(dialog) == []
    dialog.reject()


def test_a_folder_that_cannot_be_written_is_said_plainly_and_nothing_is_logged(
    qtbot, window, db_url, tmp_path
):
    in_the_way = tmp_path / "exports"
    in_the_way.write_text("not a folder")
    settings(window, export_folder=str(in_the_way))
    sign = sign_step(window)
    ref = window.doc.meeting.reference
    qtbot.mouseClick(sign.record_panel.export_signed, Qt.MouseButton.LeftButton)
    finished(qtbot, window)
    message = sign.record_panel.message
    assert message.kind == "problem"
    assert message.text() == (
        f"Not exported: Could not create the folder {in_the_way / ref}: a file of that name "
        "is in the way."
    )
    assert not sign.record_panel.result.isVisible()
    qtbot.mouseClick(sign.circulation.circulate_button, Qt.MouseButton.LeftButton)
    finished(qtbot, window)
    assert sign.circulation.message.text().startswith("Not circulated: Could not create")
    assert in_the_way.read_text() == "not a folder"
    fresh = open_database(db_url)
    with fresh.sessions() as session:
        assert history(session, meeting_id(window, "initial")) == []
    fresh.close()
    assert not sign.circulation.mark_sent.isVisible()


def test_the_complete_meeting_is_chaired_by_the_test_key_holder():
    """The sign-off tests rely on Chris Chair's key matching the complete meeting's chair."""
    assert complete_meeting().chair_name == chris().subject_name
