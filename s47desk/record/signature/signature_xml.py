"""Build sig1.xml: the three signed Objects in their final place, then SignedInfo signed.

The layout is the one Word, LibreOffice and Apache POI write (see ooxml-signatures.md), so
Word shows the signature in its Signatures pane.
"""

from __future__ import annotations

from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from s47desk.record.certificate import SigningIdentity
from s47desk.record.signature.canonical import (
    b64,
    c14n,
    relationships_c14n,
    sha256,
    xml_time,
)
from s47desk.record.signature.names import (
    C14N,
    CONTENT_TYPES_NAME,
    DS,
    DS_NS,
    MDSSI,
    MDSSI_NS,
    OBJECT_TYPE,
    OFFICE,
    OFFICE_NS,
    RELATIONSHIP_TRANSFORM,
    RSA_SHA256,
    SHA256,
    SIGNATURE_ID,
    SIGNED_PROPERTIES_TYPE,
    XADES,
    XADES_NS,
)
from s47desk.record.signature.package import CheckError, ContentTypes, Package, serialize, shown

# What to sign: part name -> Ids of the relationships to sign (relationships parts), or None.
Plan = dict[str, list[str] | None]


def signature_xml(
    package: Package, plan: Plan, identity: SigningIdentity, when: datetime, comment: str
) -> bytes:
    """Build sig1.xml: the Objects in their final place are digested, then SignedInfo signed."""
    root = etree.Element(DS + "Signature", nsmap={None: DS_NS}, Id=SIGNATURE_ID)
    signed_info = add(root, DS + "SignedInfo")
    add(signed_info, DS + "CanonicalizationMethod", Algorithm=C14N)
    add(signed_info, DS + "SignatureMethod", Algorithm=RSA_SHA256)
    signature_value = add(root, DS + "SignatureValue")
    x509_data = add(add(root, DS + "KeyInfo"), DS + "X509Data")
    for certificate in (identity.certificate, *identity.extra_certificates):
        add(x509_data, DS + "X509Certificate", b64(certificate.public_bytes(Encoding.DER)))

    package_object = _add_package_object(root, package, plan, when)
    office_object = _add_office_object(root, comment)
    signed_properties = _add_xades_object(root, identity.certificate, when)
    for target, kind in (
        (package_object, OBJECT_TYPE),
        (office_object, OBJECT_TYPE),
        (signed_properties, SIGNED_PROPERTIES_TYPE),
    ):
        reference = add(signed_info, DS + "Reference", Type=kind, URI="#" + target.get("Id"))
        if kind == SIGNED_PROPERTIES_TYPE:
            add(add(reference, DS + "Transforms"), DS + "Transform", Algorithm=C14N)
        _add_digest(reference, sha256(c14n(target)))

    value = identity.private_key.sign(c14n(signed_info), padding.PKCS1v15(), hashes.SHA256())
    signature_value.text = b64(value)
    return serialize(root)


def add(
    parent: etree._Element,
    tag: str,
    text: str | None = None,
    *,
    nsmap: dict[str | None, str] | None = None,
    **attributes: str,
) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes, nsmap=nsmap)
    element.text = text
    return element


def _add_digest(reference: etree._Element, digest: bytes) -> None:
    add(reference, DS + "DigestMethod", Algorithm=SHA256)
    add(reference, DS + "DigestValue", b64(digest))


def _add_package_object(
    root: etree._Element, package: Package, plan: Plan, when: datetime
) -> etree._Element:
    """The Object holding the Manifest: one Reference per signed part, plus the signing time."""
    package_object = add(root, DS + "Object", Id="idPackageObject")
    manifest = add(package_object, DS + "Manifest")
    types = ContentTypes.parse(package.content_types)
    for name, relationship_ids in sorted(plan.items()):
        content_type = types.of(name)
        if content_type is None:
            raise CheckError(f"{shown(name)} has no content type in {CONTENT_TYPES_NAME}.")
        reference = add(manifest, DS + "Reference", URI=f"{name}?ContentType={content_type}")
        if relationship_ids is None:
            _add_digest(reference, sha256(package.parts[name]))
            continue
        transforms = add(reference, DS + "Transforms")
        transform = add(transforms, DS + "Transform", Algorithm=RELATIONSHIP_TRANSFORM)
        for relationship_id in relationship_ids:
            add(
                transform,
                MDSSI + "RelationshipReference",
                nsmap={"mdssi": MDSSI_NS},
                SourceId=relationship_id,
            )
        add(transforms, DS + "Transform", Algorithm=C14N)
        _add_digest(reference, sha256(relationships_c14n(package.parts, name, relationship_ids)))

    properties = add(package_object, DS + "SignatureProperties")
    time_property = add(
        properties, DS + "SignatureProperty", Id="idSignatureTime", Target="#" + SIGNATURE_ID
    )
    signature_time = add(time_property, MDSSI + "SignatureTime", nsmap={"mdssi": MDSSI_NS})
    add(signature_time, MDSSI + "Format", "YYYY-MM-DDThh:mm:ssTZD")
    add(signature_time, MDSSI + "Value", xml_time(when))
    return package_object


def _add_office_object(root: etree._Element, comment: str) -> etree._Element:
    """SignatureInfoV1, which Word requires; the versions are Office's own so Word shows it."""
    office_object = add(root, DS + "Object", Id="idOfficeObject")
    details = add(
        add(office_object, DS + "SignatureProperties"),
        DS + "SignatureProperty",
        Id="idOfficeV1Details",
        Target="#" + SIGNATURE_ID,
    )
    info = add(details, OFFICE + "SignatureInfoV1", nsmap={None: OFFICE_NS})
    for name, text in (
        ("SetupID", ""),
        ("SignatureText", ""),
        ("SignatureImage", ""),
        ("SignatureComments", comment),
        ("WindowsVersion", "10.0"),
        ("OfficeVersion", "16.0"),
        ("ApplicationVersion", "16.0"),
        ("Monitors", "1"),
        ("HorizontalResolution", "1920"),
        ("VerticalResolution", "1080"),
        ("ColorDepth", "32"),
        ("SignatureProviderId", "{00000000-0000-0000-0000-000000000000}"),
        ("SignatureProviderUrl", ""),
        ("SignatureProviderDetails", "9"),
        ("ManifestHashAlgorithm", SHA256),
        ("SignatureType", "1"),
    ):
        add(info, OFFICE + name, text)
    return office_object


def _add_xades_object(
    root: etree._Element, certificate: x509.Certificate, when: datetime
) -> etree._Element:
    """XAdES SignedProperties binding the signing time and the signer's certificate."""
    qualifying = add(
        add(root, DS + "Object"),
        XADES + "QualifyingProperties",
        nsmap={"xd": XADES_NS},
        Target="#" + SIGNATURE_ID,
    )
    signed_properties = add(qualifying, XADES + "SignedProperties", Id="idSignedProperties")
    signature_properties = add(signed_properties, XADES + "SignedSignatureProperties")
    add(signature_properties, XADES + "SigningTime", xml_time(when))
    cert = add(add(signature_properties, XADES + "SigningCertificate"), XADES + "Cert")
    _add_digest(add(cert, XADES + "CertDigest"), sha256(certificate.public_bytes(Encoding.DER)))
    issuer_serial = add(cert, XADES + "IssuerSerial")
    add(issuer_serial, DS + "X509IssuerName", certificate.issuer.rfc4514_string())
    add(issuer_serial, DS + "X509SerialNumber", str(certificate.serial_number))
    policy = add(signature_properties, XADES + "SignaturePolicyIdentifier")
    add(policy, XADES + "SignaturePolicyImplied")
    return signed_properties
