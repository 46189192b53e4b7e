"""Canonical bytes and digests: inclusive C14N, the RelationshipTransform, SHA-256, base64.

Signer and verifier digest through these same functions, and the independent verifier checks
that the bytes are the ones the standard asks for.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from collections.abc import Collection
from datetime import datetime

from lxml import etree

from s47desk.record.signature.names import RELS, RELS_NS
from s47desk.record.signature.package import parse_xml


def canonical(root: etree._Element) -> bytes:
    """Inclusive C14N 1.0 without comments of a whole (detached) tree."""
    data: bytes = etree.tostring(root, method="c14n", exclusive=False, with_comments=False)
    return data


def c14n(element: etree._Element) -> bytes:
    """Inclusive C14N 1.0 (no comments) of *element*, as a same-document reference sees it.

    Canonicalising a sub-element in place makes lxml emit a spurious xmlns="" under a default
    namespace, so the digest would not match other verifiers; a detached copy that declares
    every in-scope namespace gives the exact bytes the standard asks for.
    """
    apex = etree.Element(element.tag, dict(element.attrib), nsmap=element.nsmap)
    apex.text = element.text
    apex.extend(copy.deepcopy(child) for child in element)
    return canonical(apex)


def relationships_c14n(parts: dict[str, bytes], rels_name: str, ids: Collection[str]) -> bytes:
    """The RelationshipTransform output (ECMA-376 Part 2): the chosen relationships only,
    sorted by Id as plain strings, TargetMode made explicit, canonicalised."""
    source = parse_xml(parts[rels_name], rels_name)
    chosen = [el for el in source.iterchildren(RELS + "Relationship") if el.get("Id") in ids]
    root = etree.Element(RELS + "Relationships", nsmap={None: RELS_NS})
    for element in sorted(chosen, key=lambda el: el.get("Id", "")):
        attributes = dict(element.attrib)
        attributes.setdefault("TargetMode", "Internal")
        etree.SubElement(root, RELS + "Relationship", attributes)
    return canonical(root)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str | None) -> bytes:
    """Decode base64 that may be wrapped over several lines; raises ValueError when damaged."""
    return base64.b64decode("".join((text or "").split()), validate=True)


def xml_time(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
