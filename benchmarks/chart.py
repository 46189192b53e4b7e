"""How each size-dependent measurement grows from 1,000 to 10,000 meetings, as a PNG drawn
with Qt (already a dependency): one small panel per measurement, s47desk against its floor.

    python -m benchmarks.chart RESULTS.json OUT.png
"""

# ruff: noqa: TID251  (drawn with Qt's painter, offscreen)

from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any


def draw(report: dict[str, Any], out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    series: dict[str, list[dict[str, Any]]] = {}
    for r in report["results"]:
        if r["size"] and r["size"] >= 1000:  # growth from 1,000 meetings up
            series.setdefault(r["name"], []).append(r)
    series = {k: sorted(v, key=lambda r: r["size"]) for k, v in series.items() if len(v) > 1}
    columns = 3
    rows = max(1, (len(series) + columns - 1) // columns)
    pw, ph = 420, 260
    image = QImage(columns * pw, rows * ph + 40, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    title = QFont()
    title.setPointSize(11)
    title.setBold(True)
    small = QFont()
    small.setPointSize(8)
    ours_colour, floor_colour = QColor("#1a5fb4"), QColor("#9a9996")
    p.setFont(title)
    p.drawText(QRectF(0, 4, image.width(), 30), Qt.AlignmentFlag.AlignCenter,
               "s47desk (blue) against its bare floor (grey), by number of meetings")  # fmt: skip
    for index, (name, points) in enumerate(series.items()):
        x0 = (index % columns) * pw
        y0 = 40 + (index // columns) * ph
        plot = QRectF(x0 + 60, y0 + 40, pw - 90, ph - 90)
        values = [pt["value"] for pt in points] + [pt["floor"] or 0 for pt in points]
        top = max(values) * 1.15 or 1
        sizes = [pt["size"] for pt in points]
        low, high = min(sizes), max(sizes)

        def at(size: float, value: float, plot: QRectF = plot, low: int = low, high: int = high,
               top: float = top) -> QPointF:  # fmt: skip
            x = plot.left() + (size - low) / ((high - low) or 1) * plot.width()
            return QPointF(x, plot.bottom() - value / top * plot.height())

        p.setPen(QPen(QColor("#333333")))
        p.setFont(title)
        p.drawText(QRectF(x0 + 8, y0 + 6, pw - 16, 30), Qt.AlignmentFlag.AlignLeft,
                   name if len(name) < 48 else name[:46] + "…")  # fmt: skip
        p.setFont(small)
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())
        for tick in range(5):
            value = top * tick / 4
            y = plot.bottom() - plot.height() * tick / 4
            p.drawText(QRectF(x0, y - 8, 56, 16), Qt.AlignmentFlag.AlignRight, f"{value:.3g}")
        for size in sizes:
            point = at(size, 0)
            p.drawText(QRectF(point.x() - 30, plot.bottom() + 4, 60, 16),
                       Qt.AlignmentFlag.AlignCenter, f"{size:,}")  # fmt: skip
        p.drawText(QRectF(plot.left(), plot.bottom() + 20, plot.width(), 16),
                   Qt.AlignmentFlag.AlignCenter, f"meetings — {points[0]['unit']}, target {points[0]['target']}")  # fmt: skip
        for key, colour in (("floor", floor_colour), ("value", ours_colour)):
            line = [at(pt["size"], pt[key]) for pt in points if pt.get(key) is not None]
            if len(line) < 2:
                continue
            p.setPen(QPen(colour, 2.5))
            for a, b in itertools.pairwise(line):
                p.drawLine(a, b)
            for point in line:
                p.drawEllipse(point, 3.5, 3.5)
    p.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(out))


if __name__ == "__main__":
    draw(json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2]))
