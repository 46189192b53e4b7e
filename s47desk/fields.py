"""Every field a meeting form can gather: its id, label and kind.

Forms name fields by id; the window builds an editor from the kind and the Word record uses the
label, so a field is described once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from s47desk.decisions import DECISIONS
from s47desk.vocab import Concern, Mode, Urgency, Vocab


class FieldKind(StrEnum):
    """How a field is edited; the window has exactly one editor per kind (a test checks)."""

    TEXT = "text"
    LONGTEXT = "longtext"
    DATE = "date"
    DATETIME = "datetime"
    CHOICE = "choice"
    CHOICES = "choices"
    BOOL = "bool"
    DECISION = "decision"
    CHILDREN = "children"
    ATTENDEES = "attendees"
    INFORMATION = "information"
    DISSENTS = "dissents"
    ACTIONS = "actions"
    SIGNOFF = "signoff"


@dataclass(frozen=True)
class FieldDef:
    id: str
    label: str
    kind: FieldKind
    help: str = ""
    vocab: type[Vocab] | None = None

    @property
    def attribute(self) -> str:
        """The Meeting attribute for a scalar field ("meeting.reason" -> "reason")."""
        return self.id.split(".", 1)[1] if self.id.startswith("meeting.") else ""


COLLECTIONS = ("children", "attendees", "information", "dissents", "actions", "signoff")

_FIELDS: tuple[FieldDef, ...] = (
    FieldDef("meeting.held_at", "Date and time held", FieldKind.DATETIME),
    FieldDef("meeting.mode", "How held", FieldKind.CHOICE, vocab=Mode),
    FieldDef(
        "meeting.chair_name", "Chair", FieldKind.TEXT, "A children's social care team manager"
    ),
    FieldDef("meeting.chair_role", "Chair's role", FieldKind.TEXT),
    FieldDef("meeting.minute_taker", "Minute-taker", FieldKind.TEXT),
    FieldDef("meeting.local_authority", "Local authority", FieldKind.TEXT),
    FieldDef("meeting.referral_received", "Referral received", FieldKind.DATE),
    FieldDef("meeting.concerns_identified", "Concerns identified", FieldKind.DATE),
    FieldDef("meeting.urgency", "Urgency", FieldKind.CHOICE, vocab=Urgency),
    FieldDef("meeting.concerns", "Concerns", FieldKind.CHOICES, vocab=Concern),
    FieldDef("meeting.reason", "Reason for the strategy discussion", FieldKind.LONGTEXT),
    FieldDef("meeting.immediate_action", "Immediate action already taken", FieldKind.LONGTEXT),
    FieldDef(
        "meeting.late_reason",
        "Reason the discussion is held after its deadline",
        FieldKind.LONGTEXT,
        "Only needed when the discussion is late",
    ),
    FieldDef("meeting.child_in_hospital", "A child is in hospital", FieldKind.BOOL),
    FieldDef("meeting.lado_notified_on", "LADO notified on", FieldKind.DATE),
    FieldDef("meeting.whereabouts_unknown_since", "Whereabouts unknown since", FieldKind.DATETIME),
    FieldDef(
        "meeting.initiating_held_on",
        "Strategy discussion that initiated section 47 was held on",
        FieldKind.DATE,
        "Only when that discussion is not in s47desk; otherwise link it",
    ),
    FieldDef(
        "meeting.other_children_note",
        "Other children considered",
        FieldKind.LONGTEXT,
        "Siblings, other children in the household and children in contact with the alleged abuser",
    ),
    FieldDef("meeting.risks", "Risks", FieldKind.LONGTEXT),
    FieldDef("meeting.strengths", "Strengths and protective factors", FieldKind.LONGTEXT),
    FieldDef("meeting.child_voice", "The child's voice and lived experience", FieldKind.LONGTEXT),
    FieldDef(
        "meeting.child_voice_plan",
        "How the child's wishes, feelings and lived experience will be ascertained",
        FieldKind.LONGTEXT,
    ),
    FieldDef("children", "Children in scope", FieldKind.CHILDREN),
    FieldDef("attendees", "Attendance", FieldKind.ATTENDEES),
    FieldDef("information", "Information shared by agency", FieldKind.INFORMATION),
    FieldDef("dissents", "Recorded dissent", FieldKind.DISSENTS),
    FieldDef("actions", "Action plan", FieldKind.ACTIONS),
    FieldDef("signoff", "Review and sign", FieldKind.SIGNOFF),
    *(FieldDef(f"decision.{d.key}", d.title, FieldKind.DECISION, d.question) for d in DECISIONS),
)

FIELDS: dict[str, FieldDef] = {f.id: f for f in _FIELDS}
