"""Settings: who chairs, where, which local protocol, where exports go.

Options are declared as data (like Picard's option pages): each row names a ``Settings``
attribute, its label and how it is edited; ``load``/``check``/``save`` do the rest. A bad
local-protocol file is reported inline, naming the problem, and cannot be saved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from s47desk.protocol import ProtocolError, load_protocol
from s47desk.settings import Settings, save_settings
from s47desk.ui.combo import ValueCombo
from s47desk.ui.theme import Heading, semantic
from s47desk.workdays import Region


@dataclass(frozen=True)
class Option:
    attr: str
    label: str
    kind: str = "text"  # text, region, file, folder
    help: str = ""


OPTIONS = (
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
    ),
    Option("export_folder", "Export folder", "folder", "Where Word records are saved"),
)


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.original = settings
        self.saved: Settings | None = None
        self.widgets: dict[str, QLineEdit | QComboBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("Settings", 1.3))
        form = QFormLayout()
        for option in OPTIONS:
            widget, row = self._widget(option)
            label = QLabel(option.label)
            label.setBuddy(widget)
            form.addRow(label, row)
            self.widgets[option.attr] = widget
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        palette = self.problem.palette()
        palette.setColor(palette.ColorRole.WindowText, semantic(palette).blocker)
        self.problem.setPalette(palette)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.load(settings)

    def _widget(self, option: Option) -> tuple[QLineEdit | QComboBox, QWidget]:
        if option.kind == "region":
            combo = ValueCombo()
            for region in Region:
                combo.addItem(region.label, region.value)
            combo.setAccessibleName(option.label)
            return combo, combo
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
        return edit, holder

    def _browse(self, option: Option, edit: QLineEdit) -> None:
        if option.kind == "folder":
            chosen = QFileDialog.getExistingDirectory(self, option.label, edit.text())
        else:
            chosen, _ = QFileDialog.getOpenFileName(
                self, option.label, edit.text(), "TOML files (*.toml)"
            )
        if chosen:
            edit.setText(chosen)

    def load(self, settings: Settings) -> None:
        for attr, widget in self.widgets.items():
            value = str(getattr(settings, attr))
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
            else:
                widget.setText(value)

    def values(self) -> Settings:
        changes = {
            attr: (w.currentData() if isinstance(w, QComboBox) else w.text().strip())
            for attr, w in self.widgets.items()
        }
        return replace(self.original, **changes)

    def check(self, settings: Settings) -> str:
        """The problem with *settings*, or "" when they can be saved."""
        if settings.protocol_file:
            try:
                load_protocol(settings.protocol_file)
            except ProtocolError as exc:
                return str(exc)
        if settings.export_folder and Path(settings.export_folder).is_file():
            return f"{settings.export_folder} is a file, not a folder."
        return ""

    def save(self) -> None:
        settings = self.values()
        problem = self.check(settings)
        self.problem.setText(problem)
        if problem:
            return
        save_settings(settings)
        self.saved = settings
        self.accept()
