"""Word-compatible package signatures for .docx records: XML-DSig + XAdES, RSA/SHA-256.

The format follows ECMA-376 Part 2 as Word, LibreOffice and Apache POI write it. The signature
covers every part and relationship of the record except the document properties (author,
title, dates), which the format never signs: anything that must be protected belongs in the body.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import os
import posixpath
import zipfile
import zlib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from s47desk.record.certificate import (
    SigningError,
    SigningIdentity,
    certificate_sha256,
    common_name,
)

_DS_NS = "http://www.w3.org/2000/09/xmldsig#"
_XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"
_MDSSI_NS = "http://schemas.openxmlformats.org/package/2006/digital-signature"
_OFFICE_NS = "http://schemas.microsoft.com/office/2006/digsig"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_DS, _XADES, _MDSSI, _OFFICE, _RELS, _TYPES = (
    f"{{{ns}}}" for ns in (_DS_NS, _XADES_NS, _MDSSI_NS, _OFFICE_NS, _RELS_NS, _TYPES_NS)
)

_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
_RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
_RELATIONSHIP_TRANSFORM = "http://schemas.openxmlformats.org/package/2006/RelationshipTransform"
_OBJECT_TYPE = "http://www.w3.org/2000/09/xmldsig#Object"
_SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"

_ORIGIN_CONTENT_TYPE = "application/vnd.openxmlformats-package.digital-signature-origin"
_SIGNATURE_CONTENT_TYPE = (
    "application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml"
)

_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_ORIGIN_REL = _PACKAGE_REL + "digital-signature/origin"
_SIGNATURE_REL = _PACKAGE_REL + "digital-signature/signature"
_THUMBNAIL_REL = _PACKAGE_REL + "metadata/thumbnail"
# Package relationships that a signature never covers: document properties and the origin.
_UNSIGNED_PACKAGE_RELS = frozenset(
    {
        _PACKAGE_REL + "metadata/core-properties",
        "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
        _OFFICE_REL + "extended-properties",
        _OFFICE_REL + "custom-properties",
        _ORIGIN_REL,
    }
)

_CONTENT_TYPES_NAME = "[Content_Types].xml"
_PACKAGE_RELS = "/_rels/.rels"
_ORIGIN_PART = "/_xmlsignatures/origin.sigs"
_SIGNATURE_PART = "/_xmlsignatures/sig1.xml"
_SIGNATURE_ID = "idPackageSignature"
_MAX_COMMENT = 255  # SignatureComments in [MS-OFFCRYPTO]
_SECTION_NAMES = {
    "idPackageObject": "the list of signed parts",
    "idOfficeObject": "the Word signature details",
    "idSignedProperties": "the signing time and certificate details",
}


class VerificationStatus(Enum):
    """Overall verdict on a record's signature."""

    VALID = "valid"
    INVALID = "invalid"
    UNSIGNED = "unsigned"
    NOT_A_PACKAGE = "not a package"


@dataclass(frozen=True)
class VerificationResult:
    """What s47desk found when checking a record; `problems` explains anything but VALID.

    `signer` and `signed_at` are what the signature claims: trust them only when `ok`.
    """

    status: VerificationStatus
    signer: str | None = None
    signer_sha256: str | None = None
    signed_at: datetime | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True only for a valid signature (UNSIGNED is a failure when a signature is expected)."""
        return self.status is VerificationStatus.VALID


class _CheckError(Exception):
    """Stops a check; the message is plain English for the user."""


# --------------------------------------------------------------------------- package model


@dataclass
class _Package:
    """An OPC package: [Content_Types].xml and the parts by name ("/word/document.xml")."""

    content_types: bytes
    parts: dict[str, bytes]


@dataclass(frozen=True)
class _Relationship:
    id: str
    type: str
    target: str
    external: bool


@dataclass(frozen=True)
class _ContentTypes:
    defaults: dict[str, str]
    overrides: dict[str, str]

    @classmethod
    def parse(cls, xml: bytes) -> _ContentTypes:
        root = _parse_xml(xml, "/" + _CONTENT_TYPES_NAME)
        defaults = {
            element.get("Extension", "").lower(): element.get("ContentType", "")
            for element in root.iterchildren(_TYPES + "Default")
        }
        overrides = {
            element.get("PartName", "").lower(): element.get("ContentType", "")
            for element in root.iterchildren(_TYPES + "Override")
        }
        return cls(defaults, overrides)

    def of(self, part_name: str) -> str | None:
        """The part's content type (part names are case-insensitive in OPC)."""
        override = self.overrides.get(part_name.lower())
        return override if override is not None else self.defaults.get(_extension(part_name))


def _read_package(data: bytes) -> _Package:
    """Read a zip package into memory; raises _CheckError when it is not an OPC package."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [
                (info.filename, archive.read(info))
                for info in archive.infolist()
                if not info.is_dir()
            ]
    # RuntimeError: an encrypted zip entry; NotImplementedError: an unknown compression method.
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise _CheckError(
            "The file is not a Word document (it is not a readable zip archive)."
        ) from exc
    doubled = [name for name, count in Counter(name for name, _ in entries).items() if count > 1]
    if doubled:
        raise _CheckError(
            f"The file holds two entries named {doubled[0]}, which a Word document never does."
        )
    parts = {"/" + name: content for name, content in entries}
    content_types = parts.pop("/" + _CONTENT_TYPES_NAME, None)
    if content_types is None or _PACKAGE_RELS not in parts:
        raise _CheckError("The file is a zip archive but not a Word document.")
    _ContentTypes.parse(content_types)
    _relationships(parts, _PACKAGE_RELS)
    return _Package(content_types, parts)


def _write_package(package: _Package, when: datetime) -> bytes:
    """Zip the package; fixed timestamps make the output depend only on content and time."""
    buffer = io.BytesIO()
    entries = [("/" + _CONTENT_TYPES_NAME, package.content_types), *package.parts.items()]
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name[1:], date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def _parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse a part without fetching or expanding anything it declares (records come from
    outside)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _CheckError(f"{_shown(name)} is damaged (it is not well-formed XML).") from exc
    if root.getroottree().docinfo.doctype:
        raise _CheckError(
            f"{_shown(name)} holds a document type declaration; Word never writes one."
        )
    return root


def _serialize(root: etree._Element) -> bytes:
    """Serialise without pretty-printing: whitespace added after digesting breaks them."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def _canonical(root: etree._Element) -> bytes:
    """Inclusive C14N 1.0 without comments of a whole (detached) tree."""
    data: bytes = etree.tostring(root, method="c14n", exclusive=False, with_comments=False)
    return data


def _relationships(parts: dict[str, bytes], rels_name: str) -> list[_Relationship]:
    root = _parse_xml(parts[rels_name], rels_name)
    return [
        _Relationship(
            id=element.get("Id", ""),
            type=element.get("Type", ""),
            target=element.get("Target", ""),
            external=element.get("TargetMode") == "External",
        )
        for element in root.iterchildren(_RELS + "Relationship")
    ]


def _rels_name(source: str) -> str:
    """The relationships part of *source* ("/" stands for the package itself)."""
    folder, name = posixpath.split(source)
    return posixpath.join(folder, "_rels", name + ".rels")


def _is_rels_name(name: str) -> bool:
    return name.endswith(".rels") and posixpath.basename(posixpath.dirname(name)) == "_rels"


def _resolve(source: str, target: str) -> str:
    """The part a relationship of *source* points to (targets are relative to its folder)."""
    path = target.partition("#")[0]
    if not path.startswith("/"):
        path = posixpath.join(posixpath.dirname(source), path)
    return posixpath.normpath(path)


def _extension(part_name: str) -> str:
    last = part_name.rsplit("/", 1)[-1]
    return last.rpartition(".")[2].lower() if "." in last else ""


def _shown(part_name: str) -> str:
    return part_name.lstrip("/")


def _never_signed(rels_name: str, relationship: _Relationship) -> bool:
    return rels_name == _PACKAGE_RELS and relationship.type in _UNSIGNED_PACKAGE_RELS


def _origin_parts(package: _Package) -> list[str]:
    return [
        _resolve("/", rel.target)
        for rel in _relationships(package.parts, _PACKAGE_RELS)
        if rel.type == _ORIGIN_REL and not rel.external
    ]


def _signature_parts(package: _Package) -> list[str]:
    """The signature parts listed by the origin part's relationships (how Word finds them)."""
    found = []
    for origin in _origin_parts(package):
        rels_name = _rels_name(origin)
        if rels_name in package.parts:
            found += [
                _resolve(origin, rel.target)
                for rel in _relationships(package.parts, rels_name)
                if rel.type == _SIGNATURE_REL and not rel.external
            ]
    return found


def _exempt_parts(package: _Package) -> set[str]:
    """Parts no signature covers: the document properties and the signature parts."""
    exempt = {
        _resolve("/", rel.target)
        for rel in _relationships(package.parts, _PACKAGE_RELS)
        if rel.type in _UNSIGNED_PACKAGE_RELS and not rel.external
    }
    exempt.update(_rels_name(origin) for origin in _origin_parts(package))
    exempt.update(_signature_parts(package))
    return exempt


# --------------------------------------------------------------------------- digests


def _c14n(element: etree._Element) -> bytes:
    """Inclusive _C14N 1.0 (no comments) of *element*, as a same-document reference sees it.

    Canonicalising a sub-element in place makes lxml emit a spurious xmlns="" under a default
    namespace, so the digest would not match other verifiers; a detached copy that declares
    every in-scope namespace gives the exact bytes the standard asks for.
    """
    apex = etree.Element(element.tag, dict(element.attrib), nsmap=element.nsmap)
    apex.text = element.text
    apex.extend(copy.deepcopy(child) for child in element)
    return _canonical(apex)


def _relationships_c14n(parts: dict[str, bytes], rels_name: str, ids: Collection[str]) -> bytes:
    """The RelationshipTransform output (ECMA-376 Part 2): the chosen relationships only,
    sorted by Id as plain strings, TargetMode made explicit, canonicalised."""
    source = _parse_xml(parts[rels_name], rels_name)
    chosen = [el for el in source.iterchildren(_RELS + "Relationship") if el.get("Id") in ids]
    root = etree.Element(_RELS + "Relationships", nsmap={None: _RELS_NS})
    for element in sorted(chosen, key=lambda el: el.get("Id", "")):
        attributes = dict(element.attrib)
        attributes.setdefault("TargetMode", "Internal")
        etree.SubElement(root, _RELS + "Relationship", attributes)
    return _canonical(root)


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str | None) -> bytes:
    """Decode base64 that may be wrapped over several lines; raises ValueError when damaged."""
    return base64.b64decode("".join((text or "").split()), validate=True)


def _xml_time(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- signing


def sign_docx(
    docx_bytes: bytes,
    identity: SigningIdentity,
    *,
    signed_at: datetime | None = None,
    comment: str = "",
) -> bytes:
    """Return the finished .docx *docx_bytes* with a Word-compatible signature by *identity*.

    Never re-save the result with python-docx: any re-save rewrites parts and breaks the
    signature. The package thumbnail is removed first, because the format never signs it and
    anyone could replace it. Raises SigningError for a package that is already signed, is not
    a Word document, or holds parts that nothing refers to.
    """
    when = _signing_time(signed_at)
    if len(comment) > _MAX_COMMENT:
        raise SigningError(
            f"The signing comment is longer than Word allows ({_MAX_COMMENT} characters)."
        )
    try:
        package = _read_package(docx_bytes)
        if _origin_parts(package) or any(n.startswith("/_xmlsignatures/") for n in package.parts):
            raise SigningError(
                "This document is already signed. Sign the unsigned original instead; "
                "changing a signed document would break its signature."
            )
        _drop_thumbnail(package)
        _add_signature_plumbing(package)
        plan = _signing_plan(package)
        package.parts[_SIGNATURE_PART] = _signature_xml(package, plan, identity, when, comment)
    except _CheckError as exc:
        raise SigningError(str(exc)) from exc
    return _write_package(package, when)


def _signing_time(signed_at: datetime | None) -> datetime:
    when = signed_at or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("signed_at must carry a time zone")
    return when.astimezone(UTC).replace(microsecond=0)


def _drop_thumbnail(package: _Package) -> None:
    """Remove the package thumbnail, which python-docx copies from its template.

    Signatures never cover a thumbnail, so an unsigned picture could masquerade as the record.
    """
    rels = _parse_xml(package.parts[_PACKAGE_RELS], _PACKAGE_RELS)
    thumbnails = [
        element
        for element in rels.iterchildren(_RELS + "Relationship")
        if element.get("Type") == _THUMBNAIL_REL
    ]
    for element in thumbnails:
        rels.remove(element)
        if element.get("TargetMode") != "External":
            target = _resolve("/", element.get("Target", ""))
            package.parts.pop(target, None)
            package.content_types = _forget_content_type(package, target)
    if thumbnails:
        package.parts[_PACKAGE_RELS] = _serialize(rels)


def _forget_content_type(package: _Package, part_name: str) -> bytes:
    """[Content_Types].xml without the removed part's Override, or its Default if now unused."""
    root = _parse_xml(package.content_types, "/" + _CONTENT_TYPES_NAME)
    extension = _extension(part_name)
    extension_used = any(_extension(name) == extension for name in package.parts)
    for element in list(root.iterchildren(_TYPES + "Override", _TYPES + "Default")):
        if element.tag == _TYPES + "Override":
            stale = element.get("PartName", "").lower() == part_name.lower()
        else:
            stale = not extension_used and element.get("Extension", "").lower() == extension
        if stale:
            root.remove(element)
    return _serialize(root)


def _add_signature_plumbing(package: _Package) -> None:
    """Add the origin part, its relationships and content types (none of them signed)."""
    rels = _parse_xml(package.parts[_PACKAGE_RELS], _PACKAGE_RELS)
    taken = {element.get("Id") for element in rels.iterchildren(_RELS + "Relationship")}
    origin_id = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
    _add(rels, _RELS + "Relationship", Id=origin_id, Type=_ORIGIN_REL, Target=_ORIGIN_PART[1:])
    package.parts[_PACKAGE_RELS] = _serialize(rels)

    package.parts[_ORIGIN_PART] = b""
    origin_rels = etree.Element(_RELS + "Relationships", nsmap={None: _RELS_NS})
    _add(
        origin_rels,
        _RELS + "Relationship",
        Id="rId1",
        Type=_SIGNATURE_REL,
        Target=posixpath.basename(_SIGNATURE_PART),
    )
    package.parts[_rels_name(_ORIGIN_PART)] = _serialize(origin_rels)

    types = _parse_xml(package.content_types, "/" + _CONTENT_TYPES_NAME)
    if "sigs" not in _ContentTypes.parse(package.content_types).defaults:
        _add(types, _TYPES + "Default", Extension="sigs", ContentType=_ORIGIN_CONTENT_TYPE)
    _add(types, _TYPES + "Override", PartName=_SIGNATURE_PART, ContentType=_SIGNATURE_CONTENT_TYPE)
    package.content_types = _serialize(types)


def _signing_plan(package: _Package) -> dict[str, list[str] | None]:
    """Walk the relationships from the package root and decide what the signature covers.

    Every part reached and every relationship followed (external ones too, such as hyperlinks)
    is signed, except the document properties and the signature origin. Returns part name ->
    Ids of the relationships to sign for a relationships part, None for any other part.
    """
    plan: dict[str, list[str] | None] = {}
    pending = ["/"]
    while pending:
        source = pending.pop()
        rels_name = _rels_name(source)
        if rels_name not in package.parts:
            continue
        signed_ids: list[str] = []
        plan[rels_name] = signed_ids
        for rel in _relationships(package.parts, rels_name):
            if _never_signed(rels_name, rel):
                continue
            signed_ids.append(rel.id)
            if rel.external:
                continue
            target = _resolve(source, rel.target)
            if target in plan:
                continue
            if target not in package.parts:
                raise _CheckError(
                    f"{_shown(rels_name)} refers to {_shown(target)}, which is missing."
                )
            plan[target] = None
            pending.append(target)
    left_over = sorted(set(package.parts) - set(plan) - _exempt_parts(package))
    if left_over:
        names = ", ".join(_shown(name) for name in left_over)
        raise _CheckError(f"The document holds parts that nothing refers to ({names}).")
    return plan


def _add(
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
    _add(reference, _DS + "DigestMethod", Algorithm=_SHA256)
    _add(reference, _DS + "DigestValue", _b64(digest))


def _signature_xml(
    package: _Package,
    plan: dict[str, list[str] | None],
    identity: SigningIdentity,
    when: datetime,
    comment: str,
) -> bytes:
    """Build sig1.xml: the Objects in their final place are digested, then SignedInfo signed."""
    root = etree.Element(_DS + "Signature", nsmap={None: _DS_NS}, Id=_SIGNATURE_ID)
    signed_info = _add(root, _DS + "SignedInfo")
    _add(signed_info, _DS + "CanonicalizationMethod", Algorithm=_C14N)
    _add(signed_info, _DS + "SignatureMethod", Algorithm=_RSA_SHA256)
    signature_value = _add(root, _DS + "SignatureValue")
    x509_data = _add(_add(root, _DS + "KeyInfo"), _DS + "X509Data")
    for certificate in (identity.certificate, *identity.extra_certificates):
        _add(x509_data, _DS + "X509Certificate", _b64(certificate.public_bytes(Encoding.DER)))

    package_object = _add_package_object(root, package, plan, when)
    office_object = _add_office_object(root, comment)
    signed_properties = _add_xades_object(root, identity.certificate, when)
    for target, kind in (
        (package_object, _OBJECT_TYPE),
        (office_object, _OBJECT_TYPE),
        (signed_properties, _SIGNED_PROPERTIES_TYPE),
    ):
        reference = _add(signed_info, _DS + "Reference", Type=kind, URI="#" + target.get("Id"))
        if kind == _SIGNED_PROPERTIES_TYPE:
            _add(_add(reference, _DS + "Transforms"), _DS + "Transform", Algorithm=_C14N)
        _add_digest(reference, _sha256(_c14n(target)))

    value = identity.private_key.sign(_c14n(signed_info), padding.PKCS1v15(), hashes.SHA256())
    signature_value.text = _b64(value)
    return _serialize(root)


def _add_package_object(
    root: etree._Element, package: _Package, plan: dict[str, list[str] | None], when: datetime
) -> etree._Element:
    """The Object holding the Manifest: one Reference per signed part, plus the signing time."""
    package_object = _add(root, _DS + "Object", Id="idPackageObject")
    manifest = _add(package_object, _DS + "Manifest")
    types = _ContentTypes.parse(package.content_types)
    for name, relationship_ids in sorted(plan.items()):
        content_type = types.of(name)
        if content_type is None:
            raise _CheckError(f"{_shown(name)} has no content type in {_CONTENT_TYPES_NAME}.")
        reference = _add(manifest, _DS + "Reference", URI=f"{name}?ContentType={content_type}")
        if relationship_ids is None:
            _add_digest(reference, _sha256(package.parts[name]))
            continue
        transforms = _add(reference, _DS + "Transforms")
        transform = _add(transforms, _DS + "Transform", Algorithm=_RELATIONSHIP_TRANSFORM)
        for relationship_id in relationship_ids:
            _add(
                transform,
                _MDSSI + "RelationshipReference",
                nsmap={"mdssi": _MDSSI_NS},
                SourceId=relationship_id,
            )
        _add(transforms, _DS + "Transform", Algorithm=_C14N)
        _add_digest(reference, _sha256(_relationships_c14n(package.parts, name, relationship_ids)))

    properties = _add(package_object, _DS + "SignatureProperties")
    time_property = _add(
        properties, _DS + "SignatureProperty", Id="idSignatureTime", Target="#" + _SIGNATURE_ID
    )
    signature_time = _add(time_property, _MDSSI + "SignatureTime", nsmap={"mdssi": _MDSSI_NS})
    _add(signature_time, _MDSSI + "Format", "YYYY-MM-DDThh:mm:ssTZD")
    _add(signature_time, _MDSSI + "Value", _xml_time(when))
    return package_object


def _add_office_object(root: etree._Element, comment: str) -> etree._Element:
    """SignatureInfoV1, which Word requires; the versions are Office's own so Word shows it."""
    office_object = _add(root, _DS + "Object", Id="idOfficeObject")
    details = _add(
        _add(office_object, _DS + "SignatureProperties"),
        _DS + "SignatureProperty",
        Id="idOfficeV1Details",
        Target="#" + _SIGNATURE_ID,
    )
    info = _add(details, _OFFICE + "SignatureInfoV1", nsmap={None: _OFFICE_NS})
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
        ("ManifestHashAlgorithm", _SHA256),
        ("SignatureType", "1"),
    ):
        _add(info, _OFFICE + name, text)
    return office_object


def _add_xades_object(
    root: etree._Element, certificate: x509.Certificate, when: datetime
) -> etree._Element:
    """XAdES SignedProperties binding the signing time and the signer's certificate."""
    qualifying = _add(
        _add(root, _DS + "Object"),
        _XADES + "QualifyingProperties",
        nsmap={"xd": _XADES_NS},
        Target="#" + _SIGNATURE_ID,
    )
    signed_properties = _add(qualifying, _XADES + "SignedProperties", Id="idSignedProperties")
    signature_properties = _add(signed_properties, _XADES + "SignedSignatureProperties")
    _add(signature_properties, _XADES + "SigningTime", _xml_time(when))
    cert = _add(_add(signature_properties, _XADES + "SigningCertificate"), _XADES + "Cert")
    _add_digest(_add(cert, _XADES + "CertDigest"), _sha256(certificate.public_bytes(Encoding.DER)))
    issuer_serial = _add(cert, _XADES + "IssuerSerial")
    _add(issuer_serial, _DS + "X509IssuerName", certificate.issuer.rfc4514_string())
    _add(issuer_serial, _DS + "X509SerialNumber", str(certificate.serial_number))
    policy = _add(signature_properties, _XADES + "SignaturePolicyIdentifier")
    _add(policy, _XADES + "SignaturePolicyImplied")
    return signed_properties


# --------------------------------------------------------------------------- verifying


def verify_docx(
    data_or_path: bytes | str | os.PathLike[str], *, signer_sha256: str | None = None
) -> VerificationResult:
    """Check a record's signature with s47desk's own verifier (no Java, no network).

    Besides the cryptography, checks that the signature covers every part and relationship
    except the document properties, so that anything added after signing is caught. Pin
    *signer_sha256* (the certificate's SHA-256 fingerprint): a self-signed certificate alone
    proves integrity, not identity. Raises OSError only when a path cannot be read.
    """
    data = data_or_path if isinstance(data_or_path, bytes) else Path(data_or_path).read_bytes()
    try:
        package = _read_package(data)
    except _CheckError as exc:
        return VerificationResult(VerificationStatus.NOT_A_PACKAGE, problems=[str(exc)])
    try:
        signatures = _signature_parts(package)
    except _CheckError as exc:
        return VerificationResult(VerificationStatus.INVALID, problems=[str(exc)])
    if not signatures:
        return VerificationResult(
            VerificationStatus.UNSIGNED, problems=["The document has no signature."]
        )
    if len(signatures) > 1:
        problem = f"The document holds {len(signatures)} signatures; an s47desk record has one."
        return VerificationResult(VerificationStatus.INVALID, problems=[problem])
    return _verify_signature(package, signatures[0], signer_sha256)


def _verify_signature(package: _Package, name: str, pin: str | None) -> VerificationResult:
    try:
        root = _load_signature(package, name)
        certificate = _embedded_certificate(root)
    except _CheckError as exc:
        return VerificationResult(VerificationStatus.INVALID, problems=[str(exc)])
    problems: list[str] = []
    signed_at = None
    try:
        referenced = _check_signed_info(root, certificate, problems)
        coverage = _check_manifest(package, root, referenced, problems)
        problems += _coverage_problems(package, coverage)
        signed_at = _check_signed_properties(root, certificate, referenced, problems)
    except _CheckError as exc:
        problems.append(str(exc))
    problems += _pin_problems(certificate, pin)
    return VerificationResult(
        VerificationStatus.INVALID if problems else VerificationStatus.VALID,
        signer=common_name(certificate),
        signer_sha256=certificate_sha256(certificate),
        signed_at=signed_at,
        problems=problems,
    )


def _load_signature(package: _Package, name: str) -> etree._Element:
    if name not in package.parts:
        raise _CheckError(f"The signature part {_shown(name)} is missing.")
    root = _parse_xml(package.parts[name], name)
    if root.tag != _DS + "Signature":
        raise _CheckError(f"{_shown(name)} is not an XML signature.")
    return root


def _embedded_certificate(root: etree._Element) -> x509.Certificate:
    text = root.findtext(f"{_DS}KeyInfo/{_DS}X509Data/{_DS}X509Certificate")
    if not text:
        raise _CheckError("The signature does not include the signer's certificate.")
    try:
        return x509.load_der_x509_certificate(_unb64(text))
    except ValueError as exc:
        raise _CheckError("The signer's certificate inside the signature is damaged.") from exc


def _check_signed_info(
    root: etree._Element, certificate: x509.Certificate, problems: list[str]
) -> dict[str, etree._Element]:
    """Verify the RSA signature over SignedInfo and the digest of each section it references.

    Returns the referenced sections by Id. A failed digest is recorded as a problem but the
    section is still returned, so that later checks can also say what else changed.
    """
    signed_info = root.find(_DS + "SignedInfo")
    if signed_info is None:
        raise _CheckError("The signature has no SignedInfo section.")
    if _algorithm(signed_info, _DS + "CanonicalizationMethod") != _C14N:
        raise _CheckError("The signature uses a canonicalisation method s47desk does not accept.")
    if _algorithm(signed_info, _DS + "SignatureMethod") != _RSA_SHA256:
        raise _CheckError("The signature is not RSA with SHA-256, which s47desk requires.")
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise _CheckError("The signer's certificate does not hold an RSA key.")
    try:
        value = _unb64(root.findtext(_DS + "SignatureValue"))
        public_key.verify(value, _c14n(signed_info), padding.PKCS1v15(), hashes.SHA256())
    except (ValueError, InvalidSignature):
        problems.append(
            "The signature value does not match: the signature was altered after signing "
            "or was not made with the certificate it contains."
        )
    by_id = _elements_by_id(root)
    referenced: dict[str, etree._Element] = {}
    for reference in signed_info.iterchildren(_DS + "Reference"):
        uri = reference.get("URI", "")
        target = by_id.get(uri[1:]) if uri.startswith("#") else None
        section = _SECTION_NAMES.get(uri[1:], f"the section {uri!r}")
        if target is None:
            problems.append(f"The signature refers to {section}, which is missing.")
            continue
        referenced[uri[1:]] = target
        if _transform_algorithms(reference) not in ([], [_C14N]):
            problems.append(f"The signature processes {section} in a way s47desk does not accept.")
        elif _sha256(_c14n(target)) != _stated_sha256(reference):
            problems.append(f"Part of the signature ({section}) was changed after signing.")
    return referenced


def _is_referenced(element: etree._Element, referenced: dict[str, etree._Element]) -> bool:
    return any(element is candidate for candidate in referenced.values())


def _algorithm(parent: etree._Element, tag: str) -> str | None:
    element = parent.find(tag)
    return None if element is None else element.get("Algorithm")


def _elements_by_id(root: etree._Element) -> dict[str, etree._Element]:
    """Elements by Id; a repeated Id is refused, as it is how signature-wrapping attacks work."""
    found: dict[str, etree._Element] = {}
    for element in root.iter(etree.Element):
        identifier = element.get("Id")
        if identifier is None:
            continue
        if identifier in found:
            raise _CheckError(f"The signature has two sections with the Id {identifier!r}.")
        found[identifier] = element
    return found


def _transform_algorithms(reference: etree._Element) -> list[str | None]:
    return [
        transform.get("Algorithm")
        for transform in reference.iterfind(f"{_DS}Transforms/{_DS}Transform")
    ]


def _stated_sha256(holder: etree._Element) -> bytes:
    """The SHA-256 digest a Reference or CertDigest states."""
    if _algorithm(holder, _DS + "DigestMethod") != _SHA256:
        raise _CheckError("The signature uses a digest other than SHA-256, which s47desk requires.")
    try:
        return _unb64(holder.findtext(_DS + "DigestValue"))
    except ValueError as exc:
        raise _CheckError("A digest inside the signature is damaged.") from exc


def _check_manifest(
    package: _Package,
    root: etree._Element,
    referenced: dict[str, etree._Element],
    problems: list[str],
) -> dict[str, frozenset[str] | None]:
    """Recompute every Manifest digest from the package as it is now.

    Returns what is covered: part name -> Ids of the relationships a RelationshipTransform
    selects (relationships parts), or None (parts signed as raw bytes).
    """
    manifests = list(root.iter(_DS + "Manifest"))
    holder = manifests[0].getparent() if len(manifests) == 1 else None
    if holder is None or not _is_referenced(holder, referenced):
        raise _CheckError("The signature does not cover a list of the document's parts.")
    types = _ContentTypes.parse(package.content_types)
    coverage: dict[str, frozenset[str] | None] = {}
    for reference in manifests[0].iterchildren(_DS + "Reference"):
        name, _, query = reference.get("URI", "").partition("?")
        if name not in package.parts:
            problems.append(f"{_shown(name)} was removed after signing.")
            continue
        if _query_content_type(query) != types.of(name):
            problems.append(f"The content type of {_shown(name)} was changed after signing.")
        coverage[name] = _check_part_digest(package, name, reference, problems)
    return coverage


def _check_part_digest(
    package: _Package, name: str, reference: etree._Element, problems: list[str]
) -> frozenset[str] | None:
    """Recompute one part's digest; return the relationship Ids its transform selects, if any."""
    algorithms = _transform_algorithms(reference)
    selected: frozenset[str] | None = None
    if algorithms == [_RELATIONSHIP_TRANSFORM, _C14N]:
        selected = _selected_relationships(reference.find(f"{_DS}Transforms/{_DS}Transform"))
        data = _relationships_c14n(package.parts, name, selected)
    elif not algorithms:
        data = package.parts[name]
    else:
        problems.append(f"{_shown(name)} is signed in a way s47desk does not accept.")
        return None
    if _sha256(data) != _stated_sha256(reference):
        problems.append(f"{_shown(name)} was changed after signing.")
    return selected


def _selected_relationships(transform: etree._Element) -> frozenset[str]:
    children = [child for child in transform if isinstance(child.tag, str)]
    if any(child.tag != _MDSSI + "RelationshipReference" for child in children):
        raise _CheckError("The signature selects relationships in a way s47desk does not accept.")
    return frozenset(child.get("SourceId", "") for child in children)


def _query_content_type(query: str) -> str | None:
    """ContentType from a Manifest URI query, taken literally ("+" is not a space here)."""
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == "ContentType":
            return value
    return None


def _coverage_problems(package: _Package, coverage: dict[str, frozenset[str] | None]) -> list[str]:
    """Anything the signature does not cover, other than the exempt parts, was added later."""
    problems = []
    exempt = _exempt_parts(package)
    for name in package.parts:
        if name in exempt:
            continue
        if name not in coverage:
            problems.append(
                f"{_shown(name)} is not covered by the signature (added after signing)."
            )
            continue
        selected = coverage[name]
        if selected is None or not _is_rels_name(name):
            continue
        for rel in _relationships(package.parts, name):
            if rel.id not in selected and not _never_signed(name, rel):
                problems.append(
                    f"The link {rel.id} to {rel.target} in {_shown(name)} is not covered by "
                    "the signature (added after signing)."
                )
    return problems


def _check_signed_properties(
    root: etree._Element,
    certificate: x509.Certificate,
    referenced: dict[str, etree._Element],
    problems: list[str],
) -> datetime | None:
    """Check the XAdES properties name the embedded certificate; return the signing time."""
    found = list(root.iter(_XADES + "SignedProperties"))
    properties = found[0] if len(found) == 1 else None
    if properties is None or not _is_referenced(properties, referenced):
        problems.append(
            "The signing time and certificate details are not covered by the signature."
        )
        return None
    signature_properties = properties.find(_XADES + "SignedSignatureProperties")
    if signature_properties is None:
        problems.append("The signature does not say when it was made or by which certificate.")
        return None
    cert_digest = signature_properties.find(
        f"{_XADES}SigningCertificate/{_XADES}Cert/{_XADES}CertDigest"
    )
    expected = _sha256(certificate.public_bytes(Encoding.DER))
    if cert_digest is None or _stated_sha256(cert_digest) != expected:
        problems.append(
            "The signed certificate details do not match the certificate inside the signature."
        )
    return _signing_time_of(signature_properties, problems)


def _signing_time_of(signature_properties: etree._Element, problems: list[str]) -> datetime | None:
    text = (signature_properties.findtext(_XADES + "SigningTime") or "").strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        problems.append("The signing time is missing or unreadable.")
        return None
    return when.astimezone(UTC)


def _pin_problems(certificate: x509.Certificate, pin: str | None) -> list[str]:
    if pin is None:
        return []
    actual = certificate_sha256(certificate)
    expected = pin.replace(":", "").strip().lower()
    if actual == expected:
        return []
    return [
        f"The document was signed with certificate {actual}, "
        f"not with the expected certificate {expected}."
    ]
