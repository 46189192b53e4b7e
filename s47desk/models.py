"""The strategy-discussion record as SQLAlchemy models: the one domain model every part reads.

Times: ``held_at`` is the local wall-clock time people know the meeting by; audit timestamps
(``created_at``, ``updated_at``, ``signed_at``) are UTC. Every row carries a ``uid`` made when it
is created, so that an edit names the row it changes wherever it is stored (another database,
the recovery journal, the audit trail). Concurrent edits are settled per field when they are
saved (s47desk.editing), never by whole-row versions; the meeting's ``revision`` counts the
saves so that an open window knows when someone else saved.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import TypeVar, cast

from sqlalchemy import (
    JSON,
    Enum,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from s47desk import meeting_facts
from s47desk.vocab import (
    ActionCategory,
    ActionStatus,
    Agency,
    Attendance,
    ChildOutcome,
    ChildRole,
    FamilySharing,
    MeetingStatus,
    Mode,
    Referrer,
    SeenAlone,
    Service,
    Urgency,
    Vocab,
    WithholdReason,
)

V = TypeVar("V", bound=Vocab)


def new_uid() -> str:
    return str(uuid.uuid4())


_DECISION_NAMESPACE = uuid.UUID("5b4c2f3e-6a1d-4e0b-9a47-2d1c0f5e8b61")


def decision_uid(meeting_uid: str, kind: str) -> str:
    """A decision's uid follows from its meeting and kind (a meeting decides each kind once), so
    two people who start the same decision at the same moment name the same row."""
    return str(uuid.uuid5(_DECISION_NAMESPACE, f"{meeting_uid}/{kind}"))


def utcnow() -> datetime:
    """Naive UTC, as stored (SQLite keeps no zone)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def vocab(cls: type[V]) -> Enum:
    """Store a vocabulary by its value (not its Python name), without a database enum type."""
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=40,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


# Left unset at construction: the database assigns ids, and ordering_list numbers positions
# only where none is set yet.
_ASSIGNED_LATER = ("id", "position")


class Base(DeclarativeBase):
    def __init__(self, **kwargs: object) -> None:
        """Apply column defaults at construction, not only at INSERT, so that a meeting read from
        a file and checked without a database looks exactly like a stored one."""
        for column in self.__table__.columns:
            default = column.default
            if column.key in kwargs or default is None or column.key in _ASSIGNED_LATER:
                continue
            kwargs[column.key] = default.arg(None) if default.is_callable else default.arg
        cls = type(self)
        for key, value in kwargs.items():
            if not hasattr(cls, key):
                raise TypeError(f"{key!r} is an invalid keyword argument for {cls.__name__}")
            setattr(self, key, value)


class Meeting(Base):
    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    reference: Mapped[str] = mapped_column(String(40), default="", server_default="")
    form_id: Mapped[str] = mapped_column(String(60))
    status: Mapped[MeetingStatus] = mapped_column(vocab(MeetingStatus), default=MeetingStatus.DRAFT)
    held_at: Mapped[datetime | None]
    mode: Mapped[Mode | None] = mapped_column(vocab(Mode))
    chair_name: Mapped[str] = mapped_column(String(200), default="")
    chair_role: Mapped[str] = mapped_column(String(200), default="")
    minute_taker: Mapped[str] = mapped_column(String(200), default="")
    local_authority: Mapped[str] = mapped_column(String(200), default="")
    referral_received: Mapped[date | None]
    concerns_identified: Mapped[date | None]
    urgency: Mapped[Urgency] = mapped_column(vocab(Urgency), default=Urgency.STANDARD)
    concerns: Mapped[list[str]] = mapped_column(MutableList.as_mutable(JSON), default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    immediate_action: Mapped[str] = mapped_column(Text, default="")
    late_reason: Mapped[str] = mapped_column(Text, default="")
    risks: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    child_voice: Mapped[str] = mapped_column(Text, default="")
    child_voice_plan: Mapped[str] = mapped_column(Text, default="")
    other_children_note: Mapped[str] = mapped_column(Text, default="")
    child_in_hospital: Mapped[bool] = mapped_column(default=False)
    lado_notified_on: Mapped[date | None]
    whereabouts_unknown_since: Mapped[datetime | None]
    initiating_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL")
    )
    initiating_held_on: Mapped[date | None]
    record_version: Mapped[int] = mapped_column(default=1)
    amends_uid: Mapped[str | None] = mapped_column(String(36), index=True)  # the version corrected
    amendment_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    provenance: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    audit_head: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # Added in revision 0004 ("the guidance, exactly"): fingerprint content version 3.
    ended_at: Mapped[datetime | None]
    chair_is_team_manager: Mapped[bool] = mapped_column(default=False, server_default="0")
    referrer: Mapped[str] = mapped_column(String(200), default="", server_default="")
    referrer_kind: Mapped[Referrer | None] = mapped_column(vocab(Referrer))
    abuse_suspected_on: Mapped[date | None]
    under_s47_enquiries: Mapped[bool] = mapped_column(default=False, server_default="0")
    access_refused: Mapped[bool] = mapped_column(default=False, server_default="0")
    permission_not_sought: Mapped[bool] = mapped_column(default=False, server_default="0")
    parents_carers: Mapped[str] = mapped_column(Text, default="", server_default="")
    household_members: Mapped[str] = mapped_column(Text, default="", server_default="")
    alleged_person: Mapped[str] = mapped_column(Text, default="", server_default="")
    alleged_person_aliases: Mapped[str] = mapped_column(Text, default="", server_default="")
    alleged_person_dob: Mapped[date | None]
    identities_checked: Mapped[bool] = mapped_column(default=False, server_default="0")
    contingency: Mapped[str] = mapped_column(Text, default="", server_default="")
    icpc_planned_on: Mapped[date | None]
    assessment_over_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    family_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    family_summary_confirmed: Mapped[bool] = mapped_column(default=False, server_default="0")

    initiating_meeting: Mapped[Meeting | None] = relationship(remote_side=[id])
    children: Mapped[list[Child]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="Child.position",
        collection_class=ordering_list("position"),
    )
    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="Attendee.position",
        collection_class=ordering_list("position"),
    )
    information: Mapped[list[InformationItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="InformationItem.position",
        collection_class=ordering_list("position"),
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Decision.id"
    )
    dissents: Mapped[list[Dissent]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Dissent.id"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="Action.position",
        collection_class=ordering_list("position"),
    )
    signoffs: Mapped[list[SignOff]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="SignOff.id"
    )

    # Written once in s47desk.meeting_facts, for this graph and the list's plain rows alike.
    @property
    def held_on(self) -> date | None:
        return meeting_facts.held_on(self)

    @property
    def is_locked(self) -> bool:
        """Signed records never change; corrections come as versioned amendments."""
        return self.status in (MeetingStatus.SIGNED, MeetingStatus.CIRCULATED)

    def subject_children(self) -> list[Child]:
        return meeting_facts.subject_children(self)

    def decision(self, kind: str) -> Decision | None:
        return cast("Decision | None", meeting_facts.decision(self, kind))

    def display_name(self) -> str:
        """The subject children's names, as a list of meetings shows them."""
        return meeting_facts.display_name(self)


def _number_items(_target: Meeting, values: list[Base], _initiator: object) -> None:
    """ordering_list numbers items appended one by one; a whole list assigned at once would keep
    position 0 for all, leaving the order to the database."""
    for index, item in enumerate(values):
        item.position = index  # type: ignore[attr-defined]


for _collection in (Meeting.children, Meeting.attendees, Meeting.information, Meeting.actions):
    event.listen(_collection, "bulk_replace", _number_items)


@event.listens_for(Meeting, "before_insert")
def _give_a_reference(_mapper: object, _connection: object, meeting: Meeting) -> None:
    """Every stored meeting has its reference, however it was made (s47desk.reference)."""
    if not meeting.reference:
        from s47desk.reference import make_reference

        meeting.reference = make_reference(meeting.uid, meeting.local_authority)


class Child(Base):
    __tablename__ = "child"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(
        String(36), unique=True, index=True, nullable=True, default=new_uid
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[ChildRole] = mapped_column(vocab(ChildRole), default=ChildRole.SUBJECT)
    date_of_birth: Mapped[date | None]
    expected_date: Mapped[date | None]
    gender: Mapped[str] = mapped_column(String(60), default="")
    reference: Mapped[str] = mapped_column(String(60), default="")
    outcome: Mapped[ChildOutcome] = mapped_column(
        vocab(ChildOutcome), default=ChildOutcome.UNDECIDED
    )
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    # Added in revision 0004: seeing the child, and a looked-after child's service.
    looked_after: Mapped[bool] = mapped_column(default=False, server_default="0")
    seen_on: Mapped[date | None]
    seen_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    seen_alone: Mapped[SeenAlone | None] = mapped_column(vocab(SeenAlone))
    not_alone_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    meeting: Mapped[Meeting] = relationship(back_populates="children")

    @property
    def unborn(self) -> bool:
        """A pre-birth discussion's child: an expected date, not a date of birth."""
        return self.role is ChildRole.UNBORN

    @property
    def can_be_seen(self) -> bool:
        """An unborn child cannot be seen or spoken with; every other child can."""
        return not self.unborn

    @property
    def seen_with_others(self) -> bool:
        """Seen, but not alone: who was present, and why, is then recorded."""
        return self.seen_alone is SeenAlone.NOT_ALONE

    @property
    def seen(self) -> bool:
        """Recorded as already seen: when, by whom, and alone or (with why) not."""
        alone_told = self.seen_alone is SeenAlone.ALONE or (
            self.seen_with_others and bool(self.not_alone_reason.strip())
        )
        return self.seen_on is not None and bool(self.seen_by.strip()) and alone_told


class Attendee(Base):
    __tablename__ = "attendee"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(
        String(36), unique=True, index=True, nullable=True, default=new_uid
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    agency: Mapped[Agency] = mapped_column(vocab(Agency))
    service: Mapped[Service | None] = mapped_column(vocab(Service))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    attendance: Mapped[Attendance] = mapped_column(vocab(Attendance), default=Attendance.PRESENT)
    absence_reason: Mapped[str] = mapped_column(Text, default="")
    escalation: Mapped[str] = mapped_column(Text, default="")
    # Added in revision 0004: "sufficiently senior to make decisions on behalf of their
    # organisation" (guidance 000, 002, 003), as the chair confirmed it.
    senior_enough: Mapped[bool] = mapped_column(default=False, server_default="0")

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")

    @property
    def absent(self) -> bool:
        """Not present (apologies, or not attending): a reason and an escalation are due."""
        return self.attendance is not Attendance.PRESENT


class InformationItem(Base):
    __tablename__ = "information_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(
        String(36), unique=True, index=True, nullable=True, default=new_uid
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    agency: Mapped[Agency] = mapped_column(vocab(Agency))
    shared_by: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    nil_return: Mapped[bool] = mapped_column(default=False)
    family_sharing: Mapped[FamilySharing] = mapped_column(
        vocab(FamilySharing), default=FamilySharing.UNDECIDED
    )
    withhold_reason: Mapped[WithholdReason | None] = mapped_column(vocab(WithholdReason))
    withhold_note: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="information")

    @property
    def withheld(self) -> bool:
        """Not to be shared with the family: a reason is then recorded."""
        return self.family_sharing is FamilySharing.NO


class Decision(Base):
    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("meeting_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(
        String(36), unique=True, index=True, nullable=True, default=new_uid
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    choice: Mapped[str] = mapped_column(String(40), default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict[str, str]] = mapped_column(MutableDict.as_mutable(JSON), default=dict)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")


class Dissent(Base):
    """An attendee's recorded disagreement with a decision, and how it is escalated."""

    __tablename__ = "dissent"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(
        String(36), unique=True, index=True, nullable=True, default=new_uid
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    decision_kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), default="")
    agency: Mapped[Agency | None] = mapped_column(vocab(Agency))
    text: Mapped[str] = mapped_column(Text, default="")
    escalation: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="dissents")


class Action(Base):
    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(
        String(36), unique=True, index=True, nullable=True, default=new_uid
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    agency: Mapped[Agency | None] = mapped_column(vocab(Agency))
    due: Mapped[date | None]
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id", ondelete="SET NULL"))
    category: Mapped[ActionCategory] = mapped_column(
        vocab(ActionCategory), default=ActionCategory.GENERAL
    )
    status: Mapped[ActionStatus] = mapped_column(vocab(ActionStatus), default=ActionStatus.OPEN)
    completion_note: Mapped[str] = mapped_column(Text, default="")
    # Added in revision 0004: the children an action is for, by uid (several at once).
    for_children: Mapped[list[str]] = mapped_column(
        MutableList.as_mutable(JSON), default=list, server_default="[]"
    )

    meeting: Mapped[Meeting] = relationship(back_populates="actions")
    child: Mapped[Child | None] = relationship()

    def children_in(self, meeting: Meeting) -> list[Child]:
        """The children of *meeting* this action is for, in the meeting's order: those it lists,
        and the one child an action made before multi-child actions names."""
        uids = set(self.for_children)
        return [c for c in meeting.children if c.uid in uids or c is self.child]

    @property
    def number(self) -> int:
        """The action's number as the record shows it (1-based)."""
        return self.position + 1


class SignOff(Base):
    """The chair's authorisation of one version of the record, with their digital signature.

    ``statement`` is the canonical JSON the chair's key signed (s47desk.signoff): the content
    fingerprint, the audit trail's head, who signed and when, and the SHA-256 of the signed Word
    record and family copy made at that moment. ``signature`` and ``certificate`` (base64) let
    anyone check it later against what is stored.
    """

    __tablename__ = "signoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(
        String(36), unique=True, index=True, nullable=True, default=new_uid
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    on_behalf_of: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    record_version: Mapped[int] = mapped_column(default=1)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    audit_head: Mapped[str] = mapped_column(String(64), default="", server_default="")
    statement: Mapped[str] = mapped_column(Text, default="", server_default="")
    signature: Mapped[str] = mapped_column(Text, default="", server_default="")
    certificate: Mapped[str] = mapped_column(Text, default="", server_default="")

    meeting: Mapped[Meeting] = relationship(back_populates="signoffs")


class SignedDocument(Base):
    """A signed Word file made at sign-off: the only file ever exported or circulated for that
    version (so every copy of "version 1" is the same bytes)."""

    __tablename__ = "signed_document"
    __table_args__ = (UniqueConstraint("meeting_id", "record_version", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    record_version: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(20))  # "record" or "family_copy"
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEntry(Base):
    """One change to a meeting: who, when (UTC), what (field and item), old and new value.

    Append-only and hash-chained per meeting (s47desk.audit); database triggers refuse UPDATE
    and DELETE. It names its meeting by uid, not by a foreign key, so it outlives a removed draft.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (UniqueConstraint("meeting_uid", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_uid: Mapped[str] = mapped_column(String(36), index=True)
    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200), default="")
    login: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(100), default="")
    item: Mapped[str] = mapped_column(String(36), default="")
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64))


class Circulation(Base):
    """One sending of a signed record to one agency: to whom, when, which version and file.

    Not part of the record (the lock guard lets it grow after signing); rows are only added.
    """

    __tablename__ = "circulation"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    agency: Mapped[Agency] = mapped_column(vocab(Agency))
    recipients: Mapped[str] = mapped_column(Text, default="")  # email addresses, comma-separated
    method: Mapped[str] = mapped_column(String(20))  # draft, smtp or by_hand
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by: Mapped[str] = mapped_column(String(200), default="")
    record_version: Mapped[int] = mapped_column(default=1)
    content_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    document_sha256: Mapped[str] = mapped_column(String(64), default="")
    signer_sha256: Mapped[str] = mapped_column(String(64), default="")
    message_id: Mapped[str] = mapped_column(String(250), default="")
