"""Which file a SQLite database URL names (also one written as a URI), if any."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL


def file_of(url: URL) -> Path | None:
    """The database file of a SQLite URL (also one written as a URI), or None."""
    name = url.database if url.get_backend_name() == "sqlite" else None
    if not name or name == ":memory:" or "mode=memory" in name:
        return None
    if name.startswith("file:"):
        name = name.removeprefix("file:").split("?", 1)[0]
    return Path(name)
