"""The form drives the record: it prints exactly the decisions and fields its form asks."""

from __future__ import annotations

import io
from datetime import date, datetime

import docx
import pytest

from s47desk.decisions import DECISION_BY_KEY
from s47desk.fields import FIELDS, FieldKind
from s47desk.forms import FormRegistry
from s47desk.models import Decision, Meeting
from s47desk.protocol import Protocol
from s47desk.record.export import record_bytes
from s47desk.vocab import Concern
from tests.factories import complete_meeting

FORMS = ("initial", "review", "exploitation", "lado", "missing", "pre_birth")
SCALARS = [f for f in FIELDS.values() if f.id.startswith("meeting.")]


def everything_filled(form_id: str) -> Meeting:
    """A meeting of *form_id* with every field given and every circumstance holding, so that
    what its record leaves out can only be what the form does not ask."""
    m = complete_meeting(form_id)
    for spec in SCALARS:
        if spec.kind in (FieldKind.TEXT, FieldKind.LONGTEXT):
            setattr(m, spec.attribute, f"Text for {spec.attribute}")
        elif spec.kind is FieldKind.DATE:
            setattr(m, spec.attribute, date(2026, 11, 23))
        elif spec.kind is FieldKind.BOOL:
            setattr(m, spec.attribute, True)
        elif spec.kind is FieldKind.CHOICE and spec.vocab is not None:
            setattr(m, spec.attribute, next(iter(spec.vocab)))
    m.held_at, m.ended_at = datetime(2026, 11, 24, 14, 0), datetime(2026, 11, 24, 15, 0)
    m.whereabouts_unknown_since = datetime(2026, 11, 23, 9, 0)
    m.concerns = [Concern.PROFESSIONAL_ALLEGATION.value, Concern.MISSING.value]
    for kind in DECISION_BY_KEY.values():
        if m.decision(kind.key) is None:
            m.decisions.append(
                Decision(kind=kind.key, choice=kind.options[0].value, rationale="Because")
            )
    return m


def texts(data: bytes) -> set[str]:
    """Every paragraph and table cell of the record, whole (headings without their number)."""
    document = docx.Document(io.BytesIO(data))
    out = {p.text.strip() for p in document.paragraphs}
    out |= {p.split(". ", 1)[1] for p in set(out) if p[:1].isdigit() and ". " in p}
    for table in document.tables:
        for row in table.rows:
            out |= {cell.text.strip() for cell in row.cells}
    return out


@pytest.mark.parametrize("form_id", FORMS)
def test_the_record_holds_exactly_the_fields_and_decisions_its_form_asks(
    form_id: str, forms: FormRegistry, protocol: Protocol
) -> None:
    form = forms.get(form_id)
    found = texts(record_bytes(everything_filled(form_id), forms=forms, protocol=protocol))
    for spec in SCALARS:
        assert (spec.label in found) == form.asks(spec.id), (form_id, spec.id, spec.label)
    for kind in DECISION_BY_KEY.values():
        asked = form.asks(f"decision.{kind.key}")
        assert (kind.title in found) == asked, (form_id, kind.key)
        assert (kind.question in found) == asked, (form_id, kind.key)


def test_the_pre_birth_record_has_no_medical_or_abe_rows(
    forms: FormRegistry, protocol: Protocol
) -> None:
    """The pre-birth form never asks them, so its record never says "No decision recorded"."""
    m = complete_meeting("pre_birth")
    m.decisions = [d for d in m.decisions if d.kind not in ("medical", "abe_interview")]
    found = texts(record_bytes(m, forms=forms, protocol=protocol))
    assert "Medical assessment" not in found and "ABE interview" not in found
    assert "No decision recorded." not in found
    assert "Section 47 enquiry" in found


def test_a_field_that_depends_on_a_circumstance_is_printed_only_then(
    forms: FormRegistry, protocol: Protocol
) -> None:
    m = complete_meeting("initial")
    found = texts(record_bytes(m, forms=forms, protocol=protocol))
    assert "LADO notified on" not in found  # no allegation against a professional
    m.concerns = [Concern.PROFESSIONAL_ALLEGATION.value]
    m.lado_notified_on = date(2026, 11, 23)
    found = texts(record_bytes(m, forms=forms, protocol=protocol))
    assert {"LADO notified on", "23 November 2026"} <= found


def test_the_record_says_explicitly_when_no_one_dissented(
    forms: FormRegistry, protocol: Protocol
) -> None:
    found = texts(record_bytes(complete_meeting(), forms=forms, protocol=protocol))
    assert "No dissent recorded: no attendee disagreed with a decision." in found
