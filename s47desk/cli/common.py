"""What every command shares: exit statuses, the usage error, ids, secrets and signing keys.

Passphrases and passwords come from a named environment variable or a prompt, never from the
command line (where other users could read them in the process list).
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from datetime import date
from typing import TYPE_CHECKING

from s47desk.errors import UserError

if TYPE_CHECKING:
    from s47desk.record.certificate import SigningIdentity

EXIT_OK, EXIT_NOT_READY, EXIT_BAD_INPUT = 0, 1, 2
EXIT_FAILED = 1  # a check that ran and failed (verify: invalid; circulate: sending stopped)
EXIT_INTERNAL = 70  # a defect in s47desk (EX_SOFTWARE)


class UsageError(UserError):
    """Bad input from the user: reported on stderr with exit status 2."""


def parse_date(text: str) -> date:
    """A date argument, exactly YYYY-MM-DD (argparse type)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date") from None


def meeting_id(text: str) -> int:
    if not text.isdigit():
        raise UsageError(f"{text!r} is not a meeting id (a number; see `s47desk list`)")
    return int(text)


def secret(env_var: str | None, prompt: str, what: str) -> str:
    """A secret from the environment variable *env_var*, else typed at a terminal."""
    if env_var:
        value = os.environ.get(env_var)
        if value is None:
            raise UsageError(f"the environment variable {env_var} (for the {what}) is not set")
        return value
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise UsageError(f"no terminal to ask for the {what}: give it in an environment variable")


def identity_from(p12: str, pass_env: str | None) -> SigningIdentity:
    """The signing key in *p12*, unlocked with its passphrase."""
    from pathlib import Path

    from s47desk.record.certificate import load_identity

    passphrase = secret(pass_env, f"Passphrase for {p12}: ", "certificate passphrase")
    return load_identity(Path(p12), passphrase.encode("utf-8"))
