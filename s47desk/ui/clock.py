"""The meeting clock: elapsed time and time per agenda step, while the clock runs.

Kept in memory for the session (a chair pauses it for a break); it is not part of the record.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

TICK_MS = 1000  # one tick a second while the clock runs


def hms(seconds: float) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}"


class MeetingClock(QObject):
    ticked = Signal()
    running_changed = Signal(bool)

    def __init__(self, steps: int, parent: QObject | None = None, now=time.monotonic) -> None:
        super().__init__(parent)
        self._now = now
        self.per_step = [0.0] * steps
        self.elapsed = 0.0
        self.step = 0
        self._since: float | None = None
        self.ticks = 0  # timer ticks delivered (the soak test counts them)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._since is not None

    def _bank(self) -> None:
        if self._since is not None:
            now = self._now()
            spent = now - self._since
            self.elapsed += spent
            self.per_step[self.step] += spent
            self._since = now

    def start(self) -> None:
        if self._since is None:
            self._since = self._now()
            self._timer.start(TICK_MS)
            self.running_changed.emit(True)
            self.ticked.emit()

    def pause(self) -> None:
        if self._since is not None:
            self._bank()
            self._since = None
            self._timer.stop()
            self.running_changed.emit(False)
            self.ticked.emit()

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def set_step(self, step: int) -> None:
        self._bank()
        self.step = step
        self.ticked.emit()

    def _tick(self) -> None:
        self.ticks += 1
        self._bank()
        self.ticked.emit()

    def text(self) -> str:
        return f"{hms(self.elapsed)} · this step {hms(self.per_step[self.step])}"
