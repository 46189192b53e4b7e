"""The fixed names of the format: namespaces, algorithms, content and relationship types.

In one place so that the signer and the verifier cannot drift apart on any of them.
"""

from __future__ import annotations

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"
MDSSI_NS = "http://schemas.openxmlformats.org/package/2006/digital-signature"
OFFICE_NS = "http://schemas.microsoft.com/office/2006/digsig"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# Clark-notation prefixes for lxml tags: DS + "Signature" is "{...xmldsig#}Signature".
DS, XADES, MDSSI, OFFICE, RELS, TYPES = (
    f"{{{ns}}}" for ns in (DS_NS, XADES_NS, MDSSI_NS, OFFICE_NS, RELS_NS, TYPES_NS)
)

C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
RELATIONSHIP_TRANSFORM = "http://schemas.openxmlformats.org/package/2006/RelationshipTransform"
OBJECT_TYPE = "http://www.w3.org/2000/09/xmldsig#Object"
SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"

ORIGIN_CONTENT_TYPE = "application/vnd.openxmlformats-package.digital-signature-origin"
SIGNATURE_CONTENT_TYPE = "application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml"

PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
ORIGIN_REL = PACKAGE_REL + "digital-signature/origin"
SIGNATURE_REL = PACKAGE_REL + "digital-signature/signature"
THUMBNAIL_REL = PACKAGE_REL + "metadata/thumbnail"
# Package relationships that a signature never covers: document properties and the origin.
UNSIGNED_PACKAGE_RELS = frozenset(
    {
        PACKAGE_REL + "metadata/core-properties",
        "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
        OFFICE_REL + "extended-properties",
        OFFICE_REL + "custom-properties",
        ORIGIN_REL,
    }
)

# The content type a document-properties part must have to be exempt from signing.
PROPERTIES_CONTENT_TYPES = {
    PACKAGE_REL + "metadata/core-properties": (
        "application/vnd.openxmlformats-package.core-properties+xml"
    ),
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties": (
        "application/vnd.openxmlformats-package.core-properties+xml"
    ),
    OFFICE_REL + "extended-properties": (
        "application/vnd.openxmlformats-officedocument.extended-properties+xml"
    ),
    OFFICE_REL + "custom-properties": (
        "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    ),
}
OFFICE_DOCUMENT_REL = OFFICE_REL + "officeDocument"

CONTENT_TYPES_NAME = "[Content_Types].xml"
PACKAGE_RELS = "/_rels/.rels"
SIGNATURES_FOLDER = "/_xmlsignatures/"
ORIGIN_PART = SIGNATURES_FOLDER + "origin.sigs"
SIGNATURE_PART = "/_xmlsignatures/sig1.xml"
SIGNATURE_ID = "idPackageSignature"
