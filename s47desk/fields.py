"""Every field a meeting form can gather: its id, label and kind.

Forms name fields by id; the window builds an editor from the kind and the Word record uses the
label, so a field is described once.
"""

from __future__ import annotations

from dataclasses import dataclass

from s47desk.decisions import DECISIONS
from s47desk.vocab import Concern, Mode, Urgency, Vocab


@dataclass(frozen=True)
class FieldDef:
    id: str
    label: str
    kind: str  # text, longtext, date, datetime, choice, choices, bool, or a collection name
    help: str = ""
    vocab: type[Vocab] | None = None

    @property
    def attribute(self) -> str:
        """The Meeting attribute for a scalar field ("meeting.reason" -> "reason")."""
        return self.id.split(".", 1)[1] if self.id.startswith("meeting.") else ""


COLLECTIONS = ("children", "attendees", "information", "dissents", "actions", "signoff")

_FIELDS: tuple[FieldDef, ...] = (
    FieldDef("meeting.held_at", "Date and time held", "datetime"),
    FieldDef("meeting.mode", "How held", "choice", vocab=Mode),
    FieldDef("meeting.chair_name", "Chair", "text", "A children's social care team manager"),
    FieldDef("meeting.chair_role", "Chair's role", "text"),
    FieldDef("meeting.minute_taker", "Minute-taker", "text"),
    FieldDef("meeting.local_authority", "Local authority", "text"),
    FieldDef("meeting.referral_received", "Referral received", "date"),
    FieldDef("meeting.concerns_identified", "Concerns identified", "date"),
    FieldDef("meeting.urgency", "Urgency", "choice", vocab=Urgency),
    FieldDef("meeting.concerns", "Concerns", "choices", vocab=Concern),
    FieldDef("meeting.reason", "Reason for the strategy discussion", "longtext"),
    FieldDef("meeting.immediate_action", "Immediate action already taken", "longtext"),
    FieldDef(
        "meeting.late_reason",
        "Reason the discussion is held after its deadline",
        "longtext",
        "Only needed when the discussion is late",
    ),
    FieldDef("meeting.child_in_hospital", "A child is in hospital", "bool"),
    FieldDef("meeting.lado_notified_on", "LADO notified on", "date"),
    FieldDef("meeting.whereabouts_unknown_since", "Whereabouts unknown since", "datetime"),
    FieldDef(
        "meeting.initiating_held_on",
        "Strategy discussion that initiated section 47 was held on",
        "date",
        "Only when that discussion is not in s47desk; otherwise link it",
    ),
    FieldDef(
        "meeting.other_children_note",
        "Other children considered",
        "longtext",
        "Siblings, other children in the household and children in contact with the alleged abuser",
    ),
    FieldDef("meeting.risks", "Risks", "longtext"),
    FieldDef("meeting.strengths", "Strengths and protective factors", "longtext"),
    FieldDef("meeting.child_voice", "The child's voice and lived experience", "longtext"),
    FieldDef(
        "meeting.child_voice_plan",
        "How the child's wishes, feelings and lived experience will be ascertained",
        "longtext",
    ),
    FieldDef("children", "Children in scope", "children"),
    FieldDef("attendees", "Attendance", "attendees"),
    FieldDef("information", "Information shared by agency", "information"),
    FieldDef("dissents", "Recorded dissent", "dissents"),
    FieldDef("actions", "Action plan", "actions"),
    FieldDef("signoff", "Review and sign", "signoff"),
    *(FieldDef(f"decision.{d.key}", d.title, "decision", d.question) for d in DECISIONS),
)

FIELDS: dict[str, FieldDef] = {f.id: f for f in _FIELDS}
