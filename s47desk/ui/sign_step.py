"""Review and sign: the record read back, each child's outcome, the chair's signature, then the
signed record's export and circulation (record_panel, circulation_panel).

Signing is the core's ``sign_meeting`` (it refuses while blockers remain); the button is only
enabled when the core says the meeting is ready. Once signed, the whole meeting is read-only.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from s47desk.checks import Finding
from s47desk.fields import FieldDef
from s47desk.models import Meeting
from s47desk.record.readback import readback_html
from s47desk.ui.circulation_panel import CirculationPanel
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.base import FieldEditor
from s47desk.ui.editors.scalar import UndoAwareLineEdit
from s47desk.ui.editors.table import Column, RowTableModel, RowTableView
from s47desk.ui.flow import button_row
from s47desk.ui.record_panel import RecordPanel
from s47desk.ui.theme import Heading
from s47desk.ui.unlock_dialog import UnlockDialog, with_signing_key
from s47desk.vocab import ChildOutcome

if TYPE_CHECKING:
    from s47desk.record.certificate import SigningIdentity
    from s47desk.signoff import SignedResult

OUTCOME_COLUMNS = [
    Column("name", "Child", "readonly", display=lambda c: c.name or "(no name)"),
    Column(
        "outcome", "Outcome", "vocab", ChildOutcome, optional=False, fixes=("children.outcome",)
    ),
    Column("outcome_note", "Note (e.g. ICPC date)", stretch=True),
]


def _e(text: Any) -> str:
    return html.escape(str(text or ""))


def summary_html(meeting: Meeting, doc: MeetingDocument) -> str:
    """The record in brief, as read back at the end of the discussion."""
    return readback_html(meeting, doc.form, doc.protocol, doc.today)


CONFIRM_DELAY_MS = 700  # "Sign now" cannot be pressed straight after "Sign the record…"


class SignEditor(FieldEditor):
    label_mode = "none"
    also_fields = ("children",)

    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        self.unlock_dialog: UnlockDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QTextBrowser()
        self.summary.setAccessibleName("The record in brief")
        self.summary.setMinimumHeight(260)
        layout.addWidget(Heading("Read back", 1.1))
        layout.addWidget(self.summary)
        layout.addWidget(Heading("Outcome for each child", 1.1))
        self.outcomes = RowTableModel(
            doc, "children", OUTCOME_COLUMNS, field_id="children", parent=self
        )
        self.outcome_view = RowTableView(
            doc, self.outcomes, "No children are recorded (see Details)."
        )
        self.outcome_view.setAccessibleName("Outcome for each child")
        layout.addWidget(self.outcome_view)
        layout.addWidget(self._sign_box())
        self.record_panel = RecordPanel(doc)
        self.circulation = CirculationPanel(doc)
        layout.addWidget(self.record_panel)
        layout.addWidget(self.circulation)
        doc.readiness_changed.connect(self._rechecked)
        self.refresh()

    # -- signing ------------------------------------------------------------------------------
    def _sign_box(self) -> QGroupBox:
        box = QGroupBox("Chair's authorisation")
        form = QFormLayout(box)
        settings = getattr(self.doc, "settings", None)
        meeting = self.doc.meeting
        self.name = UndoAwareLineEdit(
            meeting.chair_name or (settings.chair_name if settings else "")
        )
        self.name.setAccessibleName("Signing: name")
        self.role = UndoAwareLineEdit(
            meeting.chair_role or (settings.chair_role if settings else "")
        )
        self.role.setAccessibleName("Signing: role")
        self.on_behalf_of = UndoAwareLineEdit("")
        self.on_behalf_of.setAccessibleName("Signing on behalf of")
        self.on_behalf_of.setPlaceholderText(
            "Only when someone signs for the chair: <signer> on behalf of <chair>"
        )
        form.addRow("Name", self.name)
        form.addRow("Role", self.role)
        form.addRow("On behalf of", self.on_behalf_of)
        self.state = QLabel()
        self.state.setWordWrap(True)
        form.addRow(self.state)
        self.sign_button = QPushButton("Sign the record…")
        self.sign_button.setAccessibleName("Sign the record")
        self.first_blocker = QPushButton("Go to the first blocker")
        self.confirm = QPushButton("Sign now: this cannot be undone")
        self.confirm.setAccessibleName("Confirm: sign now, this cannot be undone")
        self.cancel = QPushButton("Cancel")
        form.addRow(button_row(self.sign_button, self.first_blocker, self.confirm, self.cancel))
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.confirm.hide()
        self.cancel.hide()
        self.sign_button.clicked.connect(self._ask)
        self.cancel.clicked.connect(self._unask)
        self.confirm.clicked.connect(self.sign)
        self.first_blocker.clicked.connect(self._go_first_blocker)
        self.name.textChanged.connect(lambda _t: self._rechecked(self.doc.readiness))
        self.role.textChanged.connect(lambda _t: self._rechecked(self.doc.readiness))
        return box

    def _ask(self) -> None:
        """The second, deliberate step: Cancel has the focus, and "Sign now" waits a moment
        before it can be pressed, so a double press of the first button cannot sign."""
        self.sign_button.hide()
        self.confirm.setEnabled(False)
        self.confirm.show()
        self.cancel.show()
        self.cancel.setFocus()
        QTimer.singleShot(CONFIRM_DELAY_MS, self.confirm, lambda: self.confirm.setEnabled(True))

    def _unask(self) -> None:
        self.confirm.hide()
        self.cancel.hide()
        self.sign_button.show()
        self.sign_button.setFocus()

    def sign(self) -> None:
        """Store what is typed, unlock the chair's key, then sign in one transaction."""
        self._unask()
        self.doc.recheck()
        if not self.doc.save_now():
            self.state.setText(
                f"Not signed: your latest edits are not saved yet ({self.doc.save_state()}). "
                "Nothing was signed; try again once they are saved."
            )
            return
        self.unlock_dialog = with_signing_key(
            self,
            self.doc.keys,
            self.doc.settings,
            action="Sign the record",
            then=lambda identity, _password: self._sign_with(identity),
            problem=lambda text: self.state.setText(f"Not signed: {text}"),
        )

    def _sign_with(self, identity: SigningIdentity) -> None:
        doc, name, role = self.doc, self.name.text(), self.role.text()
        on_behalf_of = self.on_behalf_of.text().strip()

        def work(progress):
            progress("Signing the record and making its signed files")
            return doc.app.sign(
                doc.meeting_id, identity, name=name, role=role, on_behalf_of=on_behalf_of
            )

        if not doc.tasks.run("Signing the record", work, self._signed, self._not_signed):
            self.state.setText("Not signed: another task is still running; try again shortly.")
            return
        self.sign_button.setEnabled(False)
        self.state.setText("Signing…")

    def _signed(self, result: SignedResult) -> str:
        self.doc.mark_signed()
        text = (
            f"Signed and saved: read back from the database at {datetime.now():%H:%M:%S}. "
            f"Signed by {result.name}, {result.role}"
            + (f" ({result.on_behalf_of})" if result.on_behalf_of else "")
            + f", {result.signed_at:%d/%m/%Y %H:%M} UTC. The record is read-only."
        )
        if isValid(self):
            self.state.setText(text)
        return "Signed and saved"

    def _not_signed(self, error: str) -> str:
        if isValid(self):
            self.doc.reload()
            self._rechecked(self.doc.readiness)
            self.state.setText(f"Not signed: {error}")
        return "Not signed"

    def _go_first_blocker(self) -> None:
        blockers = self.doc.readiness.blockers
        if blockers:
            self.finding_activated.emit(blockers[0])

    def _rechecked(self, readiness: Any) -> None:
        self.summary.setHtml(summary_html(self.doc.meeting, self.doc))
        meeting = self.doc.meeting
        if meeting.is_locked:
            last = meeting.signoffs[-1] if meeting.signoffs else None
            when = f"{last.signed_at:%d/%m/%Y %H:%M} UTC" if last else ""
            if not self.state.text().startswith("Signed and saved"):
                self.state.setText(
                    f"Signed by {last.name}, {last.role}, {when}. The record is read-only."
                    if last
                    else "Signed."
                )
            for button in (self.sign_button, self.first_blocker, self.confirm, self.cancel):
                button.hide()
            return
        blockers = len(readiness.blockers)
        who = bool(self.name.text().strip() and self.role.text().strip())
        if blockers:
            self.state.setText(
                f"{blockers} blocker{'s' * (blockers != 1)} remain{'s' * (blockers == 1)}: the record "
                "can be signed once every blocker in the readiness panel is resolved."
            )
        elif not who:
            self.state.setText("Enter the name and role of the person signing.")
        else:
            self.state.setText("No blockers remain: the chair can sign.")
        self.sign_button.setEnabled(not blockers and who)
        self.first_blocker.setVisible(bool(blockers))

    # -- common -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._rechecked(self.doc.readiness)
        self.set_read_only(self.doc.locked)

    def set_read_only(self, read_only: bool) -> None:
        self.name.setReadOnly(read_only)
        self.role.setReadOnly(read_only)
        self.on_behalf_of.setReadOnly(read_only)
        self.record_panel.refresh()
        self.circulation.refresh()

    def focus_item(self, item: int | None, code: str = "") -> None:
        if code.startswith("children") and self.outcomes.rows:
            row = item if item is not None and 0 <= item < len(self.outcomes.rows) else 0
            index = self.outcomes.index(row, 1)
            self.outcome_view.setFocus()
            self.outcome_view.setCurrentIndex(index)
            if not self.doc.locked:
                self.outcome_view.edit(index)
            return
        self.name.setFocus()

    def show_findings(self, findings: list[Finding]) -> None:
        rows: dict[int, list[tuple[str, str]]] = {}
        for f in findings:
            if f.field == "children" and f.item is not None:
                rows.setdefault(f.item, []).append((f.severity.value, f.message))
        self.outcomes.set_findings(rows)
