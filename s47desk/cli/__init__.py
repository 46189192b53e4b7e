"""The s47desk command line: the same application the window uses, for scripting and checking.

Bad input prints a message naming the problem on stderr and exits 2, having written nothing.
A defect exits 70 with a plain message and a crash report that holds no case data.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

from s47desk.cli.common import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, UsageError
from s47desk.cli.parser import build_parser, command_named
from s47desk.errors import UserError

__all__ = ["main"]


def _in_memory(url: str | None) -> bool:
    if not url:
        return False
    plain = url.split("?", 1)[0]
    return plain in ("sqlite://", "sqlite:///:memory:", "sqlite+pysqlite://") or (
        "mode=memory" in url
    )


def _quiet_stdout() -> None:
    """The reader went away (``s47desk list | head``): stop writing, say nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is loaded
    try:
        from s47desk.ui.selftest import run_self_test
    except ImportError as exc:
        print(
            f"s47desk: the self-test needs the window, which cannot start here ({exc}). "
            "On Debian or Ubuntu: apt install libgl1 libegl1 fontconfig-config fonts-dejavu-core",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    return int(run_self_test())


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        return _self_test()
    command = command_named(args.command)
    if command.name != "window":
        # A command runs for a moment and makes no lasting garbage: the cyclic collector,
        # run again and again over every module it imports, cost a tenth of `list`.
        gc.disable()
    try:
        from s47desk.application import Application

        if command.stores and _in_memory(args.db):
            raise UsageError(
                f"--db {args.db} is an in-memory database: nothing written there would be "
                "kept. Give a database file (sqlite:///path/to/file.sqlite3) or a PostgreSQL URL."
            )
        app = Application.open(db_url=args.db, protocol_file=args.protocol, forms_dir=args.forms)
        for problem in app.problems:
            print(f"s47desk: warning: {problem}", file=sys.stderr)
        try:
            code = command.run(app, args)
            sys.stdout.flush()
            return code
        finally:
            app.close()
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except UserError as exc:
        print(f"s47desk: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("s47desk: stopped.", file=sys.stderr)
        return 130
    except Exception as exc:  # a defect: report it without the data it touched
        from s47desk.crash import describe_crash

        print(describe_crash(exc), file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
