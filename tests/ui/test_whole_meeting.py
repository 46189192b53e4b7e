"""A whole initial strategy discussion through the real window, by keyboard only: create,
attend, share, decide, plan, sign; then the core reads it back from the database as ready and
signed. Keys go to whatever has the focus, in Tab order (tests/ui/keys.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from s47desk.meetings import get_meeting
from s47desk.readiness import readiness
from s47desk.storage import open_database
from s47desk.vocab import Agency, Attendance, MeetingStatus, Mode
from tests.recordkit import PASSPHRASE, chair
from tests.ui.conftest import editor, open_step, saved
from tests.ui.keys import ALT, CTRL, SHIFT, Keyboard, activate
from tests.ui.sign_kit import confirm_signing


def create_meeting(qtbot: Any, win: Any, keys: Keyboard) -> int:
    keys.key(Qt.Key.Key_N, CTRL)
    dialog = win.new_dialog
    qtbot.waitExposed(dialog)
    assert dialog.form_combo.currentData() == "initial"  # the default form
    assert dialog.referral.edit.hasFocus()
    keys.type("20/11/2026")
    # the deadlines appear as the date is typed, before the field is left
    rows = [dialog.deadlines.topLevelItem(i) for i in range(dialog.deadlines.topLevelItemCount())]
    shown = {r.text(0): (r.text(1), r.text(2)) for r in rows}
    assert shown["Strategy discussion"] == ("Tue 24 November 2026", "in 1 working day")
    # 45 working days, with Christmas, Boxing Day (observed) and New Year's Day skipped
    assessment = win.app.protocol.calendar().add_working_days(date(2026, 11, 20), 45)
    assert (
        shown["Assessment completed"][0] == f"{assessment:%a} {assessment.day} {assessment:%B %Y}"
    )
    keys.enter()  # the dialog's default button: Create meeting
    qtbot.waitUntil(lambda: win.doc is not None and win.doc.meeting_id == dialog.created_id)
    activate(qtbot, win)
    return win.doc.meeting_id


def decide(keys: Keyboard, win: Any, kind: str, letters: str, rationale: str) -> Any:
    decision = editor(win, f"decision.{kind}")
    win.view.focus_agenda()
    keys.tab_to(decision.keys.stop())
    keys.letters(letters)  # the option whose label starts so
    keys.tab()
    assert decision.rationale.hasFocus()
    keys.type(rationale)
    return decision


def test_a_whole_meeting_from_creation_to_signature(
    qtbot, window, db_url, forms, protocol, tmp_path
):
    win = window
    win.app.apply_settings(win.app.settings.with_changes(export_folder=str(tmp_path / "exports")))
    activate(qtbot, win)
    keys = Keyboard(qtbot)
    mid = create_meeting(qtbot, win, keys)
    assert win.view.title.text() == "(no child named yet)"
    assert "Initial strategy discussion" in win.windowTitle()

    # 1. details and children
    details = open_step(win, "details")
    win.view.focus_agenda()
    keys.tab_to(details.editor("meeting.held_at").now)
    keys.key(Qt.Key.Key_Space)
    keys.tab_to(details.editor("meeting.mode").combo)
    keys.letters("v")  # Virtual (video call)
    for field_id, text in (
        ("meeting.chair_name", "Priya Sandhu"),
        ("meeting.minute_taker", "Sam Reid"),
        ("meeting.referrer", "Ms Jones, class teacher, Hill Primary School"),
        ("meeting.reason", "Amy said her dad hit her with a belt."),
    ):
        keys.tab_to(details.editor(field_id).edit)
        keys.type(text)
    keys.tab_to(details.editor("meeting.chair_is_team_manager").box)
    keys.key(Qt.Key.Key_Space)
    keys.tab_to(details.editor("meeting.referrer_kind").combo)
    keys.letters("prac")  # A practitioner or agency
    keys.tab_to(details.editor("meeting.concerns").boxes["physical_abuse"])
    keys.key(Qt.Key.Key_Space)
    children = details.editor("children")
    keys.tab_to(children.add_button)
    keys.key(Qt.Key.Key_Space)  # a new row, typing its name
    keys.type("Amy Test")
    keys.enter()  # the name stored; on to the role
    keys.key(Qt.Key.Key_Escape)
    assert children.model.index(0, 0).data() == "Amy Test"
    keys.tab_to(details.editor("meeting.other_children_note").edit)
    keys.type("No other children live with or visit the family.")
    qtbot.waitUntil(lambda: win.view.title.text() == "Amy Test")
    # no child in hospital: the hospital-discharge decision is not shown (nor a Tab stop)
    assert not editor(win, "decision.hospital_discharge").isVisibleTo(win.view.current_page())

    # the parents and carers, names checked
    household = open_step(win, "household")
    win.view.focus_agenda()
    keys.tab_to(household.editor("meeting.parents_carers").edit)
    keys.type("Dan Test (father), Eve Test (mother)")
    keys.tab_to(household.editor("meeting.identities_checked").box)
    keys.key(Qt.Key.Key_Space)

    # 2. attendance: the banner names the missing minimum agencies until they are added
    attendance = editor(win, "attendees")
    win.doc.recheck()
    assert any("social worker" in m for m in attendance.banner.messages())
    assert attendance.banner.isVisible()
    for agency, service, name in (
        ("ch", "s", "Tom Okafor"),  # Children's social care, Social worker
        ("p", "", "DS Helen Marsh"),  # Police: no services, the box is still a Tab stop
        ("h", "safe", "Grace Liu"),  # Health, Named or designated safeguarding nurse
        ("ref", "", "Ms Jones"),  # the referrer takes part: told the outcome here
    ):
        win.view.focus_agenda()
        keys.tab_to(attendance.q_agency)
        keys.letters(agency)
        keys.tab()
        keys.letters(service)
        keys.tab()
        keys.type(name)
        keys.enter()  # on to the role
        keys.enter()  # on to attendance (Present)
        keys.enter()  # added
    assert attendance.model.rowCount() == 4
    assert attendance.model.index(1, 2).data() == "DS Helen Marsh"
    win.doc.recheck()
    # Only the attendees' seniority is left to confirm (a warning, not a blocker).
    assert all("sufficiently senior" in m for m in attendance.banner.messages()), (
        attendance.banner.messages(),
        [(a.agency, a.service, a.name, a.attendance) for a in attendance.model.rows],
    )

    # 3. information sharing, each item shareable with the family
    information = editor(win, "information")
    for agency, text in (
        ("ch", "Not known to children's social care."),
        ("p", "No police records for the household."),
        ("h", "Immunisations up to date."),
        ("ref", "Amy told her teacher at morning registration."),
    ):
        win.view.focus_agenda()
        keys.tab_to(information.q_agency)
        keys.letters(agency)
        keys.tab()
        keys.tab()
        keys.type(text)
        keys.enter()  # on to "Share with family?"
        keys.letters("m")  # May be shared with the family
        keys.enter()  # added
    assert information.model.rowCount() == 4

    # 4. analysis and the child's voice
    plan = editor(win, "meeting.child_voice_plan").edit
    win.view.focus_agenda()
    keys.tab_to(plan)
    keys.type("Tom will see Amy alone at school tomorrow.")

    # 5 and 6. decisions, each with its rationale
    decide(keys, win, "criminal_investigation", "n", "No evidence of an offence yet.")
    s47 = decide(keys, win, "s47", "n", "Single incident; father accepts it was wrong.")
    keys.tab_to(s47.details["alternative"][1])
    keys.letters("child")  # Child in need services
    for kind, letters in (
        ("immediate_safeguarding", "n"),
        ("medical", "n"),
        ("abe_interview", "n"),
        ("legal", "n"),
        ("family_information", "d"),
        ("review_discussion", "n"),
    ):
        decide(keys, win, kind, letters, f"Agreed by all ({kind.replace('_', ' ')}).")
    # a dissent recorded from the decision itself
    win.view.focus_agenda()
    keys.tab_to(s47.dissent)
    keys.key(Qt.Key.Key_Space)
    dissents = editor(win, "dissents")
    assert dissents.model.rowCount() == 1
    assert dissents.model.index(0, 0).data() == "Section 47 enquiry"
    keys.type("DS Helen Marsh")
    keys.enter()
    keys.key(Qt.Key.Key_Escape)

    contingency = editor(win, "meeting.contingency").edit
    win.view.focus_agenda()
    keys.tab_to(contingency)
    keys.type("If Amy discloses more, a strategy discussion is reconvened.")

    # 7. the action plan, captured from another step with the global shortcut
    open_step(win, "analysis")
    win.view.focus_agenda()
    keys.tab_to(plan)
    keys.key(Qt.Key.Key_A, CTRL | SHIFT)
    bar = win.view.quick_action
    assert bar.isVisible() and bar.kind.hasFocus()
    keys.letters("i")  # Inform the family (or an absent agency): "inf"
    keys.tab()
    keys.type("Tell the family what was agreed")
    keys.tab()
    keys.type("Tom Okafor")
    keys.tab()
    keys.letters("c")
    keys.key(Qt.Key.Key_1, ALT)  # 1 working day on; Add has the focus
    keys.enter()
    assert not bar.isVisible()
    assert plan.hasFocus()  # back where the minute-taker was
    actions = editor(win, "actions")
    assert [actions.model.index(0, c).data() for c in range(4)] == [
        "Tell the family what was agreed",
        "Tom Okafor",
        "Children's social care",
        "Tue 24 November 2026",
    ]
    # and the child is seen: an action of that kind, typed in the table
    keys.key(Qt.Key.Key_A, CTRL | SHIFT)
    keys.letters("s")  # See the child
    keys.tab()
    keys.type("See Amy alone")
    keys.tab()
    keys.type("Tom Okafor")
    keys.tab()
    keys.letters("c")
    keys.key(Qt.Key.Key_1, ALT)
    keys.enter()
    assert len(actions.model.rows) == 2

    # 8. review and sign: allowed once the core finds no blocker
    sign = open_step(win, "sign").editor("signoff")
    win.doc.recheck()
    assert win.readiness.summary.text().startswith("Ready to sign"), win.readiness.messages()
    assert sign.sign_button.isEnabled()
    assert "Section 47 enquiry</b>: No section 47 enquiry" in sign.summary.toHtml().replace(
        "\n", ""
    ) or ("No section 47 enquiry" in sign.summary.toPlainText())
    win.app.apply_settings(win.app.settings.with_changes(signing_certificate=str(chair().p12)))
    confirm_signing(qtbot, sign)
    dialog = sign.unlock_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not win.tasks.busy, timeout=20000)
    assert sign.state.text().startswith("Signed and saved"), sign.state.text()
    assert win.doc.locked
    assert "signed" in " ".join(win.view.notice.messages())
    assert details.editor("meeting.minute_taker").edit.isReadOnly()
    assert not win.actions_["add_action"].isEnabled()
    saved(qtbot, win)
    # the record signed here exports (the content still matches the chair's signature)
    assert sign.record_panel.export_signed.isEnabled()
    activate(qtbot, win)
    win.view.focus_agenda()
    keys.tab_to(sign.record_panel.export_signed)
    keys.key(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not win.tasks.busy, timeout=10000)
    assert sign.record_panel.message.kind == "success", sign.record_panel.message.text()

    # what the core reads back through a fresh database connection
    fresh = open_database(db_url)
    with fresh.sessions() as session:
        meeting = get_meeting(session, mid)
        assert meeting.status is MeetingStatus.SIGNED
        assert meeting.signoffs[0].name == "Priya Sandhu"
        assert [c.name for c in meeting.children] == ["Amy Test"]
        assert [a.attendance for a in meeting.attendees] == [Attendance.PRESENT] * 4
        assert {i.agency for i in meeting.information} == {
            Agency.SOCIAL_CARE,
            Agency.POLICE,
            Agency.HEALTH,
            Agency.REFERRER,
        }
        assert meeting.chair_is_team_manager and meeting.identities_checked
        assert meeting.referrer.startswith("Ms Jones") and meeting.parents_carers
        assert meeting.decision("s47").details == {"alternative": "child_in_need"}
        assert meeting.decision("s47").rationale.startswith("Single incident")
        assert meeting.dissents[0].name == "DS Helen Marsh"
        assert meeting.actions[0].owner == "Tom Okafor"
        assert meeting.mode is Mode.VIRTUAL
        result = readiness(meeting, forms.get("initial"), protocol)
        assert result.ready, [f.message for f in result.blockers]
    fresh.close()
