"""For attack tests only: the database's own locks (triggers) removed, as an administrator with
full access could, so that what s47desk itself notices can be tested."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from s47desk.immutability import postgresql_drop_triggers
from s47desk.storage import Database


@contextmanager
def without_triggers(db: Database) -> Iterator[None]:
    """Drop s47desk's triggers for the block (they are not put back: the database is spoilt)."""
    with db.engine.begin() as connection:
        if db.is_sqlite:
            names = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 's47_%'")
            ).scalars()
            for name in list(names):
                connection.execute(text(f"DROP TRIGGER {name}"))
        else:
            for statement in postgresql_drop_triggers():
                connection.execute(text(statement))
    yield
