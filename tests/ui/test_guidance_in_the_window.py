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
from PySide6.QtWidgets import QPlainTextEdit

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


def test_an_action_for_several_children_from_the_quick_bar(qtbot, window, db_url):
    """Review demo (Maya and Leo Thompson): the quick bar's children list, by keyboard: one
    child, then all of them; the read-back at the sign step says whom each is for."""
    win = window
    mid = meeting_id(win, "review")
    win.open_meeting(mid)
    activate(qtbot, win)
    maya, leo = win.doc.meeting.children
    bar = win.view.quick_action
    keys = Keyboard(qtbot)

    def add(what: str, choose: list[Qt.Key]) -> None:
        win.view.focus_agenda()
        keys.key(Qt.Key.Key_A, CTRL | SHIFT)
        keys.tab()
        keys.type(what)
        keys.tab()
        keys.type("Tom Okafor")
        keys.tab()
        keys.letters("c")  # Children's social care
        keys.tab()
        assert bar.for_children.hasFocus()
        assert bar.for_children.text() == "Not for a particular child ▾"
        keys.key(Qt.Key.Key_Space)  # the list opens, on the first child
        popup = bar.for_children.popup
        assert popup is not None and popup.list.hasFocus()
        assert popup.list.currentItem().text() == "Maya Thompson"
        for key in choose:
            keys.key(key)
        keys.enter()  # done: back on the button, which says whom
        assert bar.for_children.hasFocus()
        keys.tab()
        assert bar.due.edit.hasFocus()
        keys.type("+3")
        keys.enter()  # added

    add("See Leo at his grandmother's home", [Qt.Key.Key_Down, Qt.Key.Key_Space])
    first = win.doc.meeting.actions[-1]
    assert first.for_children == [leo.uid] and first.child is None
    add("Tell both children what happens next", [Qt.Key.Key_Up, Qt.Key.Key_Space])
    second = win.doc.meeting.actions[-1]
    assert second.for_children == [maya.uid, leo.uid]
    actions = editor(win, "actions")
    column = next(i for i, c in enumerate(actions.model.columns) if c.attr == "for_children")
    assert actions.model.index(len(actions.model.rows) - 2, column).data() == "Leo Thompson"
    last = actions.model.index(len(actions.model.rows) - 1, column)
    assert last.data() == "All children"
    assert last.data(Qt.ItemDataRole.ToolTipRole).endswith("Maya Thompson, Leo Thompson")
    keys.key(Qt.Key.Key_9, CTRL)
    sign = win.view.current_page().editor("signoff")
    sign.refresh()
    text = sign.summary.toPlainText()
    assert "See Leo at his grandmother's home (for Leo Thompson)" in text
    assert "Tell both children what happens next (for Maya Thompson, Leo Thompson)" in text
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        by_text = {a.text: a for a in meeting.actions}
        assert by_text["See Leo at his grandmother's home"].for_children == [leo.uid]
        assert by_text["Tell both children what happens next"].for_children == [
            maya.uid,
            leo.uid,
        ]
        assert [
            c.name for c in by_text["Tell both children what happens next"].children_in(meeting)
        ] == ["Maya Thompson", "Leo Thompson"]


def test_the_children_cell_ticks_by_keyboard_is_undoable_and_follows_a_removed_child(
    qtbot, window, db_url
):
    """In the action plan: F2 on an action's children opens the list; Space, Enter (which
    stores the cell and moves on, as everywhere in the table); Escape cancels; Ctrl+Z takes it
    back. An action from before multi-child actions (its one ``child``) is edited the same way.
    Removing a child takes it off the actions that were for it, and Undo puts it back."""
    from s47desk.models import Action
    from s47desk.ui.undo import InsertRow

    win = window
    mid = meeting_id(win, "review")
    win.open_meeting(mid)
    activate(qtbot, win)
    doc = win.doc
    maya, leo = doc.meeting.children
    # an action as an older version of s47desk stored it: one child, in Action.child
    doc.push(
        InsertRow(doc, "actions", Action(text="Visit Maya", owner="Tom", child=maya), "action")
    )
    actions = editor(win, "actions")
    open_step(win, "actions")
    view = actions.view
    column = next(i for i, c in enumerate(actions.model.columns) if c.attr == "for_children")
    assert actions.model.index(0, column).data() == "Maya Thompson"
    keys = Keyboard(qtbot)
    win.view.focus_agenda()
    keys.tab_to(view)
    for _ in range(12):
        if view.currentIndex().column() == column:
            break
        keys.key(Qt.Key.Key_Right)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, column)

    def open_list() -> Any:
        keys.key(Qt.Key.Key_F2)
        qtbot.waitUntil(lambda: keys.focus().accessibleName() == "Children this action is for")
        return keys.focus()

    listing = open_list()
    assert listing.currentItem().text() == "Maya Thompson"  # the child ticked
    keys.key(Qt.Key.Key_Down)
    keys.key(Qt.Key.Key_Space)  # Leo too
    keys.key(Qt.Key.Key_Escape)  # cancelled: as it was
    qtbot.waitUntil(lambda: view.hasFocus())
    assert actions.model.rows[0].child is maya and actions.model.rows[0].for_children == []

    listing = open_list()
    keys.key(Qt.Key.Key_Down)
    keys.key(Qt.Key.Key_Space)
    keys.enter()  # stored; the next cell (the kind) is being edited
    qtbot.waitUntil(lambda: actions.model.rows[0].for_children == [maya.uid, leo.uid])
    action = actions.model.rows[0]
    assert action.child is None  # the old link is retired: the ticks are the whole truth
    assert actions.model.index(0, column).data() == "All children"
    assert actions.model.index(0, column).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Maya Thompson, Leo Thompson"
    )
    keys.key(Qt.Key.Key_Escape)  # leave the kind as it is
    qtbot.waitUntil(lambda: view.hasFocus())
    keys.key(Qt.Key.Key_Z, CTRL)  # one step back: Maya alone, through her old link
    assert action.child is maya and action.for_children == []
    keys.key(Qt.Key.Key_Z, CTRL | SHIFT)
    assert action.child is None and action.for_children == [maya.uid, leo.uid]

    # removing Leo takes him off the action; Undo puts him back on it
    children = editor(win, "children")
    open_step(win, "details")
    win.view.focus_agenda()
    keys.tab_to(children.view)
    keys.key(Qt.Key.Key_Down)
    assert children.view.currentIndex().row() == 1
    keys.key(Qt.Key.Key_Delete, CTRL)
    assert [c.name for c in doc.meeting.children] == ["Maya Thompson"]
    assert action.for_children == [maya.uid]
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert next(a for a in meeting.actions if a.text == "Visit Maya").for_children == [maya.uid]
    keys.key(Qt.Key.Key_Z, CTRL)
    assert [c.name for c in doc.meeting.children] == ["Maya Thompson", "Leo Thompson"]
    assert action.for_children == [maya.uid, leo.uid]
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        stored_action = next(a for a in meeting.actions if a.text == "Visit Maya")
        assert stored_action.for_children == [maya.uid, leo.uid]
        assert stored_action.child_id is None
        assert [c.name for c in stored_action.children_in(meeting)] == [
            "Maya Thompson",
            "Leo Thompson",
        ]


def test_someone_else_changed_the_same_action_s_children_both_shown_by_name(qtbot, window, db_url):
    """Conflict handling applies to the children's ticks like any field: both choices are
    shown as names, and the person keeps theirs."""
    from s47desk.audit import Actor
    from s47desk.editing import FieldEdit, save_edits
    from s47desk.models import Action
    from s47desk.ui.undo import InsertRow

    win = window
    mid = meeting_id(win, "review")
    win.open_meeting(mid)
    activate(qtbot, win)
    doc = win.doc
    maya, leo = doc.meeting.children
    action = Action(text="Visit the children", owner="Tom")
    doc.push(InsertRow(doc, "actions", action, "action"))
    saved(qtbot, win)
    other = open_database(db_url)
    save_edits(
        other,
        doc.meeting.uid,
        [FieldEdit("action", action.uid, "for_children", [], [leo.uid], "children")],
        Actor("Mo", "mo"),
    )
    other.close()
    actions = editor(win, "actions")
    open_step(win, "actions")
    column = next(i for i, c in enumerate(actions.model.columns) if c.attr == "for_children")
    keys = Keyboard(qtbot)
    win.view.focus_agenda()
    keys.tab_to(actions.view)
    while actions.view.currentIndex().column() != column:
        keys.key(Qt.Key.Key_Right)
    keys.key(Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: keys.focus().accessibleName() == "Children this action is for")
    keys.key(Qt.Key.Key_Space)  # Maya (the list starts on the first child)
    keys.enter()
    qtbot.waitUntil(lambda: win.conflict_dialog is not None, timeout=5000)
    dialog = win.conflict_dialog
    qtbot.waitExposed(dialog)
    texts = [box.toPlainText() for box in dialog.findChildren(QPlainTextEdit)]
    assert "Leo Thompson" in texts and "Maya Thompson" in texts
    [(_conflict, mine, _theirs)] = dialog.choices
    dialog.activateWindow()
    mine.setFocus()
    keys.key(Qt.Key.Key_Space)  # Keep mine
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert next(a for a in meeting.actions if a.text == "Visit the children").for_children == [
            maya.uid
        ]


def test_seeing_each_child_is_its_own_table_and_its_findings_lead_there(qtbot, window, db_url):
    """The children's table is two short tables: who they are, and seeing each child. A
    child seen with no "by whom" is a finding; going to it opens that cell."""
    win = window
    mid = meeting_id(win, "exploitation")
    win.open_meeting(mid)
    activate(qtbot, win)
    children = editor(win, "children")
    seen = children.seen_view
    assert [c.attr for c in children.model.columns][:3] == ["name", "role", "date_of_birth"]
    assert "seen_on" not in [c.attr for c in children.model.columns]
    on = next(i for i, c in enumerate(children.seen_model.columns) if c.attr == "seen_on")
    by = next(i for i, c in enumerate(children.seen_model.columns) if c.attr == "seen_by")
    keys = Keyboard(qtbot)
    win.view.focus_agenda()
    keys.tab_to(children.view)
    keys.tab()
    assert seen.hasFocus()  # the next Tab stop after the first table
    while seen.currentIndex().column() != on:
        keys.key(Qt.Key.Key_Right)
    keys.letters("t")  # typing starts the date: t is today
    keys.enter()  # stored; on to "Seen by"
    assert str(children.model.rows[0].seen_on) == "2026-11-23"
    keys.key(Qt.Key.Key_Escape)
    win.doc.recheck()
    finding = next(f for f in win.doc.readiness.findings if f.code == "children.seen_alone")
    win.view.focus_agenda()
    win.go_to_finding(finding)
    qtbot.waitUntil(
        lambda: seen.currentIndex().column() == by and seen.state() == seen.State.EditingState
    )
    keys.type("Tom Okafor")
    keys.enter()
    assert children.model.rows[0].seen_by == "Tom Okafor"
    saved(qtbot, win)
    with stored(db_url, mid) as meeting:
        assert (str(meeting.children[0].seen_on), meeting.children[0].seen_by) == (
            "2026-11-23",
            "Tom Okafor",
        )
