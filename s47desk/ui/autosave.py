"""Autosave: every edit is committed within a second, with no Save button, off the GUI thread.

The first unsaved edit starts a single-shot timer that is *not* restarted by later edits, so
continuous typing is still committed every ``DELAY_MS``. The save itself runs on a worker
thread (a busy database or a slow server never freezes typing); its outcome comes back here and
goes through the core's SaveQueue, which keeps failed edits (and journals them) for the retry.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from s47desk.application import Application
from s47desk.saving import Batch, Outcome, SaveQueue

log = logging.getLogger(__name__)

DELAY_MS = 400  # well inside the one-second promise, even with a slow disk's commit
RETRY_MS = (2000, 5000, 10000, 30000)  # after a failed save: sooner first, then less often


class _Signals(QObject):
    done = Signal(object)


class _Save(QRunnable):
    def __init__(self, app: Application, batch: Batch, signals: _Signals) -> None:
        super().__init__()
        self.app, self.batch, self.signals = app, batch, signals

    def run(self) -> None:
        try:
            outcome = self.app.save(self.batch)
        except Exception as exc:  # a defect: keep the edits, say so without their content
            log.warning("save failed: %s", type(exc).__name__)
            outcome = Outcome(failed=f"s47desk could not save ({type(exc).__name__})")
        self.signals.done.emit(outcome)


class AutoSaver(QObject):
    """Saves *queue* shortly after each edit; says how it went, truthfully."""

    finished = Signal(object)  # Outcome, after the queue has taken it back
    state_changed = Signal()

    def __init__(self, app: Application, queue: SaveQueue, parent: QObject | None = None):
        super().__init__(parent)
        self.app = app
        self.queue = queue
        self.last_saved: datetime | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._done)
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.save_soon)
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self.save_soon)
        self._failures = 0

    @property
    def dirty(self) -> bool:
        """Something typed is not in the database yet."""
        return self.queue.dirty

    @property
    def failing(self) -> str:
        return self.queue.failing

    def mark_dirty(self) -> None:
        if not self._timer.isActive() and not self._retry.isActive():
            self._timer.start()

    def save_soon(self) -> None:
        """Start a save on the worker thread (unless one is in flight already)."""
        self._timer.stop()
        batch = self.queue.take()
        if batch is not None:
            self.pool.start(_Save(self.app, batch, self._signals))
            self.state_changed.emit()

    def save_now(self) -> bool:
        """Save everything now and wait for it (closing, signing); True when all is stored."""
        self._timer.stop()
        self._retry.stop()
        self.pool.waitForDone()
        from PySide6.QtCore import QCoreApplication

        QCoreApplication.sendPostedEvents(self, 0)  # the outcome of the save that was in flight
        batch = self.queue.take()
        if batch is not None:
            self._done(self.app.save(batch))
        return not self.queue.dirty and not self.queue.failing

    def _done(self, outcome: Outcome) -> None:
        outcome = self.queue.finished(outcome)
        if outcome.failed:
            self._failures += 1
            delay = RETRY_MS[min(self._failures, len(RETRY_MS)) - 1]
            self._retry.start(delay)
            log.warning("autosave failed; retrying in %d s", delay // 1000)
        else:
            self._failures = 0
            self._retry.stop()
            if outcome.saved is not None:
                self.last_saved = datetime.now()
            if self.queue.pending:  # typed while the save was in flight
                self._timer.start()
        self.finished.emit(outcome)
        self.state_changed.emit()

    def retry_in(self) -> int:
        """Seconds until the next attempt after a failure (0 when none is planned)."""
        return max(0, self._retry.remainingTime() // 1000) if self._retry.isActive() else 0

    def stop(self) -> None:
        self._timer.stop()
        self._retry.stop()
        self.pool.waitForDone()
