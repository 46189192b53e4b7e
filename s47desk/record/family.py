"""The family copy: only text written for the family and confirmed by the chair, and nothing else.

Built in two steps so that leaking is structurally hard: :func:`family_view` copies the few
permitted strings out of the meeting into a :class:`FamilyView`; :func:`render_family` sees only
that view, never the meeting. What the view holds, conservatively:

* the meeting's date, how it was held, the local authority and who chaired it;
* the children of the family (subject, siblings, others in the household, unborn) with dates
  of birth: never children "in contact with the alleged abuser", who may be from other families;
* the agencies that took part, by agency only (no professional's name, role or email);
* "What the family will be told": the one text written for the family, which the chair
  confirmed at sign-off as fit to share.

Left out on purpose, because they are working notes written for professionals: every
information item (even one marked shareable: the family text says what the family is told of
it), the chair's "by whom" and "when" (a timing such as "after the police interview" can reveal
what was withheld), the reason for the discussion, immediate action, analysis, the child's own
words, decisions and their rationale, dissent, the action plan and key dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from s47desk import present
from s47desk.decisions import DECISION_BY_KEY, SHARED_WITH_FAMILY
from s47desk.errors import UserError
from s47desk.models import Meeting
from s47desk.record.context import FAMILY_CONFIDENTIALITY, RecordContext, Signer
from s47desk.record.labels import reference
from s47desk.record.signer_block import FINGERPRINTS, signer_rows
from s47desk.record.template import S
from s47desk.record.writer import Cell, Masthead, Properties, RecordWriter
from s47desk.vocab import Attendance, ChildRole

FAMILY_ROLES = (ChildRole.SUBJECT, ChildRole.SIBLING, ChildRole.HOUSEHOLD, ChildRole.UNBORN)
INTRODUCTION = (
    "Professionals from the agencies listed below met to talk about how to keep your children "
    "safe. This summary tells you what they agreed you should know. Your social worker will "
    "talk with you about what was discussed and what happens next."
)


class FamilyCopyRefused(UserError):
    """No family copy may be made (yet); the message says why in plain words."""


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
    summary: str  # "What the family will be told", as the chair confirmed it
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
    if decision is None or decision.choice not in SHARED_WITH_FAMILY:
        chosen = kind.option(decision.choice) if decision else None
        why = f"“{chosen.label}”" if chosen else "no decision"
        raise FamilyCopyRefused(
            f"No family copy: the discussion recorded {why} for “{kind.title}”."
        )
    if not meeting.family_summary.strip() or not meeting.family_summary_confirmed:
        raise FamilyCopyRefused(
            "No family copy: “What the family will be told” was not written and confirmed by "
            "the chair."
        )
    children = tuple(
        (
            c.name,
            c.role.label,
            present.day(c.date_of_birth, "—")
            if c.date_of_birth or not c.expected_date
            else f"Expected {present.day(c.expected_date)}",
        )
        for c in meeting.children
        if c.role in FAMILY_ROLES
    )
    agencies = tuple(
        dict.fromkeys(
            a.agency.label for a in meeting.attendees if a.attendance is Attendance.PRESENT
        )
    )
    return FamilyView(
        reference=reference(meeting),
        record_version=meeting.record_version,
        marking=ctx.protocol.protective_marking,
        local_authority=meeting.local_authority,
        held=present.moment(meeting.held_at),
        mode=meeting.mode.label if meeting.mode else "",
        chair=", ".join(x for x in (meeting.chair_name, meeting.chair_role) if x),
        children=children,
        agencies=agencies,
        summary=meeting.family_summary.strip(),
        signed_by=", ".join(x for x in (signoff.name, signoff.role) if x),
        signed_at=present.utc_moment(signoff.signed_at),
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
    w.heading("What we want you to know")
    w.paragraph(view.summary)
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
