"""Create a personal signing certificate for the chair, from the settings page.

A self-signed certificate proves that a record has not changed since it was signed; a reader who
needs to know *who* signed it compares the certificate's fingerprint (shown here) with the one
the chair gives them. The passphrase is typed twice and never stored. The file goes into the
configuration folder, readable by its owner only, and never replaces an earlier one (records
signed with it stay checkable against its fingerprint). The key is made on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from s47desk.paths import config_dir
from s47desk.record.certificate import SigningIdentity, create_self_signed
from s47desk.ui.inline import InlineMessage
from s47desk.ui.record_panel import busy_bar
from s47desk.ui.theme import muted
from s47desk.ui.workers import TaskRunner

MIN_PASSPHRASE = 8


class _SecretEdit(QLineEdit):
    """Enter here belongs to this panel: it must not also press the dialog's Save button."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


def new_certificate_path() -> Path:
    """A fresh file name in the configuration folder (created owner-only if need be)."""
    config_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = config_dir() / "signing"
    folder.mkdir(exist_ok=True, mode=0o700)
    path, n = folder / "signing-certificate.p12", 1
    while path.exists():
        n += 1
        path = folder / f"signing-certificate-{n}.p12"
    return path


class CertificateCreator(QGroupBox):
    """Hidden until asked for; ``created`` gives the new file's path."""

    created = Signal(str)

    def __init__(
        self, details: Callable[[], dict[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__("Create a personal signing certificate", parent)
        self.details = details
        self.tasks = TaskRunner(self)
        layout = QVBoxLayout(self)
        layout.addWidget(
            muted(
                "For a chair without a certificate from their organisation. It shows that a "
                "record is unchanged; give agencies its fingerprint so they can check who signed."
            )
        )
        self.who = QLabel()
        self.who.setWordWrap(True)
        layout.addWidget(self.who)
        form = QFormLayout()
        self.passphrase = self._secret("Passphrase for the new certificate")
        self.again = self._secret("The passphrase again")
        form.addRow(self._label("&Passphrase", self.passphrase), self.passphrase)
        form.addRow(self._label("&Again", self.again), self.again)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.create_button = QPushButton("Create certificate")
        self.cancel = QPushButton("Close")
        self.cancel.setAccessibleName("Close: do not create a certificate")
        row.addWidget(self.create_button)
        row.addWidget(self.cancel)
        self.busy = busy_bar("Creating the certificate")
        row.addWidget(self.busy)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = InlineMessage("Certificate: outcome")
        layout.addWidget(self.message)
        self.create_button.clicked.connect(self.make_certificate)
        self.passphrase.returnPressed.connect(self.again.setFocus)
        self.again.returnPressed.connect(self.make_certificate)
        self.cancel.clicked.connect(self.hide)
        self.hide()

    @staticmethod
    def _secret(name: str) -> QLineEdit:
        edit = _SecretEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(name)
        return edit

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def open_panel(self) -> None:
        d = self.details()
        facts = "; ".join(
            f"{label}: {d[key]}"
            for key, label in (
                ("name", "name"),
                ("role", "role"),
                ("organisation", "organisation"),
                ("email", "email"),
            )
            if d[key]
        )
        if not d["name"]:
            facts = "no name yet: enter the chair's name above first" + (
                f" ({facts})" if facts else ""
            )
        self.who.setText(f"The certificate will say — {facts}.")
        self.message.clear_message()
        self.show()
        self.passphrase.setFocus()

    def make_certificate(self) -> None:
        if self.tasks.busy:
            return
        d = self.details()
        first, second = self.passphrase.text(), self.again.text()
        if not d["name"]:
            self.message.problem("Enter the chair's name above first: the certificate carries it.")
            return
        if len(first) < MIN_PASSPHRASE:
            self.message.problem(f"Choose a passphrase of at least {MIN_PASSPHRASE} characters.")
            self.passphrase.setFocus()
            return
        if first != second:
            self.message.problem("The two passphrases differ: type them again.")
            self.again.clear()
            self.again.setFocus()
            return
        try:
            path = new_certificate_path()
        except OSError as exc:
            self.message.problem(f"Could not create the folder for the certificate: {exc}.")
            return
        self.passphrase.clear()
        self.again.clear()
        secret = first.encode("utf-8")

        def work(progress: Callable[[str], None]) -> SigningIdentity:
            progress("Making the key")
            return create_self_signed(
                path,
                name=d["name"],
                role=d["role"],
                email=d["email"] or None,
                organisation=d["organisation"] or None,
                passphrase=secret,
            )

        self.tasks.run(
            "Creating the certificate", work, lambda i: self._done(path, i), self._failed
        )
        self.busy.show()
        self.create_button.setEnabled(False)
        self.message.note("Making the key (a second or two)…")

    def _done(self, path: Path, identity: SigningIdentity) -> str:
        if isValid(self):
            self.busy.hide()
            self.create_button.setEnabled(True)
            self.message.success(
                f"Created {path}. Its fingerprint (SHA-256) is {identity.fingerprint_sha256}. "
                "Save the settings to sign with it."
            )
            self.created.emit(str(path))
        return "Certificate created"

    def _failed(self, error: str) -> str:
        if isValid(self):
            self.busy.hide()
            self.create_button.setEnabled(True)
            self.message.problem(f"No certificate was created: {error}")
        return "No certificate was created"
