"""Attacks on a signed record, each judged by s47desk's verifier and by Apache POI.

Every record here is a real .docx from s47desk's record writer (the demo's signed meeting),
signed with real keys. ATTACKS is the single table of expected verdicts: test_s47desk_verdict
checks s47desk's, test_poi_verdict (marked independent_verifier) checks the independent
verifier's, run with --strict exactly as CI runs it.

The two must agree. Where they cannot, because POI does not check something a signed record
must not lie about, s47desk is the stricter one and the case says, in `poi_gap`, what POI
does not check. VerifyDocx.java's --strict adds only coverage of parts and relationships; it
never checks validity dates, chains, the signing time or what the body prints, and it exempts
from coverage everything under /_xmlsignatures/, every part with a signature content type,
every origin-typed relationship anywhere, and thumbnails. s47desk never says VALID where POI
says anything else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from functools import cached_property
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from s47desk.forms import FormRegistry
from s47desk.meetings import get_meeting
from s47desk.protocol import Protocol
from s47desk.record.certificate import SigningIdentity
from s47desk.record.certificate_facts import thumbprint_text
from s47desk.record.context import RecordContext, Signer
from s47desk.record.export import RecordError
from s47desk.record.fingerprint import content_fingerprint
from s47desk.record.full import render_full
from s47desk.record.signature import VerificationResult, VerificationStatus, sign_docx, verify_docx
from s47desk.record.verify_report import NOT_VALIDATED, verification_report
from s47desk.storage import open_database
from tests import certkit, forgery
from tests.conftest import IN_CI
from tests.forgery import OFFICE_REL, ORIGIN_REL, SIG, THUMBNAIL_REL, TYPES, parts, rebuild
from tests.recordkit import DEMO_SIGNED, chair, demo, signed_record

VERIFIER = (
    Path(__file__).resolve().parents[2]
    / "shared/tools/verify-docx-signature/verify-docx-signature.sh"
)
PNG = "image/png"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOC_RELS = "word/_rels/document.xml.rels"


class Poi(Enum):
    """The independent verifier's exit codes."""

    VALID = 0
    INVALID = 1
    UNSIGNED = 2
    ERROR = 3  # POI refuses to open the package at all


# The POI verdict that means the same as each of s47desk's.
AGREES = {
    VerificationStatus.VALID: Poi.VALID,
    VerificationStatus.INVALID: Poi.INVALID,
    VerificationStatus.UNSIGNED: Poi.UNSIGNED,
    VerificationStatus.NOT_A_PACKAGE: Poi.ERROR,
}


class Forge:
    """The genuine records, the people and certificates, and the forger's tools."""

    def __init__(self, session: Session, forms: FormRegistry, protocol: Protocol) -> None:
        self.meeting = get_meeting(session, DEMO_SIGNED)
        self.forms, self.protocol = forms, protocol
        self._made: dict[str, bytes] = {}

    # -- people and certificates ---------------------------------------------------------
    @property
    def chair(self) -> SigningIdentity:
        return chair().identity  # Priya Sandhu's own self-signed certificate

    @cached_property
    def impostor(self) -> SigningIdentity:
        return certkit.identity("Priya Sandhu")  # another key under the chair's name

    @cached_property
    def deputy(self) -> SigningIdentity:
        return certkit.identity("Sam Deputy")

    @cached_property
    def expired(self) -> SigningIdentity:
        return certkit.identity(
            "Priya Sandhu",
            valid_from=certkit.NOW - timedelta(days=800),
            valid_to=certkit.NOW - timedelta(days=1),
        )

    @cached_property
    def not_yet_valid(self) -> SigningIdentity:
        return certkit.identity(
            "Priya Sandhu",
            valid_from=certkit.NOW + timedelta(days=30),
            valid_to=certkit.NOW + timedelta(days=400),
        )

    @cached_property
    def ca(self) -> certkit.Authority:
        return certkit.organisation_ca()

    @cached_property
    def ca_issued(self) -> SigningIdentity:
        return certkit.identity("Priya Sandhu", issued_by=self.ca)

    @cached_property
    def false_ca_claim(self) -> SigningIdentity:
        return certkit.identity("Priya Sandhu", claimed_issuer=self.ca.certificate.subject)

    # -- records ---------------------------------------------------------------------------
    @cached_property
    def genuine(self) -> bytes:
        return self.build(self.chair)

    @cached_property
    def family(self) -> bytes:
        return self.build(self.chair, family=True)

    def build(self, identity: SigningIdentity, *, family: bool = False) -> bytes:
        """What s47desk itself hands out (it checks its own signature before it does)."""
        return signed_record(self.meeting, identity, self.forms, self.protocol, family=family)

    def render(self, printed: SigningIdentity) -> bytes:
        """The unsigned full record, its body naming *printed*'s certificate."""
        form = self.forms.get(self.meeting.form_id)
        ctx = RecordContext.of(
            form, self.protocol, content_fingerprint(self.meeting), Signer.of(printed.certificate)
        )
        return render_full(self.meeting, ctx)

    def made(self, attack: Attack) -> bytes:
        if attack.id not in self._made:
            self._made[attack.id] = attack.make(self)
        return self._made[attack.id]

    def verify(self, attack: Attack) -> VerificationResult:
        return verify_docx(
            self.made(attack),
            signer_sha256=self.chair.fingerprint_sha256 if attack.pin else None,
            ca=self.ca.certificate if attack.with_ca else None,
        )


@dataclass(frozen=True)
class Attack:
    id: str
    make: Callable[[Forge], bytes]
    s47desk: VerificationStatus
    poi: Poi
    why: str
    poi_gap: str = ""  # when the verdicts differ: what POI does not check
    problem: str = ""  # words s47desk's explanation must contain
    pin: bool = False  # both verifiers are given the chair's real SHA-256 fingerprint
    with_ca: bool = False  # s47desk is given the organisation CA (POI has no such option)


# --------------------------------------------------------------------------- the attacks


def _added_picture(f: Forge, *, linked: bool) -> bytes:
    package = parts(f.genuine)
    change = {TYPES: forgery.with_default(package[TYPES], "png", PNG)}
    if linked:
        change[DOC_RELS] = forgery.with_relationship(
            package[DOC_RELS], "rId99", OFFICE_REL + "image", "media/image1.png"
        )
    return rebuild(f.genuine, change=change, add={"word/media/image1.png": forgery.TINY_PNG})


def _added_main_document(f: Forge) -> bytes:
    package = parts(f.genuine)
    second = forgery.parts(forgery.one_byte_changed(f.genuine))["word/document.xml"]
    return rebuild(
        f.genuine,
        change={
            TYPES: forgery.with_override(package[TYPES], "/word/document2.xml", DOCUMENT_TYPE),
            "_rels/.rels": forgery.with_relationship(
                package["_rels/.rels"], "rId9", OFFICE_REL + "officeDocument", "word/document2.xml"
            ),
        },
        add={"word/document2.xml": second},
    )


def _added_thumbnail(f: Forge) -> bytes:
    package = parts(f.genuine)
    return rebuild(
        f.genuine,
        change={
            TYPES: forgery.with_default(package[TYPES], "png", PNG),
            "_rels/.rels": forgery.with_relationship(
                package["_rels/.rels"], "rId9", THUMBNAIL_REL, "docProps/thumbnail.png"
            ),
        },
        add={"docProps/thumbnail.png": forgery.TINY_PNG},
    )


def _origin_link(f: Forge, target: str, add: dict[str, bytes]) -> bytes:
    rels = forgery.with_relationship(parts(f.genuine)["_rels/.rels"], "rId9", ORIGIN_REL, target)
    return rebuild(f.genuine, change={"_rels/.rels": rels}, add=add)


def _origin_link_in_document(f: Forge) -> bytes:
    rels = forgery.with_relationship(parts(f.genuine)[DOC_RELS], "rId99", ORIGIN_REL, "notes.sigs")
    return rebuild(f.genuine, change={DOC_RELS: rels}, add={"word/notes.sigs": b"Approved"})


def _countersigned(f: Forge) -> bytes:
    """The deputy's own valid signature over the same parts, added beside the chair's."""
    theirs = sign_docx(forgery.stripped(f.genuine), f.deputy)
    return forgery.with_second_signature(f.genuine, parts(theirs)[SIG])


def _content_type_edited(f: Forge) -> bytes:
    types = parts(f.genuine)[TYPES].replace(DOCUMENT_TYPE.encode(), MACRO_TYPE.encode())
    return rebuild(f.genuine, change={TYPES: types})


def _resigned(f: Forge, *, body_names_impostor: bool) -> bytes:
    """The body edited, then signed again with the impostor's key under the chair's name."""
    base = f.render(f.impostor) if body_names_impostor else forgery.stripped(f.genuine)
    return sign_docx(forgery.one_byte_changed(base), f.impostor)


def _properties_edited(f: Forge) -> bytes:
    core = parts(f.genuine)["docProps/core.xml"]
    start, end = core.index(b"<dc:title>") + 10, core.index(b"</dc:title>")
    edited = core[:start] + b"No further action" + core[end:]
    return rebuild(f.genuine, change={"docProps/core.xml": edited})


def _signed_by(
    identity: Callable[[Forge], SigningIdentity], *, after: timedelta | None = None
) -> Callable[[Forge], bytes]:
    """A record naming *identity*'s certificate, signed with it now, or *after* the start of
    its validity."""

    def make(f: Forge) -> bytes:
        signer = identity(f)
        at = None if after is None else signer.certificate.not_valid_before_utc + after
        return sign_docx(f.render(signer), signer, signed_at=at)

    return make


def _twin_in_other_case(f: Forge) -> bytes:
    twin = parts(forgery.one_byte_changed(f.genuine))["word/document.xml"]
    return rebuild(f.genuine, add={"Word/document.xml": twin})


POI_IGNORES_VALIDITY = (
    "POI does not check validity dates: --strict adds only coverage checks (VerifyDocx.java: "
    "'Neither POI nor this program checks certificate chains, revocation or validity dates')."
)
POI_EXEMPTS_PLUMBING = (
    "VerifyDocx exempts from coverage every part under /_xmlsignatures/, every part with a "
    "signature content type and every origin-typed relationship, wherever they are; s47desk "
    "exempts only the one origin and the signature it lists, as Word writes them."
)
POI_ANY_SIGNATURES = (
    "POI follows every origin link and accepts any number of valid signatures ('VALID (2 "
    "signatures)'); ECMA-376-2 has one origin part, and an s47desk record has one signature."
)
POI_IGNORES_BODY = (
    "POI does not read the body, so it cannot see that the record names another certificate; "
    "pinned to the printed fingerprint (--signer-sha256) it says INVALID too."
)

ATTACKS = [
    Attack(
        "genuine-record",
        lambda f: f.genuine,
        VerificationStatus.VALID,
        Poi.VALID,
        "The record as s47desk signed it, checked against the chair's published fingerprint.",
        pin=True,
    ),
    Attack(
        "genuine-family-copy",
        lambda f: f.family,
        VerificationStatus.VALID,
        Poi.VALID,
        "The family copy as s47desk signed it.",
        pin=True,
    ),
    Attack(
        "one-byte-change-in-body",
        lambda f: forgery.one_byte_changed(f.genuine),
        VerificationStatus.INVALID,
        Poi.INVALID,
        "A child's name changed by one letter: the part's digest no longer matches.",
        problem="word/document.xml was changed after signing",
    ),
    Attack(
        "added-part-without-relationship",
        lambda f: _added_picture(f, linked=False),
        VerificationStatus.INVALID,
        Poi.INVALID,
        "A picture (and its content type) added: no signed Manifest reference covers it.",
        problem="word/media/image1.png is not covered",
    ),
    Attack(
        "added-part-in-signature-folder",
        lambda f: rebuild(f.genuine, add={"_xmlsignatures/notes.xml": b"<notes>Approved</notes>"}),
        VerificationStatus.INVALID,
        Poi.VALID,
        "A part hidden among the signature parts, where nothing lists it.",
        poi_gap=POI_EXEMPTS_PLUMBING,
        problem="_xmlsignatures/notes.xml is not covered",
    ),
    Attack(
        "added-part-with-relationship",
        lambda f: _added_picture(f, linked=True),
        VerificationStatus.INVALID,
        Poi.INVALID,
        "A picture linked from the body's relationships: neither the link (rId99, not selected "
        "by the signed RelationshipTransform) nor the part is signed.",
        problem="rId99",
    ),
    Attack(
        "added-second-main-document",
        _added_main_document,
        VerificationStatus.INVALID,
        Poi.INVALID,
        "A second, altered main document linked from the package relationships.",
        problem="word/document2.xml is not covered",
    ),
    Attack(
        "added-thumbnail",
        _added_thumbnail,
        VerificationStatus.INVALID,
        Poi.VALID,
        "A thumbnail, which file managers show in place of the record.",
        poi_gap="ECMA-376 exempts thumbnails from signing and POI follows it; s47desk removes "
        "the thumbnail before signing, so one in a signed record was added afterwards.",
        problem="docProps/thumbnail.png is not covered",
    ),
    Attack(
        "added-part-with-fake-origin-relationship",
        lambda f: _origin_link(f, "word/notes.xml", {"word/notes.xml": b"<notes>Approved</notes>"}),
        VerificationStatus.INVALID,
        Poi.INVALID,
        "The known disagreement, fixed: s47desk used to exempt whatever an origin link points "
        "at. Now it accepts exactly one origin link; POI finds the part not covered.",
        problem="2 links to a signature origin",
    ),
    Attack(
        "second-origin-relationship",
        lambda f: _origin_link(f, "_xmlsignatures/origin.sigs", {}),
        VerificationStatus.INVALID,
        Poi.VALID,
        "A second origin link to the same origin: POI then counts the one signature twice.",
        poi_gap=POI_ANY_SIGNATURES,
        problem="2 links to a signature origin",
    ),
    Attack(
        "second-signature-countersigned",
        _countersigned,
        VerificationStatus.INVALID,
        Poi.VALID,
        "Another person's valid signature added beside the chair's, so the record appears "
        "approved by both.",
        poi_gap=POI_ANY_SIGNATURES,
        problem="2 signatures",
    ),
    Attack(
        "origin-typed-link-from-the-body",
        _origin_link_in_document,
        VerificationStatus.INVALID,
        Poi.VALID,
        "A part with the origin content type, linked by an origin-typed relationship from the "
        "body's relationships.",
        poi_gap=POI_EXEMPTS_PLUMBING,
        problem="rId99",
    ),
    Attack(
        "removed-part",
        lambda f: rebuild(f.genuine, drop=("word/settings.xml",)),
        VerificationStatus.INVALID,
        Poi.INVALID,
        "A signed part removed: its Manifest reference points at nothing.",
        problem="word/settings.xml was removed",
    ),
    Attack(
        "content-type-edited",
        _content_type_edited,
        VerificationStatus.INVALID,
        Poi.INVALID,
        "The body declared macro-enabled ([Content_Types].xml is unsigned, but each Manifest "
        "reference carries the signed content type).",
        problem="content type of word/document.xml",
    ),
    Attack(
        "swapped-certificate",
        lambda f: forgery.swapped_certificate(f.genuine, f.impostor.certificate),
        VerificationStatus.INVALID,
        Poi.INVALID,
        "KeyInfo replaced by another certificate in the chair's name: the signature value does "
        "not verify with its key, nor does the XAdES certificate digest match.",
        problem="signature value does not match",
    ),
    Attack(
        "re-signed-same-name-pinned",
        lambda f: _resigned(f, body_names_impostor=False),
        VerificationStatus.INVALID,
        Poi.INVALID,
        "The body altered and re-signed by another key under the chair's name; the recipient "
        "pins the chair's fingerprint. (s47desk says INVALID even unpinned: the body still "
        "prints the chair's fingerprints; see printed-fingerprint-differs.)",
        pin=True,
        problem="not with the expected certificate",
    ),
    Attack(
        "re-signed-same-name-body-rewritten-unpinned",
        lambda f: _resigned(f, body_names_impostor=True),
        VerificationStatus.VALID,
        Poi.VALID,
        "Re-signed by an impostor who also rewrote the printed fingerprints. A self-signed "
        "certificate proves integrity, not identity: nothing in the file can tell, so both say "
        "VALID and s47desk reports the identity as NOT validated (test below).",
    ),
    Attack(
        "re-signed-same-name-body-rewritten-pinned",
        lambda f: _resigned(f, body_names_impostor=True),
        VerificationStatus.INVALID,
        Poi.INVALID,
        "The same forgery, checked against the chair's published fingerprint.",
        pin=True,
        problem="not with the expected certificate",
    ),
    Attack(
        "grafted-signature",
        lambda f: rebuild(f.genuine, change={SIG: parts(f.family)[SIG]}),
        VerificationStatus.INVALID,
        Poi.INVALID,
        "sig1.xml taken from another record (the family copy, same chair and key).",
        problem="word/document.xml was changed after signing",
    ),
    Attack(
        "expired-certificate",
        _signed_by(lambda f: f.expired),
        VerificationStatus.INVALID,
        Poi.VALID,
        "Signed now with a certificate that expired yesterday.",
        poi_gap=POI_IGNORES_VALIDITY,
        problem="had expired",
    ),
    Attack(
        "not-yet-valid-certificate",
        _signed_by(lambda f: f.not_yet_valid),
        VerificationStatus.INVALID,
        Poi.VALID,
        "Signed now with a certificate valid only from next month.",
        poi_gap=POI_IGNORES_VALIDITY,
        problem="was not yet valid",
    ),
    Attack(
        "not-yet-valid-certificate-future-signing-time",
        _signed_by(lambda f: f.not_yet_valid, after=timedelta(days=1)),
        VerificationStatus.INVALID,
        Poi.VALID,
        "The same certificate, with a signing time claimed inside its validity, next month.",
        poi_gap=POI_IGNORES_VALIDITY + " Nor does it compare the claimed time with the clock.",
        problem="in the future",
    ),
    Attack(
        "printed-fingerprint-differs",
        lambda f: sign_docx(f.render(f.chair), f.deputy),
        VerificationStatus.INVALID,
        Poi.VALID,
        "The body names the chair's certificate; the deputy's key signed it.",
        poi_gap=POI_IGNORES_BODY,
        problem="SHA-256 fingerprint is",
    ),
    Attack(
        "certificate-falsely-claims-organisation-ca",
        _signed_by(lambda f: f.false_ca_claim),
        VerificationStatus.INVALID,
        Poi.VALID,
        "A self-made certificate naming the organisation CA as its issuer; s47desk is given "
        "the CA and checks its signature on the certificate.",
        poi_gap="POI does not check certificate chains (no CA can be given to it).",
        with_ca=True,
        problem="does not verify",
    ),
    Attack(
        "organisation-ca-issued",
        _signed_by(lambda f: f.ca_issued),
        VerificationStatus.VALID,
        Poi.VALID,
        "A certificate the organisation CA really issued (s47desk is given the CA).",
        with_ca=True,
    ),
    Attack(
        "unsigned-object-in-signature",
        lambda f: forgery.with_unsigned_object(f.genuine, "Approved by the Director"),
        VerificationStatus.INVALID,
        Poi.VALID,
        "An unsigned ds:Object with signature comments that Word displays.",
        poi_gap="POI validates only what SignedInfo references and ignores any other ds:Object.",
        problem="does not sign",
    ),
    Attack(
        "document-properties-edited",
        _properties_edited,
        VerificationStatus.VALID,
        Poi.VALID,
        "The title in docProps/core.xml changed: the format never signs document properties, "
        "which is why the record keeps nothing a reader must trust there.",
    ),
    Attack(
        "added-part-without-content-type",
        lambda f: rebuild(f.genuine, add={"word/notes.bin": b"Approved"}),
        VerificationStatus.NOT_A_PACKAGE,
        Poi.ERROR,
        "A part with no content type breaks ECMA-376-2 M1.14: neither reads it as a package.",
        problem="no content type",
    ),
    Attack(
        "part-twin-differing-in-case",
        _twin_in_other_case,
        VerificationStatus.NOT_A_PACKAGE,
        Poi.ERROR,
        "An altered Word/document.xml beside word/document.xml: part names ignore case "
        "(M1.12), so neither reads it as a package.",
        problem="part names ignore case",
    ),
    Attack(
        "signature-stripped",
        lambda f: forgery.stripped(f.genuine),
        VerificationStatus.UNSIGNED,
        Poi.UNSIGNED,
        "The signature removed without trace: both say unsigned, which is a failure whenever "
        "a signed record is expected.",
    ),
]


@pytest.fixture(scope="module")
def forge(
    tmp_path_factory: pytest.TempPathFactory, forms: FormRegistry, protocol: Protocol
) -> Iterator[Forge]:
    folder = tmp_path_factory.mktemp("attacks")
    db = open_database(f"sqlite:///{folder / 's47desk.sqlite3'}")
    with db.transaction() as session:
        demo(session, forms, protocol, date(2026, 11, 23))
    with db.sessions() as session:
        yield Forge(session, forms, protocol)
    db.close()


def _poi(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("java") is None and not IN_CI:
        pytest.skip("Java is not installed (CI installs it through the verifier)")
    return subprocess.run(
        ["bash", str(VERIFIER), "--strict", *options, str(path)],
        capture_output=True,
        text=True,
        timeout=900,  # the first run installs Java packages and compiles the verifier
        check=False,
        env={**os.environ},
    )


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.id for a in ATTACKS])
def test_s47desk_verdict(attack: Attack, forge: Forge) -> None:
    result = forge.verify(attack)

    assert result.status is attack.s47desk, result.problems
    if attack.problem:
        assert any(attack.problem in p for p in result.problems), result.problems
    assert (result.problems == []) is (attack.s47desk is VerificationStatus.VALID)
    # The table itself: s47desk is never more lenient than POI, and a disagreement says why.
    assert attack.s47desk is not VerificationStatus.VALID or attack.poi is Poi.VALID
    assert (AGREES[attack.s47desk] is not attack.poi) == bool(attack.poi_gap)


@pytest.mark.independent_verifier
@pytest.mark.parametrize("attack", ATTACKS, ids=[a.id for a in ATTACKS])
def test_poi_verdict(attack: Attack, forge: Forge, tmp_path: Path) -> None:
    path = tmp_path / f"{attack.id}.docx"
    path.write_bytes(forge.made(attack))
    pin = ("--signer-sha256", forge.chair.fingerprint_sha256) if attack.pin else ()

    run = _poi(path, *pin)

    assert run.returncode == attack.poi.value, run.stdout + run.stderr


@pytest.mark.independent_verifier
def test_poi_agrees_on_the_printed_fingerprint_when_pinned_to_it(
    forge: Forge, tmp_path: Path
) -> None:
    """What printed-fingerprint-differs leaves to the reader: pin what the record prints."""
    path = tmp_path / "printed.docx"
    path.write_bytes(forge.made(_attack("printed-fingerprint-differs")))

    run = _poi(path, "--signer-sha256", forge.chair.fingerprint_sha256)

    assert run.returncode == Poi.INVALID.value, run.stdout


def test_an_impostor_who_rewrote_the_body_is_reported_as_not_validated(forge: Forge) -> None:
    attack = _attack("re-signed-same-name-body-rewritten-unpinned")
    data = forge.made(attack)
    result = verify_docx(data)
    with_ca = verify_docx(data, ca=forge.ca.certificate)

    assert result.ok and result.signer == "Priya Sandhu"
    assert (
        result.signer_sha256 == forge.impostor.fingerprint_sha256 != forge.chair.fingerprint_sha256
    )
    report = verification_report(result, pinned=False)
    assert NOT_VALIDATED in report
    assert f"Certificate SHA-1 thumbprint: {thumbprint_text(result.signer_sha1 or '')}" in report
    assert with_ca.ok and with_ca.issued_by_ca is False
    assert any("NOT issued by" in line for line in verification_report(with_ca, pinned=False))


def test_s47desk_never_hands_out_a_record_its_certificate_could_not_sign(forge: Forge) -> None:
    for identity in (forge.expired, forge.not_yet_valid):
        with pytest.raises(RecordError, match="failed its own check"):
            forge.build(identity)


def _attack(identifier: str) -> Attack:
    return next(a for a in ATTACKS if a.id == identifier)
