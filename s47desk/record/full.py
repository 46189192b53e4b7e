"""The full record of a strategy discussion, for the agencies (and, if need be, a court).

Sections follow the order real record templates use (domain notes): details, children,
attendance, reason, information by agency, analysis, decisions with dissent, action plan, key
dates, what the family may be told, distribution, confidentiality and the chair's authorisation.
Labels come from FIELDS, DECISIONS and the vocabularies, never retyped here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from s47desk.deadlines import meeting_deadlines
from s47desk.decisions import DECISION_BY_KEY, DECISIONS, DecisionKind
from s47desk.fields import FIELDS
from s47desk.models import Attendee, Decision, InformationItem, Meeting, utcnow
from s47desk.record.context import CONFIDENTIALITY, RecordContext
from s47desk.record.labels import (
    NOT_RECORDED,
    choice_label,
    detail_value,
    due_date,
    reference,
    short_date,
    uk_date,
    uk_datetime,
    uk_time_from_utc,
)
from s47desk.record.signer_block import FINGERPRINTS, signer_rows
from s47desk.record.template import S
from s47desk.record.writer import Cell, Masthead, Properties, RecordWriter
from s47desk.vocab import Agency, Attendance, Concern, FamilySharing

SUBTITLE = "Record of a multi-agency strategy discussion (section 47, Children Act 1989)"
DRAFT_NOTICE = (
    "DRAFT: this record has not been authorised by the chair. It must not be circulated or "
    "relied on until it is signed."
)


def label(field_id: str) -> str:
    return FIELDS[field_id].label


def render_full(meeting: Meeting, ctx: RecordContext) -> bytes:
    """The full record as .docx bytes (unsigned; see s47desk.record.export)."""
    w = RecordWriter()
    ref = reference(meeting)
    signed = ctx.signed
    marking = ctx.protocol.protective_marking
    w.masthead(
        Masthead(
            marking=marking,
            left=meeting.local_authority or "Strategy discussion record",
            right=f"Strategy discussion record · {ref}" + ("" if signed else " · DRAFT"),
            footer_left=f"{ref} · record version {meeting.record_version}",
        )
    )
    signoff = ctx.signoff
    w.properties(
        Properties(
            title=f"{ctx.form_title} – {marking}",
            subject="Strategy discussion record",
            when=signoff.signed_at if signoff else utcnow(),
            revision=meeting.record_version,
        )
    )
    w.heading(ctx.form_title, 0)
    w.paragraph(f"{SUBTITLE}\n{meeting.local_authority}".strip(), S.SUBTITLE)
    if not signed:
        w.paragraph(DRAFT_NOTICE, S.NOTICE)
    _details(w, meeting, ref, ctx)
    _children(w, meeting)
    _attendance(w, meeting)
    _reason(w, meeting)
    _information(w, meeting)
    _analysis(w, meeting)
    _decisions(w, meeting)
    _actions(w, meeting)
    _key_dates(w, meeting, ctx)
    _family(w, meeting)
    _distribution(w, meeting)
    w.heading("12. Confidentiality")
    w.paragraph(CONFIDENTIALITY, S.CONFIDENTIAL)
    _authorisation(w, meeting, ctx)
    return w.to_bytes()


def _details(w: RecordWriter, m: Meeting, ref: str, ctx: RecordContext) -> None:
    w.heading("1. Meeting details")
    names = {c.value: c.label for c in Concern}
    concerns = [names.get(c, c) for c in m.concerns]
    rows: list[tuple[str, Cell]] = [
        ("Reference", f"{ref} (record version {m.record_version})"),
        (label("meeting.local_authority"), m.local_authority or NOT_RECORDED),
        (label("meeting.held_at"), uk_datetime(m.held_at)),
        (label("meeting.mode"), m.mode.label if m.mode else NOT_RECORDED),
        (label("meeting.chair_name"), ", ".join(x for x in (m.chair_name, m.chair_role) if x)),
        (label("meeting.minute_taker"), m.minute_taker or NOT_RECORDED),
        (label("meeting.referral_received"), uk_date(m.referral_received)),
        (label("meeting.concerns_identified"), uk_date(m.concerns_identified)),
        (label("meeting.urgency"), m.urgency.label),
        (label("meeting.concerns"), "; ".join(concerns) or NOT_RECORDED),
        ("Status of this record", "Signed" if ctx.signed else "Draft: not yet authorised"),
    ]
    if m.late_reason.strip():
        rows.append((label("meeting.late_reason"), m.late_reason))
    if m.child_in_hospital:
        rows.append((label("meeting.child_in_hospital"), "Yes"))
    if m.lado_notified_on:
        rows.append((label("meeting.lado_notified_on"), uk_date(m.lado_notified_on)))
    if m.whereabouts_unknown_since:
        rows.append(
            (label("meeting.whereabouts_unknown_since"), uk_datetime(m.whereabouts_unknown_since))
        )
    initiating = m.initiating_meeting.held_on if m.initiating_meeting else m.initiating_held_on
    if initiating:
        rows.append((label("meeting.initiating_held_on"), uk_date(initiating)))
    w.details(rows)


def _children(w: RecordWriter, m: Meeting) -> None:
    w.heading(f"2. {label('children')}")
    rows: list[list[Cell]] = []
    for child in m.children:
        born = (
            f"Expected {short_date(child.expected_date)}"
            if child.date_of_birth is None and child.expected_date
            else short_date(child.date_of_birth)
        )
        outcome = child.outcome.label + (f"\n{child.outcome_note}" if child.outcome_note else "")
        rows.append(
            [
                child.name or "(no name)",
                child.role.label,
                born,
                child.gender,
                child.reference,
                outcome,
            ]
        )
    if rows:
        w.grid(
            ["Name", "Role", "Date of birth", "Gender", "Reference", "Outcome"],
            rows,
            [24, 16, 16, 10, 14, 20],
        )
    else:
        w.paragraph("", empty="No children recorded.")
    w.heading(label("meeting.other_children_note"), 3)
    w.paragraph(m.other_children_note, empty=NOT_RECORDED)


def _agency(a: Attendee) -> str:
    parts = [a.agency.label]
    if a.service is not None:
        parts.append(a.service.label)
    if a.organisation:
        parts.append(a.organisation)
    return "\n".join(parts)


def _attendance(w: RecordWriter, m: Meeting) -> None:
    w.heading(f"3. {label('attendees')}")
    rows: list[list[Cell]] = []
    for a in m.attendees:
        notes = "\n".join(
            x
            for x in (
                f"Reason: {a.absence_reason}" if a.absence_reason else "",
                f"Escalation: {a.escalation}" if a.escalation else "",
            )
            if x
        )
        if a.attendance is not Attendance.PRESENT and not notes:
            notes = "No reason recorded"
        rows.append([a.name, a.role, _agency(a), a.attendance.label, notes])
    if rows:
        w.grid(
            ["Name", "Role", "Agency", "Attendance", "Reason and escalation"],
            rows,
            [18, 20, 20, 14, 28],
        )
    else:
        w.paragraph("", empty="No attendance recorded.")


def _reason(w: RecordWriter, m: Meeting) -> None:
    w.heading(f"4. {label('meeting.reason')}")
    w.paragraph(m.reason, empty=NOT_RECORDED)
    w.heading(label("meeting.immediate_action"), 2)
    w.paragraph(m.immediate_action, empty=NOT_RECORDED)


def sharing_flag(item: InformationItem) -> Cell:
    """How the record marks an item for readers who might talk to the family."""
    if item.family_sharing is FamilySharing.YES:
        return (FamilySharing.YES.label, S.FLAG_SHAREABLE)
    if item.family_sharing is FamilySharing.NO:
        why = item.withhold_reason.label if item.withhold_reason else "no reason recorded"
        note = f": {item.withhold_note.strip()}" if item.withhold_note.strip() else ""
        return (f"NOT to be shared with the family ({why}{note})", S.FLAG_WITHHELD)
    return ("NOT to be shared with the family: not yet decided", S.FLAG_WITHHELD)


def _information(w: RecordWriter, m: Meeting) -> None:
    w.heading(f"5. {label('information')}")
    by_agency: dict[Agency, list[InformationItem]] = defaultdict(list)
    for item in m.information:
        by_agency[item.agency].append(item)
    if not by_agency:
        w.paragraph("", empty="No information recorded.")
    for agency, items in by_agency.items():
        w.heading(agency.label, 2)
        for item in items:
            if item.nil_return:
                w.runs([("Nil return: ", S.LABEL), "this agency holds no relevant information."])
            w.paragraph(item.text, empty="" if item.nil_return else "No text recorded.")
            source = f"Shared by {item.shared_by}. " if item.shared_by else ""
            w.runs([source, sharing_flag(item)], S.NOTE)


def _analysis(w: RecordWriter, m: Meeting) -> None:
    w.heading("6. Analysis and the child's voice")
    for field_id in (
        "meeting.risks",
        "meeting.strengths",
        "meeting.child_voice",
        "meeting.child_voice_plan",
    ):
        w.heading(label(field_id), 2)
        w.paragraph(getattr(m, FIELDS[field_id].attribute), empty=NOT_RECORDED)


def _shown_decisions(m: Meeting) -> list[tuple[DecisionKind, Decision | None]]:
    out = []
    for kind in DECISIONS:
        decision = m.decision(kind.key)
        applies = not kind.only_when or bool(getattr(m, kind.only_when, False))
        if decision is not None or applies:
            out.append((kind, decision))
    return out


def _decisions(w: RecordWriter, m: Meeting) -> None:
    w.heading("7. Decisions")
    known = {k.key for k in DECISIONS}
    for kind, decision in _shown_decisions(m):
        w.heading(kind.title, 2)
        w.paragraph(kind.question, S.QUESTION)
        if decision is None:
            w.paragraph("", empty="No decision recorded.")
        else:
            rows: list[tuple[str, Cell]] = [("Decision", choice_label(kind, decision.choice))]
            for detail in kind.details:
                value = decision.details.get(detail.key, "")
                if value:
                    rows.append((detail.label, detail_value(detail, value)))
            rows.append(("Rationale", decision.rationale or NOT_RECORDED))
            if decision.recorded_by:
                rows.append(("Recorded by", decision.recorded_by))
            w.details(rows)
        _dissent(w, m, kind.key)
    strays = sorted({d.decision_kind for d in m.dissents} - known)
    for key in strays:
        w.heading(f"Dissent ({key})", 2)
        _dissent(w, m, key)


def _dissent(w: RecordWriter, m: Meeting, kind: str) -> None:
    dissents = [d for d in m.dissents if d.decision_kind == kind]
    if not dissents:
        return
    w.heading(label("dissents"), 3)
    rows: list[list[Cell]] = [
        [d.name, d.agency.label if d.agency else "", d.text, d.escalation or "None recorded"]
        for d in dissents
    ]
    w.grid(["Name", "Agency", "Dissent", "Escalation"], rows, [18, 16, 40, 26])


def _actions(w: RecordWriter, m: Meeting) -> None:
    w.heading(f"8. {label('actions')}")
    rows: list[list[Cell]] = []
    for number, action in enumerate(m.actions, start=1):
        text = action.text
        if action.child is not None and action.child.name:
            text += f"\n(for {action.child.name})"
        if action.category.value != "general":
            text += f"\n[{action.category.label}]"
        if action.completion_note:
            text += f"\n{action.completion_note}"
        rows.append(
            [
                str(number),  # not Action.number: positions are not always renumbered
                text,
                action.owner,
                action.agency.label if action.agency else "",
                due_date(action.due),
                action.status.label,
            ]
        )
    if rows:
        w.grid(
            ["No.", "Action", "Owner", "Agency", "Due by", "Status"],
            rows,
            [6, 40, 16, 16, 14, 9],
        )
    else:
        w.paragraph("", empty="No actions recorded.")


def _key_dates(w: RecordWriter, m: Meeting, ctx: RecordContext) -> None:
    w.heading("9. Key dates")
    deadlines = sorted(
        meeting_deadlines(m, ctx.protocol, ctx.form_concerns).values(), key=lambda d: d.due
    )
    rows: list[list[Cell]] = []
    for d in deadlines:
        due = due_date(d.due) + (f" {d.due_at:%H:%M}" if d.due_at else "")
        rows.append([due, d.label, d.basis])
    review = m.decision("review_discussion")
    if review is not None and review.details.get("review_by"):
        kind = DECISION_BY_KEY["review_discussion"]
        try:
            due = due_date(date.fromisoformat(review.details["review_by"]))
        except ValueError:
            due = review.details["review_by"]
        rows.append([due, kind.title, "Decided at this discussion"])
    if rows:
        w.grid(["Due by", "What", "Basis"], rows, [18, 30, 52])
    else:
        w.paragraph("", empty="No key dates: the referral date is not recorded.")


def _family(w: RecordWriter, m: Meeting) -> None:
    w.heading("10. What may be shared with the family")
    kind = DECISION_BY_KEY["family_information"]
    decision = m.decision(kind.key)
    rows: list[tuple[str, Cell]] = [
        (kind.title, choice_label(kind, decision.choice) if decision else NOT_RECORDED)
    ]
    if decision is not None:
        for detail in kind.details:
            value = decision.details.get(detail.key, "")
            if value:
                rows.append((detail.label, detail_value(detail, value)))
    counts = {s: sum(1 for i in m.information if i.family_sharing is s) for s in FamilySharing}
    rows.append(
        (
            "Information items",
            f"{counts[FamilySharing.YES]} may be shared; {counts[FamilySharing.NO]} not to be "
            f"shared; {counts[FamilySharing.UNDECIDED]} not yet decided (treated as not to be "
            "shared)",
        )
    )
    w.details(rows)
    shareable = [i for i in m.information if i.family_sharing is FamilySharing.YES]
    if shareable:
        w.paragraph("The family copy of this record contains only these items:", S.NOTE)
        for item in shareable:
            nil = "Nil return. " if item.nil_return else ""
            w.bullet(f"{item.agency.label}: {nil}{item.text}")


def _distribution(w: RecordWriter, m: Meeting) -> None:
    w.heading("11. Distribution list")
    reasons = {
        Attendance.PRESENT: "Attended",
        Attendance.APOLOGIES: "Sent apologies",
        Attendance.ABSENT: "Absent: for information and action",
    }
    rows: list[list[Cell]] = [
        [a.name, a.role, _agency(a), a.email or "No email recorded", reasons[a.attendance]]
        for a in m.attendees
    ]
    attending = {a.agency for a in m.attendees}
    for agency in dict.fromkeys(a.agency for a in m.actions if a.agency is not None):
        if agency not in attending:
            rows.append(["", "", agency.label, "No email recorded", "Owns actions in this plan"])
    if rows:
        w.grid(["Name", "Role", "Agency", "Email", "Why"], rows, [17, 19, 19, 28, 17])
    else:
        w.paragraph("", empty="No one recorded.")


def _authorisation(w: RecordWriter, m: Meeting, ctx: RecordContext) -> None:
    w.heading("13. Authorisation")
    signoff = ctx.signoff
    rows: list[tuple[str, Cell]]
    if signoff is None:
        rows = [("Authorised by", "Not yet authorised: this is a draft")]
    else:
        rows = [
            ("Authorised by", signoff.name),
            ("Role", signoff.role),
            ("Signed at", uk_time_from_utc(signoff.signed_at)),
        ]
        if signoff.on_behalf_of:
            rows.append(("Signed", signoff.on_behalf_of))
    rows.append(("Record version", str(m.record_version)))
    if m.amendment_reason:
        rows.append(("Why this version was made", m.amendment_reason))
    rows.append(("Content fingerprint (SHA-256)", (ctx.content_fingerprint, S.FINGERPRINT)))
    if ctx.signer is not None:
        rows += [
            (name, (value, S.FINGERPRINT) if name in FINGERPRINTS else value)
            for name, value in signer_rows(ctx.signer)
        ]
    else:
        rows.append(("Digital signature", "This copy is not digitally signed."))
    w.details(rows)
    _version_history(w, m, ctx)
    w.paragraph(
        "The content fingerprint identifies exactly what the chair authorised; it can be "
        "recomputed from the meeting file. A digital signature, when present, makes any change "
        "to this file detectable: check it with `s47desk verify FILE --signer-sha256 "
        "<certificate fingerprint>`, or in Word under File › Info › View Signatures and in "
        "LibreOffice under File › Digital Signatures, where the certificate's SHA-1 thumbprint "
        "must be the one printed above.",
        S.NOTE,
    )


def _version_history(w: RecordWriter, m: Meeting, ctx: RecordContext) -> None:
    """Every version of this record, when there has been more than one."""
    if len(ctx.history) < 2:
        return
    w.heading("Version history", 3)
    rows: list[list[Cell]] = []
    for version in ctx.history:
        this = version.record_version == m.record_version
        signoff = ctx.signoff if this else None
        by = f"{signoff.name}, {signoff.role}" if signoff else version.signed_by
        at = signoff.signed_at if signoff else version.signed_at
        when = uk_time_from_utc(at) if at else "Not signed"
        label = f"{version.record_version}" + (" (this record)" if this else "")
        rows.append([label, by or "—", when, version.reason or "First version"])
    w.grid(["Version", "Signed by", "Signed at", "Reason"], rows, [14, 26, 26, 34])
