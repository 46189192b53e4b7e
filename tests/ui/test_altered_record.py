"""A signed record changed behind s47desk's back (its database locks removed, then a direct SQL
edit) is shown in the window as altered after signing, in red, naming what differs, and can
no longer be exported; the record as signed is never shown as if it were still whole."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from s47desk.storage import open_database
from tests.dbkit_triggers import without_triggers
from tests.factories import chris
from tests.ui.conftest import open_step
from tests.ui.sign_kit import ready_meeting


def test_a_signed_record_edited_in_the_database_shows_as_altered(qtbot: Any, window: Any) -> None:
    mid = ready_meeting(window)
    window.app.sign(mid, chris(), name="Chris Chair", role="Team manager")
    database = open_database(window.app.db.url)
    with without_triggers(database), database.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE decision SET rationale = 'changed' WHERE meeting_id = :m AND kind = 's47'"
            ),
            {"m": mid},
        )
    database.close()
    window.refresh_list()
    window.open_meeting(mid)
    [line] = window.view.notice.lines
    assert line.severity == "blocker"
    assert line.message.startswith("Altered after signing:")
    assert "the decision s47" in line.message and "do not rely on it" in line.message
    record = open_step(window, "sign").editor("signoff").record_panel
    assert not record.export_signed.isEnabled()
    assert "altered" in record.where.text().lower()
