"""sign_docx: prepare a finished record's package and add a Word-compatible signature to it."""

from __future__ import annotations

import posixpath
from datetime import UTC, datetime

from lxml import etree

from s47desk.record.certificate import SigningError, SigningIdentity
from s47desk.record.signature.names import (
    CONTENT_TYPES_NAME,
    ORIGIN_CONTENT_TYPE,
    ORIGIN_PART,
    ORIGIN_REL,
    PACKAGE_RELS,
    RELS,
    RELS_NS,
    SIGNATURE_CONTENT_TYPE,
    SIGNATURE_PART,
    SIGNATURE_REL,
    SIGNATURES_FOLDER,
    THUMBNAIL_REL,
    TYPES,
)
from s47desk.record.signature.package import (
    CheckError,
    ContentTypes,
    Package,
    Plumbing,
    exempt_parts,
    extension,
    has_origin_link,
    never_signed,
    parse_xml,
    read_package,
    relationships,
    rels_name,
    resolve,
    serialize,
    shown,
    write_package,
)
from s47desk.record.signature.signature_xml import Plan, add, signature_xml

MAX_COMMENT = 255  # SignatureComments in [MS-OFFCRYPTO]
_PLUMBING = Plumbing(ORIGIN_PART, (SIGNATURE_PART,))  # what _add_signature_plumbing adds


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
    if len(comment) > MAX_COMMENT:
        raise SigningError(
            f"The signing comment is longer than Word allows ({MAX_COMMENT} characters)."
        )
    try:
        package = read_package(docx_bytes)
        if has_origin_link(package) or any(n.startswith(SIGNATURES_FOLDER) for n in package.parts):
            raise SigningError(
                "This document is already signed. Sign the unsigned original instead; "
                "changing a signed document would break its signature."
            )
        _drop_thumbnail(package)
        _add_signature_plumbing(package)
        plan = _signing_plan(package)
        package.parts[SIGNATURE_PART] = signature_xml(package, plan, identity, when, comment)
    except CheckError as exc:
        raise SigningError(str(exc)) from exc
    return write_package(package, when)


def _signing_time(signed_at: datetime | None) -> datetime:
    when = signed_at or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("signed_at must carry a time zone")
    return when.astimezone(UTC).replace(microsecond=0)


def _drop_thumbnail(package: Package) -> None:
    """Remove the package thumbnail, which python-docx copies from its template.

    Signatures never cover a thumbnail, so an unsigned picture could masquerade as the record.
    """
    rels = parse_xml(package.parts[PACKAGE_RELS], PACKAGE_RELS)
    thumbnails = [
        element
        for element in rels.iterchildren(RELS + "Relationship")
        if element.get("Type") == THUMBNAIL_REL
    ]
    for element in thumbnails:
        rels.remove(element)
        if element.get("TargetMode") != "External":
            target = resolve("/", element.get("Target", ""))
            package.parts.pop(target, None)
            package.content_types = _forget_content_type(package, target)
    if thumbnails:
        package.parts[PACKAGE_RELS] = serialize(rels)


def _forget_content_type(package: Package, part_name: str) -> bytes:
    """[Content_Types].xml without the removed part's Override, or its Default if now unused."""
    root = parse_xml(package.content_types, "/" + CONTENT_TYPES_NAME)
    ext = extension(part_name)
    extension_used = any(extension(name) == ext for name in package.parts)
    for element in list(root.iterchildren(TYPES + "Override", TYPES + "Default")):
        if element.tag == TYPES + "Override":
            stale = element.get("PartName", "").lower() == part_name.lower()
        else:
            stale = not extension_used and element.get("Extension", "").lower() == ext
        if stale:
            root.remove(element)
    return serialize(root)


def _add_signature_plumbing(package: Package) -> None:
    """Add the origin part, its relationships and content types (none of them signed)."""
    rels = parse_xml(package.parts[PACKAGE_RELS], PACKAGE_RELS)
    taken = {element.get("Id") for element in rels.iterchildren(RELS + "Relationship")}
    origin_id = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
    add(rels, RELS + "Relationship", Id=origin_id, Type=ORIGIN_REL, Target=ORIGIN_PART[1:])
    package.parts[PACKAGE_RELS] = serialize(rels)

    package.parts[ORIGIN_PART] = b""
    origin_rels = etree.Element(RELS + "Relationships", nsmap={None: RELS_NS})
    add(
        origin_rels,
        RELS + "Relationship",
        Id="rId1",
        Type=SIGNATURE_REL,
        Target=posixpath.basename(SIGNATURE_PART),
    )
    package.parts[rels_name(ORIGIN_PART)] = serialize(origin_rels)

    types = parse_xml(package.content_types, "/" + CONTENT_TYPES_NAME)
    if "sigs" not in ContentTypes.parse(package.content_types).defaults:
        add(types, TYPES + "Default", Extension="sigs", ContentType=ORIGIN_CONTENT_TYPE)
    add(types, TYPES + "Override", PartName=SIGNATURE_PART, ContentType=SIGNATURE_CONTENT_TYPE)
    package.content_types = serialize(types)


def _signing_plan(package: Package) -> Plan:
    """Walk the relationships from the package root and decide what the signature covers.

    Every part reached and every relationship followed (external ones too, such as hyperlinks)
    is signed, except the document properties and the signature origin. Returns part name ->
    Ids of the relationships to sign for a relationships part, None for any other part.
    """
    plan: Plan = {}
    pending = ["/"]
    while pending:
        source = pending.pop()
        source_rels = rels_name(source)
        if source_rels not in package.parts:
            continue
        signed_ids: list[str] = []
        plan[source_rels] = signed_ids
        for rel in relationships(package.parts, source_rels):
            if never_signed(source_rels, rel):
                continue
            signed_ids.append(rel.id)
            if rel.external:
                continue
            target = resolve(source, rel.target)
            if target in plan:
                continue
            if target not in package.parts:
                raise CheckError(
                    f"{shown(source_rels)} refers to {shown(target)}, which is missing."
                )
            plan[target] = None
            pending.append(target)
    left_over = sorted(set(package.parts) - set(plan) - exempt_parts(package, _PLUMBING))
    if left_over:
        names = ", ".join(shown(name) for name in left_over)
        raise CheckError(f"The document holds parts that nothing refers to ({names}).")
    return plan
