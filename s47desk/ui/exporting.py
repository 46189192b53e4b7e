"""Export the signed record (full or family copy) in the background, into the export folder.

Calls the record module's ``build_record`` on a worker thread with its own session, then writes
the file atomically; the window shows progress and stays responsive.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from s47desk.storage import data_dir
from s47desk.ui.document import MeetingDocument


def export_folder(settings: Any) -> Path:
    folder = getattr(settings, "export_folder", "") if settings is not None else ""
    return Path(folder) if folder else data_dir() / "exports"


def start_export(doc: MeetingDocument, *, family: bool, report: Callable[[str], None]) -> bool:
    """Start exporting; *report* receives the outcome (or why it could not start)."""
    try:
        from s47desk.atomic import atomic_write_bytes
        from s47desk.record.export import build_record
    except ImportError:
        report("Exporting the Word record is not available in this build.")
        return False
    if doc.tasks is None:
        report("No background worker is available.")
        return False
    db, meeting_id, forms, protocol = doc.db, doc.meeting_id, doc.forms, doc.protocol
    folder = export_folder(doc.settings)

    def work(progress: Callable[[str], None]) -> Path:
        from s47desk.meetings import get_meeting

        with db.sessions() as session:
            meeting = get_meeting(session, meeting_id)
            record = build_record(
                meeting, forms=forms, protocol=protocol, family=family, progress=progress
            )
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / record.filename
        progress(f"Writing {path.name}")
        atomic_write_bytes(path, record.data)
        return path

    def done(path: Path) -> str:
        message = f"Saved {path.name} in {path.parent}"
        report(message)
        return message

    def failed(error: str) -> str:
        message = f"Not exported: {error}"
        report(message)
        return message

    started = doc.tasks.run(
        "Exporting the family copy" if family else "Exporting the record", work, done, failed
    )
    if not started:
        report("Another export is still running; try again when it has finished.")
    return started
