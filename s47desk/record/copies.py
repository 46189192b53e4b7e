"""Both copies of a signed record into the meeting's folder, as one export (no Qt here).

The copies are the signed files stored at sign-off (s47desk.record.export): both are read and
checked before either is written, so a refusal leaves the folder exactly as it was. No key is
needed: business support exports and circulates what the chair signed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from s47desk.atomic import ExportError, atomic_write_bytes, make_folder
from s47desk.forms import FormRegistry
from s47desk.graph import load
from s47desk.protocol import Protocol
from s47desk.record.export import BuiltRecord, RecordError, build_record
from s47desk.storage import Database


@dataclass(frozen=True)
class Written:
    path: Path
    record: BuiltRecord


@dataclass(frozen=True)
class Exported:
    folder: Path
    record: Written
    family: Written | None
    no_family: str = ""  # why there is no family copy (the core's refusal, or a write failure)


def export_copies(
    db: Database,
    meeting_id: int,
    root: Path,
    *,
    forms: FormRegistry,
    protocol: Protocol,
    progress: Callable[[str], None],
) -> Exported:
    """The record and (when the core allows one) the family copy, in the meeting's folder."""
    refused = ""
    family: BuiltRecord | None = None
    with db.sessions() as session:
        meeting = load(session, meeting_id)
        if meeting is None:
            raise RecordError(f"There is no meeting {meeting_id}.")
        record = build_record(session, meeting, forms=forms, protocol=protocol, progress=progress)
        try:
            family = build_record(
                session, meeting, forms=forms, protocol=protocol, family=True, progress=progress
            )
        except RecordError as exc:
            refused = str(exc)
    folder = root / record.reference
    make_folder(folder)
    written = _write(folder, record, progress)  # a failure here: nothing was written
    family_written = None
    if family is not None:
        try:
            family_written = _write(folder, family, progress)
        except ExportError as exc:  # the record is written: say so, and why the copy is not
            refused = str(exc)
    return Exported(folder, written, family_written, refused)


def _write(folder: Path, record: BuiltRecord, progress: Callable[[str], None]) -> Written:
    path = folder / record.filename
    progress(f"Writing {path.name}")
    atomic_write_bytes(path, record.data)
    return Written(path, record)
