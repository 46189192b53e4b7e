"""The meeting clock: elapsed time and time per agenda step, while the clock runs.

Not part of the record. With a *store* (the window's settings file) the meeting's duration and
its time per step outlive a restart (kept under the meeting's uid, written every few seconds
while running, on every pause and step change, and on close); the clock comes back paused.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

TICK_MS = 1000  # one tick a second while the clock runs


def hms(seconds: float) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}"


class MeetingClock(QObject):
    ticked = Signal()
    running_changed = Signal(bool)

    def __init__(
        self,
        steps: int,
        parent: QObject | None = None,
        now: Callable[[], float] = time.monotonic,
        *,
        store: QSettings | None = None,
        key: str = "",
    ) -> None:
        super().__init__(parent)
        self._now = now
        self.per_step = [0.0] * steps
        self.elapsed = 0.0
        self.step = 0
        self._since: float | None = None
        self.ticks = 0  # timer ticks delivered (the soak test counts them)
        self._store, self._key = store, key
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self.load()

    # -- persistence --------------------------------------------------------------------------
    def _setting(self) -> str:
        return f"clock/{self._key}"

    def load(self) -> None:
        if self._store is None or not self._key:
            return
        raw = self._store.value(self._setting(), "")
        try:
            data = json.loads(str(raw)) if raw else {}
            per_step = [float(x) for x in data.get("per_step", [])]
            elapsed = float(data.get("elapsed", 0.0))
        except (ValueError, TypeError, AttributeError):
            return
        for i, seconds in enumerate(per_step[: len(self.per_step)]):
            self.per_step[i] = max(0.0, seconds)
        self.elapsed = max(elapsed, sum(self.per_step))

    def save(self) -> None:
        if self._store is None or not self._key:
            return
        self._bank()
        data = {"elapsed": round(self.elapsed, 1), "per_step": [round(x, 1) for x in self.per_step]}
        self._store.setValue(self._setting(), json.dumps(data))

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
            self.save()
            self.running_changed.emit(False)
            self.ticked.emit()

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def set_step(self, step: int) -> None:
        self._bank()
        self.step = step
        if self.running:
            self.save()
        self.ticked.emit()

    def _tick(self) -> None:
        self.ticks += 1
        self._bank()
        if self.ticks % 10 == 0:
            self.save()
        self.ticked.emit()

    def text(self) -> str:
        return f"{hms(self.elapsed)} · this step {hms(self.per_step[self.step])}"
