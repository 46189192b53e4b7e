"""Tables for the children in scope and for recorded dissent."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from s47desk import present
from s47desk.decisions import DECISION_BY_KEY
from s47desk.fields import FieldDef
from s47desk.models import Child, Dissent
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.base import local_shortcut
from s47desk.ui.editors.table import Column, RowTableModel, RowTableView, TableEditor
from s47desk.vocab import Agency, ChildRole, SeenAlone

SEEN = ("children.seen_alone",)


def _child_name(child: Child) -> str:
    """As everywhere else: "Child 2" while no name is recorded."""
    children = child.meeting.children if child.meeting is not None else [child]
    return present.child_name(child, children.index(child) if child in children else 0)


class ChildrenEditor(TableEditor):
    """Who the children are, and, in a second table below, when each was seen, by whom and
    whether alone: two short tables that fit half a screen, rather than one of eleven columns
    each too narrow to read."""

    row_label = "child"
    add_text = "Add child"
    empty_text = (
        "No children yet. Add the subject child, then siblings and other children in scope."
    )
    columns = [
        Column("name", "Name", stretch=True, fixes=("children.subject",)),
        Column("role", "Role", "vocab", ChildRole, optional=False),
        Column("date_of_birth", "Date of birth", "date"),
        Column(
            "expected_date",
            "Expected (unborn)",
            "date",
            fixes=("children.expected_date",),
            only_if=lambda c: c.unborn,
        ),
        Column("gender", "Gender"),
        Column("reference", "Reference"),
        Column("looked_after", "Looked after", "bool", fixes=("attendance.required",)),
    ]
    seen_columns = [
        Column("name", "Child", "readonly", display=_child_name, width=16),
        Column("seen_on", "Seen on", "date", fixes=SEEN),
        Column("seen_by", "Seen by", fixes=SEEN),
        Column("seen_alone", "Seen alone?", "vocab", SeenAlone, fixes=SEEN),
        Column(
            "not_alone_reason",
            "If not alone: who was present, and why",
            stretch=True,
            fixes=SEEN,
            only_if=lambda c: c.seen_with_others,
        ),
    ]

    def __init__(self, doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None):
        super().__init__(doc, field, parent)
        self.seen_model = RowTableModel(
            doc, "children", list(self.seen_columns), field_id=field.id, parent=self
        )
        self.seen_view = RowTableView(doc, self.seen_model, "Add the children above first.")
        self.seen_view.setAccessibleName("Seeing each child")
        self.seen_heading = QLabel(
            "Seeing each child: the date seen, by whom, and whether alone (if not, who was "
            "present and why)"
        )
        self.seen_heading.setWordWrap(True)
        self.seen_heading.setBuddy(self.seen_view)
        at = self.layout_.indexOf(self.view) + 1
        self.layout_.insertWidget(at, self.seen_heading)
        self.layout_.insertWidget(at + 1, self.seen_view)
        for keys in (QKeySequence(Qt.Key.Key_Insert), QKeySequence("Ctrl+Return")):
            local_shortcut(keys, self.seen_view, self.add_row)
        local_shortcut(QKeySequence("Ctrl+Delete"), self.seen_view, self.remove_current)
        # which of the two tables the person was in last: the Remove button (clicked, or
        # reached by Tab) takes the focus from it, and removes that table's child
        self.last_table: RowTableView = self.view
        for table in (self.view, self.seen_view):
            table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn and watched in (self.view, self.seen_view):
            assert isinstance(watched, RowTableView)
            self.last_table = watched
        return super().eventFilter(watched, event)

    def new_row(self) -> Child:
        role = ChildRole.SUBJECT if not self.model.rows else ChildRole.SIBLING
        return Child(role=role)

    def tab_chain(self) -> list[QWidget]:
        return [self.view, self.seen_view, self.add_button, self.remove_button]

    def show_findings(self, findings: list[Any]) -> None:
        super().show_findings([f for f in findings if f.code not in SEEN])
        rows: dict[int, list[tuple[str, str]]] = {}
        for f in findings:
            if f.code in SEEN and f.item is not None:
                rows.setdefault(f.item, []).append((f.severity.value, f.message))
        self.seen_model.set_findings(rows)

    def focus_item(self, item: int | None, code: str = "") -> None:
        if code not in SEEN or item is None or not 0 <= item < len(self.model.rows):
            super().focus_item(item, code)
            return
        child = self.model.rows[item]
        attr = (
            "seen_by"
            if not child.seen_by.strip()
            else "seen_alone"
            if child.seen_alone is None
            else "not_alone_reason"
        )
        column = next(i for i, c in enumerate(self.seen_columns) if c.attr == attr)
        index = self.seen_model.index(item, column)
        self.seen_view.setFocus()
        self.seen_view.setCurrentIndex(index)
        self.seen_view.scrollTo(index)
        self.seen_view.edit(index)

    def in_seen_table(self) -> bool:
        """Whether the keyboard is, or was last, in the table of seeing each child (a cell
        being edited there counts; so does that table's row when Remove was pressed)."""
        focus = QApplication.focusWidget()
        for table in (self.seen_view, self.view):
            if focus is not None and (focus is table or table.isAncestorOf(focus)):
                return table is self.seen_view
        return self.last_table is self.seen_view

    def remove_current(self) -> None:
        """From either table: the child of the selected row of the table the person is (or
        was last) in; afterwards the keyboard is back in that table, on the child that took
        its place."""
        seen = self.seen_view.currentIndex()
        if not (self.in_seen_table() and seen.isValid()):
            super().remove_current()
            return
        row, column, before = seen.row(), seen.column(), len(self.model.rows)
        self.view.setCurrentIndex(self.model.index(row, self.first_editable()))
        super().remove_current()
        rows = len(self.model.rows)
        if 0 < rows < before:
            self.seen_view.setFocus()
            self.seen_view.setCurrentIndex(self.seen_model.index(min(row, rows - 1), column))


def decision_options(doc: MeetingDocument, _row: Any) -> list[tuple[str, Any]]:
    """The decisions this meeting's form gathers, as a dissent can disagree with any of them."""
    return [
        (DECISION_BY_KEY[f.removeprefix("decision.")].title, f.removeprefix("decision."))
        for f in doc.form.fields
        if f.startswith("decision.")
    ]


def _decision_title(kind: str) -> str:
    return DECISION_BY_KEY[kind].title if kind in DECISION_BY_KEY else kind


class DissentsEditor(TableEditor):
    row_label = "dissent"
    add_text = "Record dissent"
    empty_text = "No dissent recorded. If an attendee disagrees with a decision, record it here."
    columns = [
        Column(
            "decision_kind",
            "Disagrees with",
            "options",
            options=decision_options,
            display=lambda d: _decision_title(d.decision_kind),
        ),
        Column("name", "Who"),
        Column("agency", "Agency", "vocab", Agency),
        Column("text", "Their view", stretch=True),
        Column(
            "escalation",
            "How it is escalated",
            stretch=True,
            fixes=("decision.dissent_escalation",),
        ),
    ]

    def new_row(self, kind: str = "") -> Dissent:
        options = decision_options(self.doc, None)
        return Dissent(decision_kind=kind or (options[0][1] if options else "s47"))

    def add_for(self, kind: str) -> None:
        """Record a dissent against *kind* and start typing who disagrees."""
        index = self.add_row(self.new_row(kind))
        if index >= 0:
            self.edit_cell(index, 1)
