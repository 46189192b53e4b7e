"""What a forger does to a signed record, at the level of its zip: each edit one function.

Everything outside the signed parts ([Content_Types].xml, the signature plumbing, sig1.xml
itself) can be rewritten freely, so these edits are what the verifiers must catch.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from s47desk.record.signature.canonical import b64

ORIGIN_REL = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin"
SIGNATURE_REL = (
    "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/signature"
)
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
SIGNATURE_TYPE = "application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml"
TYPES = "[Content_Types].xml"
SIG = "_xmlsignatures/sig1.xml"


def _png() -> bytes:
    """A valid 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


TINY_PNG = _png()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rebuild(
    data: bytes,
    *,
    change: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """The package with entries changed, added or dropped; the rest byte for byte."""
    entries = {name: content for name, content in parts(data).items() if name not in drop}
    entries.update(change or {})
    entries.update(add or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_relationship(rels: bytes, rel_id: str, rel_type: str, target: str) -> bytes:
    link = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/>'
    return rels.replace(b"</Relationships>", link.encode() + b"</Relationships>")


def with_default(types: bytes, extension: str, content_type: str) -> bytes:
    entry = f'<Default Extension="{extension}" ContentType="{content_type}"/>'
    return types.replace(b"</Types>", entry.encode() + b"</Types>")


def with_override(types: bytes, part: str, content_type: str) -> bytes:
    entry = f'<Override PartName="{part}" ContentType="{content_type}"/>'
    return types.replace(b"</Types>", entry.encode() + b"</Types>")


def one_byte_changed(data: bytes, word: bytes = b"Maya") -> bytes:
    """A child's name in the body changed by one letter (the record, not the signature)."""
    document = parts(data)["word/document.xml"]
    index = document.index(word)
    tampered = document[:index] + b"N" + document[index + 1 :]
    return rebuild(data, change={"word/document.xml": tampered})


def stripped(data: bytes) -> bytes:
    """The record with its signature removed the way a careful forger would: no trace left."""
    package = parts(data)
    types = package[TYPES].decode()
    types = re.sub(r"<Default Extension=\"sigs\"[^>]*/>", "", types)
    types = re.sub(r"<Override PartName=\"/_xmlsignatures/[^>]*/>", "", types)
    rels = re.sub(
        r"<Relationship [^>]*digital-signature/origin[^>]*/>", "", package["_rels/.rels"].decode()
    )
    out = rebuild(data, change={TYPES: types.encode(), "_rels/.rels": rels.encode()})
    return rebuild(out, drop=tuple(n for n in package if n.startswith("_xmlsignatures/")))


def swapped_certificate(data: bytes, certificate: x509.Certificate) -> bytes:
    """sig1.xml with another certificate in KeyInfo (signature value and XAdES left as made)."""
    signature = parts(data)[SIG].decode()
    der = b64(certificate.public_bytes(Encoding.DER))
    swapped, count = re.subn(
        r"<X509Certificate>[^<]*</X509Certificate>",
        f"<X509Certificate>{der}</X509Certificate>",
        signature,
    )
    assert count == 1
    return rebuild(data, change={SIG: swapped.encode()})


def with_unsigned_object(data: bytes, comment: str) -> bytes:
    """sig1.xml with an extra ds:Object SignedInfo does not sign, carrying Word's signature
    comments (which Word shows as the signer's purpose)."""
    forged = (
        '<Object><SignatureProperties><SignatureProperty Id="idForgedDetails" '
        'Target="#idPackageSignature"><SignatureInfoV1 '
        'xmlns="http://schemas.microsoft.com/office/2006/digsig"><SignatureComments>'
        f"{comment}</SignatureComments></SignatureInfoV1></SignatureProperty>"
        "</SignatureProperties></Object>"
    )
    signature = parts(data)[SIG]
    return rebuild(
        data, change={SIG: signature.replace(b"</Signature>", forged.encode() + b"</Signature>")}
    )


def with_second_signature(data: bytes, other_signature: bytes) -> bytes:
    """A second signature part listed by the origin, as a "countersignature" would be."""
    package = parts(data)
    origin_rels = "_xmlsignatures/_rels/origin.sigs.rels"
    return rebuild(
        data,
        change={
            origin_rels: with_relationship(package[origin_rels], "rId2", SIGNATURE_REL, "sig2.xml"),
            TYPES: with_override(package[TYPES], "/_xmlsignatures/sig2.xml", SIGNATURE_TYPE),
        },
        add={"_xmlsignatures/sig2.xml": other_signature},
    )
