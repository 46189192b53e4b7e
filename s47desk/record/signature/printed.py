"""What the record's body says about its signer, checked against the certificate that signed.

The body is signed, so a forger who re-signs a record with another key must either leave the
genuine fingerprints in the body (caught here) or change the body (caught by the digests, or
by a pinned fingerprint). A body that names no certificate is not checked.
"""

from __future__ import annotations

import re

from cryptography import x509
from lxml import etree

from s47desk.record import signer_block
from s47desk.record.certificate import certificate_sha256
from s47desk.record.certificate_facts import (
    bare_hex,
    certificate_sha1,
    issuer_description,
    same_name,
    subject_name,
)
from s47desk.record.signature.names import OFFICE_DOCUMENT_REL, PACKAGE_RELS
from s47desk.record.signature.package import Package, parse_xml, relationships, resolve

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Family copies before the signer block: "Digital signature | Name (certificate SHA-256 hex)".
_LEGACY_LABEL = "Digital signature"
_LEGACY_SHA256 = re.compile(r"SHA-256\s+([0-9a-fA-F]{64})\b")


def printed_signer(package: Package) -> dict[str, list[str]]:
    """Label -> the values the main document prints in two-column rows under that label."""
    found: dict[str, list[str]] = {}
    for rel in relationships(package.parts, PACKAGE_RELS):
        name = resolve("/", rel.target)
        if rel.type != OFFICE_DOCUMENT_REL or rel.external or name not in package.parts:
            continue
        for row in parse_xml(package.parts[name], name).iter(_W + "tr"):
            cells = list(row.iterchildren(_W + "tc"))
            if len(cells) >= 2:
                found.setdefault(_text(cells[0]), []).append(_text(cells[1]))
    return found


def printed_problems(package: Package, certificate: x509.Certificate) -> list[str]:
    """Each certificate fact the body prints that is not true of *certificate*."""
    printed = printed_signer(package)
    problems = []
    sha256, sha1 = certificate_sha256(certificate), certificate_sha1(certificate)
    legacy = [m[1] for v in printed.get(_LEGACY_LABEL, []) for m in _LEGACY_SHA256.finditer(v)]
    for value in printed.get(signer_block.SHA256, []) + legacy:
        if bare_hex(value) != sha256:
            problems.append(
                f"The record says it is signed with the certificate whose SHA-256 fingerprint is "
                f"{value}, but it was signed with the certificate {sha256}."
            )
    for value in printed.get(signer_block.SHA1, []):
        if bare_hex(value) != sha1:
            problems.append(
                f"The record says it is signed with the certificate whose SHA-1 thumbprint is "
                f"{value}, but it was signed with the certificate whose thumbprint is {sha1}."
            )
    name = subject_name(certificate)
    for value in printed.get(signer_block.SIGNED_BY, []):
        if not same_name(value, name):
            problems.append(
                f"The record names {value} as its digital signer, but the certificate that "
                f"signed it is in the name of {name}."
            )
    issuer = issuer_description(certificate)
    for value in printed.get(signer_block.ISSUED_BY, []):
        if not same_name(value, issuer):
            problems.append(
                f"The record says the signing certificate was issued by {value}, but it was "
                f"issued by {issuer}."
            )
    return problems


def _text(cell: etree._Element) -> str:
    paragraphs = ["".join(p.itertext()) for p in cell.iter(_W + "p")]
    return "\n".join(paragraphs).strip()
