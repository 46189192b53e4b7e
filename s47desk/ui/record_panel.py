"""Review and sign, once signed: export the signed record and the family copy.

The files are the ones made and signed when the chair signed: exporting needs no key, so
business support can do it, and every export of a version is the same bytes. Checking and
writing run on a worker thread with progress beside the button, and the result — where the
files are, the record's fingerprint, the signing certificate's fingerprint — is shown in place,
with a way to open the folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from s47desk.record.labels import reference
from s47desk.ui.document import MeetingDocument
from s47desk.ui.flow import button_row
from s47desk.ui.inline import InlineMessage
from s47desk.ui.theme import muted

if TYPE_CHECKING:
    from s47desk.record.copies import Exported


def busy_bar(name: str) -> QProgressBar:
    """An indeterminate bar: the steps are reported in words beside it."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setMaximumWidth(160)
    bar.setAccessibleName(name)
    bar.hide()
    return bar


def open_folder(folder: Path) -> str:
    """Show *folder* in the file manager; the problem in words, or ""."""
    if not folder.is_dir():
        return f"The folder {folder} does not exist yet: nothing has been exported."
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        return f"Could not open a file manager. The files are in {folder}."
    return ""


def value_label(name: str) -> QLabel:
    """A value the user may want to copy (a path, a fingerprint): selectable by keyboard too."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setAccessibleDescription(name)  # the name stays its text, which is the value
    return label


class RecordPanel(QGroupBox):
    """Export buttons, progress, the outcome, and the files' folder."""

    def __init__(self, doc: MeetingDocument, parent: QWidget | None = None) -> None:
        super().__init__("Signed record and family copy", parent)
        self.doc = doc
        self.running = False
        layout = QVBoxLayout(self)
        self.where = muted("")
        layout.addWidget(self.where)
        self.export_signed = QPushButton("Export signed record")
        self.export_signed.setAccessibleName("Export the signed record and the family copy")
        self.open_button = QPushButton("Open folder")
        self.open_button.setAccessibleName("Open the folder of this meeting's records")
        self.busy = busy_bar("Exporting")
        layout.addWidget(button_row(self.export_signed, self.open_button, self.busy))
        self.message = InlineMessage("Export: outcome")
        layout.addWidget(self.message)
        self.result = QWidget()
        form = QFormLayout(self.result)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.record_path = value_label("Record file")
        self.family_path = value_label("Family copy file")
        self.fingerprint = value_label("Content fingerprint (SHA-256)")
        self.signer = value_label("Signing certificate (SHA-256)")
        form.addRow("Record", self.record_path)
        form.addRow("Family copy", self.family_path)
        form.addRow("Content fingerprint (SHA-256)", self.fingerprint)
        form.addRow("Signed with certificate (SHA-256)", self.signer)
        self.result.hide()
        layout.addWidget(self.result)
        self.export_signed.clicked.connect(self.start_signed)
        self.open_button.clicked.connect(self._open)

    # -- state --------------------------------------------------------------------------------
    def folder(self) -> Path:
        return self.doc.app.meeting_folder(reference(self.doc.meeting))

    def refresh(self) -> None:
        signed = self.doc.meeting.is_locked
        altered = bool(self.doc.altered)
        self.export_signed.setEnabled(signed and not altered and not self.running)
        self.open_button.setEnabled(self.folder().is_dir())
        if altered:
            self.where.setText(
                "Not exported: the record was altered after it was signed (see above)."
            )
        elif signed:
            self.where.setText(f"Saved in {self.folder()}")
        else:
            self.where.setText("The record can be exported once the chair has signed it.")

    # -- export -------------------------------------------------------------------------------
    def start_signed(self) -> None:
        """Write the signed files stored at sign-off (checked first) into the meeting's folder."""
        self.message.clear_message()
        self._run()

    def _run(self) -> None:
        doc = self.doc
        db, meeting_id, forms, protocol = doc.db, doc.meeting_id, doc.forms, doc.protocol
        root = doc.app.export_root()
        from s47desk.record.copies import export_copies  # the Word record: loaded now

        def work(progress):
            return export_copies(
                db,
                meeting_id,
                root,
                forms=forms,
                protocol=protocol,
                progress=progress,
            )

        title = "Exporting the signed record"
        if not doc.tasks.run(title, work, self._done, self._failed, self.message.note):
            self.message.problem("Another export is still running; try again when it has finished.")
            return
        self._set_running(True)
        self.result.hide()
        self.message.note(title + "…")

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.busy.setVisible(running)
        self.refresh()

    def _done(self, exported: Exported) -> str:
        record = exported.record.record
        kind = "Signed record" if record.signer_sha256 else "Record (not digitally signed)"
        copies = " and family copy" if exported.family is not None else ""
        summary = f"{kind}{copies} saved in {exported.folder}."
        if not isValid(self):  # the meeting was closed meanwhile: the status bar still says so
            return summary
        self._set_running(False)
        self.record_path.setText(str(exported.record.path))
        if exported.family is not None:
            self.family_path.setText(str(exported.family.path))
        else:
            self.family_path.setText(f"Not written: {exported.no_family}")
        self.fingerprint.setText(record.content_fingerprint)
        self.signer.setText(record.signer_sha256 or "Not digitally signed")
        self.result.show()
        caution = exported.family.record.caution if exported.family is not None else ""
        self.message.success(summary + (f" Note: {caution}" if caution else ""))
        return summary

    def _failed(self, error: str) -> str:
        message = f"Not exported: {error}"
        if isValid(self):
            self._set_running(False)
            self.message.problem(message)
        return message

    def _open(self) -> None:
        problem = open_folder(self.folder())
        if problem:
            self.message.problem(problem)
