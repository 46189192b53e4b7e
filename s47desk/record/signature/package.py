"""The OPC package model: the zip, its content types, its relationships, and what is exempt.

Records come from outside, so nothing here fetches, expands or trusts what a part declares.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from s47desk.record.signature.names import (
    CONTENT_TYPES_NAME,
    ORIGIN_CONTENT_TYPE,
    ORIGIN_REL,
    PACKAGE_RELS,
    PROPERTIES_CONTENT_TYPES,
    RELS,
    SIGNATURE_CONTENT_TYPE,
    SIGNATURE_REL,
    SIGNATURES_FOLDER,
    TYPES,
    UNSIGNED_PACKAGE_RELS,
)


class CheckError(Exception):
    """Stops a check; the message is plain English for the user."""


@dataclass
class Package:
    """An OPC package: [Content_Types].xml and the parts by name ("/word/document.xml")."""

    content_types: bytes
    parts: dict[str, bytes]


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str
    external: bool


@dataclass(frozen=True)
class ContentTypes:
    defaults: dict[str, str]
    overrides: dict[str, str]

    @classmethod
    def parse(cls, xml: bytes) -> ContentTypes:
        root = parse_xml(xml, "/" + CONTENT_TYPES_NAME)
        defaults = {
            element.get("Extension", "").lower(): element.get("ContentType", "")
            for element in root.iterchildren(TYPES + "Default")
        }
        overrides = {
            element.get("PartName", "").lower(): element.get("ContentType", "")
            for element in root.iterchildren(TYPES + "Override")
        }
        return cls(defaults, overrides)

    def of(self, part_name: str) -> str | None:
        """The part's content type (part names are case-insensitive in OPC)."""
        override = self.overrides.get(part_name.lower())
        return override if override is not None else self.defaults.get(extension(part_name))


def read_package(data: bytes) -> Package:
    """Read a zip package into memory; raises CheckError when it is not an OPC package."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [
                (info.filename, archive.read(info))
                for info in archive.infolist()
                if not info.is_dir()
            ]
    # RuntimeError: an encrypted zip entry; NotImplementedError: an unknown compression method.
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise CheckError(
            "The file is not a Word document (it is not a readable zip archive)."
        ) from exc
    # Part names ignore case (ECMA-376-2 M1.12): "Word/document.xml" would shadow the real one.
    by_folded: dict[str, list[str]] = {}
    for name, _ in entries:
        by_folded.setdefault(name.lower(), []).append(name)
    doubled = next((names for names in by_folded.values() if len(names) > 1), None)
    if doubled:
        raise CheckError(
            f"The file holds two entries named {' and '.join(sorted(set(doubled)))} (part "
            "names ignore case), which a Word document never does."
        )
    parts = {"/" + name: content for name, content in entries}
    content_types = parts.pop("/" + CONTENT_TYPES_NAME, None)
    if content_types is None or PACKAGE_RELS not in parts:
        raise CheckError("The file is a zip archive but not a Word document.")
    types = ContentTypes.parse(content_types)
    untyped = sorted(name for name in parts if types.of(name) is None)
    if untyped:
        raise CheckError(
            f"{shown(untyped[0])} has no content type in {CONTENT_TYPES_NAME}, which every part "
            "of a Word document has (ECMA-376-2 M1.14)."
        )
    relationships(parts, PACKAGE_RELS)
    return Package(content_types, parts)


def write_package(package: Package, when: datetime) -> bytes:
    """Zip the package; fixed timestamps make the output depend only on content and time."""
    buffer = io.BytesIO()
    entries = [("/" + CONTENT_TYPES_NAME, package.content_types), *package.parts.items()]
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name[1:], date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse a part without fetching or expanding anything it declares (records come from
    outside)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CheckError(f"{shown(name)} is damaged (it is not well-formed XML).") from exc
    if root.getroottree().docinfo.doctype:
        raise CheckError(f"{shown(name)} holds a document type declaration; Word never writes one.")
    return root


def serialize(root: etree._Element) -> bytes:
    """Serialise without pretty-printing: whitespace added after digesting breaks them."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def relationships(parts: dict[str, bytes], rels_name: str) -> list[Relationship]:
    root = parse_xml(parts[rels_name], rels_name)
    return [
        Relationship(
            id=element.get("Id", ""),
            type=element.get("Type", ""),
            target=element.get("Target", ""),
            external=element.get("TargetMode") == "External",
        )
        for element in root.iterchildren(RELS + "Relationship")
    ]


def rels_name(source: str) -> str:
    """The relationships part of *source* ("/" stands for the package itself)."""
    folder, name = posixpath.split(source)
    return posixpath.join(folder, "_rels", name + ".rels")


def is_rels_name(name: str) -> bool:
    return name.endswith(".rels") and posixpath.basename(posixpath.dirname(name)) == "_rels"


def resolve(source: str, target: str) -> str:
    """The part a relationship of *source* points to (targets are relative to its folder)."""
    path = target.partition("#")[0]
    if not path.startswith("/"):
        path = posixpath.join(posixpath.dirname(source), path)
    return posixpath.normpath(path)


def extension(part_name: str) -> str:
    last = part_name.rsplit("/", 1)[-1]
    return last.rpartition(".")[2].lower() if "." in last else ""


def shown(part_name: str) -> str:
    """A part name as users see it in a zip tool (no leading slash)."""
    return part_name.lstrip("/")


# --------------------------------------------------------------------------- what is exempt


@dataclass(frozen=True)
class Plumbing:
    """Where a package keeps its signature: the origin part and the signature parts."""

    origin: str
    signatures: tuple[str, ...]


def has_origin_link(package: Package) -> bool:
    return any(rel.type == ORIGIN_REL for rel in relationships(package.parts, PACKAGE_RELS))


def find_plumbing(package: Package) -> Plumbing | None:
    """The signature plumbing as Word writes it, or None when the package is not signed.

    Exactly one origin link, to an origin part in /_xmlsignatures/, whose relationships are
    signature links to signature parts there, each with its proper content type. Anything else
    raises CheckError: an extra origin or signature link is how a second ("counter")
    signature or an unsigned part would be slipped in, since the plumbing itself is unsigned.
    A dangling origin link (its part removed with the signature) counts as unsigned.
    """
    links = [rel for rel in relationships(package.parts, PACKAGE_RELS) if rel.type == ORIGIN_REL]
    if not links:
        return None
    if len(links) > 1:
        raise CheckError(
            f"The document has {len(links)} links to a signature origin; a signed Word document "
            "has exactly one (an extra one can slip in a second signature or an unsigned part)."
        )
    origin = _plumbing_part(package, "/", links[0], ORIGIN_CONTENT_TYPE, "signature origin")
    origin_rels = rels_name(origin)
    if origin not in package.parts or origin_rels not in package.parts:
        return Plumbing(origin, ())
    signatures = []
    for rel in relationships(package.parts, origin_rels):
        if rel.type != SIGNATURE_REL:
            raise CheckError(
                f"{shown(origin_rels)} holds a link that is not to a signature ({rel.target}); "
                "Word writes only signature links there."
            )
        signature = _plumbing_part(package, origin, rel, SIGNATURE_CONTENT_TYPE, "signature")
        if signature not in package.parts:
            raise CheckError(f"The signature part {shown(signature)} is missing.")
        signatures.append(signature)
    return Plumbing(origin, tuple(signatures))


def _plumbing_part(
    package: Package, source: str, rel: Relationship, content_type: str, what: str
) -> str:
    if rel.external:
        raise CheckError(f"The link to the {what} points outside the document.")
    name = resolve(source, rel.target)
    if not name.startswith(SIGNATURES_FOLDER):
        raise CheckError(
            f"The {what} is {shown(name)}, outside the folder {shown(SIGNATURES_FOLDER)} where "
            "Word keeps signatures."
        )
    actual = ContentTypes.parse(package.content_types).of(name)
    if name in package.parts and actual != content_type:
        raise CheckError(f"{shown(name)} does not have the content type of a {what}.")
    return name


def never_signed(rels_name: str, relationship: Relationship) -> bool:
    """The relationships no signature covers: document properties and the signature origin."""
    return rels_name == PACKAGE_RELS and relationship.type in UNSIGNED_PACKAGE_RELS


def exempt_parts(package: Package, plumbing: Plumbing | None) -> set[str]:
    """Parts no signature covers: the signature plumbing and the document properties.

    A properties part is exempt only if it has the properties content type: a part of any
    other kind behind a properties link must be signed like any other.
    """
    types = ContentTypes.parse(package.content_types)
    exempt = set()
    for rel in relationships(package.parts, PACKAGE_RELS):
        expected = PROPERTIES_CONTENT_TYPES.get(rel.type)
        target = resolve("/", rel.target)
        if expected and not rel.external and types.of(target) == expected:
            exempt.add(target)
    if plumbing is not None:
        exempt.update((plumbing.origin, rels_name(plumbing.origin), *plumbing.signatures))
    return exempt
