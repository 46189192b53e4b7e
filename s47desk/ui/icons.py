"""Small icons drawn in code, distinct in shape as well as colour (never colour alone)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from s47desk.ui.theme import is_dark, semantic

SIZE = 32  # drawn large, shown small: crisp at 200% text scale


def _canvas() -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def _circle(fill: QColor | None, outline: QColor, half: bool = False) -> QIcon:
    pixmap, p = _canvas()
    rect = QRectF(4, 4, SIZE - 8, SIZE - 8)
    p.setPen(QPen(outline, 3))
    if fill is not None and not half:
        p.setBrush(fill)
    p.drawEllipse(rect)
    if half and fill is not None:
        path = QPainterPath()
        path.moveTo(rect.center())
        path.arcTo(rect, 90, 180)
        path.closeSubpath()
        p.fillPath(path, fill)
    p.end()
    return QIcon(pixmap)


def _check(colour: QColor) -> QIcon:
    pixmap, p = _canvas()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawEllipse(QRectF(3, 3, SIZE - 6, SIZE - 6))
    p.setPen(QPen(QColor("white"), 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawPolyline(QPolygonF([QPointF(9, 17), QPointF(14, 22), QPointF(23, 11)]))
    p.end()
    return QIcon(pixmap)


def _triangle(colour: QColor) -> QIcon:
    pixmap, p = _canvas()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawPolygon(QPolygonF([QPointF(16, 3), QPointF(30, 28), QPointF(2, 28)]))
    p.setPen(QPen(QColor("white"), 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(16, 11), QPointF(16, 19))
    p.drawPoint(QPointF(16, 24))
    p.end()
    return QIcon(pixmap)


def _diamond(colour: QColor) -> QIcon:
    pixmap, p = _canvas()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawPolygon(QPolygonF([QPointF(16, 3), QPointF(29, 16), QPointF(16, 29), QPointF(3, 16)]))
    mark = QColor("black") if colour.lightness() > 140 else QColor("white")
    p.setPen(QPen(mark, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(16, 10), QPointF(16, 18))
    p.drawPoint(QPointF(16, 23))
    p.end()
    return QIcon(pixmap)


def _question(colour: QColor) -> QIcon:
    """An outlined circle with a question mark: not known yet."""
    pixmap, p = _canvas()
    p.setPen(QPen(colour, 3))
    p.drawEllipse(QRectF(4, 4, SIZE - 8, SIZE - 8))
    font = p.font()
    font.setPixelSize(18)
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(4, 4, SIZE - 8, SIZE - 8), Qt.AlignmentFlag.AlignCenter, "?")
    p.end()
    return QIcon(pixmap)


@cache
def _icons(dark: bool) -> dict[str, QIcon]:
    colours = semantic()
    grey = QColor("#9aa0a8") if dark else QColor("#80868b")
    blue = QColor("#8ab4f8") if dark else QColor("#1a56c4")
    return {
        "not_started": _circle(None, grey),
        "in_progress": _circle(blue, blue, half=True),
        "complete": _check(colours.ok),
        "blockers": _triangle(colours.blocker),
        "blocker": _triangle(colours.blocker),
        "warning": _diamond(colours.warning_icon),
        "not_known": _question(grey),
    }


def state_icon(state: str) -> QIcon:
    """An icon for a step state or a finding severity."""
    return _icons(is_dark())[state]


severity_icon = state_icon
