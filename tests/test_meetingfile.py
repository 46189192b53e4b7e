"""The meeting file: round trips exactly, refuses anything doubtful, and never half-writes."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from s47desk.cli import main
from s47desk.demo import load_demo
from s47desk.forms import FormRegistry
from s47desk.meetingfile import (
    MeetingFileError,
    json_schema,
    meeting_document,
    parse_meeting_file,
)
from s47desk.meetings import import_meeting
from s47desk.models import Base, Meeting
from s47desk.protocol import Protocol
from s47desk.signoff_check import stored_documents
from s47desk.storage import Database, open_database
from tests.conftest import REPO


def without_export_time(document: dict[str, Any]) -> dict[str, Any]:
    out = dict(document)
    out.pop("exported_at")
    return out


@pytest.fixture
def demo_documents(
    db: Database, forms: FormRegistry, protocol: Protocol, today: Any
) -> list[dict[str, Any]]:
    with db.transaction() as session:
        ids = load_demo(session, forms, protocol, today)
    with db.sessions() as session:
        meetings = [session.get(Meeting, i) for i in ids]
        return [meeting_document(m, list(stored_documents(session, m).values())) for m in meetings]


def test_the_committed_schema_is_the_generated_one() -> None:
    committed = json.loads(
        (REPO / "s47desk" / "meetingfile" / "meeting-file.schema.json").read_text("utf-8")
    )
    assert committed == json_schema()


def test_round_trip_is_identical(
    demo_documents: list[dict[str, Any]], tmp_path: Path, forms: FormRegistry
) -> None:
    """export -> import into another database -> export gives the same meeting, every field."""
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    ids = []
    for document in demo_documents:
        data = json.dumps(document).encode("utf-8")
        with other.transaction() as session:
            ids.append(
                import_meeting(session, parse_meeting_file(data, known_forms=forms.ids())).id
            )
    with other.sessions() as session:
        meetings = [session.get(Meeting, i) for i in ids]
        again = [meeting_document(m, list(stored_documents(session, m).values())) for m in meetings]
    other.close()
    assert [without_export_time(d) for d in again] == [
        without_export_time(d) for d in demo_documents
    ]
    review = again[1]["meeting"]
    assert review["initiating_meeting_uid"] == demo_documents[0]["meeting"]["uid"]
    assert demo_documents[0]["meeting"]["status"] == "signed"


def test_importing_the_same_meeting_twice_is_refused(
    demo_documents: list[dict[str, Any]], db: Database
) -> None:
    data = json.dumps(demo_documents[2]).encode()
    with (
        pytest.raises(MeetingFileError, match="already stored as meeting 3"),
        db.transaction() as s,
    ):
        import_meeting(s, parse_meeting_file(data))


def valid_document() -> dict[str, Any]:
    return {
        "format": "s47desk-meeting",
        "format_version": 1,
        "meeting": {
            "form_id": "initial",
            "referral_received": "2026-11-23",
            "held_at": "2026-11-24T14:00",
            "children": [{"name": "Alex", "role": "subject", "date_of_birth": "2019-05-14"}],
            "attendees": [{"name": "Sam", "agency": "social_care", "service": "social_worker"}],
            "information": [
                {"agency": "police", "text": "Known", "family_sharing": "no",
                 "withhold_reason": "police_investigation"}
            ],
            "decisions": [{"kind": "s47", "choice": "joint", "details": {"lead_social_worker": "Sam"}}],
            "actions": [{"text": "See Alex", "owner": "Sam", "agency": "social_care",
                         "due": "2026-11-25", "child": 1, "category": "see_child"}],
        },
    }  # fmt: skip


def problems_for(document: Any) -> list[str]:
    with pytest.raises(MeetingFileError) as error:
        parse_meeting_file(json.dumps(document).encode("utf-8"), known_forms=["initial"])
    return error.value.problems


def test_a_valid_file_builds_the_meeting() -> None:
    parsed = parse_meeting_file(json.dumps(valid_document()).encode(), known_forms=["initial"])
    meeting = parsed.meeting
    assert meeting.children[0].name == "Alex"
    assert meeting.actions[0].child is meeting.children[0]
    assert meeting.information[0].family_sharing.value == "no"
    assert meeting.reason == ""  # defaults apply to what the file leaves out


def mutate(path: str, value: Any) -> dict[str, Any]:
    document = valid_document()
    target: Any = document
    *parents, last = path.split("/")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is DELETE:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return document


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("meeting/information/0/nil_return", "false", "$.meeting.information[0].nil_return: 'false' is not of type 'boolean'"),
        ("meeting/child_in_hospital", 0, "$.meeting.child_in_hospital: 0 is not of type 'boolean'"),
        ("meeting/referral_received", "20261123", "$.meeting.referral_received: '20261123' does not match"),
        ("meeting/referral_received", "2026-W48-1", "$.meeting.referral_received: '2026-W48-1' does not match"),
        ("meeting/referral_received", "2026-02-30", "$.meeting.referral_received: '2026-02-30' is not a real date"),
        ("meeting/held_at", "2026-11-24 14:00", "$.meeting.held_at: '2026-11-24 14:00' does not match"),
        ("meeting/children/0/role", "Subject", "$.meeting.children[0].role: 'Subject' is not one of"),
        ("meeting/information/0/family_sharing", True, "$.meeting.information[0].family_sharing: True is not one of"),
        ("meeting/attendees/0/agency", DELETE, "$.meeting.attendees[0]: 'agency' is a required property"),
        ("meeting/attendees/0/service", "midwifery", "$.meeting.attendees[0].service: 'midwifery' is not a service of social_care"),
        ("meeting/decisions/0/choice", "maybe", "$.meeting.decisions[0].choice: 'maybe' is not a choice for s47"),
        ("meeting/decisions/0/details", {"colour": "red"}, "$.meeting.decisions[0].details.colour: not a detail of s47"),
        ("meeting/actions/0/child", 2, "$.meeting.actions[0].child: there is no child 2"),
        ("meeting/form_id", "party", "$.meeting.form_id: unknown form 'party'"),
        ("meeting/shoe_size", 9, "$.meeting: Additional properties are not allowed ('shoe_size' was unexpected)"),
        ("format_version", 2, "$.format_version: 1 was expected"),
        ("meeting/reason", "a\x00b", "$.meeting.reason: contains a NUL character"),
        ("meeting/chair_name", "x" * 201, "$.meeting.chair_name: 'xxxxxxxxx"),
    ],
)  # fmt: skip
def test_strictness_names_the_field(path: str, value: Any, expected: str) -> None:
    problems = problems_for(mutate(path, value))
    assert any(p.startswith(expected) for p in problems), problems


def test_a_decision_given_twice_is_refused() -> None:
    document = valid_document()
    document["meeting"]["decisions"].append({"kind": "s47", "choice": "no"})
    assert "$.meeting.decisions[1].kind: 's47' is decided twice" in problems_for(document)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a": 1, "a": 2}', "the key 'a' appears twice"),
        (b'{"x": NaN}', "NaN is not a number JSON allows"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"format": ', "not valid JSON at line 1"),
        (b'"\\ud800"', "$: '\\ud800' is not of type 'object'"),
        (b" " * (10 * 1024 * 1024 + 1), "larger than 10 MB"),
    ],
)
def test_malformed_files(data: bytes, expected: str) -> None:
    with pytest.raises(MeetingFileError) as error:
        parse_meeting_file(data)
    assert any(expected in p for p in error.value.problems), error.value.problems


def test_lone_surrogate_in_text_is_refused() -> None:
    data = json.dumps(valid_document()).replace('"Alex"', '"Al\\udc80ex"', 1).encode()
    with pytest.raises(MeetingFileError, match="unpaired surrogate"):
        parse_meeting_file(data)


# ---- hostile files, generated -------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)  # fmt: skip


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


@st.composite
def hostile_documents(draw: st.DrawFn) -> bytes:
    document = valid_document()
    for _ in range(draw(st.integers(1, 3))):
        candidates = [p for p in paths(document) if p]
        path = draw(st.sampled_from(candidates))
        parent: Any = document
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(json_values)
        else:
            parent.append(draw(json_values))
    text = json.dumps(document)
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.text(max_size=5)) + text[cut:]
    return text.encode("utf-8", "surrogatepass")


def row_counts(db: Database) -> dict[str, int]:
    with db.sessions() as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'db.sqlite3'}")
    with database.transaction() as session:
        session.add(Meeting(form_id="initial"))
    yield database
    database.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=hostile_documents())
def test_hostile_files_never_traceback_and_never_half_write(
    data: bytes, hostile_db: Database
) -> None:
    before = row_counts(hostile_db)
    try:
        parsed = parse_meeting_file(data, known_forms=["initial"])
    except MeetingFileError as error:
        assert error.problems and all(p.strip() for p in error.problems)
        assert row_counts(hostile_db) == before
        return
    # Whatever was accepted must store whole, in one transaction.
    with hostile_db.transaction() as session:
        meeting = import_meeting(session, copy.copy(parsed))
        stored_id = meeting.id
    with hostile_db.sessions() as session:
        stored = session.get(Meeting, stored_id)
        assert stored is not None
        assert len(stored.children) == len(parsed.meeting.children)
        assert len(stored.actions) == len(parsed.meeting.actions)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=hostile_documents())
def test_the_import_command_writes_nothing_on_bad_input(
    data: bytes, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{folder / 'db.sqlite3'}"
    path = folder / "meeting.json"
    path.write_bytes(data)
    code = main(["--db", url, "import", str(path)])
    out, err = capsys.readouterr()
    database = open_database(url)
    counts = row_counts(database)
    database.close()
    if code == 0:
        assert out.strip().isdigit() and counts["meeting"] == 1
    else:
        assert code == 2 and "is not a valid meeting file" in err and "Traceback" not in err
        assert sum(counts.values()) == 0
