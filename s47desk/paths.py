"""Where s47desk keeps its files: the data folder (database, backups, exports) and the
configuration folder (settings, local forms). Both are the user's own, readable by them only.

Kept apart from storage so that commands which never touch the database (``--version``,
``deadlines``) do not import SQLAlchemy to find a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "s47desk"


def data_dir() -> Path:
    """``S47DESK_DATA``, else the platform's user data folder (Linux: ~/.local/share/s47desk)."""
    return Path(os.environ.get("S47DESK_DATA") or platformdirs.user_data_path(APP, appauthor=False))


def config_dir() -> Path:
    """``S47DESK_CONFIG``, else the platform's user configuration folder."""
    return Path(
        os.environ.get("S47DESK_CONFIG") or platformdirs.user_config_path(APP, appauthor=False)
    )


def default_database_url() -> str:
    """``S47DESK_DB`` if set, else a SQLite file in the data folder."""
    return os.environ.get("S47DESK_DB") or f"sqlite:///{data_dir() / 's47desk.sqlite3'}"
