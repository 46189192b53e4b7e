"""A whole initial strategy discussion through the real window: create, attend, share, decide,
plan, sign; then the core reads it back from the database as ready and signed."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox

from s47desk.meetings import get_meeting
from s47desk.readiness import readiness
from s47desk.storage import open_database
from s47desk.vocab import (
    Agency,
    Attendance,
    FamilySharing,
    MeetingStatus,
    Mode,
    Referrer,
    Service,
)
from tests.recordkit import PASSPHRASE, chair
from tests.ui.conftest import editor, open_step, saved
from tests.ui.sign_kit import confirm_signing


def choose(combo: QComboBox, data: Any) -> None:
    """Pick an item as the user does (the combo emits ``activated``)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def tick(qtbot: Any, box: QCheckBox) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def type_into_focus(qtbot: Any, text: str, enter: bool = True) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, text)
    if enter:
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def decide(qtbot: Any, win: Any, kind: str, choice: str, rationale: str) -> Any:
    decision = editor(win, f"decision.{kind}")
    qtbot.mouseClick(decision.radios[choice], Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    decision.rationale.setFocus()
    qtbot.keyClicks(decision.rationale, rationale)
    return decision


def create_meeting(qtbot: Any, win: Any) -> int:
    win.actions_["new"].trigger()
    dialog = win.new_dialog
    qtbot.waitExposed(dialog)
    dialog.form_combo.setCurrentIndex(dialog.form_combo.findData("initial"))
    qtbot.keyClicks(dialog.referral.edit, "20/11/2026")
    # the deadlines appear as the date is typed, before the field is left
    rows = [dialog.deadlines.topLevelItem(i) for i in range(dialog.deadlines.topLevelItemCount())]
    shown = {r.text(0): (r.text(1), r.text(2)) for r in rows}
    assert shown["Strategy discussion"] == ("Tue 24 November 2026", "in 1 working day")
    # 45 working days, with Christmas, Boxing Day (observed) and New Year's Day skipped
    assessment = win.app.protocol.calendar().add_working_days(date(2026, 11, 20), 45)
    assert (
        shown["Assessment completed"][0] == f"{assessment:%a} {assessment.day} {assessment:%B %Y}"
    )
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.doc is not None and win.doc.meeting_id == dialog.created_id)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    return win.doc.meeting_id


def test_a_whole_meeting_from_creation_to_signature(
    qtbot, window, db_url, forms, protocol, tmp_path
):
    win = window
    win.app.apply_settings(win.app.settings.with_changes(export_folder=str(tmp_path / "exports")))
    mid = create_meeting(qtbot, win)
    assert win.view.title.text() == "(no child named yet)"
    assert "Initial strategy discussion" in win.windowTitle()

    # 1. details and children
    details = open_step(win, "details")
    qtbot.mouseClick(details.editor("meeting.held_at").now, Qt.MouseButton.LeftButton)
    choose(details.editor("meeting.mode").combo, Mode.VIRTUAL)
    for field_id, text in (
        ("meeting.chair_name", "Priya Sandhu"),
        ("meeting.minute_taker", "Sam Reid"),
        ("meeting.referrer", "Ms Jones, class teacher, Hill Primary School"),
        ("meeting.reason", "Amy said her dad hit her with a belt."),
        ("meeting.other_children_note", "No other children live with or visit the family."),
    ):
        widget = details.editor(field_id).edit
        widget.setFocus()
        qtbot.keyClicks(widget, text)
    tick(qtbot, details.editor("meeting.chair_is_team_manager").box)
    choose(details.editor("meeting.referrer_kind").combo, Referrer.PROFESSIONAL)
    tick(qtbot, details.editor("meeting.concerns").boxes["physical_abuse"])
    children = details.editor("children")
    qtbot.mouseClick(children.add_button, Qt.MouseButton.LeftButton)
    type_into_focus(qtbot, "Amy Test")  # the name cell; Enter moves on to the role
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert children.model.index(0, 0).data() == "Amy Test"
    qtbot.waitUntil(lambda: win.view.title.text() == "Amy Test")

    # the parents and carers, names checked
    household = open_step(win, "household")
    parents = household.editor("meeting.parents_carers").edit
    parents.setFocus()
    qtbot.keyClicks(parents, "Dan Test (father), Eve Test (mother)")
    tick(qtbot, household.editor("meeting.identities_checked").box)

    # 2. attendance: the banner names the missing minimum agencies until they are added
    attendance = editor(win, "attendees")
    win.doc.recheck()
    assert any("social worker" in m for m in attendance.banner.messages())
    assert attendance.banner.isVisible()
    for agency, service, name in (
        (Agency.SOCIAL_CARE, Service.SOCIAL_WORKER, "Tom Okafor"),
        (Agency.POLICE, None, "DS Helen Marsh"),
        (Agency.HEALTH, Service.SAFEGUARDING_NURSE, "Grace Liu"),
        (Agency.REFERRER, None, "Ms Jones"),  # the referrer takes part: told the outcome here
    ):
        attendance.q_agency.setCurrentIndex(attendance.q_agency.findData(agency))
        if service is not None:
            attendance.q_service.setCurrentIndex(attendance.q_service.findData(service))
        attendance.q_name.setFocus()
        qtbot.keyClicks(attendance.q_name, name)
        qtbot.keyClick(attendance.q_name, Qt.Key.Key_Return)
    assert attendance.model.rowCount() == 4
    assert attendance.model.index(1, 2).data() == "DS Helen Marsh"
    win.doc.recheck()
    # Only the attendees' seniority is left to confirm (a warning: the attendance table has no
    # column for it yet).
    assert all("sufficiently senior" in m for m in attendance.banner.messages())

    # 3. information sharing, each item shareable with the family
    information = editor(win, "information")
    for agency, text in (
        (Agency.SOCIAL_CARE, "Not known to children's social care."),
        (Agency.POLICE, "No police records for the household."),
        (Agency.HEALTH, "Immunisations up to date."),
        (Agency.REFERRER, "Amy told her teacher at morning registration."),
    ):
        information.q_agency.setCurrentIndex(information.q_agency.findData(agency))
        information.q_family.setCurrentIndex(information.q_family.findData(FamilySharing.YES))
        information.q_text.setFocus()
        qtbot.keyClicks(information.q_text, text)
        qtbot.keyClick(information.q_text, Qt.Key.Key_Return)
    assert information.model.rowCount() == 4

    # 4. analysis and the child's voice
    plan = editor(win, "meeting.child_voice_plan").edit
    plan.setFocus()
    qtbot.keyClicks(plan, "Tom will see Amy alone at school tomorrow.")

    # 5 and 6. decisions, each with its rationale
    decide(qtbot, win, "criminal_investigation", "none", "No evidence of an offence yet.")
    s47 = decide(qtbot, win, "s47", "no", "Single incident; father accepts it was wrong.")
    choose(s47.details["alternative"][1], "child_in_need")
    for kind, choice in (
        ("immediate_safeguarding", "not_required"),
        ("medical", "not_required"),
        ("abe_interview", "not_required"),
        ("legal", "not_required"),
        ("family_information", "do_not_share"),
        ("review_discussion", "not_needed"),
    ):
        decide(qtbot, win, kind, choice, f"Agreed by all: {choice.replace('_', ' ')}.")
    # a dissent recorded from the decision itself
    qtbot.mouseClick(s47.dissent, Qt.MouseButton.LeftButton)
    dissents = editor(win, "dissents")
    assert dissents.model.rowCount() == 1
    assert dissents.model.index(0, 0).data() == "Section 47 enquiry"
    type_into_focus(qtbot, "DS Helen Marsh")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)

    contingency = editor(win, "meeting.contingency").edit
    contingency.setFocus()
    qtbot.keyClicks(contingency, "If Amy discloses more, a strategy discussion is reconvened.")

    # 7. the action plan, captured from another step with the global shortcut
    open_step(win, "analysis")
    qtbot.keyClick(
        plan, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    bar = win.view.quick_action
    assert bar.isVisible() and bar.what.hasFocus()
    qtbot.keyClicks(bar.what, "Tell the family what was agreed")
    qtbot.keyClicks(bar.owner, "Tom Okafor")
    bar.agency.setCurrentIndex(bar.agency.findData(Agency.SOCIAL_CARE))
    qtbot.keyClicks(bar.due.edit, "+1")
    qtbot.keyClick(bar.owner, Qt.Key.Key_Return)
    assert not bar.isVisible()
    assert plan.hasFocus()  # back where the minute-taker was
    actions = editor(win, "actions")
    assert [actions.model.index(0, c).data() for c in range(4)] == [
        "Tell the family what was agreed",
        "Tom Okafor",
        "Children's social care",
        "Tue 24 November 2026",
    ]

    # 8. review and sign: allowed once the core finds no blocker
    sign = open_step(win, "sign").editor("signoff")
    win.doc.recheck()
    assert win.readiness.summary.text().startswith("<b>Ready to sign"), win.readiness.messages()
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
    qtbot.mouseClick(sign.record_panel.export_signed, Qt.MouseButton.LeftButton)
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
