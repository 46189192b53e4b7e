"""Circulation: a draft per agency with the signed record, sending over STARTTLS, the log."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from datetime import date
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from s47desk.circulation import (
    CirculationError,
    CirculationResult,
    agency_digests,
    circulate,
    confirm_sent,
    history,
)
from s47desk.cli import main
from s47desk.forms import FormRegistry, load_forms
from s47desk.meetings import get_meeting
from s47desk.models import Attendee, InformationItem
from s47desk.protocol import Protocol
from s47desk.record.export import DOCX_MIME
from s47desk.record.signature import verify_docx
from s47desk.settings import Settings, save_settings
from s47desk.storage import Database
from s47desk.vocab import Agency, MeetingStatus
from tests.factories import complete_meeting, store_signed
from tests.mailkit import PASSWORD, USER, MailServer, serve
from tests.recordkit import DEMO_SIGNED, DEMO_UNSIGNED, chair, demo

CHILD_NAMES = ("Maya", "Thompson", "Leo")


@pytest.fixture
def demo_db(db: Database, forms: FormRegistry, protocol: Protocol, today: date) -> Database:
    with db.transaction() as session:
        demo(session, forms, protocol, today)
    return db


def _parse(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    return message


def _attachment(message: EmailMessage) -> tuple[str, str, bytes]:
    [part] = list(message.iter_attachments())
    assert isinstance(part, EmailMessage)
    data = part.get_content()
    assert isinstance(data, bytes)
    return part.get_content_type(), part.get_filename() or "", data


def _status(db: Database, meeting_id: int) -> MeetingStatus:
    with db.sessions() as session:
        return get_meeting(session, meeting_id).status


def circulate_demo(db: Database, outdir: Path, **extra: Any) -> CirculationResult:
    """Circulate the demo's signed meeting into *outdir* (no key needed: the signed file)."""
    return circulate(db, DEMO_SIGNED, outdir, forms=load_forms(), protocol=Protocol(), **extra)


def send_through(
    db: Database, server: MailServer, outdir: Path, password: str = PASSWORD, **extra: Any
) -> CirculationResult:
    """Circulate the demo's signed meeting by email through the test *server*."""
    outdir.mkdir()
    return circulate_demo(
        db,
        outdir,
        send=True,
        server=server.smtp(),
        password=password,
        ssl_context=server.client_context(),
        **extra,
    )


# -- drafts -------------------------------------------------------------------------------


def test_drafts_per_agency_carry_the_signed_record_and_their_own_actions(
    demo_db: Database, tmp_path: Path
) -> None:
    result = circulate_demo(demo_db, tmp_path, sent_by="Priya Sandhu")
    ref = result.record.reference
    assert re.fullmatch(r"NCC-[0-9A-Z]{4}-[0-9A-Z]{4}", ref)
    assert verify_docx(result.record_path, signer_sha256=chair().identity.fingerprint_sha256).ok
    drafts = {o.digest.agency: o.draft for o in result.outcomes}
    assert set(drafts) == {Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH, Agency.EDUCATION}
    for agency, path in drafts.items():
        assert path is not None and path.suffix == ".eml"
        message = _parse(path)
        assert message["X-Unsent"] == "1"
        subject = str(message["Subject"])
        assert subject == f"OFFICIAL-SENSITIVE: Strategy discussion record – ref {ref} (version 1)"
        assert not any(name in subject for name in CHILD_NAMES)
        kind, filename, data = _attachment(message)
        assert kind == DOCX_MIME and filename == f"strategy-discussion-{ref}-v1-record.docx"
        assert data == result.record_path.read_bytes()
        assert verify_docx(data).ok
        body = message.get_body(("plain",))
        assert body is not None
        text = body.get_content()
        assert text.startswith("OFFICIAL-SENSITIVE") and f"for {agency.label}" in text
    police = _parse(drafts[Agency.POLICE])  # type: ignore[arg-type]
    assert police["To"] == "helen.marsh@police.example"
    police_text = police.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "ABE interview with Maya" in police_text and "Due by: Fri" in police_text
    assert "Child protection medical" not in police_text  # health's action, not police's
    health = _parse(drafts[Agency.HEALTH])  # type: ignore[arg-type]
    assert health["To"] == "grace.liu@nhs.example"  # the GP (apologies) has no address
    assert any(w.startswith("Dr Owen Price (Health): no email address") for w in result.warnings)


def test_drafts_alone_do_not_count_as_circulated_until_confirmed(
    demo_db: Database, forms: FormRegistry, protocol: Protocol, tmp_path: Path
) -> None:
    result = circulate_demo(demo_db, tmp_path, sent_by="Priya Sandhu")
    assert not result.circulated
    assert result.deadline is not None and not result.deadline.done
    assert _status(demo_db, DEMO_SIGNED) is MeetingStatus.SIGNED
    with demo_db.sessions() as session:
        log = history(session, DEMO_SIGNED)
    assert [e.method for e in log] == ["draft"] * 4
    assert {e.content_fingerprint for e in log} == {result.record.content_fingerprint}
    assert {e.record_version for e in log} == {1}
    deadline = confirm_sent(demo_db, DEMO_SIGNED, forms=forms, protocol=protocol, by="Priya")
    assert deadline is not None and deadline.done  # circulated (late or not: the clock says)
    assert _status(demo_db, DEMO_SIGNED) is MeetingStatus.CIRCULATED
    with demo_db.sessions() as session:
        log = history(session, DEMO_SIGNED)
    assert [e.method for e in log].count("by_hand") == 4
    assert {e.recipients for e in log if e.agency is Agency.POLICE} == {
        "helen.marsh@police.example"
    }


def test_an_unsigned_meeting_is_refused(
    demo_db: Database, forms: FormRegistry, protocol: Protocol, tmp_path: Path
) -> None:
    with pytest.raises(CirculationError, match="is not signed"):
        circulate(demo_db, DEMO_UNSIGNED, tmp_path, forms=forms, protocol=protocol)
    with pytest.raises(CirculationError, match="No drafts"):
        confirm_sent(demo_db, DEMO_SIGNED, forms=forms, protocol=protocol)
    assert list(tmp_path.glob("*.eml")) == []


def test_agencies_without_email_and_referrers_are_reported_not_mailed(
    db: Database, forms: FormRegistry, protocol: Protocol, tmp_path: Path
) -> None:
    meeting = complete_meeting()
    meeting.attendees[2].email = "ds.lee@police.example"
    meeting.attendees.append(
        Attendee(name="Ms Neighbour", agency=Agency.REFERRER, email="n@example.org")
    )
    meeting.information.append(
        InformationItem(agency=Agency.REFERRER, text="Heard shouting", nil_return=False)
    )
    meeting_id = store_signed(db, meeting, forms, protocol)
    result = circulate(db, meeting_id, tmp_path, forms=forms, protocol=protocol)
    mailed = {o.digest.agency for o in result.outcomes if o.draft}
    assert mailed == {Agency.POLICE}
    assert Agency.REFERRER not in {o.digest.agency for o in result.outcomes}
    assert any(w.startswith("Ms Neighbour (Referrer)") for w in result.warnings)
    assert any(w.startswith("Children's social care: no email address") for w in result.warnings)
    assert "n@example.org" not in "".join(p.read_text() for p in tmp_path.glob("*.eml"))
    with db.sessions() as session:
        prepared = {(e.agency, e.recipients) for e in history(session, meeting_id)}
    assert prepared == {
        (Agency.SOCIAL_CARE, ""),
        (Agency.HEALTH, ""),
        (Agency.POLICE, "ds.lee@police.example"),
    }
    deadline = confirm_sent(db, meeting_id, forms=forms, protocol=protocol, by="Chris Chair")
    assert deadline is not None and deadline.done  # circulated (late or not: the clock says)


def test_digest_lists_each_agencys_own_actions(
    demo_db: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    with demo_db.sessions() as session:
        digests = {d.agency: d for d in agency_digests(get_meeting(session, DEMO_SIGNED))}
    assert [a.number for a in digests[Agency.SOCIAL_CARE].actions] == [1, 4, 5]
    assert [a.number for a in digests[Agency.POLICE].actions] == [3]
    assert digests[Agency.EDUCATION].actions == ()
    assert digests[Agency.HEALTH].without_email == ("Dr Owen Price",)


# -- sending ------------------------------------------------------------------------------


@pytest.fixture
def plain_server(tmp_path: Path) -> Iterator[MailServer]:
    """A server that offers no encryption at all."""
    folder = tmp_path / "smtp-plain"
    folder.mkdir()
    yield from serve(folder, tls=False)


def test_sending_over_starttls_circulates_the_record(
    demo_db: Database,
    tmp_path: Path,
    mail_server: MailServer,
) -> None:
    outdir = tmp_path / "out"
    result = send_through(demo_db, mail_server, outdir, sent_by="Priya Sandhu")
    assert result.send_error == ""
    assert result.circulated and all(o.sent for o in result.outcomes if o.draft)
    assert result.deadline is not None and result.deadline.done
    assert _status(demo_db, DEMO_SIGNED) is MeetingStatus.CIRCULATED
    assert mail_server.mailbox.logins == [USER]
    received = mail_server.mailbox.received
    assert sorted(r for _f, rcpts, _c in received for r in rcpts) == sorted(
        [
            "t.okafor@northbridge.example",
            "helen.marsh@police.example",
            "grace.liu@nhs.example",
            "dsl@riverside.example",
        ]
    )
    for sender, _rcpts, content in received:
        assert sender == USER
        message = email.message_from_bytes(content, policy=default)
        assert isinstance(message, EmailMessage)
        assert message["X-Unsent"] is None and message["From"] == USER
        assert verify_docx(_attachment(message)[2]).ok
    with demo_db.sessions() as session:
        assert {e.method for e in history(session, DEMO_SIGNED)} == {"smtp"}


def test_server_without_encryption_is_refused_and_nothing_is_sent(
    demo_db: Database,
    tmp_path: Path,
    plain_server: MailServer,
) -> None:
    outdir = tmp_path / "out"
    result = send_through(demo_db, plain_server, outdir)
    assert "does not offer encryption" in result.send_error
    assert plain_server.mailbox.received == [] and plain_server.mailbox.logins == []
    assert not result.circulated
    assert _status(demo_db, DEMO_SIGNED) is MeetingStatus.SIGNED
    assert len(list(outdir.glob("*.eml"))) == 4  # the drafts are still there to send by hand


def test_wrong_password_is_reported_and_nothing_is_marked(
    demo_db: Database,
    tmp_path: Path,
    mail_server: MailServer,
) -> None:
    outdir = tmp_path / "out"
    result = send_through(demo_db, mail_server, outdir, password="wrong")
    assert "refused the user name or password" in result.send_error
    assert PASSWORD not in result.send_error
    assert mail_server.mailbox.received == []
    assert _status(demo_db, DEMO_SIGNED) is MeetingStatus.SIGNED


# -- command line -------------------------------------------------------------------------


def test_circulate_command_drafts_then_mark_sent(
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, outdir = str(demo_db.engine.url), tmp_path / "out"
    sign: list[str] = []  # business support circulates without the chair's key
    assert main(["--db", url, "circulate", str(DEMO_UNSIGNED), "--outdir", str(outdir), *sign]) == 2
    assert "is not signed" in capsys.readouterr().err
    assert main(["--db", url, "circulate", str(DEMO_SIGNED), "--outdir", str(outdir), *sign]) == 0
    out = capsys.readouterr().out
    assert "--mark-sent" in out and "Record circulated: due by" in out and "(not yet met)" in out
    assert len(list(outdir.glob("*.eml"))) == 4
    assert main(["--db", url, "circulate", str(DEMO_SIGNED), "--mark-sent"]) == 0
    assert "Record circulated: due by" in (out := capsys.readouterr().out)
    assert "(not yet met)" not in out and ("(met on time)" in out or "late: " in out)
    assert _status(demo_db, DEMO_SIGNED) is MeetingStatus.CIRCULATED


def test_circulate_command_without_outdir_writes_to_the_export_folder_in_settings(
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    exports = tmp_path / "council-exports"
    save_settings(Settings(export_folder=str(exports)))
    args = ["--db", str(demo_db.engine.url), "circulate", str(DEMO_SIGNED)]
    assert main(args) == 0
    [folder] = [p for p in exports.iterdir() if p.is_dir()]
    assert len(list(folder.glob("*.eml"))) == 4 and len(list(folder.glob("*.docx"))) == 1
    assert str(folder) in capsys.readouterr().out
    assert oct(folder.stat().st_mode & 0o777) == "0o700"


def test_circulate_command_sends_with_settings_and_password_from_environment(
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mail_server: MailServer,
) -> None:
    save_settings(
        Settings(
            chair_name="Priya Sandhu",
            smtp_host="127.0.0.1",
            smtp_port=mail_server.port,
            smtp_user=USER,
            sender_email=USER,
            signing_certificate=str(chair().p12),
        )
    )
    monkeypatch.setenv("SMTP_PASS", PASSWORD)
    monkeypatch.setenv("SSL_CERT_FILE", str(mail_server.ca_file))  # trust the test server
    args = [
        "--db",
        str(demo_db.engine.url),
        "circulate",
        str(DEMO_SIGNED),
        "--outdir",
        str(tmp_path / "out"),
        "--send",
    ]
    assert main([*args, "--smtp-pass-env", "SMTP_PASS"]) == 0
    assert len(mail_server.mailbox.received) == 4
    assert _status(demo_db, DEMO_SIGNED) is MeetingStatus.CIRCULATED


def test_the_package_names_are_the_functions_whatever_was_imported_first() -> None:
    """The names load their module when first asked (a meeting opens without the Word record);
    importing a submodule directly first must not put a module where a function is expected."""
    import importlib

    import s47desk.circulation as package

    for module in ("circulating", "digest", "log", "smtp", "drafts"):
        importlib.import_module(f"s47desk.circulation.{module}")
    assert callable(package.circulate) and not isinstance(package.circulate, type(package))
    from s47desk.circulation import SmtpServer, circulate, confirm_sent

    assert circulate.__module__ == "s47desk.circulation.circulating"
    assert confirm_sent.__module__ == SmtpServer.__module__.replace("smtp", "circulating")
