"""No command: open the meeting window."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from s47desk.cli.common import EXIT_BAD_INPUT

if TYPE_CHECKING:
    from s47desk.application import Application


def run_window(app: Application, _args: argparse.Namespace) -> int:
    try:
        from s47desk.ui.app import run
    except ImportError as exc:
        print(
            f"The meeting window cannot start here ({exc}). Every other command works: see "
            "`s47desk --help`.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    return int(run(app))
