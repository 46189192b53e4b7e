"""Sign-offs made before migration 0004 still check, and the migration keeps signed meetings
locked, new columns included."""

from __future__ import annotations

import base64
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import MetaData, Table, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from s47desk import migrations
from s47desk.models import Meeting, SignOff
from s47desk.record.fingerprint import content_fingerprint, part_digests
from s47desk.signoff_check import canonical, check_signoff
from s47desk.storage import make_engine
from s47desk.vocab import MeetingStatus
from tests.factories import chris, complete_meeting

ADDED = {
    "ended_at": None, "chair_is_team_manager": False, "referrer": "", "referrer_kind": None,
    "parents_carers": "", "identities_checked": False, "contingency": "", "family_summary": "",
    "family_summary_confirmed": False,
}  # fmt: skip


def before_0004() -> Meeting:
    """A complete meeting as s47desk held it before migration 0004: the new fields empty."""
    m = complete_meeting()
    for key, value in ADDED.items():
        setattr(m, key, value)
    for attendee in m.attendees:
        attendee.senior_enough = False
    return m


def sealed_as_version_2(m: Meeting) -> Meeting:
    """Signed as s47desk signed before 0004: content version 2, no "content_version"."""
    identity = chris()
    signoff = SignOff(
        name="Chris Chair",
        role="Team manager",
        signed_at=datetime(2026, 11, 24, 16, 0),
        record_version=1,
        fingerprint=content_fingerprint(m, 2),
        certificate=base64.b64encode(identity.certificate.public_bytes(Encoding.DER)).decode(),
    )
    from s47desk.record.certificate import certificate_sha256

    said = {
        "format": "s47desk-signoff",
        "version": 1,
        "meeting_uid": m.uid,
        "reference": m.reference,
        "record_version": 1,
        "content_sha256": signoff.fingerprint,
        "parts": part_digests(m, 2),
        "audit_head": "",
        "signed_by": {"name": "Chris Chair", "role": "Team manager", "on_behalf_of": ""},
        "signed_at": "2026-11-24T16:00:00Z",
        "certificate_sha256": certificate_sha256(identity.certificate),
        "documents": {},
    }
    data = canonical(said)
    signoff.statement = data.decode()
    signoff.signature = base64.b64encode(
        identity.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    m.signoffs = [signoff]
    m.status = MeetingStatus.SIGNED
    return m


def test_a_sign_off_made_before_0004_still_checks() -> None:
    m = sealed_as_version_2(before_0004())
    assert content_fingerprint(m, 2) != content_fingerprint(m)  # the new fields are content now
    assert check_signoff(m).ok


def test_a_version_2_sign_off_still_sees_changes() -> None:
    m = sealed_as_version_2(before_0004())
    m.reason = "rewritten after signing"
    result = check_signoff(m)
    assert not result.ok and "changed after it was signed" in result.summary


def test_a_version_2_sign_off_sees_fields_filled_in_after_it() -> None:
    """Content version 2 has no contingency plan: one that appears was added after signing."""
    m = sealed_as_version_2(before_0004())
    m.contingency = "added after signing"
    result = check_signoff(m)
    assert not result.ok and "fields added to s47desk after it was signed" in result.summary
    m = sealed_as_version_2(before_0004())
    m.attendees[0].senior_enough = True
    assert not check_signoff(m).ok


def _alembic(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    engine = make_engine(make_url(url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_migration_0004_keeps_signed_meetings_and_locks_the_new_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    _alembic(url, "0003")
    engine = make_engine(make_url(url))
    meeting = Table("meeting", MetaData(), autoload_with=engine)
    child = Table("child", MetaData(), autoload_with=engine)
    with engine.begin() as connection:
        connection.execute(
            insert(meeting).values(
                id=1, uid="11111111-1111-4111-8111-111111111111", reference="T-1", form_id="initial",
                status="draft", chair_name="Chris", chair_role="TM", minute_taker="", local_authority="",
                urgency="standard", concerns=[], reason="r", immediate_action="", late_reason="",
                risks="", strengths="", child_voice="", child_voice_plan="", other_children_note="",
                child_in_hospital=False, record_version=1, amendment_reason="", provenance="",
                created_at=datetime(2026, 11, 24), updated_at=datetime(2026, 11, 24), revision=0,
                audit_head="", referral_received=date(2026, 11, 23),
            )
        )  # fmt: skip
        connection.execute(
            insert(child).values(
                id=1, uid="22222222-2222-4222-8222-222222222222", meeting_id=1, position=0,
                name="Alex", role="subject", gender="", reference="", outcome="undecided",
                outcome_note="",
            )
        )  # fmt: skip
        connection.execute(text("UPDATE meeting SET status = 'signed' WHERE id = 1"))
    engine.dispose()
    _alembic(url, "head")
    engine = make_engine(make_url(url))
    meeting = Table("meeting", MetaData(), autoload_with=engine)
    with engine.begin() as connection:  # nothing cascade-deleted; new columns at their defaults
        row = connection.execute(select(meeting).where(meeting.c.id == 1)).mappings().one()
        assert row["status"] == "signed" and row["contingency"] == ""
        assert row["chair_is_team_manager"] in (0, False)
        assert connection.execute(text("SELECT count(*) FROM child")).scalar() == 1
    for change in ({"contingency": "added later"}, {"family_summary_confirmed": True}):
        with pytest.raises(DBAPIError, match="signed"), engine.begin() as connection:
            connection.execute(update(meeting).where(meeting.c.id == 1).values(**change))
    with engine.begin() as connection:
        connection.execute(update(meeting).where(meeting.c.id == 1).values(status="circulated"))
    engine.dispose()
