"""Information sharing: each agency's contribution or nil return, and what the family may see."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from s47desk.models import InformationItem
from s47desk.ui.a11y import announce
from s47desk.ui.editors.scalar import UndoAwareLineEdit, vocab_combo
from s47desk.ui.editors.table import Column, TableEditor
from s47desk.ui.quick_entry import EnterChain, QuickGrid
from s47desk.ui.undo import InsertRow
from s47desk.vocab import Agency, FamilySharing, WithholdReason


class InformationEditor(TableEditor):
    row_label = "item"
    add_text = "Add item"
    empty_text = (
        "Nothing shared yet. Each agency in turn: type what it knows, or record a nil return."
    )
    columns = [
        Column("agency", "Agency", "vocab", Agency, optional=False),
        Column("shared_by", "Shared by"),
        Column("text", "Information", stretch=True, fixes=("information.agency_missing",)),
        Column("nil_return", "Nil return", "bool"),
        Column(
            "family_sharing",
            "Share with family?",
            "vocab",
            FamilySharing,
            optional=False,
            fixes=("information.family_undecided",),
        ),
        Column(
            "withhold_reason",
            "Reason not shared",
            "vocab",
            WithholdReason,
            fixes=("information.family_reason",),
            only_if=lambda i: i.withheld,
        ),
        Column("withhold_note", "Note"),
    ]

    def build_top(self) -> None:
        self.q_agency = vocab_combo(Agency, optional=False, name="New item: agency")
        self.q_by = UndoAwareLineEdit()
        self.q_by.setPlaceholderText("Shared by")
        self.q_by.setAccessibleName("New item: shared by")
        self.q_text = UndoAwareLineEdit()
        self.q_text.setPlaceholderText("What the agency knows")
        self.q_text.setAccessibleName("New item: information")
        self.q_family = vocab_combo(
            FamilySharing, optional=False, name="New item: share with family?"
        )
        self.q_family.setCurrentIndex(self.q_family.findData(FamilySharing.UNDECIDED))
        self.q_add = QPushButton("Add")
        self.q_add.setAccessibleName("Add this information")
        self.q_nil = QPushButton("Nil return")
        self.q_nil.setAccessibleName("Record a nil return for this agency")
        self.q_nil.setToolTip("The agency has checked and holds no information")
        self.quick = QuickGrid(
            "Quick entry (Enter moves on; Enter on Share with family adds):",
            [
                ("Agency", self.q_agency),
                ("Shared by", self.q_by),
                ("Information", self.q_text),
                ("Share with family?", self.q_family),
            ],
            self.q_add,
            self.q_nil,
        )
        self.layout_.addWidget(self.quick)
        self.enter = EnterChain(
            [self.q_agency, self.q_by, self.q_text, self.q_family],
            lambda: self.quick_add(),
            [self.q_add, self.q_nil],
        )
        self.q_add.clicked.connect(lambda: self.quick_add())
        self.q_nil.clicked.connect(lambda: self.quick_add(nil=True))

    def quick_add(self, nil: bool = False) -> None:
        text = self.q_text.text().strip()
        if self.doc.locked or (not text and not nil):
            self.q_text.setFocus()
            return
        item = InformationItem(
            agency=self.q_agency.currentData(),
            shared_by=self.q_by.text().strip(),
            text="" if nil else text,
            nil_return=nil,
            family_sharing=FamilySharing.UNDECIDED if nil else self.q_family.currentData(),
        )
        self.doc.push(InsertRow(self.doc, "information", item, "information"))
        self.q_text.clear()
        self.q_by.clear()
        announce(
            self.q_add,
            f"Added {'a nil return' if nil else 'information'} from {item.agency.label}"
            f"; share with family: {item.family_sharing.label}.",
        )
        self.q_family.setCurrentIndex(self.q_family.findData(FamilySharing.UNDECIDED))
        if item.withheld:
            self.edit_cell(len(self.model.rows) - 1, self.column_for("withhold_reason"))
        else:
            self.q_agency.setFocus()

    def top_chain(self) -> list[QWidget]:
        return [self.q_agency, self.q_by, self.q_text, self.q_family, self.q_add, self.q_nil]

    def new_row(self) -> InformationItem:
        return InformationItem(agency=self.q_agency.currentData())

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for widget in (
            self.q_agency,
            self.q_by,
            self.q_text,
            self.q_family,
            self.q_add,
            self.q_nil,
        ):
            widget.setEnabled(not read_only)
        self.quick.setVisible(not read_only)
