"""The family copy: only what the discussion agreed the family may be told, and nothing else.

Built in two steps so that leaking is structurally hard: :func:`family_view` copies the few
permitted strings out of the meeting into a :class:`FamilyView`; :func:`render_family` sees only
that view, never the meeting. What the view holds, conservatively:

* the meeting's date, how it was held, the local authority and who chaired it;
* the children of the family (subject, siblings, others in the household, unborn) with dates
  of birth: never children "in contact with the alleged abuser", who may be from other families;
* the agencies that took part, by agency only (no professional's name, role or email);
* information items marked "may be shared with the family", and nothing of any other item
  (not its text, reason, note, agency or even how many there were);
* who will talk to the family, and when (the "Information for the family" decision).

Left out on purpose: the reason for the discussion, immediate action, analysis, the child's
own words, decisions and their rationale, dissent, the action plan and key dates. They can hold
police-sensitive detail or what a child said in confidence; the social worker explains the
next steps in person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from s47desk.decisions import DECISION_BY_KEY
from s47desk.errors import UserError
from s47desk.models import Meeting
from s47desk.record.context import FAMILY_CONFIDENTIALITY, RecordContext, Signer
from s47desk.record.labels import (
    detail_value,
    reference,
    short_date,
    uk_datetime,
    uk_time_from_utc,
)
from s47desk.record.signer_block import FINGERPRINTS, signer_rows
from s47desk.record.template import S
from s47desk.record.writer import Cell, Masthead, Properties, RecordWriter
from s47desk.vocab import Attendance, ChildRole, FamilySharing

FAMILY_ROLES = (ChildRole.SUBJECT, ChildRole.SIBLING, ChildRole.HOUSEHOLD, ChildRole.UNBORN)
SHARING_CHOICES = frozenset({"share_now", "share_later"})
INTRODUCTION = (
    "Professionals from the agencies listed below met to talk about how to keep your children "
    "safe. This summary contains only the information they agreed can be shared with you. "
    "The person named below will talk with you about what was discussed and what happens next."
)


class FamilyCopyRefused(UserError):
    """No family copy may be made (yet); the message says why in plain words."""


@dataclass(frozen=True)
class FamilyItem:
    agency: str
    text: str
    nil_return: bool


@dataclass(frozen=True)
class FamilyView:
    """Everything a family copy may show, copied out of the meeting (see the module docstring)."""

    reference: str
    record_version: int
    marking: str
    local_authority: str
    held: str
    mode: str
    chair: str
    children: tuple[tuple[str, str, str], ...]  # name, relationship, date of birth
    agencies: tuple[str, ...]
    items: tuple[FamilyItem, ...]
    contact_by: str
    contact_when: str
    signed_by: str
    signed_at: str
    signed_utc: datetime
    share_later: bool


def family_view(meeting: Meeting, ctx: RecordContext) -> FamilyView:
    """The family's view of a signed meeting, or FamilyCopyRefused saying why there is none."""
    signoff = ctx.signoff
    if signoff is None:
        raise FamilyCopyRefused(
            "The family copy is made from the authorised record: the chair must sign the "
            "record first."
        )
    kind = DECISION_BY_KEY["family_information"]
    decision = meeting.decision(kind.key)
    if decision is None or decision.choice not in SHARING_CHOICES:
        chosen = kind.option(decision.choice) if decision else None
        why = f"“{chosen.label}”" if chosen else "no decision"
        raise FamilyCopyRefused(
            f"No family copy: the discussion recorded {why} for “{kind.title}”."
        )

    def detail(key: str) -> str:
        spec = kind.detail(key)
        value = decision.details.get(key, "") if decision else ""
        return detail_value(spec, value) if spec and value else ""

    children = tuple(
        (
            c.name,
            c.role.label,
            short_date(c.date_of_birth)
            if c.date_of_birth or not c.expected_date
            else f"Expected {short_date(c.expected_date)}",
        )
        for c in meeting.children
        if c.role in FAMILY_ROLES
    )
    agencies = tuple(
        dict.fromkeys(
            a.agency.label for a in meeting.attendees if a.attendance is Attendance.PRESENT
        )
    )
    items = tuple(
        FamilyItem(i.agency.label, i.text, i.nil_return)
        for i in meeting.information
        if i.family_sharing is FamilySharing.YES
    )
    return FamilyView(
        reference=reference(meeting),
        record_version=meeting.record_version,
        marking=ctx.protocol.protective_marking,
        local_authority=meeting.local_authority,
        held=uk_datetime(meeting.held_at),
        mode=meeting.mode.label if meeting.mode else "",
        chair=", ".join(x for x in (meeting.chair_name, meeting.chair_role) if x),
        children=children,
        agencies=agencies,
        items=items,
        contact_by=detail("by_whom"),
        contact_when=detail("when"),
        signed_by=", ".join(x for x in (signoff.name, signoff.role) if x),
        signed_at=uk_time_from_utc(signoff.signed_at),
        signed_utc=signoff.signed_at,
        share_later=decision.choice == "share_later",
    )


def render_family(view: FamilyView, *, signer: Signer | None = None) -> bytes:
    """The family copy as .docx bytes, from the view alone."""
    w = RecordWriter()
    w.masthead(
        Masthead(
            marking=view.marking,
            left=view.local_authority or "Strategy discussion",
            right=f"Summary for the family · {view.reference}",
            footer_left=f"{view.reference} · family copy of record version {view.record_version}",
        )
    )
    w.properties(
        Properties(
            title=f"Strategy discussion: summary for the family – {view.marking}",
            subject="Strategy discussion: summary for the family",
            when=view.signed_utc,
            revision=view.record_version,
        )
    )
    w.heading("Strategy discussion: summary for the family", 0)
    w.paragraph(view.local_authority, S.SUBTITLE)
    w.paragraph(INTRODUCTION)
    w.heading("About the meeting")
    rows: list[tuple[str, Cell]] = [("Date and time", view.held)]
    if view.mode:
        rows.append(("How it was held", view.mode))
    rows.append(("Chaired by", view.chair or "—"))
    rows.append(("Agencies taking part", "\n".join(view.agencies) or "—"))
    w.details(rows)
    w.heading("Children")
    if view.children:
        w.grid(
            ["Name", "Relationship", "Date of birth"],
            [list(c) for c in view.children],
            [45, 30, 25],
        )
    w.heading("Information that can be shared with you")
    if not view.items:
        w.paragraph("", empty="There is no information to share with you at this stage.")
    for item in view.items:
        w.heading(item.agency, 2)
        if item.nil_return:
            w.paragraph("This agency had no information to add.")
        w.paragraph(item.text)
    w.heading("Who will talk with you")
    w.details(
        [
            ("Who", view.contact_by or "Your social worker"),
            ("When", view.contact_when or "As soon as possible"),
        ]
    )
    w.heading("Keeping this summary safe")
    w.paragraph(FAMILY_CONFIDENTIALITY, S.CONFIDENTIAL)
    w.heading("Authorised by")
    rows = [("Chair", view.signed_by), ("Signed at", view.signed_at)]
    if signer is not None:
        rows += [
            (name, (value, S.FINGERPRINT) if name in FINGERPRINTS else value)
            for name, value in signer_rows(signer)
        ]
    w.details(rows)
    return w.to_bytes()
