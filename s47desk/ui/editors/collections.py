"""Tables for the children in scope and for recorded dissent."""

from __future__ import annotations

from typing import Any

from s47desk.decisions import DECISION_BY_KEY
from s47desk.models import Child, Dissent
from s47desk.ui.document import MeetingDocument
from s47desk.ui.editors.table import Column, TableEditor
from s47desk.vocab import Agency, ChildRole, SeenAlone


class ChildrenEditor(TableEditor):
    row_label = "child"
    add_text = "Add child"
    empty_text = (
        "No children yet. Add the subject child, then siblings and other children in scope."
    )
    columns = [
        Column("name", "Name", stretch=True, fixes=("children.subject",)),
        Column("role", "Role", "vocab", ChildRole, optional=False),
        Column("date_of_birth", "Date of birth", "date"),
        Column("expected_date", "Expected (unborn)", "date", fixes=("children.expected_date",)),
        Column("gender", "Gender"),
        Column("reference", "Reference"),
        Column("looked_after", "Looked after", "bool", fixes=("attendance.required",)),
        Column("seen_on", "Seen on", "date", fixes=("children.seen_alone",)),
        Column("seen_by", "Seen by", fixes=("children.seen_alone",)),
        Column("seen_alone", "Seen alone?", "vocab", SeenAlone, fixes=("children.seen_alone",)),
        Column(
            "not_alone_reason",
            "If not alone: who was present, and why",
            fixes=("children.seen_alone",),
        ),
    ]

    def new_row(self) -> Child:
        role = ChildRole.SUBJECT if not self.model.rows else ChildRole.SIBLING
        return Child(role=role)


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
