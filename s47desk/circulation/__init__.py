"""Circulating a signed record to the agencies: email drafts, optional sending, and the log.

The names below load their module when first used: importing the log or the mail settings
(``s47desk.circulation.log``, ``.smtp``) does not bring in the Word record and the
cryptography that circulating needs, so a meeting opens without them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from s47desk.circulation.circulating import (
        AgencyOutcome,
        CirculationError,
        CirculationResult,
        circulate,
        confirm_sent,
    )
    from s47desk.circulation.digest import AgencyDigest, agency_digests, digest_text
    from s47desk.circulation.log import history
    from s47desk.circulation.smtp import SendError, SmtpServer

_WHERE = {
    "AgencyOutcome": "circulating",
    "CirculationError": "circulating",
    "CirculationResult": "circulating",
    "circulate": "circulating",
    "confirm_sent": "circulating",
    "AgencyDigest": "digest",
    "agency_digests": "digest",
    "digest_text": "digest",
    "history": "log",
    "SendError": "smtp",
    "SmtpServer": "smtp",
}

__all__ = [
    "AgencyDigest",
    "AgencyOutcome",
    "CirculationError",
    "CirculationResult",
    "SendError",
    "SmtpServer",
    "agency_digests",
    "circulate",
    "confirm_sent",
    "digest_text",
    "history",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once
    return value
