"""Every field a meeting form can gather: its id, label and kind.

Forms name fields by id; the window builds an editor from the kind and the Word record uses the
label, so a field is described once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from s47desk.conditions import OnlyWhen
from s47desk.decisions import DECISIONS, SECTION_47_YES
from s47desk.vocab import Concern, Mode, Referrer, Urgency, Vocab

if TYPE_CHECKING:
    from s47desk.models import Meeting


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
    only_when: OnlyWhen | None = None  # shown (and printed) only in these circumstances

    def __post_init__(self) -> None:
        if (self.kind in (FieldKind.CHOICE, FieldKind.CHOICES)) != (self.vocab is not None):
            raise ValueError(f"{self.id}: a choice field has a vocabulary, and only a choice")

    @property
    def attribute(self) -> str:
        """The Meeting attribute for a scalar field ("meeting.reason" -> "reason")."""
        return self.id.split(".", 1)[1] if self.id.startswith("meeting.") else ""


COLLECTIONS = ("children", "attendees", "information", "dissents", "actions", "signoff")

PROFESSIONAL_ALLEGATION = OnlyWhen(concern=Concern.PROFESSIONAL_ALLEGATION.value)
MISSING = OnlyWhen(concern=Concern.MISSING.value)
SECTION_47 = OnlyWhen(decision="s47", choices=SECTION_47_YES)

_FIELDS: tuple[FieldDef, ...] = (
    FieldDef("meeting.held_at", "Date and time held", FieldKind.DATETIME),
    FieldDef("meeting.ended_at", "Ended at", FieldKind.DATETIME, "When the discussion ended"),
    FieldDef("meeting.mode", "How held", FieldKind.CHOICE, vocab=Mode),
    FieldDef(
        "meeting.chair_name", "Chair", FieldKind.TEXT, "A children's social care team manager"
    ),
    FieldDef("meeting.chair_role", "Chair's role", FieldKind.TEXT),
    FieldDef(
        "meeting.chair_is_team_manager",
        "The chair is a children's social care team manager",
        FieldKind.BOOL,
        "Guidance 000: “A CSC team manager will chair the strategy meeting”",
    ),
    FieldDef("meeting.minute_taker", "Minute-taker", FieldKind.TEXT),
    FieldDef("meeting.local_authority", "Local authority", FieldKind.TEXT),
    FieldDef("meeting.referral_received", "Referral received", FieldKind.DATE),
    FieldDef(
        "meeting.referrer",
        "Referred by",
        FieldKind.TEXT,
        "The practitioner or agency (or person) who made the referral",
    ),
    FieldDef(
        "meeting.referrer_kind",
        "The referrer is",
        FieldKind.CHOICE,
        "Feedback to a non-professional referrer respects the child's confidentiality",
        vocab=Referrer,
    ),
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
    FieldDef(
        "meeting.abuse_suspected_on",
        "Professional abuse first suspected on",
        FieldKind.DATE,
        "The LADO should be notified within 1 working day of this date",
        only_when=PROFESSIONAL_ALLEGATION,
    ),
    FieldDef(
        "meeting.lado_notified_on",
        "LADO notified on",
        FieldKind.DATE,
        only_when=PROFESSIONAL_ALLEGATION,
    ),
    FieldDef(
        "meeting.whereabouts_unknown_since",
        "Whereabouts unknown since",
        FieldKind.DATETIME,
        only_when=MISSING,
    ),
    FieldDef(
        "meeting.under_s47_enquiries",
        "The child is already subject to section 47 enquiries",
        FieldKind.BOOL,
        "Then the strategy discussion with the police is due within 24 hours (guidance 002)",
        only_when=MISSING,
    ),
    FieldDef(
        "meeting.access_refused",
        "Access to the child is refused or obstructed",
        FieldKind.BOOL,
        "Guidance 002: the strategy discussion then includes legal representation",
    ),
    FieldDef(
        "meeting.permission_not_sought",
        "Parental permission to see the child will not be sought (exceptional circumstances)",
        FieldKind.BOOL,
        "Guidance 000: the social worker must then take legal advice",
    ),
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
    FieldDef(
        "meeting.parents_carers",
        "Parents and carers",
        FieldKind.LONGTEXT,
        "Both parents (including one living elsewhere), other carers and the partners of the "
        "parents: names, relationship to each child, dates of birth, any aliases",
    ),
    FieldDef(
        "meeting.household_members",
        "Other members of the household",
        FieldKind.LONGTEXT,
        "Adults and children living in or regularly visiting the household",
    ),
    FieldDef(
        "meeting.alleged_person",
        "Person alleged to have caused harm",
        FieldKind.TEXT,
        "Name, and relationship to the child",
    ),
    FieldDef("meeting.alleged_person_aliases", "Aliases of the person alleged", FieldKind.TEXT),
    FieldDef("meeting.alleged_person_dob", "Date of birth of the person alleged", FieldKind.DATE),
    FieldDef(
        "meeting.identities_checked",
        "Spelling of names, aliases and dates of birth checked",
        FieldKind.BOOL,
        "Guidance 002 section 10: all records are checked for these",
    ),
    FieldDef("meeting.risks", "Risks", FieldKind.LONGTEXT),
    FieldDef("meeting.strengths", "Strengths and protective factors", FieldKind.LONGTEXT),
    FieldDef("meeting.child_voice", "The child's voice and lived experience", FieldKind.LONGTEXT),
    FieldDef(
        "meeting.child_voice_plan",
        "How the child's wishes, feelings and lived experience will be ascertained",
        FieldKind.LONGTEXT,
    ),
    FieldDef(
        "meeting.contingency",
        "Contingency plan",
        FieldKind.LONGTEXT,
        "What happens if the plan cannot be carried out or the risk changes",
    ),
    FieldDef(
        "meeting.icpc_planned_on",
        "Initial child protection conference planned for",
        FieldKind.DATE,
        "Within 15 working days of the discussion that initiated section 47 enquiries",
        only_when=SECTION_47,
    ),
    FieldDef(
        "meeting.assessment_over_reason",
        "Reason the assessment exceeds 45 working days",
        FieldKind.LONGTEXT,
        "Only needed once the assessment has run past 45 working days from the referral",
    ),
    FieldDef(
        "meeting.family_summary",
        "What the family will be told",
        FieldKind.LONGTEXT,
        "Written for the family: the only text the family copy carries",
    ),
    FieldDef(
        "meeting.family_summary_confirmed",
        "The chair has read what the family will be told and confirms it may be shared",
        FieldKind.BOOL,
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


def shown(
    field_id: str, asked: Collection[str], meeting: Meeting, concerns: Collection[str]
) -> bool:
    """Whether *field_id* is shown (and printed) for *meeting*: its form asks it (*asked*), and
    any circumstance it depends on holds (*concerns*: the meeting's and its form's)."""
    if field_id not in asked:
        return False
    condition = FIELDS[field_id].only_when
    return condition is None or condition.holds(meeting, concerns)
