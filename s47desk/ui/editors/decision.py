"""A decision: its question, the choices, the rationale that makes it count, and its details.

What a choice needs comes from the decision's declaration (``Detail.required_for``); whether it
is complete comes from the core's findings, which the page shows under the editor.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from s47desk.decisions import DECISION_BY_KEY, Detail
from s47desk.fields import FieldDef
from s47desk.ui.combo import ValueCombo, match_label
from s47desk.ui.date_field import DateField
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.base import FieldEditor
from s47desk.ui.editors.scalar import NOT_RECORDED, UndoAwareLineEdit, UndoAwarePlainTextEdit
from s47desk.ui.flow import WrappedChoice, choice_text
from s47desk.ui.theme import Heading
from s47desk.ui.undo import set_decision


class RadioKeys(QObject):
    """Radio choices by keyboard even when none is chosen yet: the arrow keys move *and* choose
    (Qt moves the check only from a checked button), and letters pick by the visible label.
    One Tab stop per group: the chosen option, or the first while none is."""

    def __init__(self, radios: list[QRadioButton], parent: QObject) -> None:
        super().__init__(parent)
        self.radios = radios
        self.typed = ""
        for radio in radios:
            radio.installEventFilter(self)
            radio.toggled.connect(lambda _on: self.tab_stops())
        self.tab_stops()

    def tab_stops(self) -> None:
        checked = next((r for r in self.radios if r.isChecked()), None)
        stop = checked or (self.radios[0] if self.radios else None)
        for radio in self.radios:
            radio.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if radio is stop else Qt.FocusPolicy.ClickFocus
            )

    def stop(self) -> QRadioButton | None:
        return next((r for r in self.radios if r.focusPolicy() == Qt.FocusPolicy.StrongFocus), None)

    def choose(self, index: int) -> None:
        radio = self.radios[index % len(self.radios)]
        if radio.isEnabled():
            radio.setChecked(True)
            radio.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if (
            not isinstance(watched, QRadioButton)
            or watched not in self.radios
            or event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            return False
        here = self.radios.index(watched)
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Right):
            self.choose(here + 1 if watched.isChecked() else here)
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Left):
            self.choose(here - 1 if watched.isChecked() else here)
            return True
        text = event.text()
        if text and text.isalnum():
            labels = [choice_text(r) for r in self.radios]
            found = match_label(labels, text, here + 1)
            if found >= 0:
                self.choose(found)
            return True
        return False


class DecisionEditor(FieldEditor):
    label_mode = "none"

    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        self.kind = DECISION_BY_KEY[field.id.removeprefix("decision.")]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(Heading(self.kind.title, 1.15))
        question = QLabel(self.kind.question)
        question.setWordWrap(True)
        layout.addWidget(question)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for option in self.kind.options:
            radio = QRadioButton()
            self.group.addButton(radio)
            self.radios[option.value] = radio
            layout.addWidget(WrappedChoice(radio, option.label))
            radio.setAccessibleDescription(self.kind.title)
            radio.toggled.connect(lambda on, v=option.value: self._choose(v) if on else None)
        self.keys = RadioKeys(list(self.radios.values()), self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # labels above their fields: a wrapped side label is cut short by QFormLayout
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.rationale = UndoAwarePlainTextEdit()
        self.rationale.MIN_LINES = 2
        self.rationale.setAccessibleName(f"{self.kind.title}: rationale")
        self.rationale.setPlaceholderText("Why? A decision counts once its rationale is recorded.")
        self._loading = False
        self.rationale.textChanged.connect(self._rationale)
        self.rationale_label = QLabel("&Rationale")
        self.rationale_label.setBuddy(self.rationale)
        form.addRow(self.rationale_label, self.rationale)
        self.details: dict[str, tuple[Detail, QWidget, QLabel]] = {}
        for detail in self.kind.details:
            widget = self._detail_widget(detail)
            label = QLabel(detail.label)
            label.setWordWrap(True)
            label.setBuddy(widget)
            form.addRow(label, widget)
            self.details[detail.key] = (detail, widget, label)
        layout.addLayout(form)
        self.dissent = QPushButton("Record dissent…")
        self.dissent.setAccessibleName(f"Record dissent about: {self.kind.title}")
        self.dissent.setToolTip("An attendee disagrees with this decision")
        self.dissent.clicked.connect(
            lambda: self.focus_requested.emit("dissents", -1, self.kind.key)
        )
        layout.addWidget(self.dissent, 0, Qt.AlignmentFlag.AlignRight)
        if self.radios:
            self.setFocusProxy(next(iter(self.radios.values())))
        self.question = question
        doc.value_changed.connect(self._flag_changed)
        self.refresh()

    def watches(self, field_id: str) -> bool:
        return field_id == self.field.id

    def _flag_changed(self, field_id: str, _obj: Any) -> None:
        if self.kind.only_when and field_id == f"meeting.{self.kind.only_when}":
            self.refresh()

    def _detail_widget(self, detail: Detail) -> QWidget:
        name = f"{self.kind.title}: {detail.label}"
        if detail.kind == "choice":
            combo = ValueCombo()
            combo.setAccessibleName(name)
            combo.addItem(NOT_RECORDED, "")
            for option in detail.options:
                combo.addItem(option.label, option.value)
            combo.activated.connect(
                lambda i, c=combo, k=detail.key: set_decision(
                    self.doc, self.kind.key, f"details.{k}", c.itemData(i)
                )
            )
            return combo
        if detail.kind == "date":
            field = DateField(
                self.doc.protocol.calendar(), self.doc.base_date, name=name, quick_picks=(5, 10, 15)
            )
            field.date_changed.connect(
                lambda d, k=detail.key: set_decision(
                    self.doc, self.kind.key, f"details.{k}", d.isoformat() if d else ""
                )
            )
            return field
        edit = UndoAwareLineEdit()
        edit.setAccessibleName(name)
        edit.textEdited.connect(
            lambda t, k=detail.key: set_decision(self.doc, self.kind.key, f"details.{k}", t)
        )
        return edit

    # -- edits --------------------------------------------------------------------------------
    def _choose(self, value: str) -> None:
        decision = self.doc.meeting.decision(self.kind.key)
        if decision is None or decision.choice != value:
            set_decision(self.doc, self.kind.key, "choice", value)

    def _rationale(self) -> None:
        if not self._loading:
            set_decision(self.doc, self.kind.key, "rationale", self.rationale.toPlainText())

    # -- display ------------------------------------------------------------------------------
    def refresh(self) -> None:
        from datetime import date

        decision = self.doc.meeting.decision(self.kind.key)
        choice = decision.choice if decision else ""
        self.group.setExclusive(False)
        for value, radio in self.radios.items():
            radio.blockSignals(True)
            radio.setChecked(value == choice)
            radio.blockSignals(False)
        self.group.setExclusive(True)
        self.keys.tab_stops()
        stop = self.keys.stop()
        if stop is not None:
            self.setFocusProxy(stop)
        rationale = decision.rationale if decision else ""
        if self.rationale.toPlainText() != rationale:
            self._loading = True
            self.rationale.setPlainText(rationale)
            self._loading = False
        details = decision.details if decision else {}
        for key, (detail, widget, label) in self.details.items():
            value = str(details.get(key, ""))
            needed = choice in detail.required_for
            label.setText(f"{detail.label}{' (needed for this choice)' if needed else ''}")
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
            elif isinstance(widget, DateField):
                try:
                    widget.set_date(date.fromisoformat(value) if value else None)
                except ValueError:
                    widget.set_date(None)
            elif isinstance(widget, UndoAwareLineEdit) and widget.text() != value:
                widget.setText(value)
        for radio in self.radios.values():
            radio.setEnabled(not self.doc.locked)

    def set_read_only(self, read_only: bool) -> None:
        for radio in self.radios.values():
            radio.setEnabled(not read_only)
        self.rationale.setReadOnly(read_only)
        for _detail, widget, _label in self.details.values():
            if isinstance(widget, DateField):
                widget.set_read_only(read_only)
            elif isinstance(widget, UndoAwareLineEdit):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)
        self.dissent.setEnabled(not read_only)

    def tab_chain(self) -> list[QWidget]:
        stop = self.keys.stop()
        chain: list[QWidget] = [stop] if stop is not None else []
        chain.append(self.rationale)
        for _detail, widget, _label in self.details.values():
            if isinstance(widget, DateField):
                chain += [widget.edit, widget.button, *widget.quick_buttons.values()]
            else:
                chain.append(widget)
        chain.append(self.dissent)
        return chain

    def focus_item(self, item: int | None, code: str = "") -> None:
        decision = self.doc.meeting.decision(self.kind.key)
        if decision is None or not decision.choice:
            target: QWidget = self.keys.stop() or next(iter(self.radios.values()))
        elif code == "decision.rationale" or not decision.rationale.strip():
            target = self.rationale
        else:
            missing = [
                w
                for d, w, _ in self.details.values()
                if decision.choice in d.required_for
                and not str(decision.details.get(d.key, "")).strip()
            ]
            target = missing[0] if missing else self.rationale
        target.setFocus(Qt.FocusReason.OtherFocusReason)
