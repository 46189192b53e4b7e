"""Reading XML-DSig elements: algorithms, stated digests, and sections by Id."""

from __future__ import annotations

from lxml import etree

from s47desk.record.signature.canonical import unb64
from s47desk.record.signature.names import DS, SHA256
from s47desk.record.signature.package import CheckError

# Referenced sections, by Id, as a user reads about them.
SECTION_NAMES = {
    "idPackageObject": "the list of signed parts",
    "idOfficeObject": "the Word signature details",
    "idSignedProperties": "the signing time and certificate details",
}


def algorithm(parent: etree._Element, tag: str) -> str | None:
    element = parent.find(tag)
    return None if element is None else element.get("Algorithm")


def transform_algorithms(reference: etree._Element) -> list[str | None]:
    return [
        transform.get("Algorithm")
        for transform in reference.iterfind(f"{DS}Transforms/{DS}Transform")
    ]


def stated_sha256(holder: etree._Element) -> bytes:
    """The SHA-256 digest a Reference or CertDigest states."""
    if algorithm(holder, DS + "DigestMethod") != SHA256:
        raise CheckError("The signature uses a digest other than SHA-256, which s47desk requires.")
    try:
        return unb64(holder.findtext(DS + "DigestValue"))
    except ValueError as exc:
        raise CheckError("A digest inside the signature is damaged.") from exc


def elements_by_id(root: etree._Element) -> dict[str, etree._Element]:
    """Elements by Id; a repeated Id is refused, as it is how signature-wrapping attacks work."""
    found: dict[str, etree._Element] = {}
    for element in root.iter(etree.Element):
        identifier = element.get("Id")
        if identifier is None:
            continue
        if identifier in found:
            raise CheckError(f"The signature has two sections with the Id {identifier!r}.")
        found[identifier] = element
    return found


def is_referenced(element: etree._Element, referenced: dict[str, etree._Element]) -> bool:
    return any(element is candidate for candidate in referenced.values())
