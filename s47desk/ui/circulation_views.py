"""Two read-only tables for circulation: what happened per agency just now, and the whole log.

Plain tree widgets (no editing, a handful of rows). Times are stored in UTC and shown in the
computer's local time, as everywhere else a person reads them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from s47desk.circulation.log import Entry, history
from s47desk.storage import Database

if TYPE_CHECKING:
    from s47desk.circulation import AgencyOutcome


def local_time(at: datetime) -> str:
    moment = at if at.tzinfo else at.replace(tzinfo=UTC)
    return f"{moment.astimezone():%d/%m/%Y %H:%M}"


def outcome_text(outcome: AgencyOutcome) -> str:
    if outcome.sent:
        return "Sent"
    if outcome.draft is not None:
        return f"Draft written: {outcome.draft.name}"
    return "No email address: send the record by hand"


class _Table(QTreeWidget):
    """Columns fit their contents except *stretch*, which takes the rest and elides (the full
    text is its tooltip): no sideways scrolling, so every row stays in view."""

    def __init__(self, name: str, columns: tuple[str, ...], stretch: int) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setColumnCount(len(columns))
        self.setHeaderLabels(list(columns))
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.clear()
        for row in rows:
            item = QTreeWidgetItem(list(row))
            for column, text in enumerate(row):
                item.setToolTip(column, text)
            self.addTopLevelItem(item)
        # Tall enough for every row (a few agencies), so the page scrolls, not the table.
        row_height = self.sizeHintForRow(0) if rows else self.fontMetrics().height() + 6
        height = self.header().sizeHint().height() + 2 * self.frameWidth() + 2
        self.setFixedHeight(height + max(1, len(rows)) * row_height)

    def texts(self) -> list[list[str]]:
        return [
            [item.text(c) for c in range(self.columnCount())]
            for r in range(self.topLevelItemCount())
            if (item := self.topLevelItem(r)) is not None
        ]


class OutcomeTable(_Table):
    """Per agency: to whom, and whether its email was sent, drafted, or cannot be."""

    def __init__(self) -> None:
        super().__init__(
            "Circulation: outcome for each agency", ("Agency", "To", "Outcome"), stretch=2
        )

    def set_outcomes(self, outcomes: list[AgencyOutcome]) -> None:
        self.set_rows(
            [
                (o.digest.agency.label, ", ".join(o.digest.emails) or "—", outcome_text(o))
                for o in outcomes
            ]
        )


class LogTable(_Table):
    """Every circulation of this meeting's record, oldest first."""

    COLUMNS = ("When", "Agency", "To", "How", "Version", "Record fingerprint", "By")

    def __init__(self) -> None:
        super().__init__("Circulation log", self.COLUMNS, stretch=2)
        self.entries: list[Entry] = []

    def load(self, db: Database, meeting_id: int) -> list[Entry]:
        """Read the log with a short session of its own (it may have been written elsewhere)."""
        with db.sessions() as session:
            self.entries = history(session, meeting_id)
        self.set_rows(
            [
                (
                    local_time(e.at),
                    e.agency.label,
                    e.recipients or "—",
                    e.method_label,
                    str(e.record_version),
                    e.content_fingerprint[:12] + "…",
                    e.by or "—",
                )
                for e in self.entries
            ]
        )
        for row, entry in enumerate(self.entries):
            item = self.topLevelItem(row)
            if item is not None:
                item.setToolTip(5, entry.content_fingerprint)
        return self.entries
