"""The meeting file's JSON Schema as published (``s47desk schema``), without building it.

The file beside this module is generated from the models by ``meetingfile.schema.json_schema``
(a test keeps the two identical); reading it keeps ``s47desk schema`` free of SQLAlchemy.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("meeting-file.schema.json")


def schema_text() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")
