"""The meeting list, readiness, attendance banner, deadlines, dates and the signed record."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from s47desk.meetings import get_meeting
from s47desk.storage import open_database
from s47desk.ui.date_field import WorkingDayCalendar, parse_date
from s47desk.ui.editors.table import RowTableModel
from s47desk.ui.meeting_list import ID, MeetingFilter
from s47desk.vocab import MeetingStatus
from s47desk.workdays import WorkingCalendar
from tests.ui.conftest import editor, meeting_id, open_step, saved


def test_meeting_list_search_filters_and_counts(qtbot, qtmodeltester, window):
    listing = window.meeting_list
    qtmodeltester.check(listing.model)  # and it watches the filtering and sorting below
    assert len(listing.visible_children()) == 6
    qtbot.keyClicks(listing.search, "maya")
    assert listing.visible_children() == ["Maya Thompson", "Maya Thompson"]
    listing.search.clear()
    qtbot.keyClicks(listing.search, "NB-104234")  # Leo's reference finds his sister's meeting
    assert listing.visible_children() == ["Maya Thompson"]
    listing.search.clear()
    listing.status.setCurrentIndex(listing.status.findData(MeetingStatus.SIGNED))
    assert listing.visible_children() == ["Maya Thompson"]
    listing.status.setCurrentIndex(0)
    listing.form.setCurrentIndex(listing.form.findData("lado"))
    assert listing.visible_children() == ["Ethan Brooks"]
    listing.form.setCurrentIndex(0)
    headers = [listing.model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert headers == ["Child", "Form", "Status", "Next deadline", "Open actions", "Overdue",
                       "Reference", "Held"]  # fmt: skip
    cells = [[listing.model.index(r, c).data() for c in range(8)]
             for r in range(listing.model.rowCount())]  # fmt: skip
    ids = [listing.model.index(r, 0).data(ID) for r in range(listing.model.rowCount())]
    assert cells[ids.index(1)][4] == "5"  # the signed demo has five open actions
    # two meetings for Maya: told apart by form and reference
    shown = {(row[1], row[6]) for row in cells if row[0] == "Maya Thompson"}
    assert len(shown) == 2 and all(ref.startswith("NCC-") for _form, ref in shown)
    assert isinstance(listing.filter, MeetingFilter)


def test_opens_the_last_meeting_and_remembers_layout(qtbot, app, window):
    mid = meeting_id(window, "lado")
    window.open_meeting(mid)
    window.resize(760, 560)  # the offscreen screen is 800 pixels wide
    window.close()
    from s47desk.ui.app import build_window

    again = build_window(app)
    qtbot.addWidget(again)
    assert again.doc is not None and again.doc.meeting_id == mid
    assert again.size().width() == 760
    again.close_meeting()


def test_table_models_pass_the_model_tester(qtmodeltester, window):
    window.open_meeting(meeting_id(window, "initial"))
    for field_id in ("attendees", "information", "actions", "children", "dissents"):
        model = editor(window, field_id).model
        assert isinstance(model, RowTableModel)
        qtmodeltester.check(model)


def test_a_finding_takes_the_keyboard_to_its_field(qtbot, window):
    window.open_meeting(meeting_id(window, "pre_birth"))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    tree = window.readiness.tree
    target = None
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        for j in range(group.childCount()):
            if "minute-taker" in group.child(j).text(0):
                target = group.child(j)
    assert target is not None
    tree.setCurrentItem(target)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: QApplication.focusWidget() is editor(window, "meeting.minute_taker").edit
    )
    assert window.view.navigator.currentRow() == 0


def test_attendance_banner_asks_for_reason_and_escalation(qtbot, window, db_url):
    mid = meeting_id(window, "pre_birth")
    window.open_meeting(mid)
    window.activateWindow()
    attendance = editor(window, "attendees")
    messages = attendance.banner.messages()
    assert any("Health (midwifery) is not present" in m for m in messages)
    assert attendance.banner.isVisible()
    record = next(b for b in attendance.banner.buttons if b.text() == "Record reason")
    qtbot.mouseClick(record, Qt.MouseButton.LeftButton)
    cell = QApplication.focusWidget()
    assert attendance.view.currentIndex().column() == attendance.column_for("escalation")
    qtbot.keyClicks(cell, "Escalated to the midwifery safeguarding lead")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    window.doc.recheck()
    assert not any("Midwifery is not present and" in m for m in attendance.banner.messages())
    saved(qtbot, window)
    fresh = open_database(db_url)
    with fresh.sessions() as session:
        assert get_meeting(session, mid).attendees[-1].escalation.startswith("Escalated")
    fresh.close()


def test_record_absence_for_a_missing_agency(qtbot, window):
    window.open_meeting(meeting_id(window, "exploitation"))
    attendance = editor(window, "attendees")
    absence = next(b for b in attendance.banner.buttons if b.text() == "Record absence")
    rows = attendance.model.rowCount()
    qtbot.mouseClick(absence, Qt.MouseButton.LeftButton)
    assert attendance.model.rowCount() == rows + 1
    assert attendance.model.index(rows, 0).data() == "Complex safeguarding"
    assert attendance.model.index(rows, 4).data() == "Absent"


def test_actions_table_keyboard_entry_and_quick_picks(qtbot, window):
    window.open_meeting(meeting_id(window, "missing"))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    actions = editor(window, "actions")
    actions.view.setFocus()
    qtbot.keyClick(actions.view, Qt.Key.Key_Insert)
    for text in ("Search the usual places", "PC Amy Lee"):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClicks(QApplication.focusWidget(), "Police")  # the agency combo: type to pick
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClicks(QApplication.focusWidget(), "+3")  # the due cell: working days on
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    row = [actions.model.index(0, c).data() for c in range(4)]
    assert row == ["Search the usual places", "PC Amy Lee", "Police", "Thu 26 November 2026"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    actions.view.setCurrentIndex(actions.model.index(0, 0))
    qtbot.mouseClick(actions.pick_buttons[15], Qt.MouseButton.LeftButton)
    assert actions.model.index(0, 3).data() == "Mon 14 December 2026"  # 15 working days after today


def test_dates_skip_bank_holidays_and_the_calendar_shows_them(qtbot):
    calendar = WorkingCalendar()
    base = date(2026, 12, 23)
    assert parse_date("+3", base, calendar) == date(2026, 12, 30)  # 25th, 28th: holidays
    assert parse_date("t", base, calendar) == base
    assert parse_date("2/1", base, calendar) == date(2026, 1, 2)
    widget = WorkingDayCalendar(calendar)
    qtbot.addWidget(widget)
    widget.setCurrentPage(2026, 12)
    from PySide6.QtCore import QDate

    assert widget.dateTextFormat(QDate(2026, 12, 25)).toolTip() == "Christmas Day"
    assert "Boxing Day" in widget.holidays_text


def test_deadlines_panel_and_timeline(window):
    window.open_meeting(meeting_id(window, "review"))
    rows = window.deadlines.rows
    assert "Initial child protection conference (ICPC)" in [r[0] for r in rows]
    assert all(r[2] in ("met", "due today") or r[2].startswith(("in ", "overdue")) for r in rows)
    timeline = window.deadlines.timeline
    assert timeline.start is not None and timeline.marks
    assert any(name == "Christmas Day" for _d, name in timeline.holidays)
    image = timeline.grab()
    assert not image.isNull()


def test_a_signed_record_is_read_only_and_can_be_exported(qtbot, window, tmp_path):
    window.app.apply_settings(
        window.app.settings.with_changes(export_folder=str(tmp_path / "exports"))
    )
    window.open_meeting(meeting_id(window, "initial"))
    doc = window.doc
    assert doc.locked
    assert "signed" in " ".join(window.view.notice.messages())
    assert editor(window, "meeting.reason").edit.isReadOnly()
    assert not editor(window, "actions").add_button.isEnabled()
    window.actions_["add_action"].trigger()
    assert not window.view.quick_action.isVisible()
    sign = open_step(window, "sign").editor("signoff")
    assert sign.sign_button.isHidden()
    panel = sign.record_panel
    assert panel.export_signed.isEnabled()  # no key needed: the files signed at sign-off
    qtbot.mouseClick(panel.export_signed, Qt.MouseButton.LeftButton)
    assert window.progress.isVisible() or panel.message.kind in ("success", "problem")
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)
    assert panel.message.kind == "success", panel.message.text()
    ref = doc.meeting.reference
    assert len(panel.signer.text()) == 64
    folder = tmp_path / "exports" / ref
    assert sorted(p.name for p in folder.glob("*.docx")) == [
        f"strategy-discussion-{ref}-v1-family-copy.docx",
        f"strategy-discussion-{ref}-v1-record.docx",
    ]
    first = (folder / f"strategy-discussion-{ref}-v1-record.docx").read_bytes()
    qtbot.mouseClick(panel.export_signed, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)
    assert (folder / f"strategy-discussion-{ref}-v1-record.docx").read_bytes() == first
    assert not window.progress.isVisible()


def test_every_control_has_an_accessible_name(qtbot, window):
    window.open_meeting(meeting_id(window, "exploitation"))
    missing = []
    for page in window.view.pages:
        page.ensure_built()
        for widget in page.widget().findChildren(QWidget):
            if not widget.isVisibleTo(page) or not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
                continue
            name = widget.accessibleName() or getattr(widget, "text", lambda: "")()
            if not name and type(widget).__name__ not in ("QScrollBar", "QWidget", "QFrame"):
                missing.append((page.step.id, type(widget).__name__))
    assert not missing


def test_every_field_kind_has_an_editor():
    from s47desk.fields import FIELDS, FieldKind
    from s47desk.ui.editors.registry import EDITORS

    assert set(EDITORS) == set(FieldKind)
    assert {f.kind for f in FIELDS.values()} <= set(EDITORS)


def test_a_screen_reader_hears_each_deadline_state_once(qtbot, window):
    """ "Overdue: by 2 working days", never "Overdue: overdue by…"; "Due: today", never
    "Due: due today": the state's name, then its detail, from the core."""
    heard = []
    for row in window.meeting_list.rows:
        window.open_meeting(row.summary.id)
        shown = window.deadlines.list
        for i in range(shown.count()):
            spoken = shown.item(i).data(Qt.ItemDataRole.AccessibleTextRole)
            state = spoken.split(". ", 1)[1].split(":")[0]
            assert spoken.lower().count(state.lower()) == 1, spoken
            heard.append(state)
    assert {"Overdue", "Due", "Met on time", "Not applicable"} <= set(heard)
