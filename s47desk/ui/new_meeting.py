"""New meeting: choose the form, enter the referral and concern dates and the urgency.

The deadlines those dates start are computed by the core as the user types and shown at once.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from s47desk.application import Application
from s47desk.deadlines import meeting_timescales
from s47desk.meetings import create_meeting
from s47desk.models import Meeting
from s47desk.ui.combo import ValueCombo
from s47desk.ui.date_field import DateField
from s47desk.ui.deadlines_panel import WrappingDelegate, deadline_rows, show_row
from s47desk.ui.editors.scalar import vocab_combo
from s47desk.ui.theme import Heading, muted
from s47desk.vocab import Urgency


class NewMeetingDialog(QDialog):
    def __init__(
        self,
        app: Application,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New strategy discussion")
        self.app = app
        self.created_id: int | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("New strategy discussion", 1.3))
        form = QFormLayout()
        self.form_combo = ValueCombo()
        self.form_combo.setAccessibleName("Form")
        for f in app.forms:
            self.form_combo.addItem(f.title, f.id)
        # Most discussions are initial ones: that form first in mind, whatever the list order.
        self.form_combo.setCurrentIndex(max(self.form_combo.findData("initial"), 0))
        self.summary = muted("")
        calendar = app.protocol.calendar()
        self.referral = DateField(calendar, app.today, name="Referral received")
        self.identified = DateField(calendar, app.today, name="Concerns identified")
        self.urgency = vocab_combo(Urgency, optional=False, name="Urgency")
        self.urgency.setCurrentIndex(self.urgency.findData(Urgency.STANDARD))
        form.addRow("&Form", self.form_combo)
        form.addRow(self.summary)  # the whole width: a wrapped field-column label left a gap
        form.addRow("&Referral received", self.referral)
        form.addRow("&Concerns identified", self.identified)
        form.addRow("&Urgency", self.urgency)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            text = label.widget() if label is not None else None
            target = field.widget() if field is not None else None
            if isinstance(text, QLabel) and target is not None:
                text.setBuddy(target)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Deadlines</b>"))
        self.deadlines = QTreeWidget()
        self.deadlines.setHeaderLabels(["Deadline", "Due", "State"])
        self.deadlines.setRootIsDecorated(False)
        self.deadlines.setAccessibleName("Deadlines for these dates")
        self.deadlines.setMinimumHeight(14 * self.fontMetrics().lineSpacing())
        self.deadlines.setWordWrap(True)  # a reason a deadline does not apply reads whole
        self.deadlines.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.deadlines.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.deadlines.header()
        header.setStretchLastSection(False)  # the date whole; the name and the state share
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the rest, and wrap
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.deadlines.setItemDelegate(WrappingDelegate(self.deadlines))  # the why wraps
        icon = self.fontMetrics().height()
        self.deadlines.setIconSize(QSize(icon, icon))
        char = self.fontMetrics().averageCharWidth()
        screen = self.screen().availableGeometry().width() if self.screen() else 1366
        self.deadlines.setMinimumWidth(min(100 * char, screen * 8 // 10))
        layout.addWidget(self.deadlines)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            "Create meeting", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.form_combo.currentIndexChanged.connect(self._form_changed)
        for date_field in (self.referral, self.identified):
            date_field.date_changed.connect(lambda _d: self.update_deadlines())
            date_field.edit.textEdited.connect(lambda _t: self._live())
        self.urgency.currentIndexChanged.connect(lambda _i: self.update_deadlines())
        self._form_changed()
        self.referral.setFocus()
        self.resize(
            self.sizeHint().expandedTo(self.minimumSizeHint()).grownBy(self.contentsMargins())
        )

    def _form_changed(self) -> None:
        form = self.app.forms.get(self.form_combo.currentData())
        self.summary.setText(form.summary)
        self.update_deadlines()

    def _live(self) -> None:
        self.update_deadlines()

    @staticmethod
    def _typed(field: DateField) -> date | None:
        """Deadlines follow the typing: a complete date counts before the field is left."""
        try:
            return field.edit.value()
        except ValueError:
            return field.date()

    def update_deadlines(self) -> None:
        self.deadlines.clear()
        referral = self._typed(self.referral)
        self.create_button.setEnabled(referral is not None)
        if referral is None:
            self.problem.setText(
                "Enter the date the referral was received: the deadlines run from it."
            )
            return
        self.problem.setText("")
        form = self.app.forms.get(self.form_combo.currentData())
        draft = Meeting(  # never stored: the core works out its deadlines as for a real one
            form_id=form.id,
            referral_received=referral,
            concerns_identified=self._typed(self.identified),
            urgency=self.urgency.currentData(),
            concerns=sorted(form.implies_concerns),
        )
        today = self.app.today()
        calendar = self.app.protocol.calendar()
        # The form itself, not only the concerns it implies: a review's clocks run from the
        # discussion that initiated section 47 enquiries, not from this one.
        timescales = meeting_timescales(draft, self.app.protocol, form)
        dated, undated = deadline_rows(timescales, today, calendar)
        for row in dated + undated:
            show_row(QTreeWidgetItem(self.deadlines), row, self.palette())

    def create(self) -> None:  # type: ignore[override]  # (the meeting, not QWidget.create)
        for field in (self.referral, self.identified):
            if not field.commit_text():
                field.setFocus()
                return
        if self.referral.date() is None:
            self.referral.setFocus()
            return
        with self.app.db.transaction() as session:
            meeting = create_meeting(
                session,
                self.app.forms.get(self.form_combo.currentData()),
                referral_received=self.referral.date(),
                concerns_identified=self.identified.date(),
                urgency=self.urgency.currentData(),
                chair_name=self.app.settings.chair_name,
                chair_role=self.app.settings.chair_role,
                local_authority=self.app.settings.local_authority,
            )
            self.created_id = meeting.id
        self.accept()
