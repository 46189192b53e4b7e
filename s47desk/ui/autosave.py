"""Autosave: every edit is committed within a second, with no Save button.

One small object (like qutebrowser's savemanager): the first unsaved edit starts a single-shot
timer that is *not* restarted by later edits, so continuous typing is still committed every
``DELAY_MS``. Each save is one transaction (a commit of the open meeting's session).
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from s47desk.lock import SignedRecordError

log = logging.getLogger(__name__)

DELAY_MS = 400  # well inside the one-second promise, even with a slow disk's commit


class AutoSaver(QObject):
    """Commits *session* shortly after each edit and says how it went."""

    saved = Signal(object)  # the local time of the save
    conflict = Signal(str)  # someone else changed the meeting; their version is now shown
    failed = Signal(str)  # the database refused (locked, full, gone); edits are still pending

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.dirty = False
        self.last_saved: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.save_now)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def mark_dirty(self) -> None:
        self.dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def save_now(self) -> bool:
        """Commit now; True when everything is stored."""
        self._timer.stop()
        if not self.dirty:
            return True
        try:
            self.session.commit()
        except (StaleDataError, SignedRecordError) as exc:
            self.session.rollback()
            self.dirty = False
            log.warning("autosave conflict: %s", type(exc).__name__)
            self.conflict.emit(
                "Someone else saved this meeting at the same time (or signed it). Their version "
                "is now shown; your last edits were not saved. Please check and re-enter them."
            )
            return False
        except OperationalError as exc:  # locked, disk full, server gone: worth retrying
            self.session.rollback()
            log.warning("autosave failed: %s", type(exc).__name__)
            reason = str(getattr(exc, "orig", "") or exc).splitlines()[0]
            self.failed.emit(f"Not saved yet: {reason}")
            return False
        except SQLAlchemyError as exc:  # the edit itself cannot be stored: do not retry it
            self.session.rollback()
            self.dirty = False
            log.warning("autosave refused: %s", type(exc).__name__)
            self.conflict.emit(
                "The last edit could not be stored and was undone; the saved version is shown."
            )
            return False
        self.dirty = False
        self.last_saved = datetime.now()
        self.saved.emit(self.last_saved)
        return True
