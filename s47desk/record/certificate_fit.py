"""Before signing: does this certificate fit the sign-off it is about to seal?

A signature that verifies still lies if the certificate names someone other than the person
the record says authorised it, had expired, may not sign, or falsely claims the organisation
CA. Refusing here, before anything is signed, keeps such a record from ever being made.
"""

from __future__ import annotations

import re
from datetime import datetime

from cryptography import x509

from s47desk.record.ca import claims_issued_by, issuance_problem, load_ca_certificate
from s47desk.record.certificate import SigningError, SigningIdentity, common_name
from s47desk.record.certificate_facts import key_usage_problem, same_name, validity_problem

__all__ = ["check_certificate_fits", "load_ca_certificate", "signing_for"]

_ON_BEHALF = re.compile(r"^\s*(?P<signer>.+?)\s+on\s+behalf\s+of\s+(?P<chair>.+?)\s*$", re.I)


def check_certificate_fits(
    identity: SigningIdentity,
    *,
    chair_name: str,
    on_behalf_of: str = "",
    at: datetime,
    ca: x509.Certificate | None = None,
) -> None:
    """Raise SigningError, saying why, unless *identity* may sign this sign-off at *at*.

    *chair_name*: the chair recorded on the meeting. The certificate's name (CN) must be the
    chair's, compared ignoring case and extra whitespace.

    *on_behalf_of*: empty when the chair signs personally. When someone else signs for the
    chair, the sign-off records it as "<signer> on behalf of <chair>" (e.g. "Jo Deputy on
    behalf of Priya Sandhu"); then <chair> must be the meeting's chair and the certificate
    must name <signer>. Nothing else allows a certificate in another name.

    *at*: the signing time (time-zone aware); the certificate must be valid then.

    *ca*: the organisation CA, if one is configured. A certificate that claims that CA as its
    issuer must verify against it. A certificate from elsewhere (e.g. self-signed) is not
    refused here: readers then pin its fingerprint instead.
    """
    if at.tzinfo is None:
        raise ValueError("at must carry a time zone")
    certificate = identity.certificate
    _check_name(certificate, signing_for(chair_name, on_behalf_of))
    for problem in (
        validity_problem(certificate, at, what="The signing certificate"),
        key_usage_problem(certificate),
    ):
        if problem:
            raise SigningError(problem)
    if ca is not None and claims_issued_by(certificate, ca):
        problem = issuance_problem(certificate, ca, at)
        if problem:
            raise SigningError(problem)


def signing_for(chair_name: str, on_behalf_of: str = "") -> str:
    """The name the certificate must carry: the chair's, or the delegate's (see above)."""
    if not chair_name.strip():
        raise SigningError("The meeting records no chair, so no one can sign its record.")
    if not on_behalf_of.strip():
        return chair_name
    match = _ON_BEHALF.match(on_behalf_of)
    if match is None:
        raise SigningError(
            "Record a signature made for the chair as “<signer> on behalf of <chair>”, "
            f"not “{on_behalf_of.strip()}”."
        )
    if not same_name(match["chair"], chair_name):
        raise SigningError(
            f"The sign-off says {match['signer']} signs on behalf of {match['chair']}, but the "
            f"meeting was chaired by {chair_name.strip()}."
        )
    return match["signer"]


def _check_name(certificate: x509.Certificate, expected: str) -> None:
    name = common_name(certificate)
    if name is None:
        raise SigningError("The signing certificate names no one (it has no common name, CN).")
    if not same_name(name, expected):
        raise SigningError(
            f"The signing certificate is in the name of {name}, but the record says "
            f"{expected.strip()} signs it. Sign with {expected.strip()}'s own certificate, or "
            "record who signs on the chair's behalf."
        )
