"""Review and sign, once signed: circulate the record to every agency, and keep the log.

"Circulate to agencies" writes the signed record and one email draft per agency into the
meeting's folder (the core's ``circulate``, on a worker thread), or sends them at once through
the mail server in settings. Drafts alone do not count as circulated: the chair sends them from
their own mail program and then says so ("Mark as sent"), which the core records.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid
from sqlalchemy.exc import SQLAlchemyError

from s47desk.atomic import make_folder
from s47desk.circulation.log import DRAFT
from s47desk.circulation.smtp import SmtpServer
from s47desk.deadlines import Deadline
from s47desk.record.labels import reference
from s47desk.ui.banner import Banner, BannerLine
from s47desk.ui.circulation_views import LogTable, OutcomeTable
from s47desk.ui.document import MeetingDocument
from s47desk.ui.flow import WrappedChoice, button_row
from s47desk.ui.inline import InlineMessage
from s47desk.ui.record_panel import busy_bar, open_folder
from s47desk.ui.signing_keys import SigningKeys
from s47desk.ui.theme import Heading, muted, semantic
from s47desk.ui.unlock_dialog import UnlockDialog, with_mail_password
from s47desk.vocab import MeetingStatus

if TYPE_CHECKING:
    from s47desk.circulation import CirculationResult

CIRCULATION_DEADLINE = "record_circulation_by"


class CirculationPanel(QGroupBox):
    """Circulate, progress, what happened per agency, the deadline, and the log."""

    def __init__(self, doc: MeetingDocument, parent: QWidget | None = None) -> None:
        super().__init__("Circulate to agencies", parent)
        self.doc = doc
        self.keys: SigningKeys = doc.keys
        self.unlock_dialog: UnlockDialog | None = None
        self.running = False
        self.asking = False  # "Mark as sent" is waiting for its confirmation
        #: The TLS trust used when sending; None is the system's (a test sets its own CA).
        self.ssl_context: ssl.SSLContext | None = None
        layout = QVBoxLayout(self)
        self.deadline = QLabel()
        self.deadline.setWordWrap(True)
        self.deadline.setTextFormat(Qt.TextFormat.RichText)
        self.deadline.setObjectName("circulationDeadline")
        layout.addWidget(self.deadline)
        self.send_now = QCheckBox()
        self.send_choice = WrappedChoice(self.send_now, "")
        layout.addWidget(self.send_choice)
        self.circulate_button = QPushButton("Circulate to agencies…")
        self.circulate_button.setAccessibleName("Circulate the signed record to the agencies")
        self.mark_sent = QPushButton("Mark as sent…")
        self.mark_sent.setAccessibleName("Mark the drafts as sent from my mail program")
        self.confirm = QPushButton("Confirm: I have sent every draft")
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel marking as sent")
        self.open_button = QPushButton("Open folder")
        self.open_button.setAccessibleName("Open the folder of the email drafts")
        self.busy = busy_bar("Circulating")
        layout.addWidget(
            button_row(
                self.circulate_button,
                self.mark_sent,
                self.confirm,
                self.cancel,
                self.open_button,
                self.busy,
            )
        )
        self.confirm.hide()
        self.cancel.hide()
        self.message = InlineMessage("Circulation: outcome")
        layout.addWidget(self.message)
        self.outcomes = OutcomeTable()
        self.outcomes.hide()
        layout.addWidget(self.outcomes)
        self.warnings = Banner("Send by hand")
        layout.addWidget(self.warnings)
        layout.addWidget(Heading("Circulation log", 1.05))
        self.log_empty = muted("The record has not been circulated yet.")
        layout.addWidget(self.log_empty)
        self.log = LogTable()
        layout.addWidget(self.log)
        self.circulate_button.clicked.connect(self.start)
        self.mark_sent.clicked.connect(self._ask_mark)
        self.cancel.clicked.connect(self._cancel_mark)
        self.confirm.clicked.connect(self.mark_as_sent)
        self.open_button.clicked.connect(self._open)
        doc.readiness_changed.connect(self._rechecked)

    def _rechecked(self, _readiness: object) -> None:
        self.show_deadline()

    # -- state --------------------------------------------------------------------------------
    def folder(self) -> Path:
        return self.doc.app.meeting_folder(reference(self.doc.meeting))

    def server(self) -> SmtpServer | None:
        try:
            return SmtpServer.from_settings(self.doc.settings)
        except ValueError:
            return None

    def refresh(self) -> None:
        """Buttons, the send option, the deadline and the log, as the database holds them now."""
        meeting = self.doc.meeting
        signed = meeting.is_locked
        server = self.server()
        if server is not None:
            self.send_choice.set_text(f"Send now through the mail server {server.host}")
        else:
            self.send_choice.set_text("Send now by email (set up a mail server in Settings first)")
            self.send_now.setChecked(False)
        self.send_now.setEnabled(signed and server is not None and not self.running)
        self.circulate_button.setEnabled(signed and not self.running)
        entries = self.log.load(self.doc.db, self.doc.meeting_id) if signed else []
        self.log.setVisible(bool(entries))
        self.log_empty.setVisible(not entries)
        self.log_empty.setText(
            "The record has not been circulated yet."
            if signed
            else "The record can be circulated once the chair has signed it."
        )
        drafts = any(
            e.method == DRAFT and e.record_version == meeting.record_version for e in entries
        )
        can_mark = meeting.status is MeetingStatus.SIGNED and drafts and not self.running
        if not can_mark:
            self._unask_mark(focus=False)
        self.mark_sent.setVisible(can_mark and not self.asking)
        self.open_button.setEnabled(self.folder().is_dir())
        self.show_deadline()

    def show_deadline(self, deadline: Deadline | None = None) -> None:
        deadline = deadline or self.doc.readiness.deadlines.get(CIRCULATION_DEADLINE)
        if deadline is None:
            self.deadline.setText("")
            self.deadline.hide()
            return
        state = deadline.state(self.doc.today, self.doc.protocol.calendar())
        colours = semantic(self.palette())
        colour = colours.ok if deadline.met else colours.blocker if "overdue" in state else None
        shown = f'<span style="color:{colour.name()}">{state}</span>' if colour else state
        self.deadline.setText(f"<b>{deadline.label}</b>: due by {deadline.when()} — {shown}")
        self.deadline.setAccessibleDescription(
            f"{deadline.label}: due by {deadline.when()}, {state}"
        )
        self.deadline.show()

    # -- circulating --------------------------------------------------------------------------
    def start(self) -> None:
        self.message.clear_message()
        server = None
        if self.send_now.isChecked():
            try:
                server = SmtpServer.from_settings(self.doc.settings)
            except ValueError as exc:
                self.message.problem(str(exc))
                return
        self.unlock_dialog = with_mail_password(
            self,
            self.keys,
            action="Circulate to agencies",
            mail=server,
            then=lambda password: self._run(server, password),
        )

    def _run(self, server: SmtpServer | None, password: str) -> None:
        doc = self.doc
        db, meeting_id, forms, protocol = doc.db, doc.meeting_id, doc.forms, doc.protocol
        folder = self.folder()
        context, by = self.ssl_context, self._sender()

        from s47desk.circulation import circulate  # the record and its signing: loaded now

        def work(progress):
            make_folder(folder)
            return circulate(
                db,
                meeting_id,
                folder,
                forms=forms,
                protocol=protocol,
                send=server is not None,
                server=server,
                password=password,
                ssl_context=context,
                sent_by=by,
                progress=progress,
            )

        title = "Sending the record to the agencies" if server else "Writing the email drafts"
        if not doc.tasks.run(title, work, self._done, self._failed, self.message.note):
            self.message.problem("Another export is still running; try again when it has finished.")
            return
        self._set_running(True)
        self.outcomes.hide()
        self.warnings.set_lines([])
        self.message.note(title + "…")

    def _sender(self) -> str:
        """Who circulates: the person using s47desk (business support, often), not the chair."""
        return self.doc.app.user_label()

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.busy.setVisible(running)
        self.refresh()

    def _done(self, result: CirculationResult) -> str:
        drafts = [o for o in result.outcomes if o.draft is not None]
        sent = [o for o in drafts if o.sent]
        if result.send_error:
            summary = (
                f"Sending stopped: {result.send_error} {len(sent)} of {len(drafts)} agencies "
                "were sent the record (see the log). The drafts are in the folder; the meeting "
                "is not marked circulated."
            )
        elif result.circulated:
            summary = f"Sent to all {len(sent)} agencies with an email address: circulated."
        else:
            summary = (
                f"{len(drafts)} email drafts and the signed record are in {result.record_path.parent}. "
                "Open each draft in your mail program and send it, then choose “Mark as sent”."
            )
        if not isValid(self):
            return summary
        self._set_running(False)
        self.outcomes.set_outcomes(result.outcomes)
        self.outcomes.show()
        self.warnings.set_lines([BannerLine("warning", w) for w in result.warnings])
        if result.send_error:
            self.message.problem(summary)
        else:
            self.message.success(summary)
        if result.circulated:
            self.doc.circulated()
        self.refresh()
        self.show_deadline(result.deadline)
        if result.send_error:
            return "Circulation: sending stopped (see the review-and-sign step)"
        return "Circulated" if result.circulated else "Email drafts written"

    def _failed(self, error: str) -> str:
        message = f"Not circulated: {error}"
        if isValid(self):
            self._set_running(False)
            self.message.problem(message)
        return message

    # -- sent from the chair's own mail program -----------------------------------------------
    def _ask_mark(self) -> None:
        self.asking = True
        self.mark_sent.hide()
        self.confirm.show()
        self.cancel.show()
        self.confirm.setFocus()

    def _cancel_mark(self) -> None:
        self._unask_mark(focus=True)

    def _unask_mark(self, focus: bool) -> None:
        was_asking, self.asking = self.asking, False
        self.confirm.hide()
        self.cancel.hide()
        if was_asking:
            self.mark_sent.show()
            if focus:
                self.mark_sent.setFocus()

    def mark_as_sent(self) -> None:
        """The core records it (a short transaction of its own); the window then shows it."""
        self.asking = False
        self.confirm.hide()
        self.cancel.hide()
        doc = self.doc
        from s47desk.circulation import CirculationError, confirm_sent

        try:
            deadline = confirm_sent(
                doc.db, doc.meeting_id, forms=doc.forms, protocol=doc.protocol, by=self._sender()
            )
        except CirculationError as exc:
            self.message.problem(str(exc))
            self.refresh()
            return
        except SQLAlchemyError:
            self.message.problem(
                "The database could not be written, so the circulation is not recorded. "
                "Try again in a moment."
            )
            self.refresh()
            return
        self.message.success("Recorded: the record was sent to every agency. Circulated.")
        doc.circulated()
        self.refresh()
        self.show_deadline(deadline)

    def _open(self) -> None:
        problem = open_folder(self.folder())
        if problem:
            self.message.problem(problem)
