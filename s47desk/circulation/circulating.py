"""Circulate a signed record: one email per agency with the signed record attached, logged.

For the window's Circulate button and ``s47desk circulate``. Writes the signed record and one
.eml draft per agency to a folder (every file atomically); with ``send=True`` also sends them
through the SMTP server in settings. Each agency reached is logged; the meeting becomes
"circulated" once every agency with an address has been sent the record.
"""

from __future__ import annotations

import base64
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from cryptography import x509
from sqlalchemy.orm import Session

from s47desk.amendments import Version, versions
from s47desk.atomic import atomic_write_bytes
from s47desk.circulation.digest import AgencyDigest, agency_digests, not_circulated
from s47desk.circulation.drafts import Letter, build_message, eml_bytes
from s47desk.circulation.log import DRAFT, SMTP, confirm_sent_by_hand, mark_circulated
from s47desk.circulation.smtp import SendError, SmtpServer, send_messages
from s47desk.deadlines import Deadline, meeting_deadlines
from s47desk.errors import UserError
from s47desk.forms import FormRegistry
from s47desk.graph import load
from s47desk.meetings import get_meeting
from s47desk.models import Circulation, Meeting, utcnow
from s47desk.protocol import Protocol
from s47desk.record.certificate_facts import certificate_sha1, thumbprint_text
from s47desk.record.export import BuiltRecord, Progress, RecordError, build_record
from s47desk.record.labels import due_date, uk_datetime, uk_time_from_utc
from s47desk.storage import Database

CIRCULATION_DEADLINE = "record_circulation_by"


class CirculationError(UserError):
    """Circulation was refused or failed; the message says why and what was done."""


@dataclass(frozen=True)
class AgencyOutcome:
    digest: AgencyDigest
    draft: Path | None
    sent: bool


@dataclass
class CirculationResult:
    record_path: Path
    record: BuiltRecord
    outcomes: list[AgencyOutcome]
    warnings: list[str] = field(default_factory=list)
    circulated: bool = False
    deadline: Deadline | None = None
    send_error: str = ""


def circulate(
    db: Database,
    meeting_id: int,
    outdir: str | Path,
    *,
    forms: FormRegistry,
    protocol: Protocol,
    send: bool = False,
    server: SmtpServer | None = None,
    password: str = "",
    ssl_context: ssl.SSLContext | None = None,
    sent_by: str = "",
    progress: Progress | None = None,
) -> CirculationResult:
    """Write the signed record and an email draft per agency into *outdir*; optionally send.

    The record attached is the signed file stored at sign-off, byte for byte: circulating needs
    no key, so business support can do it. Refuses (CirculationError) an unsigned or altered
    meeting, or sending without a server. Raises ExportError when the folder cannot be written (nothing is logged
    then). A send failure part-way is reported in ``send_error``: agencies already sent are
    logged, and the meeting is not marked circulated.
    """
    say = progress or (lambda _message: None)
    if send and server is None:
        raise CirculationError("No mail server is set: enter the SMTP server in settings.")
    with db.sessions() as session:
        meeting = _signed_meeting(session, meeting_id)
        try:
            record = build_record(session, meeting, forms=forms, protocol=protocol, progress=say)
        except RecordError as exc:
            raise CirculationError(str(exc)) from None
        digests = agency_digests(meeting)
        warnings = not_circulated(meeting)
        letter = _letter(meeting, record, forms, protocol, server, versions(session, meeting))
    folder = Path(outdir)
    record_path = folder / record.filename
    say(f"Writing {record_path.name}")
    atomic_write_bytes(record_path, record.data)
    messages: dict[int, EmailMessage] = {}
    outcomes: list[AgencyOutcome] = []
    for index, digest in enumerate(digests):
        if not digest.reachable:
            warnings.append(
                f"{digest.agency.label}: no email address recorded"
                + (f" for {', '.join(digest.without_email)}" if digest.without_email else "")
                + "; send the record by hand."
            )
            outcomes.append(AgencyOutcome(digest, None, False))
            continue
        for name in digest.without_email:
            warnings.append(
                f"{name} ({digest.agency.label}): no email address recorded; the draft goes to "
                "the rest of the agency, so send them the record by hand if they need it."
            )
        draft = build_message(letter, record, digest, draft=True)
        path = folder / f"{record.reference}-v{record.record_version}-{digest.agency.value}.eml"
        say(f"Writing {path.name}")
        atomic_write_bytes(path, eml_bytes(draft))
        messages[index] = build_message(letter, record, digest, draft=False) if send else draft
        outcomes.append(AgencyOutcome(digest, path, False))
    sent: set[int] = set()
    send_error = ""
    if send and server is not None and messages:
        order = list(messages)
        say(f"Sending {len(order)} email(s) through {server.host}")
        try:
            send_messages(
                [messages[i] for i in order],
                server,
                password,
                ssl_context=ssl_context,
                on_sent=lambda n: sent.add(order[n]),
            )
        except SendError as exc:
            send_error = str(exc)
    outcomes = [AgencyOutcome(o.digest, o.draft, i in sent) for i, o in enumerate(outcomes)]
    result = CirculationResult(record_path, record, outcomes, warnings, send_error=send_error)
    _log(db, meeting_id, record, messages, sent, sent_by, result, forms, protocol)
    return result


def _signed_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = load(session, meeting_id)
    if meeting is None:
        raise CirculationError(f"There is no meeting {meeting_id}.")
    if not meeting.is_locked:
        raise CirculationError(
            f"Meeting {meeting_id} is not signed: the chair must authorise the record (review "
            "and sign) before it is circulated."
        )
    return meeting


def _supersedes(meeting: Meeting, history: list[Version]) -> str:
    """For an amendment: which version it replaces, signed by whom and when, and why."""
    earlier = [v for v in history if v.record_version < meeting.record_version and v.signed_at]
    if not earlier:
        return ""
    last = earlier[-1]
    return (
        f"This is version {meeting.record_version} of the record. It supersedes version "
        f"{last.record_version}, signed by {last.signed_by} on {uk_time_from_utc(last.signed_at)}"  # type: ignore[arg-type]
        f". Reason for the amendment: {meeting.amendment_reason}"
    )


def _letter(
    meeting: Meeting,
    record: BuiltRecord,
    forms: FormRegistry,
    protocol: Protocol,
    server: SmtpServer | None,
    history: list[Version],
) -> Letter:
    form = forms.get(meeting.form_id) if meeting.form_id in forms else None
    deadlines = meeting_deadlines(meeting, protocol, form.implies_concerns if form else frozenset())
    signoff = meeting.signoffs[-1]
    certificate = x509.load_der_x509_certificate(base64.b64decode(signoff.certificate))
    return Letter(
        marking=protocol.protective_marking,
        sender=server.sender if server else "",
        chair=", ".join(x for x in (signoff.name, signoff.role) if x),
        local_authority=meeting.local_authority,
        held=uk_datetime(meeting.held_at),
        key_dates=tuple(
            f"{d.label}: {due_date(d.due)}"
            for d in sorted(deadlines.values(), key=lambda d: d.due)
            if d.key != CIRCULATION_DEADLINE and not d.done
        ),
        signer_sha256=record.signer_sha256 or "",
        signer_sha1=thumbprint_text(certificate_sha1(certificate)),
        signer_name=signoff.name,
        supersedes=_supersedes(meeting, history),
    )


def _log(
    db: Database,
    meeting_id: int,
    record: BuiltRecord,
    messages: dict[int, EmailMessage],
    sent: set[int],
    by: str,
    result: CirculationResult,
    forms: FormRegistry,
    protocol: Protocol,
) -> None:
    now = utcnow()
    with db.transaction() as session:
        # Agencies without an address are logged as prepared too ("draft", no recipients), so
        # that the chair can confirm sending the record to them by hand as well.
        for index, outcome in enumerate(result.outcomes):
            msg = messages.get(index)
            session.add(
                Circulation(
                    meeting_id=meeting_id,
                    agency=outcome.digest.agency,
                    recipients=", ".join(outcome.digest.emails),
                    method=SMTP if index in sent else DRAFT,
                    at=now,
                    by=by,
                    record_version=record.record_version,
                    content_fingerprint=record.content_fingerprint,
                    document_sha256=record.sha256,
                    signer_sha256=record.signer_sha256 or "",
                    message_id=str(msg["Message-ID"] or "") if msg is not None else "",
                )
            )
        meeting = get_meeting(session, meeting_id)
        if messages and set(messages) <= sent:
            mark_circulated(meeting)
            result.circulated = True
        session.flush()
        form = forms.get(meeting.form_id) if meeting.form_id in forms else None
        concerns = form.implies_concerns if form else frozenset()
        result.deadline = meeting_deadlines(meeting, protocol, concerns).get(CIRCULATION_DEADLINE)


def confirm_sent(
    db: Database, meeting_id: int, *, forms: FormRegistry, protocol: Protocol, by: str = ""
) -> Deadline | None:
    """Record that the chair sent the latest drafts from their own mail program.

    Marks the meeting circulated; returns its circulation deadline (now met). Raises
    CirculationError when the meeting is unsigned or no drafts were written.
    """
    with db.transaction() as session:
        meeting = _signed_meeting(session, meeting_id)
        try:
            confirm_sent_by_hand(session, meeting, by=by)
        except LookupError as exc:
            raise CirculationError(str(exc)) from None
        form = forms.get(meeting.form_id) if meeting.form_id in forms else None
        concerns = form.implies_concerns if form else frozenset()
        return meeting_deadlines(meeting, protocol, concerns).get(CIRCULATION_DEADLINE)
