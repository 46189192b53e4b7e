"""A record's reference: the same in every database, readable by people, never a child's name.

Derived once, when a meeting is created, from its uid and its local authority; kept on import
and by every amendment, so "NCC-7K3F-9QAB version 2" means one record wherever it is read.
The uid itself goes in the record's details for anyone who must match it exactly.
"""

from __future__ import annotations

import hashlib
import re

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O or U: nothing to misread
_MINOR = {"of", "the", "and", "for", "&"}


def authority_code(local_authority: str) -> str:
    """The initials of the authority's name ("Northbridge City Council" -> "NCC"), or "SD"."""
    name = re.sub(r"\(.*?\)", " ", local_authority)
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _MINOR]
    return "".join(w[0].upper() for w in words)[:4] or "SD"


def make_reference(uid: str, local_authority: str) -> str:
    """E.g. "NCC-7K3F-9QAB": the authority's initials and 40 bits of the uid's SHA-256."""
    number = int.from_bytes(hashlib.sha256(uid.encode("ascii")).digest()[:5], "big")
    chars = "".join(_CROCKFORD[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"{authority_code(local_authority)}-{chars[:4]}-{chars[4:]}"
