"""Every field kind's editor, listed in one place (no registration by import side effect).

A step page asks :func:`editor_for` for each field its form lists; a test checks that every
:class:`~s47desk.fields.FieldKind` has an editor here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from s47desk.fields import FieldDef, FieldKind
from s47desk.ui.actions_table import ActionsEditor
from s47desk.ui.attendance import AttendanceEditor
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.base import FieldEditor
from s47desk.ui.editors.collections import ChildrenEditor, DissentsEditor
from s47desk.ui.editors.dates import DateEditor, DateTimeEditor
from s47desk.ui.editors.decision import DecisionEditor
from s47desk.ui.editors.scalar import (
    BoolEditor,
    ChoiceEditor,
    ChoicesEditor,
    LongTextEditor,
    TextEditor,
)
from s47desk.ui.information import InformationEditor
from s47desk.ui.sign_step import SignEditor

EDITORS: dict[FieldKind, type[FieldEditor]] = {
    FieldKind.TEXT: TextEditor,
    FieldKind.LONGTEXT: LongTextEditor,
    FieldKind.DATE: DateEditor,
    FieldKind.DATETIME: DateTimeEditor,
    FieldKind.CHOICE: ChoiceEditor,
    FieldKind.CHOICES: ChoicesEditor,
    FieldKind.BOOL: BoolEditor,
    FieldKind.DECISION: DecisionEditor,
    FieldKind.CHILDREN: ChildrenEditor,
    FieldKind.ATTENDEES: AttendanceEditor,
    FieldKind.INFORMATION: InformationEditor,
    FieldKind.DISSENTS: DissentsEditor,
    FieldKind.ACTIONS: ActionsEditor,
    FieldKind.SIGNOFF: SignEditor,
}


def editor_for(doc: MeetingDocument, field: FieldDef, parent: QWidget | None = None) -> FieldEditor:
    return EDITORS[field.kind](doc, field, parent)
