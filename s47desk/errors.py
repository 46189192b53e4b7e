"""The one kind of error a front end shows the user in plain words (and the command line
reports with exit status 2): every refusal and every problem the user can put right derives
from :class:`UserError`. Anything else is a defect, reported without the data it touched."""

from __future__ import annotations


class UserError(Exception):
    """A refusal or problem described for the person using s47desk; nothing was half-done."""


class SigningError(UserError):
    """A record could not be signed; the message says why in plain words.

    (Here, not beside the signing code, so that the window can catch it without loading the
    cryptography until a key is unlocked.)"""
