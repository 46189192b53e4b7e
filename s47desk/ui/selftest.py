"""``s47desk --self-test``: the whole journey of a strategy discussion, on this machine, in a
minute, touching nothing of the user's.

For IT after an install (and CI against the built bundle): the window opens offscreen over a
temporary database; a meeting is created, the one thing it lacks is typed into the real editor
and autosaved until the checks say it is ready; it is signed with a temporary certificate,
exported, its signature and the family copy's are verified, and it is circulated to a mail
server on loopback over STARTTLS. One line per step; exit 0 only if every step passed. The
data is the fictional demo case; the temporary folder is removed at the end.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, qInstallMessageHandler
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from s47desk.errors import UserError
from s47desk.ui.app import application, build_window

TYPED = "Tom Okafor will see Maya alone at school, in her own words."
CHILD_VOICE = "meeting.child_voice_plan"  # the field the self-test leaves empty, then types


@dataclass
class Journey:
    """What the steps hand on to each other."""

    folder: Path
    out: Callable[[str], None]
    passed: list[str] = field(default_factory=list)
    app: Any = None
    window: Any = None
    meeting_id: int = 0
    certificate_sha256: str = ""
    exported: Any = None
    mail: Any = None


ISOLATED = ("S47DESK_DATA", "S47DESK_CONFIG", "S47DESK_ORG_CONFIG", "S47DESK_DB")


def _isolate(folder: Path) -> dict[str, str | None]:
    """Settings, data and the organisation's file all inside *folder*; what they were."""
    before = {name: os.environ.get(name) for name in ISOLATED}
    os.environ["S47DESK_DATA"] = str(folder / "data")
    os.environ["S47DESK_CONFIG"] = str(folder / "config")
    os.environ["S47DESK_ORG_CONFIG"] = str(folder / "organisation-settings.json")
    os.environ.pop("S47DESK_DB", None)
    return before


def _restore(before: dict[str, str | None]) -> None:
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _wait(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"{what} did not happen within {timeout:.0f} s")
        QApplication.processEvents()
        time.sleep(0.01)


def _type(widget: Any, text: str) -> None:
    """Key presses into *widget*, as a person types (no test library in the bundle)."""
    widget.setFocus()
    for ch in text:
        key = Qt.Key.Key_Space if ch == " " else Qt.Key(ord(ch.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
        QApplication.processEvents()


def _press(widget: Any, key: Any) -> None:
    widget.setFocus()
    text = "\r" if key == Qt.Key.Key_Return else " "
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))
    QApplication.processEvents()


# -- the steps --------------------------------------------------------------------------------
def open_window(j: Journey) -> str:
    from s47desk.application import Application
    from s47desk.settings import LoadedSettings, Settings

    settings = Settings(
        chair_name="Priya Sandhu",
        user_name="s47desk self-test",
        export_folder=str(j.folder / "exports"),
        sender_email="self-test@s47desk.invalid",
        smtp_host="127.0.0.1",
    )
    loaded = LoadedSettings(settings, (), frozenset(), {})
    j.app = Application.open(db_url=f"sqlite:///{j.folder / 's47desk.sqlite3'}", settings=loaded)
    j.window = build_window(j.app)
    j.window.resize(1366, 768)
    j.window.show()
    _wait(lambda: j.window.isVisible(), "the window showing")
    from sqlalchemy import func, select

    from s47desk.models import Meeting

    with j.app.db.sessions() as session:
        count = int(session.scalar(select(func.count(Meeting.id))) or 0)
    if not count:
        raise AssertionError("the demo meetings were not loaded into the new database")
    return f"{j.window.width()}×{j.window.height()}, {count} demo meetings"


def create_meeting(j: Journey) -> str:
    from s47desk.demo import ready_to_sign

    app = j.app
    with app.db.transaction() as session:
        meeting = ready_to_sign(session, app.forms, app.protocol, app.today())
        meeting.child_voice_plan = ""  # the one thing left to type
        session.flush()
        j.meeting_id = int(meeting.id)
    j.window.refresh_list()
    j.window.open_meeting(j.meeting_id)
    doc = j.window.doc
    if doc is None or doc.meeting_id != j.meeting_id:
        raise AssertionError("the new meeting did not open")
    blockers = [f.field for f in doc.readiness.blockers]
    if blockers != [CHILD_VOICE]:
        raise AssertionError(f"expected one blocker ({CHILD_VOICE}), the checks found {blockers}")
    return f"meeting {j.meeting_id} open, 1 blocker"


def fill_until_ready(j: Journey) -> str:
    from s47desk.meetings import get_meeting
    from s47desk.readiness import readiness
    from s47desk.storage import open_database

    view, doc = j.window.view, j.window.doc
    step = doc.form.step_for_field(CHILD_VOICE)
    index = view.step_index(step.id)
    view.show_step(index)
    editor = view.pages[index].editor(CHILD_VOICE)
    _type(editor.edit, TYPED)
    _wait(lambda: doc.readiness.ready, "the checks passing")
    _wait(lambda: not doc.autosaver.dirty, "autosave")
    fresh = open_database(j.app.db.url)  # what another process would read
    try:
        with fresh.sessions() as session:
            stored = get_meeting(session, j.meeting_id)
            if stored.child_voice_plan != TYPED:
                raise AssertionError("the typed text is not in the database")
            if not readiness(stored, j.app.form(stored.form_id), j.app.protocol).ready:
                raise AssertionError("the stored meeting is not ready to sign")
    finally:
        fresh.close()
    return f"typed {len(TYPED)} characters, autosaved, ready to sign"


def sign(j: Journey) -> str:
    """In the sign step, as the chair does: Sign, wait, confirm, type the passphrase, Enter."""
    import secrets

    from s47desk.record.certificate import create_self_signed

    meeting, passphrase = j.window.doc.meeting, secrets.token_urlsafe(12)
    p12 = j.folder / "chair.p12"
    identity = create_self_signed(
        p12, name=meeting.chair_name, role=meeting.chair_role, email=None,
        organisation="s47desk self-test", passphrase=passphrase.encode(),
    )  # fmt: skip
    j.certificate_sha256 = identity.fingerprint_sha256
    j.app.apply_settings(j.app.settings.with_changes(signing_certificate=str(p12)))
    view = j.window.view
    index = view.step_index("sign")
    view.show_step(index)
    step = view.pages[index].editor("signoff")
    _press(step.sign_button, Qt.Key.Key_Space)
    _wait(lambda: step.confirm.isEnabled(), "the confirm button enabling")
    _press(step.confirm, Qt.Key.Key_Space)
    _wait(lambda: step.unlock_dialog is not None and step.unlock_dialog.isVisible(), "the dialog")
    _type(step.unlock_dialog.passphrase, passphrase)
    _press(step.unlock_dialog.passphrase, Qt.Key.Key_Return)
    _wait(lambda: not j.window.tasks.busy and j.window.doc.meeting.is_locked, "signing", 60)
    if not step.state.text().startswith("Signed and saved"):
        raise AssertionError(f"the sign step says: {step.state.text()}")
    return "signed in the sign step, read back from the database"


def export(j: Journey) -> str:
    from s47desk.record.copies import export_copies

    app = j.app
    j.exported = export_copies(
        app.db, j.meeting_id, app.export_root(), forms=app.forms, protocol=app.protocol,
        progress=lambda _message: None,
    )  # fmt: skip
    if j.exported.family is None:
        raise AssertionError(f"no family copy: {j.exported.no_family}")
    for written in (j.exported.record, j.exported.family):
        mode = written.path.stat().st_mode & 0o777
        if os.name == "posix" and mode & 0o077:
            raise AssertionError(f"{written.path.name} is readable by others ({oct(mode)})")
    return f"{j.exported.record.path.name} and {j.exported.family.path.name}"


def _verified(path: Path, sha256: str) -> str:
    from s47desk.record.signature import verify_docx
    from s47desk.record.verify_report import verification_report

    result = verify_docx(path, signer_sha256=sha256)
    verdict, *details = verification_report(result, pinned=True)
    if not result.ok:
        raise AssertionError(f"{path.name}: {verdict} {' '.join(details)}")
    return verdict.rstrip(".")


def verify_record(j: Journey) -> str:
    return _verified(j.exported.record.path, j.certificate_sha256)


def _text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def check_family_copy(j: Journey) -> str:
    verdict = _verified(j.exported.family.path, j.certificate_sha256)
    record, family = _text(j.exported.record.path), _text(j.exported.family.path)
    withheld = [i.text for i in j.window.doc.meeting.information if i.withhold_reason and i.text]
    if not withheld:
        raise AssertionError("the meeting withholds nothing, so the family copy cannot be checked")
    for text in withheld:
        if text not in record:
            raise AssertionError("the record lacks information the meeting recorded")
        if text in family:
            raise AssertionError("the family copy contains information withheld from the family")
    told = j.window.doc.meeting.family_summary.strip()
    if told.split("\n")[0] not in family:
        raise AssertionError("the family copy lacks what the chair confirmed for the family")
    return f"{verdict}; it holds what the family will be told, {len(withheld)} withheld item(s) left out"


def circulate(j: Journey) -> str:
    from s47desk.circulation import SmtpServer
    from s47desk.circulation import circulate as send_out
    from s47desk.selftest_mail import LoopbackMailServer

    app = j.app
    with LoopbackMailServer() as mail:
        app.apply_settings(app.settings.with_changes(smtp_port=mail.port))
        result = send_out(
            app.db, j.meeting_id, j.exported.folder, forms=app.forms, protocol=app.protocol,
            send=True, server=SmtpServer.from_settings(app.settings),
            ssl_context=mail.client_context(), sent_by=app.user_label(),
        )  # fmt: skip
        received = mail.received
    if result.send_error:
        raise AssertionError(result.send_error)
    sent = [o for o in result.outcomes if o.sent]
    if not sent or len(received) != len(sent):
        raise AssertionError(f"{len(sent)} email(s) sent, {len(received)} received")
    record = j.exported.record.path.read_bytes()
    for message in received:
        attached = [a.get_content() for a in message.message.iter_attachments()]
        if record not in attached:
            raise AssertionError("an email does not carry the signed record byte for byte")
    if not result.circulated:
        raise AssertionError("the meeting was not marked circulated")
    return f"{len(received)} email(s) received over STARTTLS, each with the signed record"


STEPS: tuple[tuple[str, Callable[[Journey], str]], ...] = (
    ("Open the window offscreen over a new database", open_window),
    ("Create a meeting", create_meeting),
    ("Type into it until it is ready to sign", fill_until_ready),
    ("Sign it with a temporary certificate", sign),
    ("Export the signed record and the family copy", export),
    ("Verify the record's signature", verify_record),
    ("Verify the family copy and what it leaves out", check_family_copy),
    ("Circulate it to a mail server on this machine", circulate),
)


def run_self_test(out: Callable[[str], None] = print) -> int:
    """Run every step in order (stopping at the first failure); 0 only if all passed."""
    with tempfile.TemporaryDirectory(prefix="s47desk-self-test-") as tmp:
        folder = Path(tmp)
        before = _isolate(folder)
        from s47desk import __version__

        _quiet_offscreen_noise()
        application()
        out(f"s47desk {__version__} self-test (in {folder}, removed afterwards)")
        journey = Journey(folder, out)
        failed = ""
        try:
            for title, step in STEPS:
                if failed:
                    out(f"  skip  {title}")
                    continue
                started = time.monotonic()
                try:
                    detail = step(journey)
                except (AssertionError, UserError, OSError) as exc:
                    failed = title
                    out(f"  FAIL  {title}: {exc}")
                except Exception as exc:  # a defect: say which step and where, without data
                    failed = title
                    out(f"  FAIL  {title}: {type(exc).__name__} at {_where(exc)} (a defect)")
                else:
                    took = time.monotonic() - started
                    out(f"  ok    {title}: {detail} ({took:.1f} s)")
                    journey.passed.append(title)
        finally:
            _close(journey)
            _restore(before)
    out("Self-test passed." if not failed else f"Self-test FAILED at: {failed}")
    return 0 if not failed else 1


def _where(exc: BaseException) -> str:
    """The innermost s47desk line the error came from (file and line only, never values)."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "s47desk" in f.filename]
    frame = frames[-1] if frames else traceback.extract_tb(exc.__traceback__)[-1]
    return f"{Path(frame.filename).name}:{frame.lineno}"


def _quiet_offscreen_noise() -> None:
    """The offscreen platform's notes about features it lacks say nothing about s47desk."""
    noise = ("This plugin does not support",)

    def handler(_kind: Any, _context: Any, message: str) -> None:
        if not message.startswith(noise):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _close(j: Journey) -> None:
    if j.window is not None:
        j.window.close_meeting()
        j.window.close()
        j.window.deleteLater()
    if j.app is not None:
        j.app.close()
