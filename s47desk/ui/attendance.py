"""Attendance: quick entry of who is there, and a live banner for the agencies still missing.

The banner shows the core's attendance findings; it adds no rule. For a finding about a role
with nobody recorded, it offers to add someone in that role or to record its absence (then
the reason and escalation cells are next); going to such a finding (the readiness panel, F8)
fills in the quick entry's agency and service. The role is the finding's own (``role``: a role
the local protocol requires, such as education, legal or a looked-after child's fostering or
residential service), and every check about a role names it. The "Senior
enough" column is the chair's confirmation that each attendee is "sufficiently senior to make
decisions on behalf of their organisation" (guidance 000, 002, 003).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from s47desk.checks import Finding
from s47desk.checks.attendance import SENIORITY
from s47desk.models import Attendee
from s47desk.protocol import Who
from s47desk.ui.banner import Banner, BannerLine
from s47desk.ui.combo import ValueCombo
from s47desk.ui.editors.scalar import UndoAwareLineEdit, vocab_combo
from s47desk.ui.editors.table import Column, TableEditor
from s47desk.ui.quick_entry import EnterChain, QuickGrid
from s47desk.ui.undo import InsertRow
from s47desk.vocab import SERVICES_BY_AGENCY, Agency, Attendance, Service

NO_SERVICES = "— (none listed for this agency)"


def role_of(finding: Finding) -> tuple[Agency, Service | None] | None:
    """The agency and service a finding says is missing, if it is about a role."""
    if not finding.role:
        return None
    who = Who.parse(finding.role)
    return who.agency, who.service


def service_options(_doc: Any, row: Attendee | None) -> list[tuple[str, Any]]:
    services = SERVICES_BY_AGENCY.get(row.agency, ()) if row is not None else ()
    if not services:
        return [(NO_SERVICES, None)]
    return [("—", None), *((s.label, s) for s in services)]


def _absent(row: Attendee) -> bool:
    return row.absent


class AttendanceEditor(TableEditor):
    row_label = "attendee"
    add_text = "Add attendee"
    shows_findings = True
    empty_text = (
        "Nobody recorded yet. Use the line above: agency, service, name, role, attendance, Enter."
    )
    columns = [
        Column("agency", "Agency", "vocab", Agency, optional=False, width=17),
        Column("service", "Service", "options", options=service_options, width=15),
        Column("name", "Name", width=15),
        Column("role", "Role", width=16),
        Column("attendance", "Attendance", "vocab", Attendance, optional=False, width=12),
        Column(
            "senior_enough",
            "Senior enough",
            "bool",
            fixes=(SENIORITY,),
            width=9,
            help="Sufficiently senior to make decisions on behalf of their organisation "
            "(the chair confirms it; Space ticks it)",
        ),
        Column("absence_reason", "Reason not present", width=24, only_if=_absent),
        Column("escalation", "Escalation", width=24, only_if=_absent),
        Column("email", "Email", width=22),
        Column("organisation", "Organisation", width=18),
    ]

    def build_top(self) -> None:
        self.banner = Banner("Missing from this discussion")
        self.layout_.addWidget(self.banner)
        self.q_agency = vocab_combo(Agency, optional=False, name="New attendee: agency")
        self.q_service = ValueCombo()
        self.q_service.setAccessibleName("New attendee: service")
        self.q_service.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.q_service.setMinimumContentsLength(10)
        self.q_name = UndoAwareLineEdit()
        self.q_name.setPlaceholderText("Name")
        self.q_name.setAccessibleName("New attendee: name")
        self.q_role = UndoAwareLineEdit()
        self.q_role.setPlaceholderText("Role")
        self.q_role.setAccessibleName("New attendee: role")
        self.q_attendance = vocab_combo(Attendance, optional=False, name="New attendee: attendance")
        self.q_add = QPushButton("Add")
        self.q_add.setAccessibleName("Add this attendee")
        self.quick = QuickGrid(
            "Quick entry (Enter moves on; Enter on Attendance adds):",
            [
                ("Agency", self.q_agency),
                ("Service", self.q_service),
                ("Name", self.q_name),
                ("Role", self.q_role),
                ("Attendance", self.q_attendance),
            ],
            self.q_add,
        )
        self.layout_.addWidget(self.quick)
        self.q_agency.currentIndexChanged.connect(self._services)
        self.q_add.clicked.connect(self.quick_add)
        self.enter = EnterChain(
            [self.q_agency, self.q_service, self.q_name, self.q_role, self.q_attendance],
            self.quick_add,
            [self.q_add],
        )
        self._services()

    def _services(self) -> None:
        agency = self.q_agency.currentData()
        self.q_service.clear()
        for label, value in service_options(None, Attendee(agency=agency)):
            self.q_service.addItem(label, value)
        # Always a Tab stop, so Tab follows the same rhythm whatever the agency.

    def prefill(self, agency: Agency, service: Service | None) -> None:
        self.q_agency.setCurrentIndex(self.q_agency.findData(agency))
        self.q_service.setCurrentIndex(max(self.q_service.findData(service), 0))
        self.q_name.setFocus()

    def quick_add(self) -> None:
        name = self.q_name.text().strip()
        if not name or self.doc.locked:
            self.q_name.setFocus()
            return
        attendee = Attendee(
            agency=self.q_agency.currentData(),
            service=self.q_service.currentData(),
            name=name,
            role=self.q_role.text().strip(),
            attendance=self.q_attendance.currentData(),
        )
        self.doc.push(InsertRow(self.doc, "attendees", attendee, "attendee"))
        self.q_name.clear()
        self.q_role.clear()
        self.q_attendance.setCurrentIndex(self.q_attendance.findData(Attendance.PRESENT))
        from s47desk.ui.a11y import announce

        announce(self.q_add, f"Added {name}, {attendee.agency.label}, {attendee.attendance.label}.")
        if attendee.absent:
            self.focus_item(len(self.model.rows) - 1)
        else:
            self.q_agency.setFocus()

    def new_row(self) -> Attendee:
        return Attendee(agency=self.q_agency.currentData(), service=self.q_service.currentData())

    def record_absence(self, agency: Agency, service: Service | None) -> None:
        """Add the agency as absent and go straight to its reason."""
        index = self.add_row(Attendee(agency=agency, service=service, attendance=Attendance.ABSENT))
        if index >= 0:
            self.edit_cell(index, self.column_for("absence_reason"))

    def focus_finding(self, finding: Finding) -> None:
        """A role nobody is recorded in: the quick entry has its agency and service, and the
        keyboard is on the name."""
        role = role_of(finding) if finding.item is None else None
        if role is not None and not self.doc.locked:
            self.prefill(*role)
            return
        super().focus_finding(finding)

    def focus_item(self, item: int | None, code: str = "") -> None:
        if item is not None and 0 <= item < len(self.model.rows) and code == SENIORITY:
            super().focus_item(item, code)  # the "Senior enough" tick, which Space sets
            return
        if item is not None and 0 <= item < len(self.model.rows) and code != "attendance.name":
            row = self.model.rows[item]
            if row.absent:
                column = "escalation" if row.absence_reason.strip() else "absence_reason"
                self.edit_cell(item, self.column_for(column))
                return
        super().focus_item(item, code)

    def top_chain(self) -> list[QWidget]:
        return [
            *self.banner.buttons,
            self.q_agency,
            self.q_service,
            self.q_name,
            self.q_role,
            self.q_attendance,
            self.q_add,
        ]

    def show_findings(self, findings: list[Finding]) -> None:
        from s47desk.ui.wording import once

        super().show_findings(findings)
        before = list(self.banner.buttons)
        own, shared = once([f.message for f in findings])
        lines = []
        for f, text in zip(findings, own, strict=True):
            buttons: list[tuple[str, Any]] = []
            role = role_of(f)
            if f.code == SENIORITY and f.item is not None:
                buttons.append(("Confirm seniority", lambda f=f: self.focus_item(f.item, f.code)))
            elif f.item is not None:
                buttons.append(("Record reason", lambda f=f: self.focus_item(f.item, f.code)))
            elif role is not None:
                agency, service = role
                buttons.append(("Add attendee", lambda a=agency, s=service: self.prefill(a, s)))
                buttons.append(
                    ("Record absence", lambda a=agency, s=service: self.record_absence(a, s))
                )
            lines.append(BannerLine(f.severity.value, text, buttons))
        if shared:
            lines.append(BannerLine("info", shared))
        self.banner.set_lines(lines)
        if before != self.banner.buttons:
            self.chain_changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for widget in (
            self.q_agency,
            self.q_service,
            self.q_name,
            self.q_role,
            self.q_attendance,
            self.q_add,
        ):
            widget.setEnabled(not read_only)
        self.quick.setVisible(not read_only)
        self.banner.setVisible(not read_only and bool(self.banner.lines))
