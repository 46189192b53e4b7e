"""Long operations (export, circulation) on a thread pool, so the window never freezes.

A task is a plain function taking ``progress`` (a callable for short messages); it must open its
own database session (sessions are not shared across threads). Results come back as signals on
the window's thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(str)
    done = Signal(object)
    failed = Signal(str)


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals) -> None:
        super().__init__()
        self.fn, self.signals = fn, signals

    def run(self) -> None:
        try:
            result = self.fn(progress=self.signals.progress.emit)
        except Exception as exc:  # reported to the user, never lost
            log.warning("background task failed: %s", type(exc).__name__)
            self.signals.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.signals.done.emit(result)


class TaskRunner(QObject):
    """Runs one task at a time and reports what it is doing (for the status bar)."""

    started = Signal(str)
    progress = Signal(str)
    finished = Signal(str)  # the final message
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.busy = False
        self._keep: list[_Signals] = []

    def run(
        self,
        title: str,
        fn: Callable[..., Any],
        on_done: Callable[[Any], str],
        on_failed: Callable[[str], str] | None = None,
        on_progress: Callable[[str], None] | None = None,
    ) -> bool:
        """Start *fn* in the background; False when another task is still running.

        *on_progress* also receives this task's messages (for progress shown beside the button
        that started it, not only in the status bar).
        """
        if self.busy:
            return False
        signals = _Signals()
        self._keep.append(signals)

        def finish(handler: Callable[[Any], str] | None, value: Any) -> None:
            # Never left "busy" for good, even if the handler itself fails.
            message = str(value)
            try:
                message = handler(value) if handler is not None else message
            finally:
                if isValid(self):  # its window may have closed while the task ran
                    self._keep.remove(signals)
                    self._set_busy(False)
                    self.finished.emit(message)

        signals.progress.connect(self.progress)
        if on_progress is not None:
            signals.progress.connect(on_progress)
        signals.done.connect(lambda result: finish(on_done, result))
        signals.failed.connect(lambda error: finish(on_failed, error))
        self._set_busy(True)
        self.started.emit(title)
        self.pool.start(_Task(fn, signals))
        return True

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
