"""A timeline picture: referral to the last deadline, one column per day.

Weekends are shaded, bank holidays (and local closure days) marked in amber with their names
listed below the axis, today drawn as a line, and each deadline as a labelled marker. The
deadlines list beside it says the same in words (this picture is not the only source).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from s47desk.deadlines import DeadlineState
from s47desk.ui.theme import semantic
from s47desk.workdays import WorkingCalendar


@dataclass(frozen=True)
class Mark:
    day: date
    label: str
    state: DeadlineState  # the core's (met late is never "met")

    @property
    def met(self) -> bool:
        return self.state is DeadlineState.MET_ON_TIME


class Timeline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Deadline timeline")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.start: date | None = None
        self.end: date | None = None
        self.today: date | None = None
        self.marks: list[Mark] = []
        self.calendar: WorkingCalendar | None = None
        self.holidays: list[tuple[date, str]] = []
        self._needed = 0

    def set_data(
        self, start: date | None, today: date, marks: list[Mark], calendar: WorkingCalendar
    ) -> None:
        self.today, self.calendar = today, calendar
        self.marks = sorted(marks, key=lambda m: m.day)
        if start is None or not marks:
            self.start = self.end = None
            self.holidays = []
            self._needed = 0
        else:
            self.start = min(start, today) - timedelta(days=1)
            self.end = max(max(m.day for m in marks), today) + timedelta(days=2)
            self.holidays = [
                (d, reason)
                for d in self.days()
                if d.weekday() < 5 and (reason := calendar.non_working_reason(d)) is not None
            ]
        names = "; ".join(f"{n} {d:%d %b}" for d, n in self.holidays)
        self.setAccessibleDescription(
            "; ".join(f"{m.label} {m.day:%d %b %Y}" for m in self.marks)
            + (f". Bank holidays: {names}" if names else "")
        )
        self.updateGeometry()
        self.update()

    def days(self) -> list[date]:
        if self.start is None or self.end is None:
            return []
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def sizeHint(self) -> QSize:  # noqa: N802
        # Once painted, exactly as tall as its label rows need (set in paintEvent).
        return QSize(480, self._needed or self.fontMetrics().lineSpacing() * 6 + 16)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(240, self._needed or self.fontMetrics().lineSpacing() * 5 + 12)

    def x_of(self, day: date, left: float, width: float) -> float:
        assert self.start is not None and self.end is not None
        total = (self.end - self.start).days + 1
        return left + (day - self.start).days * width / total

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        fm = self.fontMetrics()
        line = fm.lineSpacing()
        if self.start is None or self.end is None or self.today is None:
            p.setPen(palette.color(palette.ColorRole.PlaceholderText))
            p.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "Enter the referral date to see the deadlines.",
            )
            return
        left, right = 8.0, float(self.width() - 8)
        band = QRectF(left, 1.5 * line, right - left, line * 1.4)
        # Deadline labels go in rows below the day numbers (whose baseline is one line under
        # the band), staggered so that they never overlap one another.
        label_top = band.bottom() + 2.0 * line
        placed = self._place_labels(left, right, label_top)
        self._paint_band(p, band)
        # leaders first: the day numbers and the labels are then written over them, on a
        # background, so that no dotted line runs through any text
        for _mark, x, _lx, y, colour in placed:
            p.setPen(QPen(QColor(colour), 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(x, band.bottom()), QPointF(x, y - fm.ascent()))
        self._paint_days(p, band)
        self._paint_today(p, band)
        for mark, x, lx, y, colour in placed:
            self._paint_mark(p, band, x, colour, self._overdue(mark))
            label = self._label(mark)
            p.fillRect(
                QRectF(lx - 2, y - fm.ascent(), fm.horizontalAdvance(label) + 4, fm.height()),
                palette.color(palette.ColorRole.Window),
            )
            p.setPen(colour)
            p.drawText(QPointF(lx, y), label)
        rows = len({y for *_rest, y, _c in placed})
        needed = int(label_top + (rows - 1) * line + fm.descent() + 6)
        if needed != self._needed:
            self._needed = needed
            self.updateGeometry()
        p.end()

    def _label(self, mark: Mark) -> str:
        """The state is in the words too (never colour alone): met ✓, met late, or overdue."""
        state = (
            " ✓ met"
            if mark.met
            else " (met late)"
            if self._late(mark)
            else " (overdue)"
            if self._overdue(mark)
            else ""
        )
        return f"{mark.label} {mark.day.day} {mark.day:%b}{state}"

    @staticmethod
    def _late(mark: Mark) -> bool:
        return mark.state is DeadlineState.MET_LATE

    @staticmethod
    def _overdue(mark: Mark) -> bool:
        return mark.state is DeadlineState.OVERDUE

    def _colour(self, mark: Mark) -> QColor:
        colours = semantic(self.palette())
        if mark.met:
            return colours.ok
        if self._late(mark):
            return colours.warning
        assert self.today is not None
        if self._overdue(mark):
            return colours.blocker
        return self.palette().color(self.palette().ColorRole.WindowText)

    def _place_labels(
        self, left: float, right: float, label_top: float
    ) -> list[tuple[Mark, float, float, float, QColor]]:
        """Each mark with its x, its label's x and baseline, and its colour."""
        fm = self.fontMetrics()
        width = right - left
        assert self.start is not None and self.end is not None
        day_w = width / ((self.end - self.start).days + 1)
        rows_end: list[float] = []
        placed = []
        for mark in self.marks:
            x = self.x_of(mark.day, left, width) + day_w / 2
            w = fm.horizontalAdvance(self._label(mark))
            lx = min(max(left, x - w / 2), right - w)
            row = next((i for i, end in enumerate(rows_end) if lx > end + 8), len(rows_end))
            if row == len(rows_end):
                rows_end.append(lx + w)
            else:
                rows_end[row] = lx + w
            placed.append((mark, x, lx, label_top + row * fm.lineSpacing(), self._colour(mark)))
        return placed

    def _paint_band(self, p: QPainter, band: QRectF) -> None:
        """Weekends and bank holidays shaded in the band."""
        colours = semantic(self.palette())
        day_w = band.width() / len(self.days())
        for day in self.days():
            reason = self.calendar.non_working_reason(day) if self.calendar else None
            if reason is None:
                continue
            x = self.x_of(day, band.left(), band.width())
            colour = colours.weekend if day.weekday() >= 5 else colours.holiday
            p.fillRect(QRectF(x, band.top(), max(day_w, 1.0), band.height()), colour)
        p.setPen(QPen(self.palette().color(self.palette().ColorRole.Mid), 1))
        p.drawRect(band)

    def _paint_days(self, p: QPainter, band: QRectF) -> None:
        """Month and Monday ticks below the band, with their day numbers."""
        palette = self.palette()
        fm = self.fontMetrics()
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
        p.setFont(small)
        small_fm = p.fontMetrics()
        last_label_x = -1e9
        for day in self.days():
            if not (day.weekday() == 0 or day.day == 1):
                continue
            x = self.x_of(day, band.left(), band.width())
            p.setPen(QPen(palette.color(palette.ColorRole.Mid), 1))
            p.drawLine(QPointF(x, band.bottom()), QPointF(x, band.bottom() + 4))
            label = f"{day.day} {day:%b}" if (day.day <= 7 or day == self.start) else str(day.day)
            if x - last_label_x > fm.horizontalAdvance("30 Sep") + 4:
                y = band.bottom() + fm.lineSpacing()
                p.fillRect(
                    QRectF(
                        x + 1,
                        y - small_fm.ascent(),
                        small_fm.horizontalAdvance(label) + 2,
                        small_fm.height(),
                    ),
                    palette.color(palette.ColorRole.Window),
                )
                p.setPen(palette.color(palette.ColorRole.WindowText))
                p.drawText(QPointF(x + 2, y), label)
                last_label_x = x
        p.setFont(self.font())

    def _paint_today(self, p: QPainter, band: QRectF) -> None:
        assert self.today is not None
        fm = self.fontMetrics()
        day_w = band.width() / len(self.days())
        tx = self.x_of(self.today, band.left(), band.width()) + day_w / 2
        p.setPen(QPen(semantic(self.palette()).today, 2))
        p.drawLine(QPointF(tx, band.top() - 4), QPointF(tx, band.bottom() + 4))
        p.drawText(QPointF(tx - fm.horizontalAdvance("Today") / 2, band.top() - 6), "Today")

    def _paint_mark(
        self, p: QPainter, band: QRectF, x: float, colour: QColor, overdue: bool = False
    ) -> None:
        """A diamond on the band; an overdue one is a cross (its shape says it, not its colour)."""
        size = self.fontMetrics().lineSpacing() * 0.35
        cy = band.center().y()
        if overdue:
            p.setPen(QPen(colour, 3))
            p.drawLine(QPointF(x - size, cy - size), QPointF(x + size, cy + size))
            p.drawLine(QPointF(x - size, cy + size), QPointF(x + size, cy - size))
            return
        p.setPen(QPen(self.palette().color(self.palette().ColorRole.Window), 1))
        p.setBrush(colour)
        p.drawPolygon(
            QPolygonF(
                [
                    QPointF(x, cy - size),
                    QPointF(x + size, cy),
                    QPointF(x, cy + size),
                    QPointF(x - size, cy),
                ]
            )
        )
        p.setBrush(Qt.BrushStyle.NoBrush)
