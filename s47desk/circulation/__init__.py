"""Circulating a signed record to the agencies: email drafts, optional sending, and the log."""

from s47desk.circulation.circulate import (
    AgencyOutcome,
    CirculationError,
    CirculationResult,
    circulate,
    confirm_sent,
)
from s47desk.circulation.digest import AgencyDigest, agency_digests, digest_text
from s47desk.circulation.log import history
from s47desk.circulation.smtp import SendError, SmtpServer

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
