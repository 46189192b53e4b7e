"""Dates typed fast or picked from a calendar that shows weekends and bank holidays.

Type ``25/11/2026``, ``25/11``, ``2026-11-25``, ``t`` (today) or ``+3`` (three working days
after the meeting day); or press the calendar button (or Alt+Down) to pick one. Quick-pick
buttons add 1, 3, 5 or 15 working days.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from datetime import date as _Date  # noqa: N812  (DateField.date is a method)

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from s47desk.deadlines import day_label
from s47desk.ui.editors.base import is_stack_undo
from s47desk.ui.theme import semantic
from s47desk.workdays import WorkingCalendar

QUICK_PICKS = (1, 3, 5, 15)
_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%Y-%m-%d",
    "%a %d %b %Y",
    "%a %d %B %Y",
    "%d %b %Y",
    "%d %B %Y",
)  # every way a date is shown reads back


def format_date(day: date | None) -> str:
    return day_label(day) if day else ""


#: Every date of a year as the fields show it: the widest ("Wed 30 September 2026" in most
#: fonts) is measured, not guessed, so no date is ever elided.
_YEAR = tuple(format_date(date(2026, 1, 1) + timedelta(days=n)) for n in range(365))
_widest: dict[str, int] = {}


def widest_date(widget: QWidget, lines: int = 1) -> int:
    """The width of the longest date :func:`format_date` shows, in *widget*'s font: on one
    line, or (*lines* = 2, for a narrow table column that wraps) as "Wed 30" over "September
    2026", so that wrapping at a space never needs a third line or cuts a word."""
    key = f"{widget.font().key()}@{widget.logicalDpiX()}/{lines}"
    if key not in _widest:
        metrics = widget.fontMetrics()
        if lines == 1:
            _widest[key] = max(metrics.horizontalAdvance(text) for text in _YEAR)
        else:
            halves = [text.split(" ", 2) for text in _YEAR]  # weekday, day, "month year"
            _widest[key] = max(
                max(metrics.horizontalAdvance(f"{a} {b}"), metrics.horizontalAdvance(c))
                for a, b, c in halves
            )
    return _widest[key]


def parse_date(text: str, base: date, calendar: WorkingCalendar) -> date | None:
    """The date *text* means; None for empty; ValueError with a hint when it means nothing."""
    text = text.strip()
    if not text:
        return None
    if text.lower() in ("t", "today"):
        return base
    if m := re.fullmatch(r"\+\s*(\d{1,3})", text):
        return calendar.add_working_days(base, int(m.group(1)))
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})", text):
        try:
            return date(base.year, int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("Type a date like 25/11/2026, or +3 for three working days on.")


class DateLineEdit(QLineEdit):
    """A line edit that reads dates the way :func:`parse_date` does (table cells use it)."""

    def __init__(self, calendar: WorkingCalendar, base_date: Callable[[], date], parent=None):
        super().__init__(parent)
        self.calendar, self.base_date = calendar, base_date
        self.setPlaceholderText("dd/mm/yyyy or +3")

    def value(self) -> date | None:
        return parse_date(self.text(), self.base_date(), self.calendar)

    def event(self, event: QEvent) -> bool:
        if is_stack_undo(event):
            event.ignore()
            return False
        return super().event(event)


class WorkingDayCalendar(QCalendarWidget):
    """A month calendar with weekends shaded and bank holidays marked and named (tooltips)."""

    def __init__(self, calendar: WorkingCalendar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.working = calendar
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setGridVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setAccessibleName("Calendar: weekends shaded, bank holidays marked")
        self.currentPageChanged.connect(self._mark)
        self.holidays_text = ""
        self._mark(self.yearShown(), self.monthShown())

    def _mark(self, year: int, month: int) -> None:
        colours = semantic(self.palette())
        self.setDateTextFormat(QDate(), QTextCharFormat())  # clear every format
        start = date(year, month, 1) - timedelta(days=7)
        names = []
        for offset in range(50):
            day = start + timedelta(days=offset)
            reason = self.working.non_working_reason(day)
            if reason is None:
                continue
            fmt = QTextCharFormat()
            fmt.setForeground(QBrush(colours.on_shade))
            if day.weekday() >= 5:
                fmt.setBackground(QBrush(colours.weekend))
            else:
                fmt.setBackground(QBrush(colours.holiday))
                fmt.setFontUnderline(True)
                fmt.setToolTip(reason)
                if day.month == month:
                    names.append(f"{reason} ({day:%a} {day.day} {day:%b})")
            self.setDateTextFormat(QDate(day.year, day.month, day.day), fmt)
        self.holidays_text = "Not working days: " + "; ".join(names) if names else ""


class _Popup(QFrame):
    """The calendar, the month's bank holidays in words, and the quick picks."""

    picked = Signal(object)

    def __init__(self, field: DateField) -> None:
        super().__init__(field, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.calendar = WorkingDayCalendar(field.calendar)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        layout.addWidget(self.calendar)
        layout.addWidget(self.legend)
        self.calendar.currentPageChanged.connect(lambda *_: self._legend())
        self.calendar.activated.connect(lambda q: self.picked.emit(q.toPython()))
        self.calendar.clicked.connect(lambda q: self.picked.emit(q.toPython()))
        self._legend()

    def _legend(self) -> None:
        self.legend.setText(self.calendar.holidays_text or "No bank holidays this month.")


def quick_pick_button(
    days: int, accessible_name: str, tooltip: str, pick: Callable[[int], None]
) -> QToolButton:
    """A "+N" button that sets a date N working days on (styled by the theme as a quick pick)."""
    button = QToolButton()
    button.setObjectName("quickPick")
    button.setText(f"+{days}")
    button.setAccessibleName(accessible_name)
    button.setToolTip(tooltip)
    button.clicked.connect(lambda _=False: pick(days))
    return button


class DateField(QWidget):
    """A date typed or picked; emits ``date_changed`` when the user commits a new one."""

    date_changed = Signal(object)  # date | None

    def __init__(
        self,
        calendar: WorkingCalendar,
        base_date: Callable[[], date],
        *,
        name: str,
        quick_picks: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.calendar, self.base_date = calendar, base_date
        self._date: date | None = None
        from s47desk.ui.flow import FlowLayout

        layout = FlowLayout(self, spacing=4)
        self.edit = DateLineEdit(calendar, base_date)
        self.edit.setAccessibleName(name)
        self.edit.setAccessibleDescription(
            "Type a date, t for today, or +N for N working days after the meeting day"
        )
        self._fit_width()
        self.edit.installEventFilter(self)
        self.edit.editingFinished.connect(self.commit_text)
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setAccessibleName(f"{name}: open calendar")
        self.button.setToolTip("Open the calendar (Alt+Down); bank holidays are marked")
        self.button.clicked.connect(self.open_calendar)
        pair = QWidget()  # the date and its calendar button stay together
        pair_layout = QHBoxLayout(pair)
        pair_layout.setContentsMargins(0, 0, 0, 0)
        pair_layout.setSpacing(4)
        pair_layout.addWidget(self.edit, 1)
        pair_layout.addWidget(self.button)
        layout.addWidget(pair)
        #: Says, in words, that the date is not a working day (the border only repeats it).
        self.note = QLabel()
        self.note.setObjectName("dateNote")
        self.note.setWordWrap(True)
        self.note.hide()
        self.quick_buttons: dict[int, QToolButton] = {}
        for days in quick_picks:
            button = quick_pick_button(
                days,
                f"{name}: {days} working day{'s' * (days != 1)} on",
                f"{days} working day{'s' * (days != 1)} after the meeting day",
                self.pick_working_days,
            )
            layout.addWidget(button)
            self.quick_buttons[days] = button
        layout.addWidget(self.note)
        self.setFocusProxy(self.edit)

    def _fit_width(self) -> None:
        """Wide enough for the longest date it shows ("Wed 30 September 2026"), at any text
        size."""
        fm = self.edit.fontMetrics()
        widest = max(widest_date(self.edit), fm.horizontalAdvance("dd/mm/yyyy or +3"))
        self.edit.setMinimumWidth(widest + 4 * fm.averageCharWidth() + 8)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._fit_width()
            self._describe()

    # -- value --------------------------------------------------------------------------------
    def date(self) -> _Date | None:
        return self._date

    def set_date(self, day: _Date | None) -> None:
        """Show *day* without emitting (the model changed, not the user)."""
        self._date = day
        if not self.edit.hasFocus() or self.edit.text().strip() in ("", format_date(day)):
            self.edit.setText(format_date(day))
        self._describe()

    def _commit(self, day: _Date | None) -> None:
        self.edit.setText(format_date(day))
        self._describe()
        if day != self._date:
            self._date = day
            self.date_changed.emit(day)

    def commit_text(self) -> bool:
        try:
            day = self.edit.value()
        except ValueError as exc:
            self._show_problem(str(exc))
            return False
        self._commit(day)
        return True

    def pick_working_days(self, days: int) -> None:
        self._commit(self.calendar.add_working_days(self.base_date(), days))

    # -- feedback -----------------------------------------------------------------------------
    def _describe(self) -> None:
        """Say so when the date is not a working day (it is still accepted)."""
        reason = self.calendar.non_working_reason(self._date) if self._date else None
        self.edit.setToolTip(
            f"{format_date(self._date)} is not a working day: {reason}" if reason else ""
        )
        self.edit.setStyleSheet(
            f"QLineEdit {{ border: 2px solid {semantic(self.palette()).holiday.name()}; }}"
            if reason
            else ""
        )
        self.edit.setAccessibleDescription(f"Not a working day: {reason}" if reason else "")
        self.note.setText(f"Not a working day: {reason}" if reason else "")
        self.note.setVisible(bool(reason))

    def _show_problem(self, message: str) -> None:
        self.edit.setToolTip(message)
        self.edit.setStyleSheet(
            f"QLineEdit {{ border: 2px solid {semantic(self.palette()).blocker.name()}; }}"
        )
        self.edit.setAccessibleDescription(message)

    # -- calendar -----------------------------------------------------------------------------
    def open_calendar(self) -> None:
        popup = _Popup(self)
        start = self._date or self.base_date()
        popup.calendar.setSelectedDate(QDate(start.year, start.month, start.day))

        def picked(day: _Date) -> None:
            popup.close()
            self._commit(day)
            self.edit.setFocus()

        popup.picked.connect(picked)
        popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        popup.show()
        popup.calendar.setFocus()
        self.popup = popup

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.open_calendar()
            return True
        return super().eventFilter(watched, event)

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.button.setEnabled(not read_only)
        for button in self.quick_buttons.values():
            button.setEnabled(not read_only)
