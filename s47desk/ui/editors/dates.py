"""Editors for date and date-and-time fields, built on :class:`DateField`."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from s47desk.fields import FieldDef
from s47desk.ui.date_field import DateField
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.base import FieldEditor
from s47desk.ui.editors.scalar import UndoAwareLineEdit
from s47desk.ui.undo import set_meeting


def _calendar(doc: MeetingDocument):
    return doc.protocol.calendar()


class DateEditor(FieldEditor):
    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        self.date = DateField(_calendar(doc), lambda: doc.today, name=field.label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date)
        layout.addStretch(1)
        self.setFocusProxy(self.date)
        self.date.date_changed.connect(lambda d: set_meeting(doc, field.id, d, field.label))
        self.refresh()

    def refresh(self) -> None:
        self.date.set_date(self.value)

    def set_read_only(self, read_only: bool) -> None:
        self.date.set_read_only(read_only)


def parse_time(text: str) -> time | None:
    text = text.strip().replace(".", ":")
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        raise ValueError("Type a time like 14:30")
    return time(int(m.group(1)), int(m.group(2) or 0))


class DateTimeEditor(FieldEditor):
    """A date, a 24-hour time, and "Now" for the moment the discussion starts."""

    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        self.date = DateField(_calendar(doc), lambda: doc.today, name=f"{field.label}: date")
        self.time = UndoAwareLineEdit()
        self.time.setPlaceholderText("HH:MM")
        self.time.setAccessibleName(f"{field.label}: time")
        self.time.setMaximumWidth(self.time.fontMetrics().horizontalAdvance("00:00") + 30)
        self.now = QPushButton("Now")
        self.now.setAccessibleName(f"{field.label}: now")
        self.now.setToolTip("Set to the current date and time")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date)
        layout.addWidget(self.time)
        layout.addWidget(self.now)
        layout.addStretch(1)
        self.setFocusProxy(self.date)
        self.date.date_changed.connect(lambda _d: self._commit())
        self.time.editingFinished.connect(self._commit)
        self.now.clicked.connect(self._now)
        self.refresh()

    def _now(self) -> None:
        now = datetime.now().replace(second=0, microsecond=0)
        if self.doc.today != now.date():  # a training day (S47DESK_TODAY) keeps its date
            now = datetime.combine(self.doc.today, now.time())
        set_meeting(self.doc, self.field.id, now, self.field.label)

    def _commit(self) -> None:
        day: date | None = self.date.date()
        try:
            at = parse_time(self.time.text())
        except ValueError as exc:
            self.time.setToolTip(str(exc))
            self.time.setAccessibleDescription(str(exc))
            return
        self.time.setToolTip("")
        value = datetime.combine(day, at or time(0, 0)) if day else None
        set_meeting(self.doc, self.field.id, value, self.field.label)

    def refresh(self) -> None:
        value: datetime | None = self.value
        self.date.set_date(value.date() if value else None)
        text = f"{value:%H:%M}" if value else ""
        if not self.time.hasFocus() or not self.time.text().strip():
            self.time.setText(text)

    def set_read_only(self, read_only: bool) -> None:
        self.date.set_read_only(read_only)
        self.time.setReadOnly(read_only)
        self.now.setEnabled(not read_only)
