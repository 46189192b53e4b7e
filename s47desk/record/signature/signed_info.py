"""The signature value over SignedInfo, and the digest of each section SignedInfo references."""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from s47desk.record.signature.canonical import c14n, sha256, unb64
from s47desk.record.signature.names import C14N, DS, RSA_SHA256
from s47desk.record.signature.package import CheckError
from s47desk.record.signature.xmldsig import (
    SECTION_NAMES,
    algorithm,
    elements_by_id,
    stated_sha256,
    transform_algorithms,
)


def check_signed_info(
    root: etree._Element, certificate: x509.Certificate, problems: list[str]
) -> dict[str, etree._Element]:
    """Verify the RSA signature over SignedInfo and the digest of each section it references.

    Returns the referenced sections by Id. A failed digest is recorded as a problem but the
    section is still returned, so that later checks can also say what else changed.
    """
    signed_info = root.find(DS + "SignedInfo")
    if signed_info is None:
        raise CheckError("The signature has no SignedInfo section.")
    if algorithm(signed_info, DS + "CanonicalizationMethod") != C14N:
        raise CheckError("The signature uses a canonicalisation method s47desk does not accept.")
    if algorithm(signed_info, DS + "SignatureMethod") != RSA_SHA256:
        raise CheckError("The signature is not RSA with SHA-256, which s47desk requires.")
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise CheckError("The signer's certificate does not hold an RSA key.")
    try:
        value = unb64(root.findtext(DS + "SignatureValue"))
        public_key.verify(value, c14n(signed_info), padding.PKCS1v15(), hashes.SHA256())
    except (ValueError, InvalidSignature):
        problems.append(
            "The signature value does not match: the signature was altered after signing "
            "or was not made with the certificate it contains."
        )
    by_id = elements_by_id(root)
    referenced: dict[str, etree._Element] = {}
    for reference in signed_info.iterchildren(DS + "Reference"):
        uri = reference.get("URI", "")
        target = by_id.get(uri[1:]) if uri.startswith("#") else None
        section = SECTION_NAMES.get(uri[1:], f"the section {uri!r}")
        if target is None:
            problems.append(f"The signature refers to {section}, which is missing.")
            continue
        referenced[uri[1:]] = target
        if transform_algorithms(reference) not in ([], [C14N]):
            problems.append(f"The signature processes {section} in a way s47desk does not accept.")
        elif sha256(c14n(target)) != stated_sha256(reference):
            problems.append(f"Part of the signature ({section}) was changed after signing.")
    return referenced
