"""The live readiness panel: the core's findings grouped by agenda step.

Quiet until it matters: the step in front of the chair comes first, open, with what it still
needs; every other step is one line with its counts (open it with the arrow keys to see its
items). Activating a finding (Enter or double-click) takes the user to the field that fixes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from s47desk.checks import Finding, Severity
from s47desk.forms import FormDefinition
from s47desk.ui.icons import severity_icon, state_icon
from s47desk.ui.theme import semantic

if TYPE_CHECKING:
    from s47desk.readiness import Readiness

_FINDING = Qt.ItemDataRole.UserRole + 1


class _WrapDelegate(QStyledItemDelegate):
    """Findings are sentences: wrap them to the panel's width instead of cutting them off."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        icon = option.decorationSize.width() + 8
        width = self.tree.viewport().width() - self.tree.indentation() * (depth + 1) - icon - 8
        fm = QFontMetrics(index.data(Qt.ItemDataRole.FontRole) or option.font)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        rect = fm.boundingRect(0, 0, max(width, 80), 10_000, int(Qt.TextFlag.TextWordWrap), text)
        return QSize(max(width, 80), max(rect.height(), option.decorationSize.height()) + 6)


class ReadinessPanel(QWidget):
    finding_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.summary = QLabel("No meeting open.")
        self.summary.setObjectName("readinessSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.headline = ""
        self.blocker_count = 0
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setAccessibleName("Findings by step: press Enter to go to the field")
        self.tree.setItemDelegate(_WrapDelegate(self.tree))
        self.tree.viewport().installEventFilter(self)
        self.tree.itemActivated.connect(self._activated)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.findings: list[Finding] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.tree.doItemsLayout()  # re-wrap to the new width
        return super().eventFilter(watched, event)

    def clear_meeting(self) -> None:
        self.findings = []
        self.tree.clear()
        self.summary.setText("No meeting open.")
        self.headline, self.blocker_count = "", 0

    def set_readiness(
        self, form: FormDefinition, readiness: Readiness, signed: bool = False, current: str = ""
    ) -> None:
        from s47desk.ui.wording import once

        self.findings = list(readiness.findings)
        blockers = sum(1 for f in self.findings if f.severity is Severity.BLOCKER)
        warnings = len(self.findings) - blockers
        self.blocker_count = 0 if signed else blockers
        colours = semantic(self.palette())
        palette = self.summary.palette()
        if signed:
            text, colour = "Signed: the record is read-only.", colours.ok
        elif blockers:
            text = (
                f"Not ready to sign: {_count(blockers, 'blocker')}, {_count(warnings, 'warning')}"
            )
            colour = colours.blocker
        else:
            text = (
                f"Ready to sign ({_count(warnings, 'warning')} to look at)"
                if warnings
                else "Ready to sign"
            )
            colour = colours.ok
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.summary.setPalette(palette)
        self.summary.setText(text)
        self.headline = text
        tops = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        opened = {t.data(0, _FINDING) for t in tops if t is not None and t.isExpanded()}
        opened.discard(getattr(self, "_current", ""))  # opened because it was current, not asked
        self._current = current
        self.tree.clear()
        steps = sorted(form.steps, key=lambda st: st.id != current)  # the current step first
        for step in steps:
            mine = [f for f in self.findings if f.step == step.id]
            if not mine:
                continue
            here = step.id == current
            worst = "blocker" if any(f.severity is Severity.BLOCKER for f in mine) else "warning"
            b = sum(1 for f in mine if f.severity is Severity.BLOCKER)
            counts = ", ".join(
                x for x in (_count(b, "blocker") if b else "", _count(len(mine) - b, "warning")
                            if len(mine) > b else "") if x
            )  # fmt: skip
            title = f"This step — {step.title}: {counts}" if here else f"{step.title}: {counts}"
            group = QTreeWidgetItem(self.tree, [title])
            group.setIcon(0, state_icon("blockers" if worst == "blocker" else "warning"))
            group.setData(0, _FINDING, step.id)
            group.setData(0, Qt.ItemDataRole.AccessibleTextRole, title)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            own, shared = once([f.message for f in mine])
            for f, message in zip(mine, own, strict=True):
                item = QTreeWidgetItem(group, [message])
                item.setIcon(0, severity_icon(f.severity.value))
                item.setData(0, _FINDING, f)
                item.setToolTip(0, f"{f.severity.value.capitalize()}: {f.message}")
                item.setData(
                    0, Qt.ItemDataRole.AccessibleTextRole, f"{f.severity.value}: {f.message}"
                )
            if shared:
                note = QTreeWidgetItem(group, [shared])
                note.setData(0, _FINDING, step.id)
            group.setExpanded(here or step.id in opened)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        finding = item.data(0, _FINDING)
        if isinstance(finding, Finding):
            self.finding_activated.emit(finding)
        elif item.childCount() and (first := item.child(0)) is not None:
            self.finding_activated.emit(first.data(0, _FINDING))

    def messages(self) -> list[str]:
        return [f.message for f in self.findings]


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"
