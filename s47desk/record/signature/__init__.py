"""Word-compatible package signatures for .docx records: XML-DSig + XAdES, RSA/SHA-256.

The format follows ECMA-376 Part 2 as Word, LibreOffice and Apache POI write it. The signature
covers every part and relationship of the record except the document properties (author,
title, dates), which the format never signs: anything that must be protected belongs in the body.

Modules, one job each: names (the format's fixed names), package (the OPC package, its
signature plumbing and what is exempt), canonical (C14N and digests), signing and
signature_xml (making a signature), and verifying, which runs signed_info, manifest,
properties (signing times), printed (what the body says about its signer) and trust
(certificate validity, key usage, organisation CA), with xmldsig's readers.
"""

from s47desk.record.signature.signing import sign_docx
from s47desk.record.signature.verifying import (
    VerificationResult,
    VerificationStatus,
    verify_docx,
)

__all__ = ["VerificationResult", "VerificationStatus", "sign_docx", "verify_docx"]
