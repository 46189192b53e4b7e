"""Settings: who chairs, where, which local protocol, where records go, signing and email.

Options are declared as data (like Picard's option pages): each row names a ``Settings``
attribute, its label and how it is edited; ``load``/``check``/``save`` do the rest. A problem
(a bad local-protocol file, a missing certificate file) is reported inline and cannot be saved.
Secrets are never settings: the certificate's passphrase and the mail password are asked for
when they are used.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from s47desk.circulation.smtp import SmtpServer
from s47desk.protocol import ProtocolError, load_protocol
from s47desk.settings import Settings
from s47desk.ui.certificate_creator import CertificateCreator
from s47desk.ui.combo import ValueCombo
from s47desk.ui.inline import InlineMessage
from s47desk.ui.theme import Heading
from s47desk.workdays import Region

Editor = QLineEdit | QComboBox | QSpinBox


@dataclass(frozen=True)
class Option:
    attr: str
    label: str
    kind: str = "text"  # text, region, file, folder, certificate, port
    help: str = ""
    section: str = "The chair"


OPTIONS = (
    Option(
        "user_name",
        "Your name (for the audit trail)",
        help="Who is using s47desk: chair, minute-taker or business support",
    ),
    Option("chair_name", "Chair's name", help="Filled in on new meetings and when signing"),
    Option("chair_role", "Chair's role"),
    Option("chair_email", "Chair's email"),
    Option("local_authority", "Local authority"),
    Option("region", "Bank holidays of", "region"),
    Option(
        "protocol_file",
        "Local-protocol file",
        "file",
        "A TOML file of local timescales and closure days",
        "Records",
    ),
    Option(
        "forms_folder",
        "Local forms folder",
        "folder",
        "Your local authority's forms (empty: forms/ in the configuration folder)",
        "Records",
    ),
    Option(
        "export_folder",
        "Export folder",
        "folder",
        "Where records and email drafts are saved (empty: s47desk's own folder)",
        "Records",
    ),
    Option(
        "signing_certificate",
        "Signing certificate",
        "certificate",
        "Your certificate file (.p12 or .pfx)",
        "Signing",
    ),
    Option(
        "certificate_authority",
        "Organisation's certificate authority",
        "pem",
        "The CA certificate (PEM) your organisation issues signing certificates from",
        "Signing",
    ),
    Option(
        "smtp_host",
        "Mail server (SMTP)",
        help="Empty: write email drafts only, to send from your own mail program",
        section="Email",
    ),
    Option("smtp_port", "Port", "port", section="Email"),
    Option("smtp_user", "User name", help="Usually your email address", section="Email"),
    Option("sender_email", "Send from", help="Empty: the chair's email", section="Email"),
)

FILE_FILTERS = {
    "file": "TOML files (*.toml)",
    "certificate": "Certificates (*.p12 *.pfx)",
    "pem": "CA certificates (*.pem *.crt *.cer)",
}
ORGANISATION = "set by your organisation"


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        organisation: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.original = settings
        self.organisation = organisation  # keys whose value comes from the organisation's file
        self.saved: Settings | None = None
        self.widgets: dict[str, Editor] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("Settings", 1.3))
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        section = ""
        for option in OPTIONS:
            if option.section != section:
                section = option.section
                form.addRow(Heading(section, 1.1))
            widget, row = self._widget(option)
            fixed = option.attr in settings.fixed
            text = option.label
            if fixed:
                text += f" ({ORGANISATION})"
            elif option.attr in organisation:
                text += " (your organisation's value: you may change it)"
            label = QLabel(text)
            label.setWordWrap(True)
            label.setBuddy(widget)
            form.addRow(label, row)
            self.widgets[option.attr] = widget
            if fixed:
                self._fix(widget, row)
        body_layout.addLayout(form)
        self.creator = CertificateCreator(self._certificate_details)
        self.creator.created.connect(self.widgets["signing_certificate"].setText)  # type: ignore[union-attr]
        body_layout.addWidget(self.creator)
        body_layout.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setAccessibleName("Settings")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(body)
        layout.addWidget(self.scroller, 1)
        self.problem = InlineMessage("Problem with the settings")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.load(settings)
        char = self.fontMetrics().averageCharWidth()
        room = self.screen().availableGeometry()
        self.resize(min(90 * char, room.width()), self._fitting_height())

    def _fitting_height(self) -> int:
        """Tall enough for every option (and a message or two), if the screen has room."""
        room = self.screen().availableGeometry().height() * 0.85
        body = self.scroller.widget()
        inner = body.sizeHint().height() if body is not None else 0
        wanted = inner + 150 + 3 * self.fontMetrics().height()
        return int(min(wanted, room))

    def _widget(self, option: Option) -> tuple[Editor, QWidget]:
        if option.kind == "region":
            combo = ValueCombo()
            for region in Region:
                combo.addItem(region.label, region.value)
            combo.setAccessibleName(option.label)
            return combo, combo
        if option.kind == "port":
            spin = QSpinBox()
            spin.setRange(1, 65535)
            spin.setAccessibleName("Mail server port")
            spin.setToolTip("587 (STARTTLS) or 465 (TLS)")
            spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("65535") * 3)
            return spin, spin
        edit = QLineEdit()
        edit.setAccessibleName(option.label)
        edit.setPlaceholderText(option.help)
        if option.kind == "text":
            return edit, edit
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        browse = QPushButton("Browse…")
        browse.setAccessibleName(f"Browse for the {option.label.lower()}")
        browse.clicked.connect(lambda: self._browse(option, edit))
        row.addWidget(edit, 1)
        row.addWidget(browse)
        if option.kind == "certificate":
            self.create_certificate = QPushButton("Create one…")
            self.create_certificate.setAccessibleName("Create a personal signing certificate")
            self.create_certificate.clicked.connect(self.creator_open)
            row.addWidget(self.create_certificate)
        return edit, holder

    def _fix(self, widget: Editor, row: QWidget) -> None:
        """A value the organisation fixed: shown, readable, selectable, not editable."""
        widget.setAccessibleDescription(ORGANISATION)
        widget.setToolTip(ORGANISATION)
        if isinstance(widget, QLineEdit):
            widget.setReadOnly(True)
        else:
            widget.setEnabled(False)
        for button in row.findChildren(QPushButton):
            button.setEnabled(False)

    def _browse(self, option: Option, edit: QLineEdit) -> None:
        if option.kind == "folder":
            chosen = QFileDialog.getExistingDirectory(self, option.label, edit.text())
        else:
            chosen, _ = QFileDialog.getOpenFileName(
                self, option.label, edit.text(), FILE_FILTERS[option.kind]
            )
        if chosen:
            edit.setText(chosen)

    def creator_open(self) -> None:
        self.creator.open_panel()
        self.resize(self.width(), max(self.height(), self._fitting_height()))
        # Once the panel is laid out: scroll it into view (on a small screen).
        QTimer.singleShot(0, lambda: self.scroller.ensureWidgetVisible(self.creator, 0, 0))

    def _certificate_details(self) -> dict[str, str]:
        """Who the new certificate names: what is in the form now, saved or not."""

        def text(attr: str) -> str:
            widget = self.widgets[attr]
            return widget.text().strip() if isinstance(widget, QLineEdit) else ""

        return {
            "name": text("chair_name"),
            "role": text("chair_role"),
            "email": text("chair_email"),
            "organisation": text("local_authority"),
        }

    def load(self, settings: Settings) -> None:
        for attr, widget in self.widgets.items():
            value = getattr(settings, attr)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(str(value)), 0))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            else:
                widget.setText(str(value))

    def values(self) -> Settings:
        changes: dict[str, object] = {}
        for attr, widget in self.widgets.items():
            if attr in self.original.fixed:
                continue  # the organisation's value stands
            if isinstance(widget, QComboBox):
                changes[attr] = widget.currentData()
            elif isinstance(widget, QSpinBox):
                changes[attr] = widget.value()
            else:
                changes[attr] = widget.text().strip()
        return replace(self.original, **changes)  # type: ignore[arg-type]

    def check(self, settings: Settings) -> str:
        """The problem with *settings*, or "" when they can be saved."""
        if settings.protocol_file:
            try:
                load_protocol(settings.protocol_file)
            except ProtocolError as exc:
                return str(exc)
        if settings.export_folder and Path(settings.export_folder).is_file():
            return f"{settings.export_folder} is a file, not a folder."
        if settings.signing_certificate and not Path(settings.signing_certificate).is_file():
            return f"The signing certificate {settings.signing_certificate} does not exist."
        if settings.certificate_authority and not Path(settings.certificate_authority).is_file():
            return f"The CA certificate {settings.certificate_authority} does not exist."
        if settings.forms_folder and not Path(settings.forms_folder).is_dir():
            return f"The forms folder {settings.forms_folder} does not exist."
        if settings.smtp_host:
            try:
                SmtpServer.from_settings(settings)
            except ValueError as exc:
                return str(exc)
        return ""

    def save(self) -> None:
        settings = self.values()
        problem = self.check(settings)
        if problem:
            self.problem.problem(problem)
            return
        self.problem.clear_message()
        self.saved = settings
        self.accept()

    def done(self, result: int) -> None:
        """Let a certificate being made finish first (a second or two), so it is never lost."""
        self.creator.tasks.wait()
        super().done(result)
