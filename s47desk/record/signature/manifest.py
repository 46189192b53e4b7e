"""The Manifest: recompute each signed part's digest, then find what the signature misses."""

from __future__ import annotations

from lxml import etree

from s47desk.record.signature.canonical import relationships_c14n, sha256
from s47desk.record.signature.names import C14N, DS, MDSSI, RELATIONSHIP_TRANSFORM
from s47desk.record.signature.package import (
    CheckError,
    ContentTypes,
    Package,
    Plumbing,
    exempt_parts,
    is_rels_name,
    never_signed,
    relationships,
    shown,
)
from s47desk.record.signature.xmldsig import is_referenced, stated_sha256, transform_algorithms

# What a signature covers: part name -> Ids of the relationships a RelationshipTransform
# selects (relationships parts), or None (parts signed as raw bytes).
Coverage = dict[str, frozenset[str] | None]


def check_manifest(
    package: Package,
    root: etree._Element,
    referenced: dict[str, etree._Element],
    problems: list[str],
) -> Coverage:
    """Recompute every Manifest digest from the package as it is now; return what is covered."""
    manifests = list(root.iter(DS + "Manifest"))
    holder = manifests[0].getparent() if len(manifests) == 1 else None
    if holder is None or not is_referenced(holder, referenced):
        raise CheckError("The signature does not cover a list of the document's parts.")
    types = ContentTypes.parse(package.content_types)
    coverage: Coverage = {}
    for reference in manifests[0].iterchildren(DS + "Reference"):
        name, _, query = reference.get("URI", "").partition("?")
        if name not in package.parts:
            problems.append(f"{shown(name)} was removed after signing.")
            continue
        if _query_content_type(query) != types.of(name):
            problems.append(f"The content type of {shown(name)} was changed after signing.")
        coverage[name] = _check_part_digest(package, name, reference, problems)
    return coverage


def _check_part_digest(
    package: Package, name: str, reference: etree._Element, problems: list[str]
) -> frozenset[str] | None:
    """Recompute one part's digest; return the relationship Ids its transform selects, if any."""
    algorithms = transform_algorithms(reference)
    selected: frozenset[str] | None = None
    if algorithms == [RELATIONSHIP_TRANSFORM, C14N]:
        selected = _selected_relationships(reference.find(f"{DS}Transforms/{DS}Transform"))
        data = relationships_c14n(package.parts, name, selected)
    elif not algorithms:
        data = package.parts[name]
    else:
        problems.append(f"{shown(name)} is signed in a way s47desk does not accept.")
        return None
    if sha256(data) != stated_sha256(reference):
        problems.append(f"{shown(name)} was changed after signing.")
    return selected


def _selected_relationships(transform: etree._Element) -> frozenset[str]:
    children = [child for child in transform if isinstance(child.tag, str)]
    if any(child.tag != MDSSI + "RelationshipReference" for child in children):
        raise CheckError("The signature selects relationships in a way s47desk does not accept.")
    return frozenset(child.get("SourceId", "") for child in children)


def _query_content_type(query: str) -> str | None:
    """ContentType from a Manifest URI query, taken literally ("+" is not a space here)."""
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == "ContentType":
            return value
    return None


def coverage_problems(package: Package, plumbing: Plumbing, coverage: Coverage) -> list[str]:
    """Anything the signature does not cover, other than the exempt parts, was added later."""
    problems = []
    exempt = exempt_parts(package, plumbing)
    for name in package.parts:
        if name in exempt:
            continue
        if name not in coverage:
            problems.append(f"{shown(name)} is not covered by the signature (added after signing).")
            continue
        selected = coverage[name]
        if selected is None or not is_rels_name(name):
            continue
        for rel in relationships(package.parts, name):
            if rel.id not in selected and not never_signed(name, rel):
                problems.append(
                    f"The link {rel.id} to {rel.target} in {shown(name)} is not covered by "
                    "the signature (added after signing)."
                )
    return problems
