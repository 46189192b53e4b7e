"""The OPC package model: the zip, its content types, its relationships, and what is exempt.

Records come from outside, so nothing here fetches, expands or trusts what a part declares.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from s47desk.record.signature.names import (
    CONTENT_TYPES_NAME,
    ORIGIN_REL,
    PACKAGE_RELS,
    RELS,
    SIGNATURE_REL,
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
    doubled = [name for name, count in Counter(name for name, _ in entries).items() if count > 1]
    if doubled:
        raise CheckError(
            f"The file holds two entries named {doubled[0]}, which a Word document never does."
        )
    parts = {"/" + name: content for name, content in entries}
    content_types = parts.pop("/" + CONTENT_TYPES_NAME, None)
    if content_types is None or PACKAGE_RELS not in parts:
        raise CheckError("The file is a zip archive but not a Word document.")
    ContentTypes.parse(content_types)
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


def never_signed(rels_name: str, relationship: Relationship) -> bool:
    return rels_name == PACKAGE_RELS and relationship.type in UNSIGNED_PACKAGE_RELS


def origin_parts(package: Package) -> list[str]:
    return [
        resolve("/", rel.target)
        for rel in relationships(package.parts, PACKAGE_RELS)
        if rel.type == ORIGIN_REL and not rel.external
    ]


def signature_parts(package: Package) -> list[str]:
    """The signature parts listed by the origin part's relationships (how Word finds them)."""
    found = []
    for origin in origin_parts(package):
        origin_rels = rels_name(origin)
        if origin_rels in package.parts:
            found += [
                resolve(origin, rel.target)
                for rel in relationships(package.parts, origin_rels)
                if rel.type == SIGNATURE_REL and not rel.external
            ]
    return found


def exempt_parts(package: Package) -> set[str]:
    """Parts no signature covers: the document properties and the signature parts."""
    exempt = {
        resolve("/", rel.target)
        for rel in relationships(package.parts, PACKAGE_RELS)
        if rel.type in UNSIGNED_PACKAGE_RELS and not rel.external
    }
    exempt.update(rels_name(origin) for origin in origin_parts(package))
    exempt.update(signature_parts(package))
    return exempt
