"""The open meeting's history (its audit trail) and the amendment of a signed record.

History: who changed what and when (stored in UTC, shown in local time), the old and the new
text, read from the database with ``Application.audit_trail``; if the hash chain does not hold
together, the dialog says so plainly at the top. Amend: the reason is required; the core makes
a new draft version with the same reference (``Application.amend``) and the window opens it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from s47desk.application import Application
from s47desk.errors import UserError
from s47desk.ui.a11y import announce
from s47desk.ui.circulation_views import local_time
from s47desk.ui.editors.scalar import UndoAwarePlainTextEdit
from s47desk.ui.inline import InlineMessage
from s47desk.ui.theme import Heading, muted, semantic

WHAT = {"insert": "Added", "delete": "Removed", "update": "Changed"}


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HistoryDialog(QDialog):
    def __init__(
        self, app: Application, meeting_id: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(f"History — {title}")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(f"History of {title}", 1.25))
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.state)
        layout.addWidget(
            muted("Every saved change, oldest first. Times are this computer's local time.")
        )
        self.table = QTreeWidget()
        self.table.setAccessibleName("Changes, oldest first")
        self.table.setColumnCount(4)
        self.table.setHeaderLabels(["When", "Who", "What", "Old → new"])
        self.table.setRootIsDecorated(False)
        self.table.setWordWrap(True)
        self.table.setUniformRowHeights(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.header()
        header.setStretchLastSection(True)
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.rows: list[tuple[str, str, str, str]] = []
        self.problems: list[str] = []
        self.load(app, meeting_id)
        screen = self.screen().availableGeometry()
        self.resize(min(900, int(screen.width() * 0.95)), min(640, int(screen.height() * 0.9)))
        self.table.setFocus()

    def load(self, app: Application, meeting_id: int) -> None:
        try:
            trail, problems = app.audit_trail(meeting_id)
        except (UserError, OSError) as exc:
            trail, problems = [], [f"The history could not be read: {exc}"]
        self.problems = problems
        colours = semantic(self.palette())
        palette = self.state.palette()
        if problems:
            text = (
                "The history is broken: it cannot be relied on. "
                + " ".join(problems)
                + " Tell your system administrator; the record itself may have been altered."
            )
            palette.setColor(self.state.foregroundRole(), colours.blocker)
        else:
            text = f"The history is whole: {len(trail)} changes, each linked to the one before."
            palette.setColor(self.state.foregroundRole(), colours.ok)
        self.state.setPalette(palette)
        self.state.setText(text)
        self.rows = []
        for entry in trail:
            who = entry.actor or entry.login
            if entry.login and entry.login != who:
                who = f"{who} ({entry.login})"
            what = f"{WHAT.get(entry.action, entry.action.capitalize())} {entry.field}".strip()
            if entry.item:
                what += f" ({entry.item})"
            if entry.action == "update":
                change = f"{_short(entry.old) or '(empty)'} → {_short(entry.new) or '(empty)'}"
            else:
                change = _short(entry.new or entry.old)
            row = (local_time(entry.at), who, what, change)
            self.rows.append(row)
            item = QTreeWidgetItem(list(row))
            item.setToolTip(3, f"{entry.old}\n→\n{entry.new}")
            self.table.addTopLevelItem(item)
        announce(self.state, text, assertive=bool(problems))


class AmendDialog(QDialog):
    """Why the signed record is amended (required); the new version's id when made."""

    amended = Signal(int)

    def __init__(self, app: Application, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("amendDialog")
        self.setWindowTitle("Amend the signed record")
        self.app, self.meeting_id = app, meeting_id
        self.created: int | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("Amend the signed record", 1.25))
        layout.addWidget(
            muted(
                "The signed record stays exactly as it is. An amendment is a new draft version "
                "with the same reference; once the chair signs it, it supersedes this one. The "
                "reason is printed in the record."
            )
        )
        label = QLabel("&Reason for the amendment (required)")
        self.reason = UndoAwarePlainTextEdit()
        self.reason.setAccessibleName("Reason for the amendment (required)")
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        self.problem = InlineMessage("amendProblem")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.amend_button = self.buttons.addButton(
            "Make the amendment", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.amend)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.setFocus()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)

    def amend(self) -> None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.problem.problem("Give the reason for the amendment: it is printed in the record.")
            self.reason.setFocus()
            return
        try:
            self.created = self.app.amend(self.meeting_id, reason)
        except UserError as exc:
            self.problem.problem(str(exc))
            return
        self.accept()
        self.amended.emit(self.created)
