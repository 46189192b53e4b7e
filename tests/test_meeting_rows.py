"""The list read in bulk from plain rows says exactly what the meeting graphs say: the same
content fingerprints byte for byte, the same next deadlines and counts, and the same verdict on
every signed record that was altered behind s47desk's back — with the chair's signatures
verified once and remembered outside the database, where a forgery cannot hide."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import text

from benchmarks.generate import demo_templates, large_meeting, vary
from s47desk import list_read, meeting_rows, sqlite_file
from s47desk.audit import Actor
from s47desk.demo import load_demo
from s47desk.forms import FormRegistry
from s47desk.graph import load
from s47desk.meetingfile.reader import parse_meeting_file
from s47desk.meetingfile.writer import meeting_document
from s47desk.meetings import import_meeting, summaries, summarise
from s47desk.protocol import Protocol
from s47desk.record.fingerprint import canonical_content, content_fingerprint
from s47desk.signoff_check import check_signoff
from s47desk.signoff_rows import VerifiedSignatures, default_cache, signoff_ok, triple_key
from s47desk.storage import Database, open_database
from tests.dbkit_triggers import without_triggers
from tests.factories import complete_meeting, store_signed

TODAY = date(2026, 11, 23)


@cache
def _templates(tmp: Path) -> list[dict[str, object]]:
    return demo_templates(tmp)


def fill(db: Database, forms: FormRegistry, protocol: Protocol, tmp: Path, count: int) -> None:
    """The demo, the large meeting and *count* generated meetings, through the import path."""
    with db.transaction() as session:
        load_demo(session, forms, protocol, TODAY)
    templates = _templates(tmp)
    rnd = random.Random(47)
    files = [large_meeting(templates[0])]
    files += [vary(rnd.choice(templates), templates[0]["meeting"], rnd, rnd.randrange(0, 150))
              for _ in range(count)]  # fmt: skip
    with db.transaction() as session:
        session.info["actor"] = Actor("bench", "bench")
        for document in files:
            parsed = parse_meeting_file(json.dumps(document).encode(), known_forms=forms.ids())
            import_meeting(session, parsed)


@pytest.fixture(scope="module")
def template_file(
    tmp_path_factory: pytest.TempPathFactory, forms: FormRegistry, protocol: Protocol
) -> Path:
    """A filled SQLite database, made once: each test works on its own copy."""
    folder = tmp_path_factory.mktemp("filled")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("S47DESK_DATA", str(folder / "data"))
        mp.setenv("S47DESK_CONFIG", str(folder / "config"))
        database = open_database(f"sqlite:///{folder / 'filled.sqlite3'}")
        try:
            fill(database, forms, protocol, folder, 40)
            store_signed(database, complete_meeting(), forms, protocol)
        finally:
            database.close()
    return folder / "filled.sqlite3"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def filled(
    request: pytest.FixtureRequest,
    template_file: Path,
    tmp_path: Path,
    forms: FormRegistry,
    protocol: Protocol,
) -> Database:
    if request.param == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        shutil.copyfile(template_file, copy)
        database = open_database(f"sqlite:///{copy}")
    else:
        database = open_database(str(request.getfixturevalue("postgres_url")))
        fill(database, forms, protocol, tmp_path, 12)
        store_signed(database, complete_meeting(), forms, protocol)
    yield database  # type: ignore[misc]
    database.close()


def graphs(db: Database) -> dict[int, object]:
    from s47desk.models import Meeting

    with db.sessions() as session:
        ids = session.scalars(text("SELECT id FROM meeting")).all()
        found = {i: load(session, i) for i in ids}
    assert all(isinstance(m, Meeting) for m in found.values())
    return found  # type: ignore[return-value]


def test_content_from_rows_is_byte_identical(filled: Database) -> None:
    """Over the demo, the large meeting and generated ones, signed and not, both versions."""
    by_graph = graphs(filled)
    with filled.engine.connect() as c:
        plain = meeting_rows.load(c, whole=True)
    assert len(plain) == len(by_graph) > 15
    for m in plain:
        graph = by_graph[m.column("id")]
        document = meeting_document(graph)  # type: ignore[arg-type]
        for version in (1, 2):
            assert canonical_content(meeting_rows.content_document(m), version) == (
                canonical_content(document, version)
            )
            assert meeting_rows.content_fingerprint(m, version) == content_fingerprint(
                graph,  # type: ignore[arg-type]
                version,
            )


def expected(db: Database, forms: FormRegistry, protocol: Protocol) -> list[object]:
    """The list as the graphs and check_signoff make it."""
    out = []
    for _id, graph in sorted(graphs(db).items(), reverse=True):
        altered = not check_signoff(graph).ok  # type: ignore[arg-type]
        out.append(summarise(graph, forms, protocol, TODAY, altered=altered))  # type: ignore[arg-type]
    return out


def test_summaries_are_what_the_graphs_say(
    filled: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    with filled.sessions() as session:
        bulk = summaries(session, forms, protocol, TODAY)
    assert bulk == expected(filled, forms, protocol)
    assert {s.status.value for s in bulk} >= {"draft", "in_progress", "signed"}
    assert any(s.next_deadline is not None and s.next_deadline.due < TODAY for s in bulk)
    with filled.sessions() as session:  # one meeting alone, as the window updates one row
        one = summaries(session, forms, protocol, TODAY, ids=[bulk[3].id])
    assert one == [bulk[3]]


FORGERIES = [
    "UPDATE decision SET rationale = 'forged' WHERE meeting_id = :m AND kind = 's47'",
    "UPDATE meeting SET reason = 'forged' WHERE id = :m",
    "UPDATE meeting SET held_at = '2026-11-24 15:00:00.000000' WHERE id = :m",
    "UPDATE child SET name = 'Someone else' WHERE meeting_id = :m",
    "UPDATE child SET position = 5 - position WHERE meeting_id = :m",
    "DELETE FROM action WHERE meeting_id = :m",
    "UPDATE action SET child_id = (SELECT max(id) FROM child WHERE meeting_id = :m) "
    "WHERE meeting_id = :m",
    "INSERT INTO attendee (uid, meeting_id, position, name, role, agency, organisation, email, "
    "attendance, absence_reason, escalation) VALUES ('5b4c2f3e-6a1d-4e0b-9a47-000000000002', :m, "
    "9, 'Added', '', 'police', '', '', 'present', '', '')",
    "UPDATE information_item SET family_sharing = 'yes' WHERE meeting_id = :m",
    "INSERT INTO dissent (uid, meeting_id, decision_kind, name, text, escalation) VALUES "
    "('5b4c2f3e-6a1d-4e0b-9a47-000000000003', :m, 's47', 'Someone', 'I disagree', '')",
    "UPDATE signoff SET fingerprint = 'f' WHERE meeting_id = :m",
    "UPDATE signoff SET name = 'Someone Else' WHERE meeting_id = :m",
    "UPDATE signoff SET signed_at = '2026-11-25 10:00:00.000000' WHERE meeting_id = :m",
    "UPDATE signoff SET statement = replace(statement, 'audit_head', 'audit_hexd') "
    "WHERE meeting_id = :m",
    "UPDATE signoff SET signature = 'AAAA' WHERE meeting_id = :m",
    "UPDATE signoff SET certificate = 'not base64!' WHERE meeting_id = :m",
    "UPDATE signoff SET statement = '' WHERE meeting_id = :m",
    "DELETE FROM signoff WHERE meeting_id = :m",
    "UPDATE meeting SET status = 'circulated' WHERE id = :m",
]


ON_POSTGRES = (0, 3, 7, 13, 17)  # a few on the server too (each needs its own database)
CASES = [("sqlite", f) for f in FORGERIES] + [
    pytest.param("postgresql", FORGERIES[i], marks=pytest.mark.postgres) for i in ON_POSTGRES
]


@pytest.mark.parametrize(("filled", "forgery"), CASES, indirect=["filled"], ids=lambda s: s[:48])
def test_every_forgery_is_flagged_as_check_signoff_flags_it(
    filled: Database, forms: FormRegistry, protocol: Protocol, forgery: str
) -> None:
    with filled.sessions() as session:
        before = summaries(session, forms, protocol, TODAY)  # the signatures are remembered now
    signed = [s.id for s in before if s.status.value == "signed"]
    assert not any(s.altered for s in before) and len(signed) >= 2
    target = min(signed)  # the demo's complete meeting: two children, a dissent, actions
    with without_triggers(filled), filled.engine.begin() as c:
        c.execute(text(forgery), {"m": target})
    with filled.sessions() as session:
        after = summaries(session, forms, protocol, TODAY)
    assert after == expected(filled, forms, protocol)
    flagged = {s.id for s in after if s.altered}
    assert flagged == ({target} if "circulated" not in forgery else set())


def test_a_remembered_signature_never_covers_another_statement(
    filled: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    """Re-sign forged content with the chair's stored signature: the triple is another key."""
    with filled.sessions() as session:
        summaries(session, forms, protocol, TODAY)
    cache_file = default_cache().path
    assert cache_file is not None and cache_file.exists()
    remembered = cache_file.read_text().splitlines()
    with filled.engine.connect() as c:
        row = c.execute(
            text(
                "SELECT meeting_id, statement, signature, certificate FROM signoff ORDER BY id DESC"
            )
        ).first()
    assert row is not None
    meeting_id, statement, signature, certificate = row
    assert any(
        line.startswith(triple_key(statement, signature, certificate)) for line in remembered
    )
    said = json.loads(statement)
    said["content_sha256"] = "0" * 64
    forged = json.dumps(said, sort_keys=True, separators=(",", ":"))
    with without_triggers(filled), filled.engine.begin() as c:
        c.execute(
            text("UPDATE signoff SET statement = :s, fingerprint = :f WHERE meeting_id = :m"),
            {"s": forged, "f": "0" * 64, "m": meeting_id},
        )
    fresh = VerifiedSignatures(cache_file)  # as the next start reads it
    with filled.engine.connect() as c:
        [m] = meeting_rows.load(c, ids=[meeting_id])
    assert not signoff_ok(m, fresh)
    assert fresh.get(triple_key(forged, signature, certificate)) is None


def test_a_damaged_cache_file_is_only_a_cache(tmp_path: Path, filled: Database) -> None:
    path = tmp_path / "verified.txt"
    path.write_bytes(b"\xff\xfe garbage\nnot hex at all\n" + b"a" * 64 + b" short\n")
    cache = VerifiedSignatures(path)
    with filled.engine.connect() as c:
        plain = meeting_rows.load(c)
    assert all(signoff_ok(m, cache) for m in plain)
    cache.save()
    assert VerifiedSignatures(path).get("a" * 64) is None


def test_reading_a_column_the_list_does_not_read_is_an_error(filled: Database) -> None:
    """A new rule input must be added to meeting_rows.NEEDED, never silently missing."""
    with filled.engine.connect() as c:
        draft = next(m for m in meeting_rows.load(c) if not m.is_locked)
    with pytest.raises(AttributeError):
        _ = draft.reason  # long text: not read for the list
    with pytest.raises(AttributeError):
        _ = draft.actions[0].text if draft.actions else draft.children[0].gender


def test_signature_cache_is_owner_only(
    filled: Database, forms: FormRegistry, protocol: Protocol
) -> None:
    with filled.sessions() as session:
        summaries(session, forms, protocol, TODAY)
    path = default_cache().path
    assert path is not None and path.stat().st_mode & 0o077 == 0


# -- the command line's reading with sqlite3 alone (s47desk.list_read) ------------------------
def _copy(template_file: Path, tmp_path: Path) -> str:
    copy = tmp_path / "plain.sqlite3"
    shutil.copyfile(template_file, copy)
    return f"sqlite:///{copy}"


def _compiled(url: str) -> None:
    """The statements compiled and kept, as the first list read through SQLAlchemy does."""
    db = open_database(url)
    try:
        list_read.remember_plan(db)
    finally:
        db.close()


def _rows(rows: list[object]) -> list[object]:
    """Rows as their names, values and the values' types (True is not 1, a date not a text)."""
    return [
        (tuple(r._fields), [(type(v), v) for v in r])  # type: ignore[attr-defined]
        for r in rows
    ]


def _same(plain: meeting_rows.PlainMeeting, by_sqlalchemy: meeting_rows.PlainMeeting) -> None:
    mine, theirs = plain.__dict__, by_sqlalchemy.__dict__
    assert mine.keys() == theirs.keys()
    for key, value in theirs.items():
        if key in ("_layout", "_decode", "initiating_meeting"):
            continue
        if key in meeting_rows.ORDER or key == "_raw_decisions":  # a collection's rows
            assert _rows(mine[key]) == _rows(value), key
        else:
            assert (type(mine[key]), mine[key]) == (type(value), value), key
    assert plain._layout == by_sqlalchemy._layout
    assert (plain._decode is None) == (by_sqlalchemy._decode is None)
    starts = (plain.initiating_meeting, by_sqlalchemy.initiating_meeting)
    assert [(s.uid, s.held_at) if s else None for s in starts[:1]] == [
        (s.uid, s.held_at) if s else None for s in starts[1:]
    ]


def _circulated(url: str) -> None:
    """One signed meeting circulated (with a draft sending too, which does not count)."""
    db = open_database(url)
    try:
        with without_triggers(db), db.engine.begin() as c:
            m = c.execute(text("SELECT min(id) FROM meeting WHERE status = 'signed'")).scalar()
            c.execute(text("UPDATE meeting SET status = 'circulated' WHERE id = :m"), {"m": m})
            for method, at in (("smtp", "2026-11-20 10:00:00.000000"), ("draft", "2026-11-21")):
                c.execute(
                    text(
                        "INSERT INTO circulation (meeting_id, agency, recipients, method, at, by,"
                        " record_version, content_fingerprint, document_sha256, signer_sha256,"
                        " message_id) SELECT id, 'police', '', :method, :at, '', record_version,"
                        " '', '', '', '' FROM meeting WHERE id = :m"
                    ),
                    {"m": m, "method": method, "at": at},
                )
    finally:
        db.close()


def test_sqlite3_reads_what_sqlalchemy_reads(
    template_file: Path, tmp_path: Path, forms: FormRegistry, protocol: Protocol
) -> None:
    """Every meeting, column, row and collection the same, value and type, in the same order;
    the same list; and the same statements, with the same parameters, as SQLAlchemy sends."""
    url = _copy(template_file, tmp_path)
    _circulated(url)
    assert list_read.read_meetings(url) is None  # nothing compiled yet: through SQLAlchemy
    _compiled(url)
    sent: list[tuple[str, list[object]]] = []
    run = list_read._Statement.run

    class Recording:
        def __init__(self, connection: object) -> None:
            self.connection = connection

        def execute(self, sql: str, params: list[object]) -> object:
            sent.append((sql, list(params)))
            return self.connection.execute(sql, params)  # type: ignore[attr-defined]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(list_read._Statement, "run", lambda self, c, ids: run(self, Recording(c), ids))
        plain = list_read.read_meetings(url)
    assert plain is not None
    db = open_database(url)
    expected_sent: list[tuple[str, list[object]]] = []

    def seen(_c: object, _cur: object, sql: str, params: object, _x: object, _m: bool) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            expected_sent.append((sql, list(params or ())))  # type: ignore[call-overload]

    from sqlalchemy import event

    try:
        event.listen(db.engine, "before_cursor_execute", seen)
        with db.sessions() as session:
            by_sqlalchemy = meeting_rows.load(session.connection())
        event.remove(db.engine, "before_cursor_execute", seen)
        assert sent == expected_sent and len(sent) == 14  # circulation too
        assert [m.column("id") for m in plain] == [m.column("id") for m in by_sqlalchemy]
        for mine, theirs in zip(plain, by_sqlalchemy, strict=True):
            _same(mine, theirs)
        assert any(m.initiating_meeting is not None for m in plain)
        assert any(m.circulated_on is not None for m in plain)
        assert sum(m.is_locked for m in plain) >= 2
        for mine, theirs in zip(plain, by_sqlalchemy, strict=True):
            if mine.is_locked:
                assert meeting_rows.content_fingerprint(mine) == (
                    meeting_rows.content_fingerprint(theirs)
                )
        with db.sessions() as session:
            listed = summaries(session, forms, protocol, TODAY)
    finally:
        db.close()
    assert summaries(list_read.read_meetings(url) or [], forms, protocol, TODAY) == listed


def test_list_json_is_the_same_byte_for_byte_either_way(
    template_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from s47desk.cli import main

    url = _copy(template_file, tmp_path)
    outputs = []
    for _ in range(2):  # through SQLAlchemy (compiling the statements), then sqlite3 alone
        for argv in (["list", "--json"], ["list"]):
            assert main(["--db", url, *argv]) == 0
            outputs.append(capsys.readouterr().out)
        assert (default_cache().path.parent / "list-statements.json").exists()  # type: ignore[union-attr]
    assert outputs[:2] == outputs[2:] and len(json.loads(outputs[0])) > 40


def test_only_a_file_storage_would_open_as_it_is_is_read_by_sqlite3(
    template_file: Path, tmp_path: Path
) -> None:
    """Anything storage would create, migrate, mark or refuse goes to storage, untouched."""
    url = _copy(template_file, tmp_path)
    _compiled(url)
    path = Path(url.removeprefix("sqlite:///"))
    assert list_read.read_meetings(url) is not None
    assert sqlite_file.untouched_since_we_closed_it(path)  # closed as storage closes it
    missing = tmp_path / "missing.sqlite3"
    assert list_read.read_meetings(f"sqlite:///{missing}") is None and not missing.exists()
    for other in ("sqlite://", "sqlite:///:memory:", f"sqlite:///{path}?timeout=1",
                  f"sqlite:///file:{path}?uri=true", "postgresql+psycopg://h/db"):  # fmt: skip
        assert list_read.file_of_url(other) is None
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA application_id = 0")  # not marked as s47desk's (storage marks it)
    assert list_read.read_meetings(url) is None
    with sqlite3.connect(path) as c:
        c.execute("UPDATE alembic_version SET version_num = '0001'")  # storage would migrate
    assert list_read.read_meetings(url) is None


def test_statements_from_other_code_or_damaged_are_compiled_again(
    template_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _copy(template_file, tmp_path)
    _compiled(url)
    kept = default_cache().path.parent / "list-statements.json"  # type: ignore[union-attr]
    assert list_read.read_meetings(url) is not None
    with monkeypatch.context() as mp:
        mp.setattr(list_read, "_code_key", lambda: "another release")
        assert list_read.read_meetings(url) is None
    kept.write_text('{"key": "x", "plan": {"statements": 1}}')
    assert list_read.read_meetings(url) is None
    _compiled(url)
    assert list_read.read_meetings(url) is not None


def test_a_value_sqlalchemy_refuses_is_refused_alike(template_file: Path, tmp_path: Path) -> None:
    url = _copy(template_file, tmp_path)
    _compiled(url)
    db = open_database(url)
    try:
        with without_triggers(db), db.engine.begin() as c:
            c.execute(
                text("UPDATE action SET status = 'bogus' WHERE id = (SELECT max(id) FROM action)")
            )
        with pytest.raises(LookupError), db.engine.connect() as c:
            meeting_rows.load(c)
    finally:
        db.close()
    with pytest.raises(LookupError):
        list_read.read_meetings(url)


def test_every_column_type_is_one_sqlite3_reads_as_sqlalchemy_does() -> None:
    from sqlalchemy import Numeric
    from sqlalchemy.dialects import sqlite

    plan = meeting_rows.compile_plan(sqlite.dialect())
    assert plan is not None and set(plan["statements"]) == set(meeting_rows.STATEMENTS)
    assert meeting_rows._kind(Numeric(), sqlite.dialect()) is False


@pytest.mark.postgres
def test_a_postgresql_list_is_read_through_sqlalchemy(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from s47desk.cli import main

    assert main(["--db", postgres_url, "demo"]) == 0
    capsys.readouterr()
    outputs = []
    for _ in range(2):
        assert main(["--db", postgres_url, "list", "--json"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and len(json.loads(outputs[0])) == 6
    assert list_read.read_meetings(postgres_url) is None
    assert not (default_cache().path.parent / "list-statements.json").exists()  # type: ignore[union-attr]
