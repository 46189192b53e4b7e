"""Write files so that a crash, a full disk or a read-only folder never destroys the previous file."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from s47desk.errors import UserError


class ExportError(UserError):
    """A file could not be written; the message names the file and says why in plain words."""


_WHY = {
    errno.ENOSPC: "the disk is full",
    errno.EACCES: "you do not have permission to write there",
    errno.EPERM: "you do not have permission to write there",
    errno.EROFS: "the disk is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a file of that name is in the way",
    errno.EEXIST: "a file of that name is in the way",
}


def _why(exc: OSError) -> str:
    return _WHY.get(exc.errno or 0, exc.strerror or str(exc))


def _explain(path: Path, exc: OSError) -> str:
    return f"Could not write {path}: {_why(exc)}. Any earlier file there was left as it was."


def make_folder(folder: str | os.PathLike[str]) -> Path:
    """Create *folder* and its parents, readable by their owner only, or raise ExportError
    saying why in plain words."""
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ExportError(f"Could not create the folder {path}: {_why(exc)}.") from None
    return path


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], mode: int = 0o600) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces *path* only once fully written and flushed to disk.

    The file is created readable by its owner only (records hold children's data).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(_explain(target, exc)) from exc
    tmp = Path(tmp_name)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(target)
        _fsync_folder(folder)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(_explain(target, exc)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, mode: int = 0o600) -> None:
    """Write *data* to *path* atomically (see atomic_writer)."""
    with atomic_writer(path, mode) as handle:
        handle.write(data)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only; Windows has no directory handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
