"""What is drawn at half a laptop screen (683×768) and a whole one (1366×768) with 200% text:
on every step, no label cut off, no date elided ("Wed 2…"), no control outside the window, no
sideways scrolling; the side panels fold into tabs when the window is narrow."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QWidget

from s47desk.ui.date_field import DateLineEdit
from s47desk.ui.theme import set_text_scale
from tests.ui.conftest import meeting_id


def settle(window, width: int, height: int) -> None:
    for _ in range(3):
        QApplication.processEvents()
        window.resize(width, height)
    QApplication.processEvents()
    QApplication.processEvents()


def inside_scroller(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def drawn_problems(window) -> list[str]:
    problems = []
    frame = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        top_left = widget.mapTo(window, QPoint(0, 0))
        if isinstance(widget, QLabel) and widget.text().strip() and widget.pixmap().isNull():
            if widget.wordWrap():
                if widget.heightForWidth(widget.width()) > widget.height() + 2:
                    problems.append(f"label cut off below: {widget.text()[:50]!r}")
            elif widget.sizeHint().width() > widget.width() + 2:
                problems.append(f"label cut off: {widget.text()[:50]!r}")
        if isinstance(widget, DateLineEdit) and widget.text():
            room = widget.contentsRect().width() - 6
            if widget.fontMetrics().horizontalAdvance(widget.text()) > room:
                problems.append(f"date elided: {widget.text()!r}")
        if widget.focusPolicy() and widget.isEnabled() and widget.focusProxy() is None:
            right = top_left.x() + widget.width()
            if right <= 0:
                continue  # parked by Qt (the hidden docks' tab bar), not drawn
            if top_left.x() < -1 or right > frame.width() + 1:
                problems.append(f"outside the window: {type(widget).__name__} {right}")
            if not inside_scroller(widget) and top_left.y() + widget.height() > frame.height() + 1:
                problems.append(f"below the window: {type(widget).__name__}")
        if isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().isVisible():
            problems.append(f"sideways scrolling: {type(widget).__name__}")
    return problems


@pytest.fixture
def large_text():
    app = QApplication.instance()
    set_text_scale(app, 2.0)
    yield
    set_text_scale(app, 1.0)


@pytest.mark.parametrize("size", [(683, 768), (1366, 768)], ids=["half", "laptop"])
def test_every_step_at_200_percent_text_fits(qtbot, window, large_text, size):
    width, height = size
    settle(window, width, height)
    assert window.width() == width, "the window grew wider than asked"
    assert window.compact  # 200% text at 1366 or less: the panels are tabs
    for form in ("exploitation", "initial", "pre_birth"):
        window.open_meeting(meeting_id(window, form))
        for index, page in enumerate(window.view.pages):
            window.view.show_step(index)
            settle(window, width, height)
            assert window.width() == width
            problems = drawn_problems(window)
            assert not problems, (form, page.step.id, problems)


def test_a_full_hd_window_at_normal_text_keeps_the_panels_beside(qtbot, window):
    settle(window, 1366, 768)
    assert (not window.compact and window.readiness_dock.isVisible()) or (
        window.readiness_dock.isHidden() and not window.compact
    )
    window.open_meeting(meeting_id(window, "exploitation"))
    for index in range(len(window.view.pages)):
        window.view.show_step(index)
        settle(window, 1366, 768)
        assert not drawn_problems(window), window.view.pages[index].step.id
    settle(window, 683, 768)
    assert window.compact and window.tabs.count() == 4
    assert window.tabs.tabText(1).startswith("Readiness")
