"""What the guidance branch gathers, in the window, by keyboard in Tab order: deadlines in
their six states, a review's new-meeting deadlines, and (below) seniority, the prefill of a
role the protocol requires, conditional fields, and actions for several children. Each test
looks at what the person sees and reads what is stored back through a fresh connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from s47desk.deadlines import DeadlineState
from s47desk.meetings import get_meeting
from s47desk.models import Meeting
from s47desk.storage import open_database
from s47desk.ui.theme import semantic
from s47desk.vocab import Urgency
from tests.ui.conftest import editor, meeting_id, open_step, saved
from tests.ui.keys import CTRL, SHIFT, Keyboard, activate


@contextmanager
def stored(db_url: str, mid: int) -> Iterator[Meeting]:
    """The meeting as a fresh database connection reads it."""
    fresh = open_database(db_url)
    try:
        with fresh.sessions() as session:
            yield get_meeting(session, mid)
    finally:
        fresh.close()


def deadline_item(win: Any, label: str) -> Any:
    """The deadlines panel's item for *label*: two lines, the name then the date and state."""
    shown = win.deadlines.list
    items = [shown.item(i) for i in range(shown.count())]
    return next(i for i in items if i.text().split("\n")[0] == label)


def test_a_deadline_met_late_is_never_shown_as_met(qtbot, window, db_url):
    """Exploitation demo: referral Thu 19 November, held Mon 23 November. Standard urgency
    (3 working days): met on time, in green with a tick. Immediate action (1 working day):
    met late, amber with a diamond, in words "late", and on the timeline "(met late)"."""
    win = window
    mid = meeting_id(win, "exploitation")
    win.open_meeting(mid)
    activate(qtbot, win)
    ok = semantic(win.deadlines.palette())
    item = deadline_item(win, "Strategy discussion")
    assert win.deadlines.states["strategy_discussion_by"] is DeadlineState.MET_ON_TIME
    assert item.text() == "Strategy discussion\nMon 23 November 2026 — Met on time"
    assert item.foreground().color() == ok.ok
    assert "Met on time" in item.data(Qt.ItemDataRole.AccessibleTextRole)
    # a deadline that does not apply says so, and why, with no date
    icpc = deadline_item(win, "Initial child protection conference (ICPC)")
    assert icpc.text().endswith("\nNot applicable: no section 47 enquiry was initiated")
    placeholder = win.deadlines.palette().color(QPalette.ColorRole.PlaceholderText)
    assert icpc.foreground().color() == placeholder

    open_step(win, "details")
    win.view.focus_agenda()
    keys = Keyboard(qtbot)
    keys.tab_to(editor(win, "meeting.urgency").combo)
    keys.letters("imm")  # "Immediate action was taken by an agency"
    assert win.doc.meeting.urgency is Urgency.IMMEDIATE_ACTION
    qtbot.waitUntil(
        lambda: win.deadlines.states.get("strategy_discussion_by") is DeadlineState.MET_LATE
    )
    item = deadline_item(win, "Strategy discussion")
    assert item.text().startswith(
        "Strategy discussion\nFri 20 November 2026 — Late: 1 working day after the deadline"
    )
    assert item.foreground().color() == ok.warning != ok.ok
    assert item.data(Qt.ItemDataRole.AccessibleTextRole).startswith(
        "Strategy discussion: Fri 20 November 2026. Met late: 1 working day after"
    )
    marks = {m.label: m for m in win.deadlines.timeline.marks}
    label = win.deadlines.timeline._label(marks["Strategy discussion"])
    assert label.endswith("(met late)") and "✓" not in label
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert meeting.urgency is Urgency.IMMEDIATE_ACTION


def test_a_new_review_shows_no_strategy_discussion_deadline_and_no_icpc_date(qtbot, window, db_url):
    """A review runs on the clock of the discussion that initiated section 47 enquiries: with
    no link and no date for it, the conference date is not known, and a review has no
    strategy-discussion deadline of its own."""
    win = window
    activate(qtbot, win)
    keys = Keyboard(qtbot)
    keys.key(Qt.Key.Key_N, CTRL)
    dialog = win.new_dialog
    qtbot.waitExposed(dialog)
    assert dialog.referral.edit.hasFocus()
    keys.key(Qt.Key.Key_Tab, SHIFT)
    assert dialog.form_combo.hasFocus()
    keys.letters("rev")  # "Review strategy discussion"
    assert dialog.form_combo.currentData() == "review"
    keys.tab()
    assert dialog.referral.edit.hasFocus()
    keys.type("20/11/2026")
    tree = dialog.deadlines
    shown = {
        tree.topLevelItem(i).text(0): (tree.topLevelItem(i).text(1), tree.topLevelItem(i).text(2))
        for i in range(tree.topLevelItemCount())
    }
    when, words = shown["Strategy discussion"]
    assert when == "—" and words.startswith("not applicable: a follow-up strategy discussion")
    when, words = shown["Initial child protection conference (ICPC)"]
    assert when == "—" and words.startswith("not known: record the date of the strategy")
    assert shown["Assessment completed"][0].endswith("2027")  # the referral's clock still runs
    keys.enter()  # Create meeting
    qtbot.waitUntil(lambda: win.doc is not None and win.doc.meeting_id == dialog.created_id)
    mid = win.doc.meeting_id
    assert win.deadlines.states["strategy_discussion_by"] is DeadlineState.NOT_APPLICABLE
    assert win.deadlines.states["icpc_by"] is DeadlineState.NOT_KNOWN
    with stored(db_url, mid) as meeting:
        assert meeting.form_id == "review"
        assert meeting.initiating_meeting_id is None and meeting.initiating_held_on is None


def test_the_chair_confirms_an_attendee_is_senior_enough_from_the_keyboard(qtbot, window, db_url):
    """Exploitation demo: PC Dan Moore is not yet confirmed as "sufficiently senior to make
    decisions on behalf of their organisation". The banner's button goes to his tick; Space
    ticks it; the warning is gone and the database holds it."""
    win = window
    mid = meeting_id(win, "exploitation")
    win.open_meeting(mid)
    activate(qtbot, win)
    attendance = editor(win, "attendees")
    table = attendance.view
    senior = next(i for i, c in enumerate(attendance.model.columns) if c.attr == "senior_enough")
    assert attendance.model.headerData(senior, Qt.Orientation.Horizontal) == "Senior enough"
    assert "sufficiently senior" in attendance.model.headerData(
        senior, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    ).replace("Sufficiently", "sufficiently")
    row = next(i for i, a in enumerate(attendance.model.rows) if a.name == "PC Dan Moore")
    assert not attendance.model.rows[row].senior_enough
    confirm = next(b for b in attendance.banner.buttons if b.text() == "Confirm seniority")
    assert "PC Dan Moore" in confirm.accessibleName()
    win.view.focus_agenda()
    keys = Keyboard(qtbot)
    keys.tab_to(confirm)
    keys.key(Qt.Key.Key_Space)
    assert table.hasFocus() and (table.currentIndex().row(), table.currentIndex().column()) == (
        row,
        senior,
    )
    keys.key(Qt.Key.Key_Space)  # the tick
    assert attendance.model.index(row, senior).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )
    qtbot.waitUntil(
        lambda: not any("sufficiently senior" in m for m in attendance.banner.messages())
    )
    assert not [f for f in win.doc.readiness.findings if f.code == "attendance.seniority"]
    keys.key(Qt.Key.Key_Z, CTRL)  # undoable like any edit
    assert not attendance.model.rows[row].senior_enough
    keys.key(Qt.Key.Key_Z, CTRL | SHIFT)  # and redone (Ctrl+Y too)
    assert attendance.model.rows[row].senior_enough
    keys.key(Qt.Key.Key_Z, CTRL)
    keys.key(Qt.Key.Key_Y, CTRL)
    assert attendance.model.rows[row].senior_enough
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert next(a for a in meeting.attendees if a.name == "PC Dan Moore").senior_enough


def test_going_to_a_missing_required_role_fills_in_its_agency_and_service(qtbot, window, db_url):
    """A looked-after child: the protocol requires the fostering or residential service
    (attendance.required). From the readiness panel, Enter on that finding opens attendance
    with the quick entry's agency and service filled in and the keyboard on the name."""
    win = window
    mid = meeting_id(win, "exploitation")
    win.open_meeting(mid)
    activate(qtbot, win)
    children = editor(win, "children")
    looked_after = next(i for i, c in enumerate(children.model.columns) if c.attr == "looked_after")
    win.view.focus_agenda()
    keys = Keyboard(qtbot)
    keys.tab_to(children.view)
    for _ in range(12):
        if children.view.currentIndex().column() == looked_after:
            break
        keys.key(Qt.Key.Key_Right)
    assert children.view.currentIndex().column() == looked_after
    keys.key(Qt.Key.Key_Space)  # Jordan Ellis is looked after
    assert children.model.rows[0].looked_after
    win.doc.recheck()
    (required,) = [f for f in win.doc.readiness.findings if f.code == "attendance.required"]
    assert required.role == "social_care/fostering_residential" and required.item is None
    attendance = editor(win, "attendees")
    assert {b.text() for b in attendance.banner.buttons} >= {"Add attendee", "Record absence"}

    keys.key(Qt.Key.Key_R, CTRL | SHIFT)  # the readiness panel
    tree = win.readiness.tree
    assert tree.hasFocus()

    def current() -> Any:
        item = tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole + 1) if item is not None else None

    for _ in range(60):  # down the findings, the current step's first
        if current() == required:
            break
        keys.key(Qt.Key.Key_Down)
    assert current() == required
    keys.enter()
    qtbot.waitUntil(lambda: attendance.q_name.hasFocus())
    assert win.view.current_page().step.id == "attendance"
    assert attendance.q_agency.currentText() == "Children's social care"
    assert attendance.q_service.currentText() == "Fostering or residential service"
    keys.type("Lee Grant")
    keys.enter()
    keys.type("Residential manager")
    keys.enter()
    keys.enter()  # Present: added
    added = attendance.model.rows[-1]
    assert (added.name, added.agency.value, added.service.value) == (
        "Lee Grant",
        "social_care",
        "fostering_residential",
    )
    win.doc.recheck()
    assert not [f for f in win.doc.readiness.findings if f.code == "attendance.required"]
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert meeting.children[0].looked_after
        lee = next(a for a in meeting.attendees if a.name == "Lee Grant")
        assert (lee.agency.value, lee.service.value, lee.role) == (
            "social_care",
            "fostering_residential",
            "Residential manager",
        )


def tab_stops(keys: Keyboard, win: Any, until: Any) -> list[Any]:
    """Every widget Tab reaches from the agenda until *until* has the focus."""
    win.view.focus_agenda()
    seen = []
    for _ in range(200):
        focus = keys.focus()
        seen.append(focus)
        if focus is until or until.isAncestorOf(focus):
            return seen
        keys.tab()
    raise AssertionError(f"Tab never reached {until!r}")


def test_conditional_fields_come_and_go_with_what_they_depend_on(qtbot, window, db_url):
    """Exploitation demo. The LADO's dates only once a professional is alleged to have harmed
    a child (the concern ticked), the planned conference only once section 47 enquiries start;
    hidden, a field is no Tab stop. In the missing-child form the whereabouts fields are shown
    from the start (the form implies the concern)."""
    from s47desk.vocab import Concern

    win = window
    mid = meeting_id(win, "exploitation")
    win.open_meeting(mid)
    activate(qtbot, win)
    keys = Keyboard(qtbot)
    details = open_step(win, "details")
    suspected = details.editor("meeting.abuse_suspected_on")
    notified = details.editor("meeting.lado_notified_on")
    children = details.editor("children")
    assert not suspected.isVisibleTo(details) and not notified.isVisibleTo(details)
    stops = tab_stops(keys, win, children.view)
    assert not [w for w in stops if suspected.isAncestorOf(w) or notified.isAncestorOf(w)]

    allegation = details.editor("meeting.concerns").boxes[Concern.PROFESSIONAL_ALLEGATION.value]
    keys.tab_to(allegation)
    keys.key(Qt.Key.Key_Space)  # a professional is alleged to have harmed the child
    assert suspected.isVisibleTo(details) and notified.isVisibleTo(details)
    # and it is reachable in reading order, after the concerns
    keys.tab_to(suspected.date.edit)
    keys.type("20/11/2026")
    keys.tab()
    assert win.doc.meeting.abuse_suspected_on is not None
    keys.tab_to(allegation)
    keys.key(Qt.Key.Key_Space)  # untick: the LADO's dates go (what was typed is kept)
    assert not suspected.isVisibleTo(details)
    stops = tab_stops(keys, win, children.view)
    assert not [w for w in stops if suspected.isAncestorOf(w)]
    keys.tab_to(allegation)
    keys.key(Qt.Key.Key_Space)  # ticked again for the record
    assert suspected.isVisibleTo(details)

    sign = open_step(win, "sign")
    icpc = sign.editor("meeting.icpc_planned_on")
    assert not icpc.isVisibleTo(sign)  # no section 47 enquiry (yet)
    s47 = editor(win, "decision.s47")
    win.view.focus_agenda()
    keys.tab_to(s47.keys.stop())
    keys.letters("joint")  # "Yes: joint section 47 enquiry with the police"
    assert win.doc.meeting.decision("s47").choice == "joint"
    keys.key(Qt.Key.Key_9, CTRL)  # review and sign: the conference date is asked now
    assert win.view.current_page() is sign
    assert icpc.isVisibleTo(sign)
    keys.tab_to(icpc.date.edit)
    keys.type("+15")
    keys.tab()
    planned = win.app.protocol.calendar().add_working_days(win.doc.base_date(), 15)
    assert win.doc.meeting.icpc_planned_on == planned
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert Concern.PROFESSIONAL_ALLEGATION.value in meeting.concerns
        assert str(meeting.abuse_suspected_on) == "2026-11-20"
        assert meeting.decision("s47").choice == "joint"
        assert meeting.icpc_planned_on == planned

    win.open_meeting(meeting_id(win, "missing"))
    page = open_step(win, "details")
    whereabouts = page.editor("meeting.whereabouts_unknown_since")
    enquiries = page.editor("meeting.under_s47_enquiries")
    assert whereabouts.isVisibleTo(page) and enquiries.isVisibleTo(page)
    before = win.doc.meeting.under_s47_enquiries
    keys.tab_to(enquiries.box)
    keys.key(Qt.Key.Key_Space)
    assert win.doc.meeting.under_s47_enquiries is not before
    assert not page.editor("meeting.lado_notified_on").isVisibleTo(page)
