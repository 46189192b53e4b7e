"""Databases of 1,000 / 5,000 / 10,000 varied meetings, made through the public import path.

The demo meetings are loaded first (``load_demo``) and exported as meeting files; every other
meeting is one of those files varied — names, dates (whole weeks back, over about four years),
urgency, status, and more or fewer rows borrowed from the complete demo meeting — with new uids,
then parsed (``parse_meeting_file``: the whole validation) and stored by
``meetings.import_meeting``, as ``s47desk import`` does. About one in ten is signed: the complete
meeting varied, signed by its chair through ``signoff.sign_in_session`` with a demonstration
key (as the demo signs), in worker processes, and exported with its signed files; the signed
file is then imported like any other (its sign-off verified on the way in).

Each database also holds one *large* draft (many children, attendees, information items,
decisions and actions with long text): the record and memory benchmarks open it.

Databases are kept in the work folder and reused while this module's ``VERSION`` is unchanged:
the 5,000 database is the 1,000 one plus 4,000 meetings, and the 10,000 one the 5,000 plus 5,000.
"""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
import sqlite3
import tempfile
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

VERSION = "4"  # 4: the signed tenth signs again (every tenth was refused since 3)
TODAY = date(2026, 11, 23)
SIGNED_SHARE = 10  # one meeting in ten is signed
COLLECTIONS = ("children", "attendees", "information", "decisions", "dissents", "actions")

FIRST = [
    "Amara",
    "Ben",
    "Chloe",
    "Dylan",
    "Erin",
    "Finn",
    "Grace",
    "Harvey",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Mason",
    "Nia",
    "Oscar",
    "Poppy",
    "Quinn",
    "Rosa",
    "Sami",
    "Tia",
    "Umar",
    "Violet",
    "Wren",
    "Xander",
    "Yara",
    "Zac",
    "Aisha",
    "Bilal",
    "Cara",
    "Dev",
    "Esme",
    "Felix",
]
LAST = [
    "Adams",
    "Begum",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nolan",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walsh",
    "Young",
    "Zielinski",
    "Ahmed",
    "Brown",
]
URGENCIES = (
    "serious_harm",
    "immediate_action",
    "critical_incident",
    "standard",
    "standard",
    "standard",
    "cumulative",
    "complex",
)


@dataclass(frozen=True)
class Manifest:
    """What the benchmarks need to know about a generated database."""

    path: Path
    meetings: int
    signed: int
    large_id: int  # the large draft
    signed_id: int  # a signed meeting
    draft_id: int  # an ordinary draft

    def as_json(self) -> dict[str, Any]:
        return {
            "meetings": self.meetings,
            "signed": self.signed,
            "large_id": self.large_id,
            "signed_id": self.signed_id,
            "draft_id": self.draft_id,
        }


def environment(work: Path) -> dict[str, str]:
    """The environment every benchmark process runs in: its own data and settings folders."""
    env = dict(os.environ)
    env.update(
        S47DESK_DATA=str(work / "data"),
        S47DESK_CONFIG=str(work / "config"),
        S47DESK_TODAY=TODAY.isoformat(),
        QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"),
    )
    env.pop("S47DESK_DB", None)
    return env


def _use_environment(work: Path) -> None:
    os.environ.update(environment(work))
    os.environ.pop("S47DESK_DB", None)


# -- templates --------------------------------------------------------------------------------
def demo_templates(work: Path) -> list[dict[str, Any]]:
    """The demo meetings as meeting files (the signed one without its sign-off)."""
    from s47desk.application import Application
    from s47desk.demo import load_demo
    from s47desk.graph import load
    from s47desk.meetingfile.writer import meeting_document

    folder = Path(tempfile.mkdtemp(dir=work))
    app = Application.open(db_url=f"sqlite:///{folder / 'demo.sqlite3'}")
    try:
        with app.db.transaction() as session:
            ids = load_demo(session, app.forms, app.protocol, TODAY)
        out = []
        with app.db.sessions() as session:
            for meeting_id in ids:
                meeting = load(session, meeting_id)
                assert meeting is not None
                document = meeting_document(meeting)
                body = document["meeting"]
                body.pop("signoffs", None)
                if body["status"] in ("signed", "circulated"):
                    body["status"] = "in_progress"
                out.append(document)
    finally:
        app.close()
        shutil.rmtree(folder, ignore_errors=True)
    return out


def _shift(value: str | None, days: int) -> str | None:
    if not value:
        return value
    if "T" in value:
        return (datetime.fromisoformat(value) + timedelta(days=days)).isoformat(timespec="minutes")
    return (date.fromisoformat(value) + timedelta(days=days)).isoformat()


_MEETING_DATES = (
    "held_at",
    "referral_received",
    "concerns_identified",
    "lado_notified_on",
    "whereabouts_unknown_since",
    "initiating_held_on",
    "ended_at",
    "icpc_planned_on",
)
_DECISION_DATES = ("review_by",)  # a decision's dates, moved with the meeting's


def _renew(body: dict[str, Any]) -> None:
    """New uids throughout (a decision's uid follows from its meeting and kind)."""
    from s47desk.models import decision_uid

    body["uid"] = str(uuid.uuid4())
    body["reference"] = ""
    renamed: dict[str, str] = {}
    for key in COLLECTIONS:
        for row in body.get(key, []):
            new = str(uuid.uuid4())
            if key == "children" and row.get("uid"):
                renamed[row["uid"]] = new
            row["uid"] = new
    for action in body.get("actions", []):  # an action for several children names them by uid
        action["for_children"] = [
            renamed[u] for u in action.get("for_children", []) if u in renamed
        ]
    for row in body.get("decisions", []):
        row["uid"] = decision_uid(body["uid"], row["kind"])


def vary(
    template: dict[str, Any], rich: dict[str, Any], rnd: random.Random, weeks_back: int
) -> dict[str, Any]:
    """A new meeting file like *template*: other names, dates *weeks_back* weeks earlier,
    more or fewer rows (borrowed from *rich*, the complete demo meeting)."""
    document = copy.deepcopy(template)
    document.pop("exported_at", None)
    body = document["meeting"]
    days = -7 * weeks_back
    for key in _MEETING_DATES:
        if key in body:
            body[key] = _shift(body[key], days)
    for decision in body["decisions"]:
        details = decision.get("details") or {}
        for key in _DECISION_DATES:
            if key in details:
                details[key] = _shift(details[key], days)
    family = rnd.choice(LAST)
    for i, child in enumerate(body["children"]):
        child["name"] = f"{rnd.choice(FIRST)} {family}" if child["name"] else ""
        child["reference"] = (
            f"NB-{rnd.randrange(100000, 999999)}" if i == 0 or rnd.random() < 0.5 else ""
        )
    if rnd.random() < 0.3 and body["form_id"] != "pre_birth":
        sibling = copy.deepcopy(body["children"][0])
        sibling.update(name=f"{rnd.choice(FIRST)} {family}", role="sibling", reference="")
        body["children"].append(sibling)
    if body["form_id"] not in ("lado", "missing", "pre_birth"):
        body["urgency"] = rnd.choice(URGENCIES)
    extra_info = rnd.randrange(0, len(rich["information"]) + 1)
    body["information"] = body["information"] + copy.deepcopy(rich["information"][:extra_info])
    kinds = {d["kind"] for d in body["decisions"]}
    borrowed = [d for d in rich["decisions"] if d["kind"] not in kinds]
    body["decisions"] += copy.deepcopy(borrowed[: rnd.randrange(0, len(borrowed) + 1)])
    actions = copy.deepcopy(rich["actions"][: rnd.randrange(0, len(rich["actions"]) + 1)])
    for action in actions:
        action["due"] = _shift(action["due"], days + rnd.randrange(-3, 15))
        action["child"] = 1 if action.get("child") else None
        action["for_children"] = []  # borrowed: its children are not this meeting's
        if weeks_back > 2 and rnd.random() < 0.7:
            action["status"] = "done"
    body["actions"] = body["actions"] + actions
    if body["held_at"] and weeks_back == 0:
        body["status"] = rnd.choice(("draft", "in_progress"))
    else:
        body["status"] = rnd.choice(("draft", "in_progress", "in_progress"))
    _renew(body)
    return document


def large_meeting(rich: dict[str, Any]) -> dict[str, Any]:
    """One large draft: the complete meeting with many more rows and long texts."""
    document = copy.deepcopy(rich)
    body = document["meeting"]
    body["status"] = "in_progress"
    body["reason"] = "\n\n".join([body["reason"]] * 12)
    body["risks"] = "\n\n".join([body["risks"]] * 12)
    body["strengths"] = "\n\n".join([body["strengths"]] * 8)
    children = body["children"]
    for i in range(4):
        extra = copy.deepcopy(children[1])
        extra.update(name=f"{FIRST[i]} Thompson", reference=f"NB-2000{i}")
        children.append(extra)
    body["attendees"] = [copy.deepcopy(a) for _ in range(5) for a in rich["meeting"]["attendees"]]
    info = []
    for n in range(50):
        item = copy.deepcopy(
            rich["meeting"]["information"][n % len(rich["meeting"]["information"])]
        )
        item["text"] = " ".join([item["text"]] * 6)
        info.append(item)
    body["information"] = info
    actions = []
    for n in range(80):
        action = copy.deepcopy(rich["meeting"]["actions"][n % len(rich["meeting"]["actions"])])
        action["text"] = f"{action['text']} (step {n + 1}): " + "check and report back. " * 4
        action["child"] = 1 + n % len(children)
        action["for_children"] = []
        actions.append(action)
    body["actions"] = actions
    _renew(body)
    return document


# -- signing (worker processes) ---------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _worker_start(work: str, p12: bytes) -> None:
    import atexit

    from cryptography.hazmat.primitives.serialization import pkcs12

    from s47desk.application import Application
    from s47desk.record.certificate import SigningIdentity

    _use_environment(Path(work))
    folder = Path(tempfile.mkdtemp(dir=work))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    bundle = pkcs12.load_pkcs12(p12, None)
    assert bundle.key is not None and bundle.cert is not None
    _WORKER["identity"] = SigningIdentity(bundle.key, bundle.cert.certificate)  # type: ignore[arg-type]
    _WORKER["app"] = Application.open(db_url=f"sqlite:///{folder / 'sign.sqlite3'}")


def _sign_one(text: bytes) -> bytes:
    """Import a meeting file, sign it as the demo signs, and return it as a signed file."""
    from s47desk.demo import CHAIR
    from s47desk.graph import load
    from s47desk.meetingfile.reader import parse_meeting_file
    from s47desk.meetingfile.writer import meeting_document
    from s47desk.meetings import import_meeting
    from s47desk.signoff import sign_in_session, stored_documents

    app = _WORKER["app"]
    parsed = parse_meeting_file(text, known_forms=app.forms.ids())
    # Not ready to sign is a fault of these templates, said, never skipped: every meeting
    # dropped here made the databases hold fewer signed meetings than they claim.
    with app.db.transaction() as session:
        meeting = import_meeting(session, parsed)
        sign_in_session(
            session,
            meeting,
            forms=app.forms,
            protocol=app.protocol,
            identity=_WORKER["identity"],
            name=CHAIR,
            role="Team manager, Assessment Team",
        )
        meeting_id = meeting.id
    with app.db.sessions() as session:
        stored = load(session, meeting_id)
        assert stored is not None
        documents = list(stored_documents(session, stored).values())
        return json.dumps(meeting_document(stored, documents), ensure_ascii=False).encode()


def _demo_identity_p12() -> bytes:
    from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

    from s47desk.demo import CHAIR, LA
    from s47desk.record.certificate import self_signed_identity

    identity = self_signed_identity(
        name=CHAIR, role="Team manager (demonstration certificate)", email=None,
        organisation=LA, years=1, key_bits=2048,
    )  # fmt: skip
    return pkcs12.serialize_key_and_certificates(
        b"demo", identity.private_key, identity.certificate, None, NoEncryption()
    )


# -- building a database ------------------------------------------------------------------------
def _import_all(db_url: str, files: list[bytes]) -> list[int]:
    from s47desk.application import Application
    from s47desk.meetingfile.reader import parse_meeting_file
    from s47desk.meetings import import_meeting

    app = Application.open(db_url=db_url)
    ids = []
    try:
        known = app.forms.ids()
        for start in range(0, len(files), 250):
            with app.db.transaction() as session:
                session.info["actor"] = app.actor()
                for text in files[start : start + 250]:
                    parsed = parse_meeting_file(text, known_forms=known)
                    ids.append(import_meeting(session, parsed, provenance="benchmark").id)
    finally:
        app.close()
    return ids


def _load_demo(db_url: str) -> None:
    from s47desk.application import Application
    from s47desk.demo import load_demo

    app = Application.open(db_url=db_url)
    try:
        with app.db.transaction() as session:
            load_demo(session, app.forms, app.protocol, TODAY)
    finally:
        app.close()


def _add(
    db: Path, count: int, seed: int, templates: list[dict[str, Any]], pool: ProcessPoolExecutor
) -> None:
    """Add *count* varied meetings to *db* (one in SIGNED_SHARE signed)."""
    rnd = random.Random(seed)
    rich = templates[0]["meeting"]
    ordinary = templates[1:] + [templates[0]] * 2
    files: list[bytes] = []
    to_sign: list[bytes] = []
    initial_uids: list[tuple[str, str]] = []  # (uid, held_at) of initial meetings added
    for n in range(count):
        weeks_back = min(int(rnd.expovariate(1 / 60)), 200)
        if n % SIGNED_SHARE == SIGNED_SHARE - 1:
            document = vary(templates[0], rich, rnd, max(weeks_back, 1))
            body = document["meeting"]
            body["status"] = "in_progress"
            body["children"] = body["children"][:2]
            # as complete as the demo's: its actions, for this meeting's children by place
            place = {c["uid"]: i for i, c in enumerate(rich["children"])}
            body["actions"] = copy.deepcopy(rich["actions"])
            for action in body["actions"]:
                action["due"] = _shift(action["due"], -7 * max(weeks_back, 1))
                action["for_children"] = [
                    body["children"][place[u]]["uid"]
                    for u in action.get("for_children", [])
                    if place.get(u, len(body["children"])) < len(body["children"])
                ]
            body["late_reason"] = "Held on the first day every agency could attend."
            _renew(body)
            to_sign.append(json.dumps(document, ensure_ascii=False).encode())
            continue
        document = vary(rnd.choice(ordinary), rich, rnd, weeks_back)
        body = document["meeting"]
        if body["form_id"] == "initial" and body["held_at"]:
            initial_uids.append((body["uid"], body["held_at"]))
        if body["form_id"] == "review":
            if initial_uids and rnd.random() < 0.7:
                body["initiating_meeting_uid"] = rnd.choice(initial_uids)[0]
            else:
                body["initiating_meeting_uid"] = None
        files.append(json.dumps(document, ensure_ascii=False).encode())
    signed = list(pool.map(_sign_one, to_sign, chunksize=8))
    # Reviews after their initial meetings: the link is resolved by uid on import.
    files.sort(key=lambda t: b'"initiating_meeting_uid": "' in t)
    _import_all(f"sqlite:///{db}", signed + files)


def _manifest(db: Path) -> Manifest:
    with sqlite3.connect(db) as c:
        count = c.execute("SELECT count(*) FROM meeting").fetchone()[0]
        signed = c.execute(
            "SELECT count(*) FROM meeting WHERE status IN ('signed', 'circulated')"
        ).fetchone()[0]
        large = c.execute(
            "SELECT meeting_id FROM action GROUP BY meeting_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        signed_id = c.execute("SELECT max(id) FROM meeting WHERE status = 'signed'").fetchone()[0]
        draft = c.execute(
            "SELECT max(id) FROM meeting WHERE status = 'draft' AND id != ?", (large,)
        ).fetchone()[0]
    return Manifest(db, count, signed, large, signed_id, draft)


def _close_cleanly(db: Path) -> None:
    """Fold the WAL in, so that a copy is one file."""
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def databases(work: Path, sizes: list[int], say: Any = print) -> dict[int, Manifest]:
    """The databases of *sizes* meetings (about: plus the six demo meetings and the large one),
    made if missing; reused while VERSION is unchanged."""
    work.mkdir(parents=True, exist_ok=True)
    _use_environment(work)
    stamp = work / "databases.json"
    known: dict[str, Any] = {}
    if stamp.exists():
        known = json.loads(stamp.read_text())
        if known.get("version") != VERSION:
            known = {}
    out: dict[int, Manifest] = {}
    missing = [
        n for n in sorted(sizes) if str(n) not in known or not (work / f"db-{n}.sqlite3").exists()
    ]
    if missing:
        templates = demo_templates(work)
        p12 = _demo_identity_p12()
        with ProcessPoolExecutor(2, initializer=_worker_start, initargs=(str(work), p12)) as pool:
            previous: tuple[int, Path] | None = None
            for n in sorted(set(sizes) | set(missing)):
                path = work / f"db-{n}.sqlite3"
                if n not in missing and path.exists():
                    previous = (n, path)
                    continue
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                if previous is not None and previous[0] < n:
                    shutil.copyfile(previous[1], path)
                    have = previous[0]
                else:
                    _load_demo(f"sqlite:///{path}")
                    large = large_meeting(templates[0])
                    _import_all(f"sqlite:///{path}", [json.dumps(large).encode()])
                    have = 0
                say(f"generating {n:,} meetings ({n - have:,} new) in {path.name}")
                _add(path, n - have, seed=n, templates=templates, pool=pool)
                _close_cleanly(path)
                known[str(n)] = _manifest(path).as_json()
                known["version"] = VERSION
                stamp.write_text(json.dumps(known, indent=2))
                previous = (n, path)
    for n in sizes:
        path = work / f"db-{n}.sqlite3"
        out[n] = _manifest(path)
    return out


if __name__ == "__main__":  # pragma: no cover - python -m benchmarks.generate WORK 1000
    import sys

    found = databases(Path(sys.argv[1]), [int(s) for s in sys.argv[2:]] or [1000])
    for size, manifest in found.items():
        print(size, manifest)
