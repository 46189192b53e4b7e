"""Before signing: the certificate must name the chair, be valid, may sign, and not lie about
its CA. Real certificates from cryptography's builder (tests/certkit.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from s47desk.record.certificate import SigningError
from s47desk.record.certificate_fit import check_certificate_fits, load_ca_certificate
from tests import certkit
from tests.certkit import NOW

CHAIR = "Priya Sandhu"


@pytest.fixture(scope="module")
def ca() -> certkit.Authority:
    return certkit.organisation_ca()


def test_the_chairs_own_certificate_fits_ignoring_case_and_spacing() -> None:
    identity = certkit.identity("priya   SANDHU")

    check_certificate_fits(identity, chair_name=" Priya Sandhu ", at=NOW)


def test_a_certificate_in_another_name_is_refused() -> None:
    identity = certkit.identity("Sam Deputy")

    with pytest.raises(SigningError, match=r"in the name of Sam Deputy.*Priya Sandhu signs it"):
        check_certificate_fits(identity, chair_name=CHAIR, at=NOW)


def test_a_name_that_only_contains_the_chairs_is_refused() -> None:
    identity = certkit.identity("Priya Sandhu-Evans")

    with pytest.raises(SigningError, match="in the name of Priya Sandhu-Evans"):
        check_certificate_fits(identity, chair_name=CHAIR, at=NOW)


def test_signing_on_the_chairs_behalf_needs_the_delegates_certificate() -> None:
    deputy = certkit.identity("Sam Deputy")
    statement = "Sam Deputy on behalf of Priya Sandhu"

    check_certificate_fits(deputy, chair_name=CHAIR, on_behalf_of=statement, at=NOW)
    with pytest.raises(SigningError, match=r"in the name of Priya Sandhu.*Sam Deputy signs it"):
        check_certificate_fits(
            certkit.identity(CHAIR), chair_name=CHAIR, on_behalf_of=statement, at=NOW
        )


def test_on_behalf_of_must_name_the_meetings_chair() -> None:
    deputy = certkit.identity("Sam Deputy")

    with pytest.raises(SigningError, match=r"on behalf of Alex Other.*chaired by Priya Sandhu"):
        check_certificate_fits(
            deputy, chair_name=CHAIR, on_behalf_of="Sam Deputy on behalf of Alex Other", at=NOW
        )
    with pytest.raises(SigningError, match="<signer> on behalf of <chair>"):
        check_certificate_fits(deputy, chair_name=CHAIR, on_behalf_of="Sam Deputy", at=NOW)


def test_a_meeting_without_a_chair_cannot_be_signed() -> None:
    with pytest.raises(SigningError, match="records no chair"):
        check_certificate_fits(certkit.identity(CHAIR), chair_name="  ", at=NOW)


def test_an_expired_certificate_is_refused_with_both_dates() -> None:
    identity = certkit.identity(
        CHAIR, valid_from=NOW - timedelta(days=400), valid_to=NOW - timedelta(days=1)
    )
    before = identity.certificate.not_valid_before_utc
    after = identity.certificate.not_valid_after_utc

    with pytest.raises(SigningError, match="had expired") as caught:
        check_certificate_fits(identity, chair_name=CHAIR, at=NOW)

    message = str(caught.value)
    assert f"{before.day} {before:%B %Y}" in message
    assert f"{after.day} {after:%B %Y}" in message


def test_a_certificate_not_yet_valid_is_refused() -> None:
    identity = certkit.identity(
        CHAIR, valid_from=NOW + timedelta(days=2), valid_to=NOW + timedelta(days=400)
    )

    with pytest.raises(SigningError, match="not yet valid"):
        check_certificate_fits(identity, chair_name=CHAIR, at=NOW)
    check_certificate_fits(identity, chair_name=CHAIR, at=NOW + timedelta(days=3))


def test_a_certificate_that_may_not_sign_is_refused() -> None:
    identity = certkit.identity(CHAIR, usage=certkit.ENCRYPTION_ONLY)

    with pytest.raises(SigningError, match="may not be used for digital signatures"):
        check_certificate_fits(identity, chair_name=CHAIR, at=NOW)


@pytest.mark.parametrize(
    "usage",
    [
        None,  # no KeyUsage extension: RFC 5280 reads it as any use
        x509.KeyUsage(False, True, False, False, False, False, False, False, False),
    ],
    ids=["no-key-usage", "non-repudiation-only"],
)
def test_key_usages_that_permit_signing(usage: x509.KeyUsage | None) -> None:
    check_certificate_fits(certkit.identity(CHAIR, usage=usage), chair_name=CHAIR, at=NOW)


def test_a_certificate_the_organisation_ca_issued_fits(ca: certkit.Authority) -> None:
    identity = certkit.identity(CHAIR, issued_by=ca)

    check_certificate_fits(identity, chair_name=CHAIR, at=NOW, ca=ca.certificate)


def test_a_certificate_falsely_claiming_the_ca_is_refused(ca: certkit.Authority) -> None:
    forged = certkit.identity(CHAIR, claimed_issuer=ca.certificate.subject)

    with pytest.raises(SigningError, match="does not verify"):
        check_certificate_fits(forged, chair_name=CHAIR, at=NOW, ca=ca.certificate)


def test_a_certificate_from_another_ca_with_the_same_name_is_refused(
    ca: certkit.Authority,
) -> None:
    lookalike = certkit.organisation_ca()  # the same name, another key
    identity = certkit.identity(CHAIR, issued_by=lookalike)

    assert identity.certificate.issuer == ca.certificate.subject
    with pytest.raises(SigningError, match="does not verify"):
        check_certificate_fits(identity, chair_name=CHAIR, at=NOW, ca=ca.certificate)


def test_a_ca_that_had_expired_when_signing_is_refused() -> None:
    old = certkit.organisation_ca(
        valid_from=NOW - timedelta(days=800), valid_to=NOW - timedelta(days=1)
    )
    identity = certkit.identity(CHAIR, issued_by=old)

    with pytest.raises(SigningError, match=r"organisation CA certificate .* had expired"):
        check_certificate_fits(identity, chair_name=CHAIR, at=NOW, ca=old.certificate)


def test_a_self_signed_certificate_is_not_refused_for_a_ca_it_does_not_claim(
    ca: certkit.Authority,
) -> None:
    check_certificate_fits(certkit.identity(CHAIR), chair_name=CHAIR, at=NOW, ca=ca.certificate)


def test_the_signing_time_must_carry_a_time_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        check_certificate_fits(
            certkit.identity(CHAIR), chair_name=CHAIR, at=NOW.replace(tzinfo=None)
        )


# --------------------------------------------------------------------------- the CA file


def test_ca_certificate_loads_from_pem_and_der(ca: certkit.Authority, tmp_path: Path) -> None:
    pem, der = tmp_path / "ca.pem", tmp_path / "ca.cer"
    pem.write_bytes(ca.certificate.public_bytes(Encoding.PEM))
    der.write_bytes(ca.certificate.public_bytes(Encoding.DER))

    assert load_ca_certificate(pem) == ca.certificate
    assert load_ca_certificate(der) == ca.certificate


def test_ca_file_errors_are_plain(ca: certkit.Authority, tmp_path: Path) -> None:
    text, two, leaf = tmp_path / "notes.pem", tmp_path / "two.pem", tmp_path / "leaf.pem"
    text.write_text("not a certificate")
    two.write_bytes(ca.certificate.public_bytes(Encoding.PEM) * 2)
    leaf.write_bytes(certkit.identity(CHAIR).certificate.public_bytes(Encoding.PEM))

    with pytest.raises(SigningError, match="does not exist"):
        load_ca_certificate(tmp_path / "missing.pem")
    with pytest.raises(SigningError, match="not a certificate file"):
        load_ca_certificate(text)
    with pytest.raises(SigningError, match="holds 2 certificates"):
        load_ca_certificate(two)
    with pytest.raises(SigningError, match="not a CA certificate"):
        load_ca_certificate(leaf)
