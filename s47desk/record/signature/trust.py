"""Whether the signer's certificate could sign then: validity, key usage, organisation CA.

Neither Apache POI nor Word's "valid" means any of this; a record whose certificate had
expired, may not sign, or falsely claims the organisation CA proves nothing about who signed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography import x509

from s47desk.record.ca import claims_issued_by, issuance_problem
from s47desk.record.certificate_facts import key_usage_problem, validity_problem


@dataclass(frozen=True)
class Trust:
    """`valid_at_signing`: None when the signing time is unknown. `issued_by_ca`: None when
    no organisation CA was given; False when given and it did not issue the certificate."""

    valid_at_signing: bool | None
    issued_by_ca: bool | None
    problems: list[str] = field(default_factory=list)


def judge_certificate(
    certificate: x509.Certificate, signed_at: datetime | None, ca: x509.Certificate | None
) -> Trust:
    problems = []
    valid_at_signing = None
    if signed_at is not None:
        expired = validity_problem(certificate, signed_at, what="The signing certificate")
        valid_at_signing = expired is None
        if expired:
            problems.append(expired)
    usage = key_usage_problem(certificate)
    if usage:
        problems.append(usage)
    issued_by_ca = None
    if ca is not None:
        issuance = issuance_problem(certificate, ca, signed_at or datetime.now(UTC))
        issued_by_ca = issuance is None
        # Not from this CA (e.g. self-signed) is "not validated"; a false claim is a lie.
        if issuance and claims_issued_by(certificate, ca):
            problems.append(issuance)
    return Trust(valid_at_signing, issued_by_ca, problems)
