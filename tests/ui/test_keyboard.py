"""The keyboard as a minute-taker uses it: the quick-action bar in at most 8 keys beyond the
text, quick entry where Enter adds only from the last field, choices by arrows and letters,
removals with Undo, and moving about a signed record."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from s47desk.ui.a11y import ANNOUNCED
from s47desk.vocab import ActionCategory, Agency, Attendance, FamilySharing, Service
from tests.ui.conftest import editor, meeting_id, open_step, saved
from tests.ui.keys import ALT, CTRL, SHIFT, Keyboard, activate


def test_an_action_in_at_most_eight_keys_beyond_the_text_from_any_step(qtbot, window):
    window.open_meeting(meeting_id(window, "missing"))
    activate(qtbot, window)
    actions = editor(window, "actions")
    before = len(actions.model.rows)
    for step in ("details", "attendance", "information"):
        open_step(window, step)
        window.view.focus_agenda()
        keys = Keyboard(qtbot)
        keys.key(Qt.Key.Key_A, CTRL | SHIFT)  # 1: the bar opens on its first field, the kind
        bar = window.view.quick_action
        assert bar.isVisible() and bar.kind.hasFocus()
        keys.tab()  # 2
        keys.type(f"Search the usual places ({step})")
        keys.tab()  # 3
        keys.type("PC Amy Lee")
        keys.tab()  # 4: the agency
        keys.letters("p")  # 5: Police
        keys.key(Qt.Key.Key_5, ALT)  # 6: due in 5 working days; Add has the focus
        assert bar.add.hasFocus()
        keys.enter()  # 7
        assert keys.presses <= 8, keys.presses
        assert not bar.isVisible()
    saved(qtbot, window)
    added = actions.model.rows[before:]
    assert [a.owner for a in added] == ["PC Amy Lee"] * 3
    assert {a.agency for a in added} == {Agency.POLICE}
    due = window.app.protocol.calendar().add_working_days(window.doc.base_date(), 5)
    assert {a.due for a in added} == {due}
    assert any(a.message.startswith("Action added") for a in ANNOUNCED)


def test_the_quick_bar_tabs_kind_what_owner_agency_children_due_and_can_see_the_child(
    qtbot, window
):
    window.open_meeting(meeting_id(window, "missing"))
    activate(qtbot, window)
    open_step(window, "analysis")
    window.view.focus_agenda()
    keys = Keyboard(qtbot)
    keys.key(Qt.Key.Key_A, CTRL | SHIFT)
    bar = window.view.quick_action
    order = [bar.kind, bar.what, bar.owner, bar.agency, bar.for_children, bar.due.edit]
    seen = [keys.focus()]
    for _ in order[1:]:
        keys.tab()
        seen.append(keys.focus())
    assert seen == order
    keys.key(Qt.Key.Key_Tab, SHIFT)
    keys.key(Qt.Key.Key_Tab, SHIFT)
    keys.key(Qt.Key.Key_Tab, SHIFT)
    keys.key(Qt.Key.Key_Tab, SHIFT)
    keys.key(Qt.Key.Key_Tab, SHIFT)
    assert bar.kind.hasFocus()
    keys.letters("s")  # "See the child (alone…)"
    assert bar.kind.currentData() is ActionCategory.SEE_CHILD
    keys.tab()
    keys.type("See Leo alone at school")
    keys.tab()
    keys.type("Tom Okafor")
    keys.tab()
    keys.letters("c")  # Children's social care
    keys.tab()
    keys.tab()
    keys.type("+5")  # typed in order, the date lands in the due field…
    keys.enter()  # …and Enter there (the last field) adds the action
    actions = editor(window, "actions")
    added = actions.model.rows[-1]
    assert added.category is ActionCategory.SEE_CHILD
    assert added.agency is Agency.SOCIAL_CARE
    assert added.due == window.app.protocol.calendar().add_working_days(window.doc.base_date(), 5)


def test_attendance_quick_entry_enter_moves_on_and_adds_from_the_choice(qtbot, window):
    window.open_meeting(meeting_id(window, "initial_draft" if False else "missing"))
    activate(qtbot, window)
    attendance = editor(window, "attendees")
    rows = len(attendance.model.rows)
    window.view.focus_agenda()
    keys = Keyboard(qtbot)
    keys.tab_to(attendance.q_agency)
    keys.letters("h")  # Health
    keys.tab()
    assert attendance.q_service.hasFocus()
    keys.letters("safe")  # the word in "Named or designated safeguarding nurse"
    assert attendance.q_service.currentData() is Service.SAFEGUARDING_NURSE
    keys.tab()
    keys.type("Grace Liu")
    keys.enter()  # not added yet: on to the role
    assert len(attendance.model.rows) == rows and attendance.q_role.hasFocus()
    keys.type("Designated nurse")
    keys.enter()
    assert attendance.q_attendance.hasFocus() and len(attendance.model.rows) == rows
    keys.letters("a")  # "Apologies, information sent"
    keys.enter()  # Enter on the choice itself adds, with what was chosen
    assert len(attendance.model.rows) == rows + 1
    added = attendance.model.rows[-1]
    assert (added.name, added.service, added.attendance) == (
        "Grace Liu",
        Service.SAFEGUARDING_NURSE,
        Attendance.APOLOGIES,
    )
    # police has no services, but the service box is still the next Tab stop
    keys.tab_to(attendance.q_agency)
    keys.letters("p")
    keys.tab()
    assert attendance.q_service.hasFocus()


def test_information_quick_entry_records_the_family_choice_made(qtbot, window):
    window.open_meeting(meeting_id(window, "missing"))
    activate(qtbot, window)
    information = editor(window, "information")
    rows = len(information.model.rows)
    window.view.focus_agenda()
    keys = Keyboard(qtbot)
    keys.tab_to(information.q_agency)
    keys.letters("p")
    keys.tab()
    keys.type("DS Helen Marsh")
    keys.tab()
    keys.type("No police records for the household.")
    keys.enter()  # on to the family choice, not added with "Not yet decided"
    assert information.q_family.hasFocus() and len(information.model.rows) == rows
    keys.letters("m")  # "May be shared with the family"
    keys.enter()
    item = information.model.rows[-1]
    assert item.family_sharing is FamilySharing.YES and item.agency is Agency.POLICE


def test_a_decision_by_arrow_keys_and_first_letters_when_none_is_chosen(qtbot, window):
    window.open_meeting(meeting_id(window, "missing"))
    activate(qtbot, window)
    decision = editor(window, "decision.legal")
    assert (
        window.doc.meeting.decision("legal") is None
        or not window.doc.meeting.decision("legal").choice
    )
    window.view.focus_agenda()
    keys = Keyboard(qtbot)
    first = decision.keys.stop()
    keys.tab_to(first)
    keys.key(Qt.Key.Key_Down)  # none chosen yet: Down chooses the one with the focus
    assert window.doc.meeting.decision("legal").choice == next(iter(decision.radios))
    keys.key(Qt.Key.Key_Down)
    assert window.doc.meeting.decision("legal").choice == list(decision.radios)[1]
    labels = {value: r.accessibleName() for value, r in decision.radios.items()}
    target = next(v for v, label in labels.items() if label.lower().startswith("n"))
    keys.letters("n")
    assert window.doc.meeting.decision("legal").choice == target
    keys.tab()
    assert decision.rationale.hasFocus()  # one Tab stop for the whole group
    keys.type("Agreed.")
    window.doc.recheck()
    step = window.view.step_index("decisions")
    assert window.view.navigator.state(step) != "not_started"


def test_removing_an_action_names_it_offers_undo_and_never_removes_two(qtbot, window):
    window.open_meeting(meeting_id(window, "missing"))
    activate(qtbot, window)
    actions = editor(window, "actions")
    keys = Keyboard(qtbot)
    for what in ("Visit the grandmother", "Check the bus station"):
        window.view.focus_agenda()
        keys.key(Qt.Key.Key_A, CTRL | SHIFT)
        keys.tab()
        keys.type(what)
        for _ in range(4):  # Enter moves on: owner, agency, children, due
            keys.enter()
        keys.enter()  # from the due date, the last field: added
    count = len(actions.model.rows)
    assert count >= 2
    first_text = actions.model.rows[0].text
    open_step(window, "actions")
    window.view.focus_agenda()
    keys.tab_to(actions.view)
    keys.tab_to(actions.remove_button)
    keys.key(Qt.Key.Key_Space)
    assert len(actions.model.rows) == count - 1
    toast = window.view.toast
    assert toast.isVisible() and first_text[:20] in toast.text.text()
    assert actions.view.hasFocus()  # not the Remove button: a second Space removes nothing
    keys.key(Qt.Key.Key_Escape)
    assert len(actions.model.rows) == count - 1
    keys.key(Qt.Key.Key_Z, CTRL)
    assert len(actions.model.rows) == count and actions.model.rows[0].text == first_text


def test_a_signed_record_can_be_walked_by_keyboard_to_its_export(qtbot, window):
    window.open_meeting(meeting_id(window, "initial"))
    activate(qtbot, window)
    assert window.doc.locked
    window.view.focus_agenda()
    keys = Keyboard(qtbot)
    keys.key(Qt.Key.Key_PageDown, CTRL)
    assert window.view.stack.currentIndex() == 1
    keys.key(Qt.Key.Key_3, CTRL)
    assert window.view.current_page().step.id == window.doc.form.steps[2].id
    # Ctrl+9 is the last step, review and sign, however many steps the form has; the Go menu
    # names each step by its key
    keys.key(Qt.Key.Key_9, CTRL)
    assert window.view.current_page().step.id == "sign"
    menu = {a.shortcut().toString(): a.text() for a in window.step_actions}
    assert menu["Ctrl+9"] == f"&{len(window.view.pages)}. Review and sign"
    assert menu["Ctrl+2"] == f"&2. {window.doc.form.steps[1].title}"
    sign = window.view.current_page().editor("signoff")
    window.view.focus_agenda()
    keys.tab_to(sign.record_panel.export_signed)
    assert window.actions_["amend"].isEnabled() and not window.actions_["add_action"].isEnabled()
    assert QApplication.focusWidget() is sign.record_panel.export_signed


def test_ctrl_9_is_the_last_step_of_a_short_or_long_form():
    from s47desk.ui.window_actions import step_for_key

    assert [step_for_key(n, 9) for n in range(1, 10)] == list(range(9))
    assert step_for_key(9, 12) == 11 and step_for_key(8, 12) == 7
    assert step_for_key(7, 6) is None and step_for_key(9, 6) == 5
