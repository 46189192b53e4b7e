"""Ask for what is never stored — the signing passphrase, the mail password — when it is used.

Only an explicit "Sign the record" or "Send now" opens this small dialog, so it never
interrupts typing. A wrong passphrase is said inside the dialog, which stays open for another try.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from s47desk.errors import SigningError
from s47desk.ui.inline import InlineMessage
from s47desk.ui.signing_keys import HOLD_MINUTES, SigningKeys
from s47desk.ui.theme import Heading, muted

if TYPE_CHECKING:
    from s47desk.circulation.smtp import SmtpServer
    from s47desk.record.certificate import SigningIdentity

NO_CERTIFICATE = (
    "No signing certificate is chosen. In Settings (Ctrl+,), choose your certificate file "
    "(.p12 or .pfx), or create a personal certificate."
)


class UnlockDialog(QDialog):
    """The passphrase (unless the key is already unlocked) and the mail password (if needed)."""

    def __init__(
        self,
        keys: SigningKeys,
        certificate: str,
        *,
        action: str,
        identity: SigningIdentity | None,
        mail: SmtpServer | None,
        need_key: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(action)
        self.keys, self.certificate = keys, certificate
        self.identity = identity
        self.need_key = need_key and identity is None
        self.password = ""
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(action, 1.2))
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase of the signing certificate")
        self.mail_password = QLineEdit()
        self.mail_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.mail_password.setAccessibleName("Mail server password")
        if self.need_key:
            layout.addWidget(
                muted(
                    f"The record is signed with your certificate {Path(certificate).name}. "
                    "Its passphrase is not stored; the unlocked key is forgotten after "
                    f"{HOLD_MINUTES} minutes unused."
                )
            )
            form.addRow(self._label("&Passphrase", self.passphrase), self.passphrase)
        if mail is not None and mail.user:
            form.addRow(
                self._label(f"Password for {mail.user} on {mail.host}", self.mail_password),
                self.mail_password,
            )
        layout.addLayout(form)
        self.problem = InlineMessage("Problem")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.passphrase if self.need_key else self.mail_password).setFocus()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 40)
        self.adjustSize()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def accept(self) -> None:
        if self.need_key:
            # A fifth of a second to decrypt: too short for a worker, long enough for a cursor.
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.identity = self.keys.unlock(self.certificate, self.passphrase.text())
            except SigningError as exc:
                self.passphrase.clear()
                self.passphrase.setFocus()
                self.problem.problem(f"{exc} Try again, or cancel.")
                return
            finally:
                QApplication.restoreOverrideCursor()
            self.passphrase.clear()
        self.password = self.mail_password.text()
        self.mail_password.clear()
        super().accept()


def with_signing_key(
    parent: QWidget,
    keys: SigningKeys,
    settings: Any,
    *,
    action: str,
    then: Callable[[SigningIdentity, str], None],
    problem: Callable[[str], None],
    mail: SmtpServer | None = None,
) -> UnlockDialog | None:
    """Call ``then(identity, mail_password)`` once the key is unlocked; the dialog, if one opened.

    Window-modal but not blocking (``open``): the rest of the app keeps running meanwhile.
    """
    return _ask(parent, keys, settings, action, then, problem, mail, need_key=True)


def with_mail_password(
    parent: QWidget,
    keys: SigningKeys,
    *,
    action: str,
    mail: SmtpServer | None,
    then: Callable[[str], None],
) -> UnlockDialog | None:
    """Call ``then(mail_password)``, asking for it only when the server needs a login."""
    if mail is None or not mail.user:
        then("")
        return None
    dialog = UnlockDialog(keys, "", action=action, identity=None, mail=mail, need_key=False,
                          parent=parent)  # fmt: skip
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: then(dialog.password))
    dialog.open()
    return dialog


def _ask(
    parent: QWidget,
    keys: SigningKeys,
    settings: Any,
    action: str,
    then: Callable[[SigningIdentity, str], None],
    problem: Callable[[str], None],
    mail: SmtpServer | None,
    *,
    need_key: bool,
) -> UnlockDialog | None:
    path = getattr(settings, "signing_certificate", "") if settings is not None else ""
    if not path:
        problem(NO_CERTIFICATE)
        return None
    if not Path(path).is_file():
        problem(f"The signing certificate {path} is not there. Choose it again in Settings.")
        return None
    identity = keys.cached(path)
    if identity is not None and not (mail is not None and mail.user):
        then(identity, "")
        return None
    dialog = UnlockDialog(keys, path, action=action, identity=identity, mail=mail, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def unlocked() -> None:
        if dialog.identity is not None:
            then(dialog.identity, dialog.password)

    dialog.accepted.connect(unlocked)
    dialog.open()
    return dialog
