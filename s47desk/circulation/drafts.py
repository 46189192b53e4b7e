"""The email to one agency: marking in the subject, its actions in the body, the signed record.

Saved as an .eml with ``X-Unsent: 1`` it opens in Outlook as an unsent draft (and in
Thunderbird via "Edit as new"); the same message without that header is what SMTP sends.
The subject names the reference, never a child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from s47desk.circulation.digest import AgencyDigest, digest_text
from s47desk.models import utcnow
from s47desk.record.export import BuiltRecord
from s47desk.record.text import one_line, xml_safe

_MAIN, _SUB = "application", "vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Letter:
    """What every agency's email shares: who sends it and what the record is."""

    marking: str
    sender: str  # email address, may be empty for a draft
    chair: str  # name and role, for the signature block
    local_authority: str
    held: str  # e.g. "19 November 2026 at 14:30"
    key_dates: tuple[str, ...]
    signer_sha256: str
    signer_sha1: str = ""  # as LibreOffice shows it: spaced upper-case pairs
    signer_name: str = ""
    supersedes: str = ""  # for an amendment: which version it replaces, and why


def subject(letter: Letter, record: BuiltRecord) -> str:
    return one_line(
        f"{letter.marking}: Strategy discussion record – ref {record.reference} "
        f"(version {record.record_version})"
    )


def body(letter: Letter, record: BuiltRecord, digest: AgencyDigest) -> str:
    dates = "\n".join(f"  {d}" for d in letter.key_dates) or "  None recorded."
    la = f" ({letter.local_authority})" if letter.local_authority else ""
    supersedes = f"\n{letter.supersedes}\n" if letter.supersedes else ""
    text = f"""{letter.marking}

Dear colleagues,

Please find attached the signed record of the strategy discussion held on {letter.held}{la}, reference {record.reference}, record version {record.record_version}, authorised by {letter.chair}.
{supersedes}
{digest_text(digest)}

Key dates:
{dates}

How to check the record is genuine
The record is digitally signed by {letter.signer_name or letter.chair}. Its signing certificate has
  SHA-1 thumbprint:    {letter.signer_sha1 or "(not known)"}
  SHA-256 fingerprint: {letter.signer_sha256}
The fingerprint of its content is {record.content_fingerprint}.

- In Word: File > Info > View Signatures, then Signature Details > View: compare the thumbprint.
- In LibreOffice: File > Digital Signatures. "The certificate could not be validated" is
  expected for a personal certificate: it only means your computer does not know it. Open
  the certificate (View Certificate > Details) and compare its SHA-1 thumbprint with the one
  above. If they are the same, the record is the one the chair signed.
- If the signature shows as invalid or broken, or the thumbprint differs, do not rely on the
  copy: it has been changed since it was signed. Ask the chair for the record.

Please keep the record securely in your agency's case record. Information marked in it as not to be shared with the family must not be disclosed to them.

{letter.chair}
{letter.local_authority}

{letter.marking}
"""
    return xml_safe(text)


def build_message(
    letter: Letter, record: BuiltRecord, digest: AgencyDigest, *, draft: bool
) -> EmailMessage:
    """The message for one agency; *draft* marks it unsent for a mail program to open."""
    msg = EmailMessage()
    if draft:
        msg["X-Unsent"] = "1"
    if letter.sender:
        msg["From"] = letter.sender
    msg["To"] = ", ".join(digest.emails)
    msg["Subject"] = subject(letter, record)
    msg["Date"] = format_datetime(utcnow().replace(tzinfo=UTC))
    # An explicit domain: the default looks the host name up, which can hang and leaks it.
    msg["Message-ID"] = make_msgid(domain=letter.sender.rpartition("@")[2] or "s47desk.invalid")
    msg["Sensitivity"] = "Company-Confidential"  # Outlook: "Please treat this as Confidential"
    msg.set_content(body(letter, record, digest))
    msg.add_attachment(record.data, maintype=_MAIN, subtype=_SUB, filename=record.filename)
    return msg


def eml_bytes(msg: EmailMessage) -> bytes:
    """The message as an .eml file (CRLF line ends, as mail programs write them)."""
    return msg.as_bytes(policy=SMTP)
