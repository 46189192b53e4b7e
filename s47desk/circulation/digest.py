"""Who receives the record, grouped by agency, with each agency's own actions and due dates.

Every agency that took part, sent apologies or was absent receives the record (guidance 002:
"circulated ... to all parties"; absent agencies must be told). A referrer recorded under the
"Referrer" agency is not sent the full record: feedback to a non-professional referrer must
respect the child's confidentiality (guidance 002), so the chair gives it separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from s47desk.models import Meeting
from s47desk.record.labels import due_date
from s47desk.vocab import ActionStatus, Agency

NOT_CIRCULATED = frozenset({Agency.REFERRER})


@dataclass(frozen=True)
class DigestAction:
    number: int
    text: str
    owner: str
    due: date | None
    status: ActionStatus


@dataclass(frozen=True)
class AgencyDigest:
    """One agency's share of a circulation: whom to write to and what it has to do."""

    agency: Agency
    emails: tuple[str, ...]
    without_email: tuple[str, ...]  # names of its people with no email address recorded
    actions: tuple[DigestAction, ...]

    @property
    def reachable(self) -> bool:
        return bool(self.emails)


def agency_digests(meeting: Meeting) -> list[AgencyDigest]:
    """One digest per agency involved (attending or owning an action), in record order."""
    agencies: dict[Agency, None] = {}
    for attendee in meeting.attendees:
        agencies.setdefault(attendee.agency)
    for action in meeting.actions:
        if action.agency is not None:
            agencies.setdefault(action.agency)
    numbered = list(enumerate(meeting.actions, start=1))
    out = []
    for agency in agencies:
        if agency in NOT_CIRCULATED:
            continue
        people = [a for a in meeting.attendees if a.agency is agency]
        emails = tuple(dict.fromkeys(a.email.strip() for a in people if a.email.strip()))
        out.append(
            AgencyDigest(
                agency=agency,
                emails=emails,
                without_email=tuple(a.name or a.role for a in people if not a.email.strip()),
                actions=tuple(
                    DigestAction(n, a.text, a.owner, a.due, a.status)
                    for n, a in numbered
                    if a.agency is agency
                ),
            )
        )
    return out


def not_circulated(meeting: Meeting) -> list[str]:
    """People the record is deliberately not sent to, with why (for the chair to follow up)."""
    return [
        f"{a.name or a.role or a.agency.label} ({a.agency.label}): give feedback separately; "
        "the full record is not sent to a referrer"
        for a in meeting.attendees
        if a.agency in NOT_CIRCULATED
    ]


def digest_text(digest: AgencyDigest) -> str:
    """The agency's actions as plain text for an email body."""
    if not digest.actions:
        return f"There are no actions for {digest.agency.label} in this plan."
    lines = [f"Actions for {digest.agency.label}:"]
    for a in digest.actions:
        status = "" if a.status is ActionStatus.OPEN else f" [{a.status.label}]"
        owner = a.owner or "owner not recorded"
        lines.append(f"  {a.number}. {' '.join(a.text.split())}")
        lines.append(f"     Owner: {owner}. Due by: {due_date(a.due)}{status}")
    return "\n".join(lines)
