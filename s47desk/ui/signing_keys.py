"""The chair's signing key, unlocked with its passphrase only when a signed record is made.

Why keep it unlocked at all: the signed record is exported and then circulated a few minutes
apart, and asking for a long passphrase twice in a row invites a short one. So the unlocked key
stays in this window's memory for ``HOLD_MINUTES`` after it was last used, and is then dropped; it
is also dropped when the certificate in settings changes or the window closes. It never touches
the disk, and neither does the passphrase.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:  # cryptography: loaded when a key is first unlocked
    from s47desk.record.certificate import SigningIdentity

HOLD_MINUTES = 10


def _stamp(path: str) -> tuple[str, int, int] | None:
    """Which file, and which version of it: a replaced file is never served from memory."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size


class SigningKeys(QObject):
    """One unlocked identity at a time, forgotten after a quiet spell."""

    def __init__(self, parent: QObject | None = None, hold_ms: int = HOLD_MINUTES * 60_000):
        super().__init__(parent)
        self._identity: SigningIdentity | None = None
        self._stamp: tuple[str, int, int] | None = None
        self._timer = QTimer(self, singleShot=True, interval=hold_ms)
        self._timer.timeout.connect(self.forget)

    def cached(self, path: str) -> SigningIdentity | None:
        """The identity unlocked earlier from *path*, if it is still held (the hold restarts)."""
        if self._identity is None or self._stamp is None or self._stamp != _stamp(path):
            return None
        self._timer.start()
        return self._identity

    def unlock(self, path: str, passphrase: str) -> SigningIdentity:
        """Load the key from *path*; SigningError (plain words) for a wrong passphrase or file."""
        if not passphrase:
            from s47desk.record.certificate import SigningError

            raise SigningError("Enter the passphrase of your signing certificate.")
        from s47desk.record.certificate import load_identity

        identity = load_identity(Path(path), passphrase.encode("utf-8"))
        self._identity, self._stamp = identity, _stamp(path)
        self._timer.start()
        return identity

    def forget(self) -> None:
        self._timer.stop()
        self._identity = self._stamp = None

    @property
    def holding(self) -> bool:
        return self._identity is not None
