"""Measurements made inside one process, each against its bare floor in the same run,
interleaved. Prints one JSON line.

    python -m benchmarks.probes.inproc statements DB OUT     the SQL the list runs
    python -m benchmarks.probes.inproc autosave DB COUNT     save_edits vs a bare commit
    python -m benchmarks.probes.inproc record DB MEETING OUT a large draft's record, signing
    python -m benchmarks.probes.inproc search DB             search and filter in the list
    python -m benchmarks.probes.inproc typing DB MEETING     keystroke to screen
"""

# ruff: noqa: TID251  (the window probes drive Qt)

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import median, percentile


def _app(db: str) -> Any:
    from s47desk.application import Application

    return Application.open(db_url=f"sqlite:///{db}")


def statements(db: str, out: str) -> dict[str, Any]:
    """The statements the list runs, with their parameters (for the bare SELECT)."""
    from sqlalchemy import event

    from s47desk.meetings import summaries

    app = _app(db)
    seen: list[tuple[str, Any]] = []

    def note(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, list(params or ())))

    app.db  # noqa: B018
    event.listen(app.db.engine, "before_cursor_execute", note)
    with app.db.sessions() as session:
        found = summaries(session, app.forms, app.protocol, app.today())
    app.close()
    Path(out).write_text(json.dumps(seen))
    return {"statements": len(seen), "meetings": len(found)}


def autosave(db: str, count: int) -> dict[str, Any]:
    """One field edit saved and committed by editing.save_edits (the window's autosave path),
    against sqlite3 committing one UPDATE with the same pragmas, turn about."""
    from s47desk.audit import Actor
    from s47desk.editing import FieldEdit, save_edits

    app = _app(db)
    with app.db.engine.connect() as c:
        uid, meeting_id, reason = c.exec_driver_sql(
            "SELECT uid, id, reason FROM meeting WHERE status = 'draft' ORDER BY id DESC LIMIT 1"
        ).one()
    actor = Actor("Benchmark", "benchmark")
    bare = sqlite3.connect(db, isolation_level=None)
    bare.execute("PRAGMA journal_mode=WAL")
    bare.execute("PRAGMA synchronous=FULL")
    ours: list[float] = []
    floor: list[float] = []
    old = reason
    for i in range(count):
        new = f"{reason} ({i})"
        edit = FieldEdit("meeting", uid, "reason", old, new, "Reason")
        start = time.perf_counter()
        save_edits(app.db, uid, [edit], actor)
        ours.append(time.perf_counter() - start)
        old = new
        start = time.perf_counter()
        bare.execute("BEGIN IMMEDIATE")
        bare.execute("UPDATE meeting SET minute_taker = ? WHERE id = ?", (f"m{i}", meeting_id))
        bare.execute("COMMIT")
        floor.append(time.perf_counter() - start)
    bare.close()
    app.close()
    return {
        "p50_ms": 1000 * median(ours),
        "p99_ms": 1000 * percentile(ours, 99),
        "floor_p50_ms": 1000 * median(floor),
        "floor_p99_ms": 1000 * percentile(floor, 99),
    }


def record(db: str, meeting_id: int, out: str) -> dict[str, Any]:
    """The record of a large draft, and signing it as sign-off does (record and family copy,
    each package-signed and checked), against python-docx writing the same paragraphs and
    tables the plain way; turn about, medians of five."""
    from datetime import UTC, datetime

    from benchmarks.probes.floors import build_docx, docx_content
    from s47desk.graph import load
    from s47desk.models import SignOff
    from s47desk.record.certificate import self_signed_identity
    from s47desk.record.export import draft_record, signed_documents
    from s47desk.record.fingerprint import content_fingerprint
    from s47desk.record.template import TEMPLATE_PATH

    app = _app(db)
    with app.db.sessions() as session:
        meeting = load(session, meeting_id)
    assert meeting is not None
    identity = self_signed_identity(
        name=meeting.chair_name, role="Chair", email=None, organisation=None, key_bits=2048
    )
    when = datetime.now(UTC).replace(microsecond=0)
    signoff = SignOff(
        name=meeting.chair_name, role="Chair", signed_at=when.replace(tzinfo=None),
        record_version=meeting.record_version, fingerprint=content_fingerprint(meeting),
    )  # fmt: skip

    def our_record() -> bytes:
        return draft_record(meeting, forms=app.forms, protocol=app.protocol).data

    def our_signing() -> list[bytes]:
        docs = signed_documents(
            meeting, signoff, identity, when, forms=app.forms, protocol=app.protocol
        )
        return [d.data for d in docs]

    draft = our_record()
    signed = our_signing()
    draft_content = docx_content(draft)
    signed_content = [docx_content(d) for d in signed]
    Path(out).write_text(json.dumps({"template": str(TEMPLATE_PATH), "documents": [draft_content]}))
    times: dict[str, list[float]] = {"record": [], "record_floor": [], "sign": [], "sign_floor": []}
    for _ in range(5):
        for name, fn in (
            ("record", our_record),
            ("record_floor", lambda: build_docx(draft_content, str(TEMPLATE_PATH))),
            ("sign", our_signing),
            ("sign_floor", lambda: [build_docx(c, str(TEMPLATE_PATH)) for c in signed_content]),
        ):
            start = time.process_time()
            fn()
            times[name].append(time.process_time() - start)
    app.close()
    return {name: median(values) for name, values in times.items()} | {
        "paragraphs": sum("p" in b for b in draft_content),
        "tables": sum("table" in b for b in draft_content),
    }


def _qt() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(sys.argv[:1])


def _settle(qt: Any) -> None:
    qt.processEvents()


def search(db: str) -> dict[str, Any]:
    """Typing a search, clearing it, filtering by status and form, in the real meeting list
    over every meeting; each step timed to the end of its repaint. The floor: the same steps
    on a bare Qt model and filter proxy with one column of the same search texts."""
    from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from s47desk.ui.meeting_list import MeetingList, load_rows
    from s47desk.vocab import MeetingStatus

    qt = _qt()
    app = _app(db)
    rows = load_rows(app.db, app.forms, app.protocol, app.today())
    listing = MeetingList(app.forms, app.today())
    listing.resize(900, 700)
    listing.set_rows(rows, app.today())
    listing.show()
    _settle(qt)
    name = rows[len(rows) // 2].summary.child.split()[0].lower()
    reference = rows[len(rows) // 3].summary.reference.lower()
    texts = [name[:i] for i in range(1, len(name) + 1)] + [""]
    texts += [reference[:i] for i in range(3, len(reference) + 1)] + [""]
    texts += [f"{name} x", name, ""]

    def steps(apply_text: Any, apply_status: Any, apply_form: Any) -> list[float]:
        out: list[float] = []
        actions: list[Any] = [lambda t=t: apply_text(t) for t in texts]
        actions += [lambda: apply_status(MeetingStatus.SIGNED), lambda: apply_status(None)]
        actions += [lambda: apply_form("review"), lambda: apply_text(name), lambda: apply_text("")]
        actions += [lambda: apply_form(""), lambda: apply_status(MeetingStatus.DRAFT)]
        actions += [lambda: apply_status(None)]
        for action in actions * 2:
            start = time.perf_counter()
            action()
            _settle(qt)
            out.append(time.perf_counter() - start)
        return out

    def status(value: Any) -> None:
        listing.status.setCurrentIndex(listing.status.findData(value) if value else 0)

    def form(value: str) -> None:
        listing.form.setCurrentIndex(listing.form.findData(value) if value else 0)

    ours = steps(listing.search.setText, status, form)
    # The floor: Qt alone.
    model = QStandardItemModel(0, 1)
    for row in rows:
        model.appendRow(QStandardItem(row.search))
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.resize(900, 700)
    view.show()
    _settle(qt)

    def bare_text(text: str) -> None:
        proxy.setFilterRegularExpression(QRegularExpression(QRegularExpression.escape(text)))

    def bare_kind(value: Any) -> None:
        proxy.setFilterRegularExpression(QRegularExpression(str(value.value) if value else ""))

    floor = steps(bare_text, bare_kind, bare_text)
    listing.close()
    view.close()
    app.close()
    return {
        "p95_ms": 1000 * percentile(ours, 95),
        "max_ms": 1000 * max(ours),
        "floor_p95_ms": 1000 * percentile(floor, 95),
        "steps": len(ours),
        "rows": len(rows),
    }


def typing(db: str, meeting_id: int) -> dict[str, Any]:
    """Keys typed into the large meeting's reason (a long text), 25 at a time with pauses
    long enough for autosave, the list's row update and the live checks to run; from when
    each key was due to when the editor has repainted it. The floor: the same typing into a
    bare QPlainTextEdit."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPlainTextEdit

    from s47desk.ui.app import build_window

    qt = _qt()
    app = _app(db)
    window = build_window(app)
    window.resize(1440, 900)
    window.show()
    window.open_meeting(meeting_id)
    view = window.view
    step = view.doc.form.step_for_field("meeting.reason")
    view.show_step(view.step_index(step.id))
    editor = view.pages[view.step_index(step.id)].editor("meeting.reason").edit
    if os.environ.get("S47_PROBE_NOPOLL"):
        window.doc._poll.stop()
    if os.environ.get("S47_PROBE_GAPS"):
        real_reload = window.doc.reload

        def reload() -> None:
            start = time.perf_counter()
            real_reload()
            print(f"reload {1000 * (time.perf_counter() - start):.0f} ms", file=sys.stderr)

        window.doc.reload = reload
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    _settle(qt)

    def type_into(widget: Any, bursts: int = 8, per_burst: int = 25) -> list[float]:
        latencies: list[float] = []
        interval = 0.06
        loop = QEventLoop()
        plan = []
        t = time.perf_counter() + 0.2
        for _ in range(bursts):
            for _ in range(per_burst):
                plan.append(t)
                t += interval
            t += 1.0  # a pause: autosave (0.4 s), the list's row (0.3 s), live checks
        keys = iter(enumerate(plan))

        def next_key() -> None:
            try:
                index, due = next(keys)
            except StopIteration:
                loop.quit()
                return
            now = time.perf_counter()
            if now < due:
                QTimer.singleShot(max(0, int((due - now) * 1000)), lambda: fire(index, due))
            else:
                fire(index, due)

        def fire(index: int, due: float) -> None:
            start = time.perf_counter()
            QTest.keyClick(widget, "abcdefghij klmnopqrst"[index % 21])
            widget.viewport().repaint()
            end = time.perf_counter()
            latencies.append(end - min(start, due) if start > due else end - start)
            if os.environ.get("S47_PROBE_GAPS") and latencies[-1] > 0.016:
                print(f"key {index} took {1000 * latencies[-1]:.0f} ms "
                      f"({1000 * (end - start):.0f} ms handling)", file=sys.stderr)  # fmt: skip
            QTimer.singleShot(0, next_key)

        QTimer.singleShot(0, next_key)
        loop.exec()
        return latencies

    ours = type_into(editor)
    assert window.doc is not None
    window.doc.save_now()
    saved = window.doc.autosaver.last_saved is not None
    bare = QPlainTextEdit()
    bare.setPlainText(editor.toPlainText())
    bare.resize(800, 500)
    bare.show()
    bare.setFocus(Qt.FocusReason.OtherFocusReason)
    _settle(qt)
    floor = type_into(bare)
    window.close()
    bare.close()
    app.close()
    return {
        "p99_ms": 1000 * percentile(ours, 99),
        "p50_ms": 1000 * median(ours),
        "max_ms": 1000 * max(ours),
        "floor_p99_ms": 1000 * percentile(floor, 99),
        "keys": len(ours),
        "autosaved": saved,
    }


def main() -> None:
    kind, args = sys.argv[1], sys.argv[2:]
    if kind == "statements":
        result = statements(args[0], args[1])
    elif kind == "autosave":
        result = autosave(args[0], int(args[1]))
    elif kind == "record":
        result = record(args[0], int(args[1]), args[2])
    elif kind == "search":
        result = search(args[0])
    elif kind == "typing":
        result = typing(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown measurement {kind}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
