"""PySide6's import hook, asked the same question more cheaply.

Once PySide6 is loaded, every module imported after it is checked for whether it uses PySide6
(for its ``__feature__`` switching) by ``inspect.getsource``: each module's whole source is
tokenised and kept in ``linecache`` for good. For SQLAlchemy and the rest of the window that
was a tenth of a second at start and 18 MiB never given back. The same answer comes from
looking for the same word in the file's bytes, kept nowhere. Anything else (no source file,
a PySide6 without this hook) is left to PySide6 exactly as it was.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

_MARK = "_s47desk_reads_bytes"


def _reading_bytes(upstream: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return upstream(module)
        try:
            return b"PySide6" in Path(path).read_bytes()
        except OSError:
            return upstream(module)

    setattr(uses_pyside, _MARK, True)
    return uses_pyside


def install() -> bool:
    """Put the cheaper check in place (once); False if this PySide6 has no such hook."""
    import PySide6  # noqa: F401  (loads shiboken, which brings the hook)

    feature = sys.modules.get("shibokensupport.feature")
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(upstream):
        return False
    if not getattr(upstream, _MARK, False):
        feature._mod_uses_pyside = _reading_bytes(upstream)  # type: ignore[attr-defined]
    return True
