"""Helpers for the record, family-copy and circulation tests: a chair's key, parts of a .docx."""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from s47desk.demo import load_demo
from s47desk.forms import FormRegistry
from s47desk.models import Meeting
from s47desk.protocol import Protocol
from s47desk.record.certificate import SigningIdentity, create_self_signed
from s47desk.record.export import signed_documents
from s47desk.signoff_check import FAMILY_COPY, RECORD

PASSPHRASE = "correct horse battery staple"
DEMO_SIGNED = 1  # the demo's complete, signed initial strategy discussion
DEMO_UNSIGNED = 2  # its review discussion, in progress


@dataclass(frozen=True)
class Chair:
    identity: SigningIdentity
    p12: Path


@cache
def chair() -> Chair:
    """One self-signed chair's certificate for the whole run (an RSA key takes a moment)."""
    folder = Path(tempfile.mkdtemp(prefix="s47-chair-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    p12 = folder / "chair.p12"
    identity = create_self_signed(
        p12,
        name="Priya Sandhu",
        role="Team manager",
        email="p.sandhu@northbridge.example",
        organisation="Northbridge City Council (fictional)",
        passphrase=PASSPHRASE.encode(),
    )
    return Chair(identity, p12)


def demo(session: Session, forms: FormRegistry, protocol: Protocol, today: date) -> list[int]:
    """The demo meetings, the complete one signed with the test chair's certificate."""
    return load_demo(session, forms, protocol, today, identity=chair().identity)


def parts(data: bytes) -> dict[str, bytes]:
    """Every part of a .docx package by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def xml_text(data: bytes) -> str:
    """All parts decoded (for "does this string appear anywhere in the package")."""
    return "\n".join(b.decode("utf-8", "replace") for b in parts(data).values())


def replace_part(data: bytes, name: str, new: bytes) -> bytes:
    """The package with one part's bytes replaced (a tampered copy)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, new if info.filename == name else src.read(info.filename))
    return out.getvalue()


def drop_parts(data: bytes, prefix: str) -> bytes:
    """The package without the parts whose names start with *prefix*."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if not info.filename.startswith(prefix):
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def signed_record(
    meeting: Meeting,
    identity: SigningIdentity,
    forms: FormRegistry,
    protocol: Protocol,
    *,
    family: bool = False,
    when: datetime | None = None,
) -> bytes:
    """The record (or family copy) s47desk makes at sign-off for *meeting*'s latest sign-off,
    signed by *identity* at *when* (now); what recipients receive."""
    documents = signed_documents(
        meeting,
        meeting.signoffs[-1],
        identity,
        when or datetime.now(UTC),
        forms=forms,
        protocol=protocol,
    )
    wanted = FAMILY_COPY if family else RECORD
    return next(d.data for d in documents if d.kind == wanted)
