"""A command: its name, help, arguments and the function that runs it over the application."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from s47desk.application import Application

Run = Callable[["Application", argparse.Namespace], int]


def no_arguments(_parser: argparse.ArgumentParser) -> None:
    """For commands that take none."""


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Run
    arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
    stores: bool = False  # writes to the database: refused on an in-memory one
