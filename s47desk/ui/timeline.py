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

from s47desk.ui.theme import semantic
from s47desk.workdays import WorkingCalendar


@dataclass(frozen=True)
class Mark:
    day: date
    label: str
    met: bool = False


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
        line = self.fontMetrics().lineSpacing()
        return QSize(480, max(line * 7 + 24, self._needed))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(240, max(self.fontMetrics().lineSpacing() * 6 + 16, self._needed))

    def x_of(self, day: date, left: float, width: float) -> float:
        assert self.start is not None and self.end is not None
        total = (self.end - self.start).days + 1
        return left + (day - self.start).days * width / total

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        colours = semantic(palette)
        text = palette.color(palette.ColorRole.WindowText)
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
        width = right - left
        band_top = 2.2 * line
        band = QRectF(left, band_top, width, line * 1.6)
        day_w = width / ((self.end - self.start).days + 1)
        # weekends and bank holidays
        for day in self.days():
            x = self.x_of(day, left, width)
            reason = self.calendar.non_working_reason(day) if self.calendar else None
            if reason is None:
                continue
            colour = colours.weekend if day.weekday() >= 5 else colours.holiday
            p.fillRect(QRectF(x, band.top(), max(day_w, 1.0), band.height()), colour)
        p.setPen(QPen(palette.color(palette.ColorRole.Mid), 1))
        p.drawRect(band)
        # month and Monday ticks below the band
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
        p.setFont(small)
        p.setPen(text)
        last_label_x = -1e9
        for day in self.days():
            x = self.x_of(day, left, width)
            if day.weekday() == 0 or day.day == 1:
                p.setPen(QPen(palette.color(palette.ColorRole.Mid), 1))
                p.drawLine(QPointF(x, band.bottom()), QPointF(x, band.bottom() + 4))
                label = (
                    f"{day.day} {day:%b}" if (day.day <= 7 or day == self.start) else str(day.day)
                )
                if x - last_label_x > fm.horizontalAdvance("30 Sep") + 4:
                    p.setPen(text)
                    p.drawText(QPointF(x + 2, band.bottom() + line), label)
                    last_label_x = x
        # today
        tx = self.x_of(self.today, left, width) + day_w / 2
        p.setPen(QPen(colours.today, 2))
        p.drawLine(QPointF(tx, band.top() - 4), QPointF(tx, band.bottom() + 4))
        p.setFont(self.font())
        p.drawText(QPointF(tx - fm.horizontalAdvance("Today") / 2, band.top() - 6), "Today")
        # deadlines: markers on the band, labels in rows below so they never overlap
        rows_end: list[float] = []
        label_top = band.bottom() + 1.6 * line
        for mark in self.marks:
            x = self.x_of(mark.day, left, width) + day_w / 2
            colour = (
                colours.ok if mark.met else (colours.blocker if mark.day < self.today else text)
            )
            p.setPen(QPen(colour, 2))
            p.setBrush(colour)
            size = line * 0.35
            cy = band.center().y()
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
            label = f"{mark.label} {mark.day.day} {mark.day:%b}" + (" ✓" if mark.met else "")
            w = fm.horizontalAdvance(label)
            lx = min(max(left, x - w / 2), right - w)
            row = next((i for i, end in enumerate(rows_end) if lx > end + 8), len(rows_end))
            if row == len(rows_end):
                rows_end.append(lx + w)
            else:
                rows_end[row] = lx + w
            y = label_top + row * line
            p.setPen(QPen(QColor(colour), 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(x, band.bottom()), QPointF(x, y - fm.ascent()))
            p.setPen(colour)
            p.drawText(QPointF(lx, y), label)
        needed = int(label_top + len(rows_end) * line + 4)
        if needed != self._needed:
            self._needed = needed
            self.updateGeometry()
        p.end()
