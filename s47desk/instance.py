"""One window per database file: a second window on the same SQLite file is refused.

Two windows on one file would each keep their own unsaved edits and recovery journal for the
same meetings. The lock is an operating-system lock on a small file beside the database: the
system releases it when the holding process ends, so a window that crashed leaves nothing to
clear by hand and the next start takes over at once. The file names who holds it, for the
message. Commands that only read (list, check, export) do not take it.
"""

from __future__ import annotations

import getpass
import os
import socket
import sys
from pathlib import Path
from typing import IO

from s47desk.errors import UserError


class AlreadyOpen(UserError):
    """Another s47desk window holds this database file."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class InstanceLock:
    """Held from :meth:`acquire` until :meth:`release` (or the process ends)."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._handle: IO[str] | None = None

    def acquire(self, purpose: str = "the s47desk window") -> None:
        """Take the lock, or raise AlreadyOpen naming the file and who has it open."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        handle = os.fdopen(fd, "r+", encoding="utf-8")
        if not _try_lock(handle):
            holder = handle.read().strip() or "another s47desk window"
            handle.close()
            raise AlreadyOpen(
                f"{self.database} is already open in {holder}. Only one s47desk window may use "
                "a database file at a time: switch to that window, or close it first. (Commands "
                "that only read, such as `s47desk list`, still work.)"
            )
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"{purpose} (user {getpass.getuser()} on {socket.gethostname()}, process {os.getpid()})"
        )
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    _AT = 4096  # lock a byte past the holder's name, so others can still read who it is

    def _try_lock(handle: IO[str]) -> bool:
        handle.seek(_AT)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            handle.seek(0)
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(_AT)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
